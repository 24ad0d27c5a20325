/**
 * One order line of an import file, cleaned and checked (docs/import.md): the cells of
 * the order fields go through the cleaners of clean.ts — through the shortcuts of
 * fast-clean.ts when a cell has one of their plain shapes — and every problem becomes a
 * row error with row, column and reason. Pure, and built for millions of rows: one
 * cleaner per file, one reused line object, nothing allocated for a valid cell.
 */
import { type CellValue, type CleanDate, type CleanerKind, cleanValue, parseDate } from './clean.ts';
import { fastCode, fastDecimal, fastMoney, fastText, fastWallTime } from './fast-clean.ts';

export type OrderStatus = 'completed' | 'cancelled' | 'pending';

/** One problem with one row, in both languages. */
export type LineError = {
  row: number;
  column: string | null;
  value: string | null;
  reason: { zh: string; en: string };
};

/** A cleaned line. The cleaner reuses one object: copy what you keep. */
export type OrderLine = {
  row: number;
  customerCode: string;
  orderNo: string | null;
  /** wall time, `YYYY-MM-DD HH:MM:SS` */
  orderedAt: string;
  /** `YYYY-MM-DD` */
  orderDate: string;
  /** fen, negative for a return */
  amount: number;
  cost: number | null;
  quantity: number | null;
  product: string | null;
  category: string | null;
  channel: string | null;
  status: OrderStatus;
};

/** The order fields a file may map, in the order their cells are checked. */
export const ORDER_LINE_FIELDS = [
  'customer_code',
  'date',
  'order_no',
  'quantity',
  'unit_price',
  'amount',
  'cost',
  'product',
  'category',
  'channel',
  'status',
] as const;

export type OrderLineField = (typeof ORDER_LINE_FIELDS)[number];

const STATUS = new Map<string, OrderStatus>([
  ['completed', 'completed'],
  ['complete', 'completed'],
  ['已完成', 'completed'],
  ['完成', 'completed'],
  ['成功', 'completed'],
  ['交易成功', 'completed'],
  ['已支付', 'completed'],
  ['paid', 'completed'],
  ['cancelled', 'cancelled'],
  ['canceled', 'cancelled'],
  ['取消', 'cancelled'],
  ['已取消', 'cancelled'],
  ['交易关闭', 'cancelled'],
  ['pending', 'pending'],
  ['待付款', 'pending'],
  ['未支付', 'pending'],
]);

/** A cell that failed: the cleaners' sentinel, distinct from every value. */
const INVALID = Symbol('invalid');

type Column = { index: number; header: string } | undefined;

/** A line to fill field by field and reuse for every row (cleaners and batchers copy what they keep). */
export function emptyOrderLine(): OrderLine {
  return {
    row: 0,
    customerCode: '',
    orderNo: null,
    orderedAt: '',
    orderDate: '',
    amount: 0,
    cost: null,
    quantity: null,
    product: null,
    category: null,
    channel: null,
    status: 'completed',
  };
}

/**
 * Cleans the order lines of one file: `new OrderLineCleaner({ columns, headers, timeZone })`,
 * then `clean(row, cells, errors)` per row — the line, or null with the row's errors
 * pushed onto `errors`.
 */
export class OrderLineCleaner {
  private readonly timeZone: string;
  private readonly line: OrderLine = emptyOrderLine();
  private readonly customerCode: Column;
  private readonly date: Column;
  private readonly orderNo: Column;
  private readonly quantity: Column;
  private readonly unitPrice: Column;
  private readonly amount: Column;
  private readonly cost: Column;
  private readonly product: Column;
  private readonly category: Column;
  private readonly channel: Column;
  private readonly status: Column;

  /** `columns`: field → index into the row's cells (absent when the file has no such column). */
  constructor(options: {
    columns: Partial<Record<OrderLineField, number>>;
    headers: readonly string[];
    timeZone: string;
  }) {
    // A bad zone is a configuration error: parseDate throws for it before any row.
    parseDate(null, { timeZone: options.timeZone });
    this.timeZone = options.timeZone;
    const column = (field: OrderLineField): Column => {
      const index = options.columns[field];
      return index === undefined ? undefined : { index, header: options.headers[index] };
    };
    this.customerCode = column('customer_code');
    this.date = column('date');
    this.orderNo = column('order_no');
    this.quantity = column('quantity');
    this.unitPrice = column('unit_price');
    this.amount = column('amount');
    this.cost = column('cost');
    this.product = column('product');
    this.category = column('category');
    this.channel = column('channel');
    this.status = column('status');
  }

