import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CellValue,
  type CleanResult,
  cleanText,
  cleanValue,
  formatMoney,
  parseCode,
  parseCustomerKind,
  parseDate,
  parseDecimal,
  parseEmail,
  parseFeedbackKind,
  parseFeedbackStatus,
  parseGender,
  parseInteger,
  parseInteractionChannel,
  parseInteractionDirection,
  parseMoney,
  parsePhone,
  parseSatisfaction,
  toHalfWidth,
} from './clean.ts';

function value<T>(result: CleanResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.reason.en}`);
  return result.value;
}

function failure<T>(result: CleanResult<T>): { code: string; reason: { zh: string; en: string } } {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result;
}

describe('toHalfWidth and cleanText', () => {
  it('maps full-width ASCII and the ideographic space', () => {
    expect(toHalfWidth('ＡＢＣ１２３（）！～')).toBe('ABC123()!~');
    expect(toHalfWidth('张\u3000三')).toBe('张 三');
    expect(toHalfWidth('中文，不变？')).toBe('中文,不变?');
  });

  it('trims, keeps internal spacing, and empties to null', () => {
    expect(value(cleanText('\u3000 张三  丰 '))).toBe('张三  丰');
    expect(value(cleanText('\u200B北京\uFEFF'))).toBe('北京');
    expect(value(cleanText('   '))).toBeNull();
    expect(value(cleanText(''))).toBeNull();
    expect(value(cleanText(null))).toBeNull();
    expect(value(cleanText(undefined))).toBeNull();
  });

  it('writes numbers, booleans and dates as text', () => {
    expect(value(cleanText(17850))).toBe('17850');
    expect(value(cleanText(1e21))).toBe('1000000000000000000000');
    expect(value(cleanText(true))).toBe('true');
    expect(value(cleanText(new Date(Date.UTC(2024, 0, 5))))).toBe('2024-01-05');
    expect(value(cleanText(new Date(Date.UTC(2024, 0, 5, 13, 45))))).toBe('2024-01-05 13:45:00');
  });
});

describe('parseMoney', () => {
  it.each<[CellValue, number]>([
    ['¥1,234.50', 123450],
    ['￥1234.5', 123450],
    ['1234', 123400],
    ['-12.5', -1250],
    ['(12.50)', -1250],
    ['（12.50）', -1250],
    ['12.50-', -1250],
    ['-¥12', -1200],
    ['¥-12', -1200],
    ['1,234.50元', 123450],
    ['１，２３４．５０', 123450],
    ['¥ 1 234.50', 123450],
    ['RMB 99', 9900],
    ['人民币5元', 500],
    ['1.5万', 1500000],
    ['2万元', 2000000],
    ['12.345', 1235],
    ['-12.345', -1235],
    ['12.344', 1234],
    ['0.005', 1],
    ['.5', 50],
    ['1.785E+4', 1785000],
    ['+3', 300],
    ['−7.1', -710],
    [1234.5, 123450],
    [0.1 + 0.2, 30],
    [-0, 0],
    [2.675, 268],
  ])('%j → %d fen', (input, fen) => {
    expect(value(parseMoney(input))).toBe(fen);
  });

  it('treats empty cells as no value', () => {
    expect(value(parseMoney(''))).toBeNull();
    expect(value(parseMoney('  '))).toBeNull();
    expect(value(parseMoney(null))).toBeNull();
  });

  it.each<CellValue>([
    'abc',
    '1.2.3',
    '1,23',
    '¥',
    '元',
    '$5',
    '--5',
    '(-5)',
    '-(5)',
    '12a',
    true,
    Number.NaN,
  ])('rejects %j with a bilingual reason', (input) => {
    const f = failure(parseMoney(input));
    expect(f.code).toBe('invalid_money');
    expect(f.reason.zh).toContain('金额');
    expect(f.reason.en).toContain('not an amount');
  });

  it('rejects amounts beyond the safe integer range', () => {
    expect(failure(parseMoney('999999999999999999')).code).toBe('out_of_range');
  });

  it('round-trips any integer fen through formatMoney (¥ and thousands separators)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const text = formatMoney(fen);
        expect(text).toMatch(/^-?¥\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(value(parseMoney(text))).toBe(fen);
      }),
    );
  });

  it('round-trips through accounting parentheses, 元 and full-width digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 12 }), (fen) => {
        const plain = formatMoney(fen).slice(1);
        expect(value(parseMoney(`(${plain})`))).toBe(-fen);
        expect(value(parseMoney(`${plain}元`))).toBe(fen);
        const fullWidth = plain.replace(/[0-9.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        expect(value(parseMoney(fullWidth))).toBe(fen);
      }),
    );
  });

  it('rounds half away from zero at the third decimal, exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 9), max: 10 ** 9 }),
        fc.integer({ min: 0, max: 9 }),
        (fen, milli) => {
          const sign = fen < 0 ? '-' : '';
          const abs = Math.abs(fen);
          const text = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}${milli}`;
          const roundedAbs = abs + (milli >= 5 ? 1 : 0);
          const expected = fen < 0 || (fen === 0 && sign === '-') ? -roundedAbs : roundedAbs;
          expect(value(parseMoney(text))).toBe(expected === 0 ? 0 : expected);
        },
      ),
    );
  });
});

