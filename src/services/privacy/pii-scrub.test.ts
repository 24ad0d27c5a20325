import { describe, expect, it } from 'vitest';
import { scrubText, textViewFor } from './pii-scrub.ts';

// Each row: how a person might type it into a note, and exactly what a caller without
// pii.view must see. The expected texts are written out by hand, not computed.
const MOBILES: [string, string, string][] = [
  ['plain', '回电 13800001111', '回电 138****1111'],
  ['hyphens', '回电 138-0000-1111', '回电 138****1111'],
  ['spaces', '回电 138 0000 1111', '回电 138****1111'],
  ['double spaces', '回电 138  0000  1111', '回电 138****1111'],
  ['ideographic space', '回电 138\u30000000\u30001111', '回电 138****1111'],
  ['dots', '回电 138.0000.1111', '回电 138****1111'],
  ['brackets', '回电 (138) 0000-1111', '回电 138****1111'],
  ['full-width brackets', '回电（138）0000 1111', '回电138****1111'],
  ['+86', '回电 +8613800001111', '回电 138****1111'],
  ['+86 and space', '回电 +86 138 0000 1111', '回电 138****1111'],
  ['86 and hyphen', '回电 86-138-0000-1111', '回电 138****1111'],
  ['bracketed +86', '回电 (+86) 138-0000-1111', '回电 138****1111'],
  ['full-width digits', '回电 １３８００００１１１１', '回电 138****1111'],
  ['full-width digits and separators', '回电 １３８－００００－１１１１', '回电 138****1111'],
  ['full-width plus and dots', '回电 ＋８６ １３８．００００．１１１１', '回电 138****1111'],
  ['mixed widths', '回电 138０000１111', '回电 138****1111'],
  ['digit-by-digit spaces', '回电 1 3 8 0 0 0 0 1 1 1 1', '回电 138****1111'],
  ['next to Chinese text', '电话13800001111谢谢', '电话138****1111谢谢'],
  ['two in one text', '13800001111 或 139-1234-5678', '138****1111 或 139****5678'],
];

const LANDLINES: [string, string, string][] = [
  ['area code and hyphen', '座机 010-65528888', '座机 010****8888'],
  ['four-digit area code', '座机 0755-88889999', '座机 075*****9999'],
  ['bracketed area code', '座机 (010) 6552-8888', '座机 010****8888'],
  ['full-width brackets', '座机（０１０）６５５２８８８８', '座机010****8888'],
  ['spaces', '座机 021 6552 8888', '座机 021****8888'],
  ['dots', '座机 021.6552.8888', '座机 021****8888'],
  ['seven-digit number', '座机 0571-8765432', '座机 057****5432'],
];

const EMAILS: [string, string, string][] = [
  ['plain', '邮箱 wangwu@example.com', '邮箱 w***@example.com'],
  ['full-width at', '邮箱 wangwu＠example.com', '邮箱 w***＠example.com'],
  ['full-width at and dot', '邮箱 wangwu＠example．com', '邮箱 w***＠example．com'],
  ['dotted local part', '邮箱 wang.wu+crm@mail.example.com.cn', '邮箱 w***@mail.example.com.cn'],
  ['full-width letters', '邮箱 ｗａｎｇｗｕ＠ｅｘａｍｐｌｅ．ｃｏｍ', '邮箱 ｗ***＠ｅｘａｍｐｌｅ．ｃｏｍ'],
];

const ID_NUMBERS: [string, string, string][] = [
  ['digits', '身份证 110101199003071234', '身份证 110***********1234'],
  ['ending in X', '身份证 11010119900307123X', '身份证 110***********123X'],
  ['full-width', '身份证 １１０１０１１９９００３０７１２３４', '身份证 １１０***********１２３４'],
];

describe('scrubText masks what people type into free text', () => {
  it.each(MOBILES)('mobile, %s', (_name, text, shown) => expect(scrubText(text)).toBe(shown));
  it.each(LANDLINES)('landline, %s', (_name, text, shown) => expect(scrubText(text)).toBe(shown));
  it.each(EMAILS)('e-mail, %s', (_name, text, shown) => expect(scrubText(text)).toBe(shown));
  it.each(ID_NUMBERS)('ID number, %s', (_name, text, shown) => expect(scrubText(text)).toBe(shown));
});

describe('scrubText leaves what is not personal data alone', () => {
  it.each([
    ['a date', '2024-05-01 10:00 下单'],
    ['a dotted date', '2024.05.01 回访'],
    ['an amount', '金额 1380000.00 元'],
    ['a short number', '订单号 12345678'],
    ['a number too long for a mobile', '流水 138000011112'],
    ['a mobile prefix that does not exist', '编号 12800001111'],
    ['a masked phone', '回电 138****1111'],
    ['a masked e-mail', 'w***@example.com'],
    ['Chinese punctuation', '您好，请于周一（上午）回电。'],
  ])('%s', (_name, text) => expect(scrubText(text)).toBe(text));

  it('passes null through', () => expect(scrubText(null)).toBeNull());
});

describe('textViewFor', () => {
  it('shows everything with pii.view and scrubs without it', () => {
    const text = '回电 +86 １３８.0000.1111';
    expect(textViewFor(true)(text)).toBe(text);
    expect(textViewFor(false)(text)).toBe('回电 138****1111');
    expect(textViewFor(false)(null)).toBeNull();
  });
});