  clean(row: number, cells: readonly CellValue[], errors: LineError[]): OrderLine | null {
    const customerCode = this.required(this.code(cells, this.customerCode, { row, errors }), {
      row,
      errors,
      column: this.customerCode,
      field: 'customer_code',
    });
    const when = this.required(this.when(cells, this.date, { row, errors }), {
      row,
      errors,
      column: this.date,
      field: 'date',
    });
    const orderNo = this.code(cells, this.orderNo, { row, errors });
    const quantity = this.decimal(cells, this.quantity, { row, errors });
    const unitPrice = this.money(cells, this.unitPrice, { row, errors });
    const amountCell = this.money(cells, this.amount, { row, errors });
    const cost = this.money(cells, this.cost, { row, errors });
    const product = this.text(cells, this.product, { row, errors });
    const category = this.text(cells, this.category, { row, errors });
    const channel = this.text(cells, this.channel, { row, errors });
    const statusText = this.text(cells, this.status, { row, errors });
    if (
      customerCode === INVALID ||
      when === INVALID ||
      orderNo === INVALID ||
      quantity === INVALID ||
      unitPrice === INVALID ||
      amountCell === INVALID ||
      cost === INVALID ||
      product === INVALID ||
      category === INVALID ||
      channel === INVALID ||
      statusText === INVALID
    ) {
      return null;
    }
    let amount: number;
    if (typeof amountCell === 'number') amount = amountCell;
    else if (typeof unitPrice === 'number' && typeof quantity === 'number')
      amount = Math.round(unitPrice * quantity);
    else {
      errors.push({
        row,
        column: this.amount?.header ?? this.unitPrice?.header ?? null,
        value: null,
        reason: { zh: '缺少消费金额（或单价与数量）', en: 'amount (or unit price and quantity) is missing' },
      });
      return null;
    }
    // A cancellation invoice (e.g. "C536379" in retail exports) is a return of goods.
    if (orderNo && amount > 0 && isCancellation(orderNo)) amount = -amount;
    let status: OrderStatus = 'completed';
    if (statusText) {
      const mapped = STATUS.get(statusText.toLowerCase());
      if (!mapped) {
        errors.push({
          row,
          column: this.status?.header ?? null,
          value: statusText,
          reason: {
            zh: '无法识别的订单状态（可用：已完成、已取消、待付款）',
            en: 'unknown order status (use completed, cancelled or pending)',
          },
        });
        return null;
      }
      status = mapped;
    }
    const line = this.line;
    line.row = row;
    line.customerCode = customerCode;
    line.orderNo = orderNo ?? null;
    line.orderedAt = when.time;
    line.orderDate = when.date;
    line.amount = amount;
    line.cost = typeof cost === 'number' ? cost : null;
    line.quantity = typeof quantity === 'number' ? quantity : null;
    line.product = product ?? null;
    line.category = category ?? null;
    line.channel = channel ?? null;
    line.status = status;
    return line;
  }

  /** A required field's value, or INVALID after pushing the error for its absence. */
  private required<T>(
    value: T | null | undefined | typeof INVALID,
    at: At & { column: Column; field: OrderLineField },
  ): T | typeof INVALID {
    if (value !== null && value !== undefined) return value;
    at.errors.push({
      row: at.row,
      column: at.column?.header ?? at.field,
      value: null,
      reason:
        value === null
          ? { zh: '必填项为空', en: 'required value is empty' }
          : { zh: '缺少必填列', en: 'required column is missing' },
    });
    return INVALID;
  }

  // Each reader below gives the cell's value, null for an empty cell, undefined when the
  // file has no such column, or INVALID after pushing the cell's error.

  private code(
    cells: readonly CellValue[],
    column: Column,
    at: At,
  ): string | null | undefined | typeof INVALID {
    if (column === undefined) return undefined;
    const raw = cells[column.index] ?? null;
    if (typeof raw === 'string') {
      const fast = fastCode(raw);
      if (fast !== undefined) return fast;
    }
    return this.slow('code', raw, column, at) as string | null | typeof INVALID;
  }

  private when(
    cells: readonly CellValue[],
    column: Column,
    at: At,
  ): { time: string; date: string } | null | undefined | typeof INVALID {
    if (column === undefined) return undefined;
    const raw = cells[column.index] ?? null;
    if (typeof raw === 'string') {
      const fast = fastWallTime(raw);
      if (fast !== undefined) return fast;
    }
    return this.slow('date', raw, column, at) as CleanDate | null | typeof INVALID;
  }

  private money(
    cells: readonly CellValue[],
    column: Column,
    at: At,
  ): number | null | undefined | typeof INVALID {
    if (column === undefined) return undefined;
    const raw = cells[column.index] ?? null;
    if (typeof raw === 'string') {
      const fast = fastMoney(raw);
      if (fast !== undefined) return fast;
    }
    return this.slow('money', raw, column, at) as number | null | typeof INVALID;
  }

  private decimal(
    cells: readonly CellValue[],
    column: Column,
    at: At,
  ): number | null | undefined | typeof INVALID {
    if (column === undefined) return undefined;
    const raw = cells[column.index] ?? null;
    if (typeof raw === 'string') {
      const fast = fastDecimal(raw);
      if (fast !== undefined) return fast;
    }
    return this.slow('decimal', raw, column, at) as number | null | typeof INVALID;
  }

  private text(
    cells: readonly CellValue[],
    column: Column,
    at: At,
  ): string | null | undefined | typeof INVALID {
    if (column === undefined) return undefined;
    const raw = cells[column.index] ?? null;
    if (typeof raw === 'string') {
      const fast = fastText(raw);
      if (fast !== undefined) return fast;
    }
    return this.slow('text', raw, column, at) as string | null | typeof INVALID;
  }

  /** The full cleaner, recording its failure as the row's error. */
  private slow(kind: CleanerKind, raw: CellValue, column: NonNullable<Column>, at: At): unknown {
    const result = cleanValue(kind, raw, { timeZone: this.timeZone });
    if (result.ok) return result.value;
    at.errors.push({
      row: at.row,
      column: column.header,
      value: displayValue(raw),
      reason: result.reason,
    });
    return INVALID;
  }
}

type At = { row: number; errors: LineError[] };

/** `C536379`: an invoice number that cancels an earlier one. */
function isCancellation(orderNo: string): boolean {
  const first = orderNo.charCodeAt(0);
  const second = orderNo.charCodeAt(1);
  return (first === 67 || first === 99) && second >= 48 && second <= 57;
}

function displayValue(raw: CellValue): string | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw.toISOString();
  return String(raw);
}
