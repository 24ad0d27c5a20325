import { describe, expect, it } from 'vitest';
import {
  applyExplicitMapping,
  fieldForHeader,
  IMPORT_ENTITIES,
  normaliseHeader,
  REQUIRED_FIELDS,
  suggestMapping,
  TARGET_FIELDS,
} from './header-mapping.ts';

const UCI_HEADERS = [
  'InvoiceNo',
  'StockCode',
  'Description',
  'Quantity',
  'InvoiceDate',
  'UnitPrice',
  'CustomerID',
  'Country',
];
const SEED_HEADERS = [
  '客户编号',
  '姓名',
  '性别',
  '年龄',
  '联系方式',
  '累计消费金额',
  '累计消费次数',
  '平均消费金额',
];

describe('normaliseHeader', () => {
  it('ignores case, spacing, underscores, punctuation and full-width forms', () => {
    expect(normaliseHeader(' Customer_ID ')).toBe('customerid');
    expect(normaliseHeader('Customer-Id')).toBe('customerid');
    expect(normaliseHeader('ＣｕｓｔｏｍｅｒＩＤ')).toBe('customerid');
    expect(normaliseHeader('*客户编号')).toBe('客户编号');
    expect(normaliseHeader('客户 编号：')).toBe('客户编号');
  });
});

describe('target field definitions', () => {
  it('have synonyms that name exactly one field within each entity', () => {
    for (const entity of IMPORT_ENTITIES) {
      const owner = new Map<string, string>();
      for (const f of TARGET_FIELDS[entity]) {
        for (const synonym of f.synonyms) {
          const key = normaliseHeader(synonym);
          expect(key, `${entity}.${f.key}: "${synonym}"`).not.toBe('');
          const previous = owner.get(key);
          expect(
            previous === undefined || previous === f.key,
            `${entity}: "${synonym}" → ${previous} and ${f.key}`,
          ).toBe(true);
          owner.set(key, f.key);
        }
      }
    }
  });

  it('require only fields that exist', () => {
    for (const entity of IMPORT_ENTITIES) {
      const keys = new Set(TARGET_FIELDS[entity].map((f) => f.key));
      for (const rule of REQUIRED_FIELDS[entity])
        for (const set of rule) for (const k of set) expect(keys).toContain(k);
    }
  });
});

describe('suggestMapping', () => {
  it('maps the UCI Online Retail headers for orders', () => {
    const result = suggestMapping('orders', UCI_HEADERS);
    expect(result.mapping).toEqual({
      order_no: 0,
      product_code: 1,
      product: 2,
      quantity: 3,
      date: 4,
      unit_price: 5,
      customer_code: 6,
      country: 7,
    });
    expect(result.unmatched).toEqual([]);
    // No amount column, but quantity × unit price satisfies the amount rule.
    expect(result.missingRequired).toEqual([]);
    expect(result.missing).toEqual([]);
  });

  it('maps the seed template headers for customers', () => {
    const result = suggestMapping('customers', SEED_HEADERS);
    expect(result.mapping).toEqual({
      code: 0,
      name: 1,
      gender: 2,
      age: 3,
      phone: 4,
      opening_amount: 5,
      opening_order_count: 6,
      opening_avg_amount: 7,
    });
    expect(result.unmatched).toEqual([]);
    expect(result.missingRequired).toEqual([]);
  });

  it('maps more Chinese and English customer headers', () => {
    const result = suggestMapping('customers', [
      '会员号',
      '客户名称',
      '手机号',
      '电子邮件',
      '地区',
      '省份',
      '城市',
      '行业',
      '企业规模',
      '客户类型',
      '来源渠道',
      '消费频次',
      '首次消费时间',
      '最近消费时间',
      '消费偏好',
      '生日',
      '地址',
      'Country',
      '备注',
    ]);
    expect(result.mapping).toMatchObject({
      code: 0,
      name: 1,
      phone: 2,
      email: 3,
      region: 4,
      province: 5,
      city: 6,
      industry: 7,
      company_size: 8,
      kind: 9,
      source: 10,
      opening_order_count: 11,
      opening_first_date: 12,
      opening_last_date: 13,
      preference: 14,
      birth_date: 15,
      address: 16,
      country: 17,
    });
    expect(result.unmatched).toEqual(['备注']);
  });

  it('matches English headers in any case and spacing', () => {
    const result = suggestMapping('customers', ['Customer Code', 'NAME', 'e-mail', 'Mobile', 'customer_id']);
    expect(result.mapping).toEqual({ code: 0, name: 1, email: 2, phone: 3 });
    // A second header for an already mapped field stays unmatched: the first one wins.
    expect(result.unmatched).toEqual(['customer_id']);
  });

  it('reads past bracketed remarks and required-field stars', () => {
    const result = suggestMapping('orders', [
      '*客户编号',
      '消费金额(元)',
      '消费时间（yyyy-mm-dd）',
      '单价【元】',
    ]);
    expect(result.mapping).toEqual({ customer_code: 0, amount: 1, date: 2, unit_price: 3 });
  });

  it('reports missing required fields, with the either/or rule of orders', () => {
    const none = suggestMapping('orders', ['客户编号', '日期']);
    expect(none.missingRequired).toEqual(['amount']);
    expect(none.missing).toHaveLength(1);
    expect(none.missing[0].anyOf).toEqual([['amount'], ['quantity', 'unit_price']]);
    expect(none.missing[0].message.zh).toContain('“消费金额”，或“数量”与“单价”');
    expect(none.missing[0].message.en).toContain('"Amount", or "Quantity" and "Unit price"');

    expect(suggestMapping('orders', ['客户编号', '日期', '数量']).missingRequired).toEqual(['amount']);
    expect(suggestMapping('orders', ['客户编号', '日期', '金额']).missingRequired).toEqual([]);
    expect(suggestMapping('customers', ['姓名']).missingRequired).toEqual(['code']);
    expect(suggestMapping('interactions', ['主题']).missingRequired).toEqual(['customer_code', 'date']);
  });

  it('maps interactions and feedback headers', () => {
    expect(
      suggestMapping('interactions', ['客户编号', '互动时间', '方式', '主题', '客户需求', '解决方案', '结果'])
        .mapping,
    ).toEqual({ customer_code: 0, date: 1, channel: 2, subject: 3, request: 4, solution: 5, outcome: 6 });
    const feedback = suggestMapping('feedback', [
      '客户ID',
      '日期',
      '满意度',
      '推荐意愿',
      '意见',
      '建议',
      '类型',
      'NPS',
    ]);
    expect(feedback.mapping).toEqual({
      customer_code: 0,
      date: 1,
      satisfaction: 2,
      nps: 3,
      comment: 4,
      suggestion: 5,
      kind: 6,
    });
    expect(feedback.unmatched).toEqual(['NPS']);
    expect(fieldForHeader('feedback', '类型')).toBe('kind');
    expect(fieldForHeader('orders', 'Invoice Date')).toBe('date');
    expect(fieldForHeader('orders', '不存在的列')).toBeNull();
  });
});