describe('parseInteger and parseDecimal', () => {
  it.each<[CellValue, number]>([
    ['10次', 10],
    ['5 次', 5],
    ['35岁', 35],
    ['1,200', 1200],
    ['12.0', 12],
    ['１２', 12],
    [' 7 ', 7],
    ['-3', -3],
    [42, 42],
    ['3件', 3],
  ])('parseInteger(%j) → %d', (input, n) => {
    expect(value(parseInteger(input))).toBe(n);
  });

  it.each<CellValue>([
    '12.5',
    'abc',
    '10万',
    '1万次',
    12.5,
    '1.2.3',
    true,
  ])('parseInteger rejects %j', (input) => {
    expect(failure(parseInteger(input)).code).toBe('invalid_integer');
  });

  it('checks ranges (age 0–150, nps 0–10)', () => {
    expect(failure(parseInteger('200', { min: 0, max: 150 })).code).toBe('out_of_range');
    expect(failure(parseInteger(-1, { min: 0 })).code).toBe('out_of_range');
    expect(value(cleanValue('age', '35岁'))).toBe(35);
    expect(failure(cleanValue('age', '151')).code).toBe('out_of_range');
    expect(failure(cleanValue('nps', 11)).code).toBe('out_of_range');
    expect(value(cleanValue('count', '10次'))).toBe(10);
    expect(failure(cleanValue('count', '-1')).code).toBe('out_of_range');
  });

  it('parses decimal quantities', () => {
    expect(value(parseDecimal('2.5件'))).toBe(2.5);
    expect(value(parseDecimal('1,234.5'))).toBe(1234.5);
    expect(value(parseDecimal(-6))).toBe(-6);
    expect(value(parseDecimal(''))).toBeNull();
    expect(failure(parseDecimal('x1')).code).toBe('invalid_number');
  });
});

