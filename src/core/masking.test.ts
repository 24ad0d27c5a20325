import { describe, expect, it } from 'vitest';
import { asciiDigits, maskAddress, maskEmail, maskPhone } from './masking.ts';

describe('maskPhone keeps the first three and the last four digits, however the number is written', () => {
  const cases: [string, string, string][] = [
    ['plain mobile', '13800001111', '138****1111'],
    ['hyphens', '138-0000-1111', '138****1111'],
    ['spaces', '138 0000 1111', '138****1111'],
    ['dots', '138.0000.1111', '138****1111'],
    ['brackets', '(138)0000-1111', '138****1111'],
    ['full-width digits', '１３８００００１１１１', '138****1111'],
    ['full-width digits and hyphen', '１３８－００００－１１１１', '138****1111'],
    ['+86 and separators', '+86 138-0000-1111', '861******1111'],
    ['landline with area code', '010-65528888', '010****8888'],
    ['landline with bracketed area code', '(0755) 8888 9999', '075*****9999'],
    ['full-width landline', '（０１０）６５５２８８８８', '010****8888'],
    ['seven digits: nothing between the kept ends', '6552888', '6552888'],
  ];
  it.each(cases)('%s: %s → %s', (_name, phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('hides short numbers entirely and passes null through', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone('１２３')).toBe('***');
    expect(maskPhone('')).toBe('');
    expect(maskPhone(null)).toBeNull();
  });

  it('never lets more than seven digits of a number through', () => {
    for (const phone of ['13800001111', '+86 138 0000 1111', '１３８００００１１１１', '(0755) 8888 9999']) {
      const shown = maskPhone(phone) ?? '';
      expect(shown.replace(/\D/g, '').length, phone).toBe(7);
    }
  });
});

describe('maskEmail', () => {
  it.each([
    ['zhang@example.com', 'z***@example.com'],
    ['zhang＠example.com', 'z***＠example.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['@example.com', '***'],
    ['no-at-sign', '***'],
  ])('%s → %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
  it('passes null through', () => expect(maskEmail(null)).toBeNull());
});

describe('maskAddress keeps province and city only', () => {
  it.each([
    ['北京市朝阳区建国路88号', '北京市朝阳区***'],
    ['北京市朝阳区', '***'],
    ['', '***'],
  ])('%s → %s', (address, masked) => expect(maskAddress(address)).toBe(masked));
  it('passes null through', () => expect(maskAddress(null)).toBeNull());
});

describe('asciiDigits', () => {
  it('maps every full-width digit and nothing else', () => {
    expect(asciiDigits('０１２３４５６７８９')).toBe('0123456789');
    expect(asciiDigits('电话：１３８，ｘ＠')).toBe('电话：138，ｘ＠');
  });
});
