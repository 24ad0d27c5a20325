/**
 * Orders assembled from cleaned order lines and handed on in columnar batches — arrays
 * per field rather than an object per order, so a batch moves between threads as a few
 * arrays and its rows can be bound to statements without building objects.
 */
import type { LineError, OrderLine, OrderStatus } from './order-lines.ts';

/**
 * A text column with few distinct values (dates, categories, channels, statuses): each
 * value once in `words`, each order an index into it — far fewer strings to copy between
 * threads and to collect afterwards.
 */
export type WordColumn<T extends string | null = string | null> = { words: T[]; codes: Int32Array };

/** The value of order `i` in a word column. */
export function wordAt<T extends string | null>(column: WordColumn<T>, i: number): T {
  return column.words[column.codes[i]];
}

/** Orders in columns; index i of every array is order i. */
export type OrderBatch = {
  /** orders in the batch */
  size: number;
  /** data rows of the file read for this batch (valid or not) */
  rows: number;
  /** the distinct customer codes of the batch */
  codes: string[];
  /** per order: index into `codes` */
  customer: Int32Array;
  externalId: string[];
  orderedAt: string[];
  orderDate: WordColumn<string>;
  /** fen */
  amount: Float64Array;
  /** fen, NaN for none */
  cost: Float64Array;
  /** NaN for none */
  quantity: Float64Array;
  product: WordColumn;
  category: WordColumn;
  channel: WordColumn;
  status: WordColumn<OrderStatus>;
  /** row errors of the rows read for this batch */
  errors: LineError[];
};

/** The typed arrays of a batch, whose buffers can move to another thread instead of being copied. */
export function batchBuffers(batch: OrderBatch): ArrayBuffer[] {
  return [
    batch.customer.buffer,
    batch.amount.buffer,
    batch.cost.buffer,
    batch.quantity.buffer,
  ] as ArrayBuffer[];
}

/** A number column's value: NaN stands for none. */
export function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/**
 * Turns order lines into orders: consecutive lines with the same customer and order
 * number are one order (amounts, costs and quantities summed, the first product and
 * category kept). A line without an order number is an order of its own, identified by
 * a hash of its content and how often that content occurred for the customer, so the
 * same file always yields the same ids.
 *
 * `add` each line, `flush` at the end; full batches go to `emit`.
 */
export class OrderBatcher {
  private batch: OrderBatch;
  private words = new BatchWords();
  private codeIndex = new Map<string, number>();
  private lastCode = '';
  private lastCodeIndex = -1;
  private rowsSince = 0;
  private errorsSince: LineError[] = [];
  private open = false;
  private readonly current = {
    customerCode: '',
    orderNo: null as string | null,
    externalId: '',
    orderedAt: '',
    orderDate: '',
    amount: 0,
    cost: null as number | null,
    quantity: null as number | null,
    product: null as string | null,
    category: null as string | null,
    channel: null as string | null,
    status: 'completed' as OrderStatus,
  };
  private occurrenceCustomer = '';
  private readonly occurrences = new Map<string, number>();

  constructor(
    private readonly options: {
      /** orders per batch */
      capacity: number;
      /** a short, stable digest of a line's content */
      hash: (content: string) => string;
      emit: (batch: OrderBatch) => void;
    },
  ) {
    this.batch = emptyBatch(options.capacity);
  }

  /** Counts a file row that was read (valid or not) toward the current batch. */
  countRow(): void {
    this.rowsSince++;
  }

  /** Errors of rows read toward the current batch. */
  get errors(): LineError[] {
    return this.errorsSince;
  }

  add(line: OrderLine): void {
    const c = this.current;
    if (
      this.open &&
      line.orderNo !== null &&
      line.orderNo === c.orderNo &&
      line.customerCode === c.customerCode
    ) {
      c.amount += line.amount;
      c.cost = c.cost === null && line.cost === null ? null : (c.cost ?? 0) + (line.cost ?? 0);
      c.quantity =
        c.quantity === null && line.quantity === null ? null : (c.quantity ?? 0) + (line.quantity ?? 0);
      c.product ??= line.product;
      c.category ??= line.category;
      return;
    }
    if (this.open) this.push();
    c.customerCode = line.customerCode;
    c.orderNo = line.orderNo;
    c.externalId = line.orderNo ?? this.contentId(line);
    c.orderedAt = line.orderedAt;
    c.orderDate = line.orderDate;
    c.amount = line.amount;
    c.cost = line.cost;
    c.quantity = line.quantity;
    c.product = line.product;
    c.category = line.category;
    c.channel = line.channel;
    c.status = line.status;
    this.open = true;
  }

