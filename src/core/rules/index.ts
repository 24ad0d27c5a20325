// The rule language (docs/rules.md, docs/architecture.md): parse → check → evaluate / match / vectorise / print,
// and compile to SQL in src/db/rule-sql.ts.
export * from './rule.ast.ts';
export * from './rule.checker.ts';
export * from './rule.compile.ts';
export * from './rule.errors.ts';
export * from './rule.evaluator.ts';
export * from './rule.explain.ts';
export { isBareIdentifier, type Keyword, type Token, tokenize } from './rule.lexer.ts';
export * from './rule.matcher.ts';
export * from './rule.parser.ts';
export * from './rule.printer.ts';
export * from './rule.stats.ts';
export * from './rule.vector.ts';
