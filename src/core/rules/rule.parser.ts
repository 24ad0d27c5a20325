import { FIELDS, type FieldDef, fieldNames, findField } from '../fields.ts';
import { type ArithOp, type CompareOp, type Expr, type Pos, type StatSpec, setPosition } from './rule.ast.ts';
import { nearestName, RuleAbort, type RuleError } from './rule.errors.ts';
import { type Keyword, type Token, tokenize } from './rule.lexer.ts';

export type ParseResult = { ok: true; ast: Expr } | { ok: false; error: RuleError };

/**
 * How deep a rule may nest: parentheses, `not`, negations, function calls and each
 * operator of an arithmetic chain (`a + b + c` is two deep) count one level. The
 * checker, the evaluator and the SQL compiler walk the tree recursively, so an
 * unbounded depth would exhaust the stack; no sensible rule comes near this.
 */
export const MAX_RULE_DEPTH = 100;
/** How many tokens (names, values, operators, brackets) a rule may have. */
export const MAX_RULE_TOKENS = 5000;

/**
 * Parses rule text into the AST, resolving every field name through the registry:
 * `parseRule('累计消费金额 >= 10000 and recency_days <= 90')`.
 * Types are not checked here; see `checkRule` / `compileRule`.
 */
export function parseRule(text: string): ParseResult {
  try {
    const tokens = tokenize(text);
    // The end-of-rule token does not count.
    if (tokens.length - 1 > MAX_RULE_TOKENS) {
      const t = tokens[MAX_RULE_TOKENS];
      throw new RuleAbort({
        code: 'SyntaxError',
        pos: t.pos,
        zh: `规则过长：最多 ${MAX_RULE_TOKENS} 个词元（字段、值、运算符、括号），请拆分规则`,
        en: `The rule is too long: at most ${MAX_RULE_TOKENS} tokens (names, values, operators, brackets); split it up`,
      });
    }
    return { ok: true, ast: new Parser(tokens).parseRuleText() };
  } catch (e) {
    if (e instanceof RuleAbort) return { ok: false, error: e.error };
    throw e;
  }
}

const enLabels = new Map<string, FieldDef>(FIELDS.map((f) => [f.en.toLowerCase(), f]));

/** Resolves a name as typed by a user: key (any case), Chinese label, alias, or English label. */
export function resolveField(name: string): FieldDef | undefined {
  return findField(name) ?? enLabels.get(name.toLowerCase());
}

type FunctionName = 'avg' | 'median' | 'p' | 'date' | 'has_tag';

const FUNCTIONS: Record<string, FunctionName> = {
  avg: 'avg',
  median: 'median',
  p: 'p',
  percentile: 'p',
  date: 'date',
  has_tag: 'has_tag',
  平均值: 'avg',
  平均: 'avg',
  中位数: 'median',
  分位数: 'p',
  日期: 'date',
  有标签: 'has_tag',
};

const COMPARE_OPS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=']);

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written 'YYYY-MM-DD' (years 0001–9999). */
export function isValidDate(text: string): boolean {
  const m = DATE_TEXT.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(2000, mo, 0)).getUTCDate();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 ? (leap ? 29 : 28) : daysInMonth);
}

function describe(t: Token): { zh: string; en: string } {
  if (t.kind === 'eof') return { zh: '结尾', en: 'end of rule' };
  return { zh: `“${t.text}”`, en: `"${t.text}"` };
}

class Parser {
  private i = 0;
  /** nesting of the construct being parsed: see MAX_RULE_DEPTH */
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseRuleText(): Expr {
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      const closing = t.kind === ')';
      throw this.syntax(
        t,
        closing ? '多余的右括号' : `此处不应出现${describe(t).zh}，缺少 and / or？`,
        closing ? 'Unmatched ")"' : `Unexpected ${describe(t).en}; missing "and" / "or"?`,
      );
    }
    return e;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isKeyword(k: Keyword, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'keyword' && t.keyword === k;
  }

  /** Parses `inner` one level deeper, refusing beyond MAX_RULE_DEPTH at token `t`. */
  private nested<T>(t: Token, inner: () => T): T {
    this.guardDepth(t, 1);
    this.depth++;
    try {
      return inner();
    } finally {
      this.depth--;
    }
  }

  private guardDepth(t: Token, extra: number): void {
    if (this.depth + extra <= MAX_RULE_DEPTH) return;
    throw this.syntax(
      t,
      `规则嵌套过深：括号、not、函数与连续运算最多 ${MAX_RULE_DEPTH} 层，请简化规则`,
      `The rule nests too deep: at most ${MAX_RULE_DEPTH} levels of brackets, not, functions and chained operators; simplify it`,
    );
  }

