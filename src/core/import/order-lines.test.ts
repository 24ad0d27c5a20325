import { describe, expect, it } from 'vitest';
import { type LineError, OrderLineCleaner } from './order-lines.ts';

const headers = ['订单号', '客户编号', '下单时间', '金额', '数量', '单价', '类别', '状态'];
const cleaner = new OrderLineCleaner({
  columns: {
    order_no: 0,
    customer_code: 1,
    date: 2,
    amount: 3,
    quantity: 4,
    unit_price: 5,
    category: 6,
    status: 7,
  },
  headers,
  timeZone: 'Asia/Shanghai',
});

function clean(cells: (string | number | Date | null)[]) {
  const errors: LineError[] = [];
  const line = cleaner.clean(7, cells, errors);
  return { line: line && { ...line }, errors };
}

describe('OrderLineCleaner', () => {
  it('cleans a plain machine-written line', () => {
    expect(clean(['O1', 'B0000001', '2021-09-03 22:20:31', '286.65', null, null, '运动', null])).toEqual({
      line: {
        row: 7,
        customerCode: 'B0000001',
        orderNo: 'O1',
        orderedAt: '2021-09-03 22:20:31',
        orderDate: '2021-09-03',
        amount: 28665,
        cost: null,
        quantity: null,
        product: null,
        category: '运动',
        channel: null,
        status: 'completed',
      },
      errors: [],
    });
  });

  it('cleans what spreadsheets write: ¥, full-width digits, Chinese dates, Excel numbers', () => {
    const { line } = clean([
      'A1',
      17850,
      '2024年1月5日',
      null,
      '２',
      '"¥1,299.50"'.slice(1, -1),
      ' 服装 ',
      '已完成',
    ]);
    expect(line).toMatchObject({
      customerCode: '17850',
      orderedAt: '2024-01-05 00:00:00',
      amount: 259_900,
      quantity: 2,
      category: '服装',
      status: 'completed',
    });
    const excel = clean(['A2', '1001', new Date(Date.UTC(2024, 0, 5, 13, 45)), 12.5, null, null, null, null]);
    expect(excel.line).toMatchObject({ orderedAt: '2024-01-05 13:45:00', amount: 1250 });
  });

  it('makes a cancellation invoice a return', () => {
    expect(clean(['C536379', '1', '2024-01-05', '10', null, null, null, null]).line?.amount).toBe(-1000);
    expect(clean(['CX1', '1', '2024-01-05', '10', null, null, null, null]).line?.amount).toBe(1000);
  });

  it('reports every bad cell of a row, in column order, with its header and value', () => {
    const { line, errors } = clean(['O1', null, '2024-02-30', 'abc', null, null, null, null]);
    expect(line).toBeNull();
    expect(errors.map((e) => [e.row, e.column, e.value, e.reason.en.slice(0, 20)])).toEqual([
      [7, '客户编号', null, 'required value is em'],
      [7, '下单时间', '2024-02-30', '"2024-02-30" is not '],
      [7, '金额', 'abc', '"abc" is not an amou'],
    ]);
  });

  it('needs an amount or a unit price and a quantity', () => {
    expect(clean(['O1', 'B1', '2024-01-05', null, null, '3', null, null]).errors[0]).toMatchObject({
      column: '金额',
      reason: { en: 'amount (or unit price and quantity) is missing' },
    });
  });

  it('reads statuses in both languages and refuses others', () => {
    expect(clean(['O1', 'B1', '2024-01-05', '1', null, null, null, '已取消']).line?.status).toBe('cancelled');
    expect(clean(['O1', 'B1', '2024-01-05', '1', null, null, null, 'PAID']).line?.status).toBe('completed');
    expect(clean(['O1', 'B1', '2024-01-05', '1', null, null, null, 'constructor']).errors[0]).toMatchObject({
      column: '状态',
      value: 'constructor',
    });
  });

  it('refuses a bad time zone before any row', () => {
    expect(() => new OrderLineCleaner({ columns: {}, headers: [], timeZone: 'Mars/Olympus' })).toThrow(
      RangeError,
    );
  });
});
