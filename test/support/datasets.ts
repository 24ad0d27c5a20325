import fs from 'node:fs';
import path from 'node:path';

/** Under CI every test must run: what would be a skip on a developer's machine is a failure there. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * The shared data sets live beside the repository (../shared/datasets), read in place and
 * never copied; KELEI_TEST_DATASETS names another folder holding them.
 */
export const SHARED_DATASETS =
  process.env.KELEI_TEST_DATASETS ?? path.resolve(import.meta.dirname, '../../../shared/datasets');

export type Dataset = {
  file: string;
  /** true when the tests that need the file are to be skipped: absent, and not under CI */
  skip: boolean;
  /** throws a one-line reason when the file is absent (under CI, the tests run and fail on it) */
  require(): void;
};

/**
 * A data set file under ../shared/datasets: `const retail = dataset('online_retail/online_retail.csv')`,
 * then `describe.skipIf(retail.skip)(…)` and `retail.require()` in its `beforeAll`.
 * Without the file a developer's run skips those tests and says so; a CI run fails them.
 */
export function dataset(relative: string): Dataset {
  const file = path.join(SHARED_DATASETS, relative);
  const present = fs.existsSync(file);
  if (!present) {
    console.warn(
      IN_CI
        ? `${file} is missing: CI needs the shared data sets beside the clone (../shared/datasets); the tests that read it fail`
        : `Tests SKIPPED: ${file} is absent (the shared data sets are not beside this clone).`,
    );
  }
  return {
    file,
    skip: !present && !IN_CI,
    require() {
      if (!fs.existsSync(file))
        throw new Error(`missing data set ${file}: put ../shared/datasets beside the clone`);
    },
  };
}