  private syntax(t: Token, zh: string, en: string): RuleAbort {
    return new RuleAbort({ code: 'SyntaxError', pos: t.pos, zh, en });
  }

  private expect(kind: '(' | ')' | ',', what: { zh: string; en: string }): Token {
    const t = this.peek();
    if (t.kind !== kind) {
      throw this.syntax(
        t,
        `此处应为${what.zh}，实际是${describe(t).zh}`,
        `Expected ${what.en} but found ${describe(t).en}`,
      );
    }
    return this.next();
  }

  private expectKeyword(k: Keyword): Token {
    const t = this.peek();
    if (!(t.kind === 'keyword' && t.keyword === k)) {
      throw this.syntax(
        t,
        `此处应为“${k}”，实际是${describe(t).zh}`,
        `Expected "${k}" but found ${describe(t).en}`,
      );
    }
    return this.next();
  }

  private parseOr(): Expr {
    return this.parseLogic('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogic('and', () => this.parseNot());
  }

  private parseLogic(kind: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    if (!this.isKeyword(kind)) return first;
    const pos = this.peek().pos;
    const args = [first];
    while (this.isKeyword(kind)) {
      this.next();
      args.push(operand());
    }
    return setPosition({ kind, args }, pos);
  }

  private parseNot(): Expr {
    if (this.isKeyword('not')) {
      const t = this.next();
      return setPosition({ kind: 'not', arg: this.nested(t, () => this.parseNot()) }, t.pos);
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE_OPS.has(t.op)) {
      this.next();
      const right = this.parseAdditive();
      return setPosition({ kind: 'compare', op: t.op as CompareOp, left, right }, t.pos);
    }
    if (t.kind !== 'keyword') return left;
    const negated = t.keyword === 'not' && (this.isKeyword('in', 1) || this.isKeyword('between', 1));
    if (negated) this.next();
    const k = this.peek();
    if (k.kind !== 'keyword') return left;
    switch (k.keyword) {
      case 'in': {
        this.next();
        this.expect('(', { zh: '“(”', en: '"("' });
        const list = [this.parseAdditive()];
        while (this.peek().kind === ',') {
          this.next();
          list.push(this.parseAdditive());
        }
        this.expect(')', { zh: '“,”或“)”', en: '"," or ")"' });
        return setPosition({ kind: 'in', negated, arg: left, list }, t.pos);
      }
      case 'between': {
        this.next();
        const low = this.parseAdditive();
        this.expectKeyword('and');
        const high = this.parseAdditive();
        return setPosition({ kind: 'between', negated, arg: left, low, high }, t.pos);
      }
      case 'contains':
      case 'starts_with': {
        this.next();
        const right = this.parseAdditive();
        return setPosition({ kind: k.keyword, left, right }, k.pos);
      }
      case 'is': {
        this.next();
        const isNot = this.isKeyword('not');
        if (isNot) this.next();
        this.expectKeyword('null');
        return setPosition({ kind: 'is_null', negated: isNot, arg: left }, k.pos);
      }
      default:
        return left;
    }
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    let chain = 0;
    for (let t = this.peek(); t.kind === 'op' && (t.op === '+' || t.op === '-'); t = this.peek()) {
      this.guardDepth(t, ++chain);
      this.next();
      const right = this.parseMultiplicative();
      left = setPosition({ kind: 'arith', op: t.op as ArithOp, left, right }, t.pos);
    }
    return left;
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    let chain = 0;
    for (let t = this.peek(); t.kind === 'op' && (t.op === '*' || t.op === '/'); t = this.peek()) {
      this.guardDepth(t, ++chain);
      this.next();
      const right = this.parseUnary();
      left = setPosition({ kind: 'arith', op: t.op as ArithOp, left, right }, t.pos);
    }
    return left;
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && t.op === '-') {
      this.next();
      const n = this.peek();
      // `-5` is one negative literal; `-(5)` and `-x` are negations.
      if (n.kind === 'number') {
        this.next();
        return setPosition({ kind: 'number', value: -n.value }, t.pos);
      }
      return setPosition({ kind: 'neg', arg: this.nested(t, () => this.parseUnary()) }, t.pos);
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return setPosition({ kind: 'number', value: t.value }, t.pos);
      case 'string':
        return setPosition({ kind: 'string', value: t.value }, t.pos);
      case 'param':
        return setPosition({ kind: 'param', name: t.name, asDate: false }, t.pos);
      case '(':
        return this.nested(t, () => {
          const e = this.parseOr();
          this.expect(')', { zh: '“)”', en: '")"' });
          return e;
        });
      case 'keyword':
        if (t.keyword === 'true' || t.keyword === 'false') {
          return setPosition({ kind: 'boolean', value: t.keyword === 'true' }, t.pos);
        }
        throw this.syntax(
          t,
          `此处应为字段、数值或“(”，实际是关键字${describe(t).zh}`,
          `Expected a field, a value or "(" but found the keyword ${describe(t).en}`,
        );
      case 'ident':
        if (!t.quoted && this.peek().kind === '(') return this.nested(t, () => this.parseCall(t));
        return setPosition({ kind: 'field', key: this.field(t).key }, t.pos);
      default:
        throw this.syntax(
          t,
          `此处应为字段、数值或“(”，实际是${describe(t).zh}`,
          `Expected a field, a value or "(" but found ${describe(t).en}`,
        );
    }
  }