  /** Emits what is left: the order being assembled and the last batch, if not empty. */
  flush(): void {
    if (this.open) this.push();
    this.open = false;
    if (this.batch.size > 0 || this.rowsSince > 0 || this.errorsSince.length > 0) this.emitBatch();
  }

  private contentId(line: OrderLine): string {
    if (line.customerCode !== this.occurrenceCustomer) {
      this.occurrences.clear();
      this.occurrenceCustomer = line.customerCode;
    }
    const content = `${line.customerCode}|${line.orderedAt}|${line.amount}|${line.quantity ?? ''}|${line.product ?? ''}`;
    const n = (this.occurrences.get(content) ?? 0) + 1;
    this.occurrences.set(content, n);
    return `h:${this.options.hash(content)}:${n}`;
  }

  private push(): void {
    const c = this.current;
    const b = this.batch;
    const i = b.size;
    let code = this.lastCodeIndex;
    if (c.customerCode !== this.lastCode || code === -1) {
      const known = this.codeIndex.get(c.customerCode);
      if (known === undefined) {
        code = b.codes.length;
        b.codes.push(c.customerCode);
        this.codeIndex.set(c.customerCode, code);
      } else {
        code = known;
      }
      this.lastCode = c.customerCode;
      this.lastCodeIndex = code;
    }
    b.customer[i] = code;
    b.externalId.push(c.externalId);
    b.orderedAt.push(c.orderedAt);
    const w = this.words;
    b.orderDate.codes[i] = w.code(w.orderDate, b.orderDate.words, c.orderDate);
    b.amount[i] = c.amount;
    b.cost[i] = c.cost ?? Number.NaN;
    b.quantity[i] = c.quantity ?? Number.NaN;
    b.product.codes[i] = w.code(w.product, b.product.words, c.product);
    b.category.codes[i] = w.code(w.category, b.category.words, c.category);
    b.channel.codes[i] = w.code(w.channel, b.channel.words, c.channel);
    b.status.codes[i] = w.code(w.status, b.status.words, c.status);
    b.size = i + 1;
    if (b.size === this.options.capacity) this.emitBatch();
  }

  private emitBatch(): void {
    const b = this.batch;
    b.rows = this.rowsSince;
    b.errors = this.errorsSince;
    if (b.size < this.options.capacity) {
      b.customer = b.customer.slice(0, b.size);
      b.amount = b.amount.slice(0, b.size);
      b.cost = b.cost.slice(0, b.size);
      b.quantity = b.quantity.slice(0, b.size);
      for (const column of [b.orderDate, b.product, b.category, b.channel, b.status]) {
        column.codes = column.codes.slice(0, b.size);
      }
    }
    this.batch = emptyBatch(this.options.capacity);
    this.words = new BatchWords();
    this.codeIndex = new Map();
    this.lastCodeIndex = -1;
    this.rowsSince = 0;
    this.errorsSince = [];
    this.options.emit(b);
  }
}

/** The words of the word columns of one batch, by value. */
class BatchWords {
  readonly orderDate = new Map<string, number>();
  readonly product = new Map<string | null, number>();
  readonly category = new Map<string | null, number>();
  readonly channel = new Map<string | null, number>();
  readonly status = new Map<string, number>();

  /** The index of `value` in `words`, added when new. */
  code<T extends string | null>(index: Map<T, number>, words: T[], value: T): number {
    let code = index.get(value);
    if (code === undefined) {
      code = words.length;
      words.push(value);
      index.set(value, code);
    }
    return code;
  }
}

function wordColumn<T extends string | null>(capacity: number): WordColumn<T> {
  return { words: [], codes: new Int32Array(capacity) };
}

function emptyBatch(capacity: number): OrderBatch {
  return {
    size: 0,
    rows: 0,
    codes: [],
    customer: new Int32Array(capacity),
    externalId: [],
    orderedAt: [],
    orderDate: wordColumn(capacity),
    amount: new Float64Array(capacity),
    cost: new Float64Array(capacity),
    quantity: new Float64Array(capacity),
    product: wordColumn(capacity),
    category: wordColumn(capacity),
    channel: wordColumn(capacity),
    status: wordColumn(capacity),
    errors: [],
  };
}
