/**
 * An independent, deliberately broad reader of personal data left in text, for tests
 * that check a response shows none: it shares no code or pattern with the scrubber.
 *
 * Read broadly means: the text is NFKC-normalised (full-width digits, ＠, brackets and dots
 * become ASCII), ISO dates and times and UUIDs are set aside, and then any run of seven or more
 * digits — whatever spaces, hyphens, dots, brackets, plus signs or slashes stand between
 * them — counts as a number someone could dial, and any address with an unmasked character
 * right before its @ counts as an e-mail. A masked value (`138****1111`,
 * `w***@example.com`) breaks both runs with asterisks.
 */
export function piiLeaks(text: string): string[] {
  const normal = text.normalize('NFKC');
  const undated = normal
    .replace(
      /(?<!\d)\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)/g,
      ' ',
    )
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, ' ');
  const leaks: string[] = [];
  for (const [run] of undated.matchAll(/\d(?:[\s\-‐‑‒–—.·・()[\]+/]*\d)*/g)) {
    if (run.replace(/\D/g, '').length >= 7) leaks.push(run);
  }
  for (const [email] of normal.matchAll(/[^\s@*"'<>,;:()[\]{}，：；]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g)) {
    leaks.push(email);
  }
  return leaks;
}

/** Every string in a JSON value, with the path where it sits: `[['items.0.name', '王五'], …]`. */
export function textFields(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => textFields(v, `${path}.${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...textFields(k, `${path}.<key ${k}>`),
      ...textFields(v, `${path}.${k}`),
    ]);
  }
  return [];
}

/** The text fields of a JSON body that still hold personal data, as `path: text`. */
export function leakedFields(body: unknown): string[] {
  return textFields(body)
    .filter(([, text]) => piiLeaks(text).length > 0)
    .map(([path, text]) => `${path}: ${text}`);
}