  private field(t: Token & { kind: 'ident' }): FieldDef {
    const f = resolveField(t.name);
    if (f) return f;
    const suggestion = nearestName(t.name, fieldNames());
    const hint = suggestion
      ? { zh: `，是否要写“${suggestion}”？`, en: `; did you mean "${suggestion}"?` }
      : null;
    throw new RuleAbort({
      code: 'UnknownField',
      pos: t.pos,
      zh: `未知字段“${t.name}”${hint?.zh ?? ''}`,
      en: `Unknown field "${t.name}"${hint?.en ?? ''}`,
      suggestion,
    });
  }

  private fieldArgument(fn: string): { key: string; pos: Pos } {
    const t = this.next();
    if (t.kind !== 'ident') {
      throw this.syntax(t, `${fn}() 的参数应为字段名`, `${fn}() takes a field name`);
    }
    return { key: this.field(t).key, pos: t.pos };
  }

  private parseCall(name: Token & { kind: 'ident' }): Expr {
    const lower = name.name.toLowerCase();
    const fn = Object.hasOwn(FUNCTIONS, lower) ? FUNCTIONS[lower] : undefined;
    if (fn === undefined) {
      const suggestion = nearestName(name.name, Object.keys(FUNCTIONS));
      throw new RuleAbort({
        code: 'UnknownFunction',
        pos: name.pos,
        zh: `未知函数“${name.name}”，可用：avg、median、p、date、has_tag`,
        en: `Unknown function "${name.name}"; available: avg, median, p, date, has_tag`,
        suggestion,
      });
    }
    this.expect('(', { zh: '“(”', en: '"("' });
    let node: Expr;
    switch (fn) {
      case 'avg':
      case 'median': {
        const { key } = this.fieldArgument(fn);
        const stat: StatSpec = fn === 'avg' ? { kind: 'avg', field: key } : { kind: 'median', field: key };
        node = { kind: 'stat', stat };
        break;
      }
      case 'p': {
        const sign = this.peek();
        const negative = sign.kind === 'op' && sign.op === '-';
        if (negative) this.next();
        const n = this.next();
        const p = n.kind === 'number' ? (negative ? -n.value : n.value) : Number.NaN;
        if (!(p >= 0 && p <= 100)) {
          throw new RuleAbort({
            code: n.kind === 'number' ? 'InvalidLiteral' : 'SyntaxError',
            pos: n.pos,
            zh: 'p() 的第一个参数应为 0 到 100 之间的数，例如 p(90, 累计消费金额)',
            en: 'p() takes a percentile from 0 to 100 first, e.g. p(90, total_amount)',
          });
        }
        this.expect(',', { zh: '“,”', en: '","' });
        const { key } = this.fieldArgument('p');
        node = { kind: 'stat', stat: { kind: 'p', p, field: key } };
        break;
      }
      case 'date': {
        const arg = this.next();
        if (arg.kind === 'param') {
          node = { kind: 'param', name: arg.name, asDate: true };
        } else if (arg.kind === 'string') {
          if (!isValidDate(arg.value)) {
            throw new RuleAbort({
              code: 'InvalidLiteral',
              pos: arg.pos,
              zh: `“${arg.value}”不是有效日期，应为 YYYY-MM-DD，例如 date("2024-01-01")`,
              en: `"${arg.value}" is not a valid date; write YYYY-MM-DD, e.g. date("2024-01-01")`,
            });
          }
          node = { kind: 'date', value: arg.value };
        } else {
          throw this.syntax(
            arg,
            'date() 的参数应为 "YYYY-MM-DD" 字符串或参数',
            'date() takes a "YYYY-MM-DD" string or a parameter',
          );
        }
        break;
      }
      case 'has_tag': {
        const arg = this.next();
        if (arg.kind !== 'string') {
          throw this.syntax(arg, 'has_tag() 的参数应为标签名字符串', 'has_tag() takes a tag name in quotes');
        }
        node = { kind: 'has_tag', tag: arg.value };
        break;
      }
    }
    this.expect(')', { zh: '“)”', en: '")"' });
    return setPosition(node, name.pos);
  }
}
