import type { UploadInfo } from './import-api.ts';

/** column index → target field key, or null when the column feeds no field */
export type ColumnChoices = (string | null)[];

/** The server's suggestion as one choice per column. */
export function suggestedChoices(upload: UploadInfo): ColumnChoices {
  const choices: ColumnChoices = upload.headers.map(() => null);
  for (const [field, header] of Object.entries(upload.mapping)) {
    const index = upload.headers.indexOf(header);
    if (index !== -1) choices[index] = field;
  }
  return choices;
}

/**
 * Gives `field` to `column`, taking it from whichever column had it (a field reads one
 * column). Returns the new choices and the column the field was taken from, if any.
 */
export function assignField(
  choices: ColumnChoices,
  column: number,
  field: string | null,
): { choices: ColumnChoices; movedFrom: number | null } {
  let movedFrom: number | null = null;
  const next = choices.map((current, i) => {
    if (i === column) return field;
    if (field !== null && current === field) {
      movedFrom = i;
      return null;
    }
    return current;
  });
  return { choices: next, movedFrom };
}

/** The requirement rules the choices do not meet, e.g. orders without an amount column. */
export function unmetRequirements(upload: UploadInfo, choices: ColumnChoices): { anyOf: string[][] }[] {
  const mapped = new Set(choices.filter((c): c is string => c !== null));
  return upload.requirements.filter((rule) => !rule.anyOf.some((set) => set.every((k) => mapped.has(k))));
}

/** Fields that appear in any requirement rule (orders: amount, quantity and unit price too). */
export function requiredKeys(upload: UploadInfo): Set<string> {
  return new Set(upload.requirements.flatMap((rule) => rule.anyOf.flat()));
}

/**
 * The explicit mapping the API takes: every field named, with its header or '' for none,
 * so the server's own suggestion cannot bring back a column the user set aside.
 */
export function explicitMapping(upload: UploadInfo, choices: ColumnChoices): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const field of upload.fields) mapping[field.key] = '';
  choices.forEach((field, i) => {
    if (field !== null) mapping[field] = upload.headers[i];
  });
  return mapping;
}
