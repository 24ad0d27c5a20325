/**
 * What the CLI prints comes partly from imported files (names, notes, rejected cells),
 * and a terminal runs the control characters in it: escape sequences recolour, move
 * the cursor, retitle the window or rewrite earlier lines, BEL rings. Every line goes
 * out through here without them.
 */

// ESC sequences whole (CSI `ESC [ … final` or its one-byte form, OSC `ESC ] … BEL|ST`, two-byte `ESC x`), so no parameters are left behind.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -~])?|\u009b[0-?]*[ -/]*[@-~]?/g;
// C0 controls except tab and newline (carriage return too: it overwrites the line), DEL, C1 controls, bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text without terminal control characters: `terminalSafe('a\u001b[31mb\u0007') === 'ab'`. */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(CONTROL, '');
}

/** One line on stdout, without control characters. */
export function printLine(text = ''): void {
  process.stdout.write(`${terminalSafe(text)}\n`);
}

/**
 * A value as indented JSON for stdout. JSON already escapes C0 controls; C1 controls
 * and bidi overrides are escaped too, so the data stays whole and the terminal inert.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
