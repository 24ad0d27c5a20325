import type { Pos } from './rule.ast.ts';
import { RuleAbort } from './rule.errors.ts';

export type Keyword =
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'between'
  | 'contains'
  | 'starts_with'
  | 'is'
  | 'null'
  | 'true'
  | 'false';

export type OperatorText = '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';

export type Token =
  | { kind: 'number'; value: number; text: string; pos: Pos }
  | { kind: 'string'; value: string; text: string; pos: Pos }
  /** a field or function name; `quoted` when written in backticks (never a keyword then) */
  | { kind: 'ident'; name: string; quoted: boolean; text: string; pos: Pos }
  | { kind: 'keyword'; keyword: Keyword; text: string; pos: Pos }
  | { kind: 'param'; name: string; text: string; pos: Pos }
  | { kind: 'op'; op: OperatorText; text: string; pos: Pos }
  | { kind: '(' | ')' | ','; text: string; pos: Pos }
  | { kind: 'eof'; text: string; pos: Pos };

const KEYWORDS: Record<string, Keyword> = {
  and: 'and',
  or: 'or',
  not: 'not',
  in: 'in',
  between: 'between',
  contains: 'contains',
  starts_with: 'starts_with',
  is: 'is',
  null: 'null',
  true: 'true',
  false: 'false',
  // Chinese connectives are keywords only as whole words: `金额 >= 1 且 天数 < 9`.
  且: 'and',
  或: 'or',
  非: 'not',
};

/** The keyword an identifier spells, if any (case-insensitive). */
export function keywordOf(word: string): Keyword | undefined {
  return Object.hasOwn(KEYWORDS, word.toLowerCase()) ? KEYWORDS[word.toLowerCase()] : undefined;
}

const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const IDENT_FULL = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;

/** True when `name` can be written without backticks (it lexes as one identifier, not a keyword). */
export function isBareIdentifier(name: string): boolean {
  return IDENT_FULL.test(name) && keywordOf(name) === undefined;
}

// Longest first, so `<=` wins over `<`. Full-width and math forms come from Chinese input methods.
const OPERATORS: ReadonlyArray<[string, OperatorText]> = [
  ['<=', '<='],
  ['>=', '>='],
  ['!=', '!='],
  ['<>', '!='],
  ['==', '='],
  ['≤', '<='],
  ['≥', '>='],
  ['≠', '!='],
  ['＝', '='],
  ['＜', '<'],
  ['＞', '>'],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
  ['+', '+'],
  ['-', '-'],
  ['*', '*'],
  ['/', '/'],
];

const PUNCTUATION: Record<string, '(' | ')' | ','> = {
  '(': '(',
  ')': ')',
  ',': ',',
  '（': '(',
  '）': ')',
  '，': ',',
};

const CLOSING_QUOTE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Splits rule text into tokens; throws RuleAbort (SyntaxError) on a character it cannot read. */
export function tokenize(text: string): Token[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const posAt = (offset: number): Pos => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
  };

  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < text.length) {
    const ch = text[i];
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    // SQL-style comment to the end of the line, so rules can be annotated.
    if (text.startsWith('--', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const pos = posAt(i);

    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), text: num[0], pos });
      i += num[0].length;
      continue;
    }

    IDENT.lastIndex = i;
    const ident = IDENT.exec(text);
    if (ident) {
      const word = ident[0];
      const keyword = keywordOf(word);
      tokens.push(
        keyword
          ? { kind: 'keyword', keyword, text: word, pos }
          : { kind: 'ident', name: word, quoted: false, text: word, pos },
      );
      i += word.length;
      continue;
    }

    if (ch === '$') {
      IDENT.lastIndex = i + 1;
      const name = IDENT.exec(text);
      if (!name) {
        throw new RuleAbort({
          code: 'SyntaxError',
          pos,
          zh: '“$”后面应是参数名，例如 $threshold',
          en: 'Expected a parameter name after "$", e.g. $threshold',
        });
      }
      tokens.push({ kind: 'param', name: name[0], text: `$${name[0]}`, pos });
      i += 1 + name[0].length;
      continue;
    }

    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0 || end === i + 1) {
        throw new RuleAbort({
          code: 'SyntaxError',
          pos,
          zh: '反引号括起的字段名没有结束',
          en: 'Unterminated or empty `quoted` field name',
        });
      }
      const name = text.slice(i + 1, end);
      tokens.push({ kind: 'ident', name, quoted: true, text: text.slice(i, end + 1), pos });
      i = end + 1;
      continue;
    }

    const close = CLOSING_QUOTE[ch];
    if (close !== undefined) {
      // Straight quotes take backslash escapes; Chinese quotes are taken literally.
      const escapes = ch === '"' || ch === "'";
      let value = '';
      let j = i + 1;
      while (j < text.length && text[j] !== close) {
        if (escapes && text[j] === '\\' && j + 1 < text.length) {
          const next = text[j + 1];
          value += ESCAPES[next] ?? next;
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (j >= text.length) {
        throw new RuleAbort({
          code: 'SyntaxError',
          pos,
          zh: '字符串缺少结束引号',
          en: 'Unterminated string literal',
        });
      }
      tokens.push({ kind: 'string', value, text: text.slice(i, j + 1), pos });
      i = j + 1;
      continue;
    }

    const punct = PUNCTUATION[ch];
    if (punct !== undefined) {
      tokens.push({ kind: punct, text: ch, pos });
      i++;
      continue;
    }

    for (const [spelling, op] of OPERATORS) {
      if (text.startsWith(spelling, i)) {
        tokens.push({ kind: 'op', op, text: spelling, pos });
        i += spelling.length;
        continue outer;
      }
    }

    const shown = String.fromCodePoint(text.codePointAt(i) ?? 0);
    throw new RuleAbort({
      code: 'SyntaxError',
      pos,
      zh: `无法识别的字符“${shown}”`,
      en: `Unexpected character "${shown}"`,
    });
  }
  tokens.push({ kind: 'eof', text: '', pos: posAt(text.length) });
  return tokens;
}