describe('parseDate', () => {
  const day = (input: CellValue) => value(parseDate(input))?.date;
  const time = (input: CellValue) => value(parseDate(input))?.time;

  it.each<[CellValue, string]>([
    ['2024-01-05', '2024-01-05'],
    ['2024/1/5', '2024-01-05'],
    ['2024.1.5', '2024-01-05'],
    ['2024年1月5日', '2024-01-05'],
    ['2024 年 1 月 5 日', '2024-01-05'],
    ['20240105', '2024-01-05'],
    [20240105, '2024-01-05'],
    ['２０２４－０１－０５', '2024-01-05'],
    ['2024-02-29', '2024-02-29'],
    [45296, '2024-01-05'],
    ['45296', '2024-01-05'],
  ])('%j → %s', (input, expected) => {
    expect(day(input)).toBe(expected);
  });

  it.each<[CellValue, string]>([
    ['2024-01-05 13:45', '2024-01-05 13:45:00'],
    ['2024-01-05 13:45:30', '2024-01-05 13:45:30'],
    ['2024/1/5 8:05:09', '2024-01-05 08:05:09'],
    ['2024-01-05T13:45:30', '2024-01-05 13:45:30'],
    ['2024年1月5日 13:45', '2024-01-05 13:45:00'],
    ['2024年1月5日13时45分30秒', '2024-01-05 13:45:30'],
    ['12/1/2010 8:26', '2010-12-01 08:26:00'],
    ['12/1/2010 8:26 PM', '2010-12-01 20:26:00'],
    ['12/1/2010 12:05 AM', '2010-12-01 00:05:00'],
    ['25/12/2010', '2010-12-25 00:00:00'],
    ['2010-12-01 08:26:00', '2010-12-01 08:26:00'],
    ['202401051345', '2024-01-05 13:45:00'],
    [45296.5, '2024-01-05 12:00:00'],
  ])('%j → %s', (input, expected) => {
    expect(time(input)).toBe(expected);
  });

  it('converts ISO instants with Z or an offset to the workspace zone', () => {
    expect(time('2024-01-05T13:45:00Z')).toBe('2024-01-05 21:45:00');
    expect(time('2024-01-05T20:00:00+08:00')).toBe('2024-01-05 20:00:00');
    expect(day('2024-01-05T20:00:00Z')).toBe('2024-01-06');
    expect(time('2024-01-05T13:45:00.123-0500')).toBe('2024-01-06 02:45:00');
    const ny = value(parseDate('2024-07-01T12:00:00Z', { timeZone: 'America/New_York' }));
    expect(ny?.time).toBe('2024-07-01 08:00:00');
    expect(ny?.instant).toBe('2024-07-01T12:00:00.000Z');
  });

  it('gives the UTC instant of a wall time in the workspace zone', () => {
    const d = value(parseDate('2024-01-05 08:00'));
    expect(d).toEqual({
      date: '2024-01-05',
      time: '2024-01-05 08:00:00',
      hasTime: true,
      instant: '2024-01-05T00:00:00.000Z',
    });
    expect(value(parseDate('2024-01-05'))?.hasTime).toBe(false);
    // 1988: China observed summer time, so the offset is +9 there.
    expect(value(parseDate('1988-06-01 12:00'))?.instant).toBe('1988-06-01T03:00:00.000Z');
    expect(value(parseDate('2024-03-10 12:00', { timeZone: 'America/New_York' }))?.instant).toBe(
      '2024-03-10T16:00:00.000Z',
    );
  });

  it('reads exceljs Dates by their UTC fields, as the wall time typed in Excel', () => {
    const d = value(parseDate(new Date(Date.UTC(2024, 0, 5, 13, 45, 30))));
    expect(d?.time).toBe('2024-01-05 13:45:30');
    expect(d?.instant).toBe('2024-01-05T05:45:30.000Z');
    expect(value(parseDate(new Date(Date.UTC(2024, 0, 5))))?.hasTime).toBe(false);
  });

  it.each<CellValue>([
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-01-05 24:00',
    '2024-01-05 12:60',
    '20240230',
    '13/13/2024',
    'yesterday',
    '2024-01',
    '1899-12-31',
    '2024-01-05+08:00',
    12345,
    99999,
    1234.5,
    new Date(Number.NaN),
    true,
  ])('rejects %j', (input) => {
    const f = failure(parseDate(input));
    expect(f.code).toBe('invalid_date');
    expect(f.reason.zh).toContain('日期');
  });

  it('treats empty as null and refuses an unknown zone as a configuration error', () => {
    expect(value(parseDate(''))).toBeNull();
    expect(() => parseDate('2024-01-05', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('keeps every valid calendar date through YYYY-MM-DD', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(day(iso)).toBe(iso);
          expect(day(iso.replace(/-/g, ''))).toBe(iso);
          const [y, m, dd] = iso.split('-').map(Number);
          expect(day(`${y}年${m}月${dd}日`)).toBe(iso);
        },
      ),
    );
  });
});

