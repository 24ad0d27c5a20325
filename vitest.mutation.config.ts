import { defineConfig } from 'vitest/config';

/**
 * The tests `npm run mutation` runs against each mutant: the pure unit tests beside the
 * code it mutates, and the property tests of the rule language, none of which need a
 * database (see docs/testing.md).
 */
export default defineConfig({
  test: {
    include: [
      'src/core/**/*.test.ts',
      'src/services/privacy/**/*.test.ts',
      'src/services/auth/**/*.test.ts',
      'test/rules/rule-vector.test.ts',
      'test/api/pii-detector.test.ts',
    ],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