describe('applyExplicitMapping', () => {
  it('overrides the automatic mapping and moves a header to its new field', () => {
    const applied = applyExplicitMapping({
      entity: 'orders',
      headers: UCI_HEADERS,
      explicit: { product: 'StockCode', customer_code: 'customer id' },
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
    expect(applied.result.mapping.product).toBe(1);
    expect(applied.result.mapping.product_code).toBeUndefined();
    expect(applied.result.mapping.customer_code).toBe(6);
    expect(applied.result.unmatched).toEqual(['Description']);
  });

  it('maps a header-less file (column1…N) entirely by hand', () => {
    const headers = ['column1', 'column2', 'column3', 'column4', 'column5'];
    const applied = applyExplicitMapping({
      entity: 'orders',
      headers,
      explicit: { customer_code: 'column1', date: 'column3', quantity: 'column4', amount: 'column5' },
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
    expect(applied.result.mapping).toEqual({ customer_code: 0, date: 2, quantity: 3, amount: 4 });
    expect(applied.result.unmatched).toEqual(['column2']);
    expect(applied.result.missingRequired).toEqual([]);
  });

  it('removes a field when its value is null or empty, and can then report it missing', () => {
    const applied = applyExplicitMapping({
      entity: 'customers',
      headers: SEED_HEADERS,
      explicit: { code: null, age: '' },
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
    expect(applied.result.mapping.code).toBeUndefined();
    expect(applied.result.mapping.age).toBeUndefined();
    expect(applied.result.missingRequired).toEqual(['code']);
    expect(applied.result.unmatched).toEqual(['客户编号', '年龄']);
  });

  it('reports every unknown field and absent header, bilingually', () => {
    const applied = applyExplicitMapping({
      entity: 'customers',
      headers: SEED_HEADERS,
      explicit: { nickname: '姓名', phone: '电话号码', email: 3, name: '性别', gender: '性别' },
    });
    expect(applied.ok).toBe(false);
    if (applied.ok) return;
    expect(applied.errors.map((e) => [e.code, e.field])).toEqual([
      ['unknown_field', 'nickname'],
      ['unknown_header', 'phone'],
      ['invalid_mapping', 'email'],
      ['header_used_twice', 'gender'],
    ]);
    expect(applied.errors[1].message.zh).toContain('电话号码');
    expect(applied.errors[1].message.en).toContain('has no header "电话号码"');
  });

  it('rejects a mapping that is not an object', () => {
    for (const explicit of [null, 'code=会员号', ['code'], 42]) {
      const applied = applyExplicitMapping({ entity: 'customers', headers: SEED_HEADERS, explicit });
      expect(applied.ok).toBe(false);
      if (!applied.ok) expect(applied.errors[0].code).toBe('invalid_mapping');
    }
  });
});