describe('parsePhone', () => {
  it.each<[CellValue, string]>([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['+86-13800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['（+86）13800138000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    [13800138000, '13800138000'],
    ['010-12345678', '01012345678'],
    ['(010) 1234 5678', '01012345678'],
    ['0755-87654321', '075587654321'],
    ['0571-8765432', '05718765432'],
    ['+86 10 12345678', '01012345678'],
    ['400-123-4567', '4001234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%j → %s', (input, expected) => {
    expect(value(parsePhone(input))).toBe(expected);
  });

  it.each<CellValue>([
    '1380013800',
    '138001380001',
    '12800138000',
    '12345678',
    '010-12345678转801',
    'abc',
    '+1234',
    '1.38E+10',
    '8612800138000',
    13800138000.5,
  ])('rejects %j', (input) => {
    const f = failure(parsePhone(input));
    expect(f.code).toBe('invalid_phone');
    expect(f.reason.zh).toContain('电话');
  });

  it('treats empty as null', () => {
    expect(value(parsePhone(' - '))).toBeNull();
  });
});

describe('parseEmail', () => {
  it.each<[CellValue, string]>([
    [' Zhang.San@Example.COM ', 'zhang.san@example.com'],
    ['ｌｉ＠ｑｑ．ｃｏｍ', 'li@qq.com'],
    ['wang@163。com', 'wang@163.com'],
    ['mailto:a+b@sub.example.cn', 'a+b@sub.example.cn'],
  ])('%j → %s', (input, expected) => {
    expect(value(parseEmail(input))).toBe(expected);
  });

  it.each<CellValue>([
    'zhang',
    'a@b',
    '@example.com',
    'a@@b.com',
    'a..b@c.com',
    'a b@c.com',
    'a@-b.com',
    'a@b.c',
    42,
  ])('rejects %j', (input) => {
    expect(failure(parseEmail(input)).code).toBe('invalid_email');
  });
});

describe('parseCode', () => {
  it.each<[CellValue, string]>([
    ['17850.0', '17850'],
    ['17850.00', '17850'],
    ['1.785E+4', '17850'],
    ['1.785e4', '17850'],
    [17850, '17850'],
    ['  C0001 ', 'C0001'],
    ['Ｃ０００１', 'C0001'],
    ['00123', '00123'],
    ['="00123"', '00123'],
    ["'00123", '00123'],
    ['1.5E+3', '1500'],
    [12345.5, '12345.5'],
  ])('%j → %s', (input, expected) => {
    expect(value(parseCode(input))).toBe(expected);
  });

  it('rejects codes Excel already truncated to scientific notation', () => {
    const f = failure(parseCode('1.23457E+11'));
    expect(f.code).toBe('invalid_code');
    expect(f.reason.zh).toContain('科学计数法');
    expect(failure(parseCode('1.785E+2')).code).toBe('invalid_code');
    expect(failure(parseCode(2 ** 60)).code).toBe('invalid_code');
    expect(failure(parseCode('x'.repeat(65))).code).toBe('invalid_code');
  });

  it('treats empty as null', () => {
    expect(value(parseCode(' '))).toBeNull();
    expect(value(parseCode('=""'))).toBeNull();
  });
});

describe('vocabularies', () => {
  it.each<[CellValue, string | null]>([
    ['男', 'male'],
    ['女', 'female'],
    ['M', 'male'],
    ['f', 'female'],
    ['Male', 'male'],
    ['FEMALE', 'female'],
    ['男性', 'male'],
    ['女性', 'female'],
    ['先生', 'male'],
    ['女士', 'female'],
    [' 男 ', 'male'],
    ['未知', null],
    ['保密', null],
    ['其他', null],
    ['U', null],
    ['', null],
  ])('gender %j → %s', (input, expected) => {
    expect(value(parseGender(input))).toBe(expected);
  });

  it('rejects unrecognised genders, including ambiguous numeric codes', () => {
    for (const input of ['1', '0', 'xyz', 2]) expect(failure(parseGender(input)).code).toBe('invalid_gender');
  });

  it('maps kinds, channels, directions and statuses', () => {
    expect(value(parseCustomerKind('企业'))).toBe('company');
    expect(value(parseCustomerKind('个人'))).toBe('individual');
    expect(failure(parseCustomerKind('大客户')).code).toBe('invalid_choice');
    expect(value(parseInteractionChannel('微信'))).toBe('wechat');
    expect(value(parseInteractionChannel('电话'))).toBe('phone');
    expect(value(parseInteractionChannel('上门拜访'))).toBe('visit');
    expect(value(parseInteractionChannel('飞鸽传书'))).toBe('other');
    expect(value(parseInteractionDirection('呼出'))).toBe('outbound');
    expect(value(parseInteractionDirection('来电'))).toBe('inbound');
    expect(value(parseFeedbackKind('投诉'))).toBe('complaint');
    expect(value(parseFeedbackKind('表扬'))).toBe('praise');
    expect(value(parseFeedbackKind('别的'))).toBe('other');
    expect(value(parseFeedbackStatus('已处理'))).toBe('handled');
    expect(value(parseFeedbackStatus('待处理'))).toBe('open');
    expect(failure(parseFeedbackStatus('也许')).code).toBe('invalid_choice');
  });

  it('reads satisfaction as numbers, stars or words', () => {
    expect(value(parseSatisfaction('4'))).toBe(4);
    expect(value(parseSatisfaction('4分'))).toBe(4);
    expect(value(parseSatisfaction('★★★★☆'))).toBe(4);
    expect(value(parseSatisfaction('非常满意'))).toBe(5);
    expect(value(parseSatisfaction('一般'))).toBe(3);
    expect(failure(parseSatisfaction('6')).code).toBe('out_of_range');
    expect(failure(parseSatisfaction(0)).code).toBe('out_of_range');
  });
});

describe('cleanValue', () => {
  it('dispatches by cleaner kind', () => {
    expect(value(cleanValue('money', '¥12.50'))).toBe(1250);
    expect(value(cleanValue('code', '17850.0'))).toBe('17850');
    expect(value(cleanValue('date', '2024/1/5'))?.date).toBe('2024-01-05');
    expect(value(cleanValue('date', '2024-01-05T00:00:00Z', { timeZone: 'UTC' }))?.date).toBe('2024-01-05');
    expect(value(cleanValue('phone', '+86 138 0013 8000'))).toBe('13800138000');
    expect(value(cleanValue('gender', '女'))).toBe('female');
    expect(value(cleanValue('text', '　Ａ　'))).toBe('A');
  });
});
