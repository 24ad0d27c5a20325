import { useQuery } from '@tanstack/react-query';
import { Button, Input, Typography } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { RuleCheck, RuleError, RuleField } from '../api/contract.ts';

export type { RuleField };
export type RuleProblem = RuleError;
/** What the server's rule checker said (null while unchecked or empty). */
export type RuleCheckResult = RuleCheck;

type Suggestion = { insert: string; label: string; detail: string; kind: 'field' | 'function' | 'keyword' };

const FUNCTIONS: Suggestion[] = [
  { insert: 'has_tag("")', label: 'has_tag("…")', detail: 'tag', kind: 'function' },
  { insert: 'avg()', label: 'avg(…)', detail: 'population', kind: 'function' },
  { insert: 'median()', label: 'median(…)', detail: 'population', kind: 'function' },
  { insert: 'p(90, )', label: 'p(90, …)', detail: 'population', kind: 'function' },
  { insert: 'date("2024-01-01")', label: 'date("…")', detail: 'date', kind: 'function' },
];
const KEYWORDS = ['and', 'or', 'not', 'in', 'between', 'contains', 'starts_with', 'is null', 'is not null'];

const WORD = /[\p{L}\p{N}_$]+$/u;
const TYPE_LABELS: Record<RuleField['type'], { zh: string; en: string }> = {
  number: { zh: '数值', en: 'number' },
  money: { zh: '金额（元）', en: 'money (yuan)' },
  string: { zh: '文本', en: 'text' },
  date: { zh: '日期', en: 'date' },
  boolean: { zh: '是/否', en: 'yes/no' },
};

/** The word being typed just before the cursor, and where it starts. */
function wordAt(text: string, cursor: number): { word: string; start: number } {
  const match = WORD.exec(text.slice(0, cursor));
  return match ? { word: match[0], start: cursor - match[0].length } : { word: '', start: cursor };
}

function suggestionsFor(word: string, fields: RuleField[], en: boolean): Suggestion[] {
  if (!word) return [];
  const needle = word.toLowerCase();
  const scored: { s: Suggestion; rank: number }[] = [];
  for (const f of fields) {
    const names = [f.key, f.zh, f.en.toLowerCase(), ...f.aliases];
    const ranks = names.map((n) => {
      const i = n.toLowerCase().indexOf(needle);
      return i === 0 ? 0 : i > 0 ? 1 : 9;
    });
    const rank = Math.min(...ranks);
    if (rank > 1) continue;
    const type = TYPE_LABELS[f.type][en ? 'en' : 'zh'];
    scored.push({
      rank,
      s: {
        insert: en ? f.key : f.zh,
        label: en ? `${f.key}` : f.zh,
        detail: en ? `${f.en} · ${type}` : `${f.key} · ${type}`,
        kind: 'field',
      },
    });
  }
  for (const fn of FUNCTIONS) if (fn.insert.startsWith(needle)) scored.push({ s: fn, rank: 0 });
  for (const k of KEYWORDS) {
    if (k.startsWith(needle) && k !== needle)
      scored.push({ s: { insert: k, label: k, detail: '', kind: 'keyword' }, rank: 2 });
  }
  return scored
    .sort((a, b) => a.rank - b.rank || a.s.label.length - b.s.label.length)
    .slice(0, 8)
    .map((x) => x.s);
}

/** The offset in `text` of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/** The extent of the token starting at `offset`, for underlining. */
function tokenEnd(text: string, offset: number): number {
  const rest = text.slice(offset);
  const word = /^[\p{L}\p{N}_$.]+/u.exec(rest);
  return offset + Math.max(1, word ? word[0].length : 1);
}

export function useRuleFields() {
  return useQuery({
    queryKey: ['rules', 'fields'],
    queryFn: () => api('GET /rules/fields').then((r) => r.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * A rule-expression box (docs/rules.md): completes field names as they are typed — Chinese
 * labels in Chinese, keys in English — and checks the rule on the server as the user pauses,
 * marking the exact place of an error with the reason and a one-click fix for a misspelt name.
 */
export function RuleInput({
  value,
  onChange,
  onCheck,
  placeholder,
  rows = 2,
  params,
  testId = 'rule-input',
  onSubmit,
}: {
  value: string;
  onChange: (value: string) => void;
  onCheck?: (result: RuleCheckResult | null) => void;
  placeholder?: string;
  rows?: number;
  /** scheme parameters the rule may name as $param */
  params?: Record<string, number | string | boolean>;
  testId?: string;
  /** Ctrl/⌘+Enter */
  onSubmit?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const fields = useRuleFields();
  const ref = useRef<TextAreaRef>(null);
  const [cursor, setCursor] = useState(0);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [check, setCheck] = useState<RuleCheckResult | null>(null);
  const onCheckRef = useRef(onCheck);
  onCheckRef.current = onCheck;
  const paramsKey = JSON.stringify(params ?? {});

  const { word, start } = wordAt(value, cursor);
  const suggestions = useMemo(() => suggestionsFor(word, fields.data ?? [], en), [word, fields.data, en]);
  const showList = open && suggestions.length > 0;

  // Checked on the server as the user pauses, so the parser and the messages are the real ones.
  useEffect(() => {
    if (!value.trim()) {
      setCheck(null);
      onCheckRef.current?.(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api('POST /rules/check', {
        body: { expression: value, params: JSON.parse(paramsKey) },
        signal: controller.signal,
      })
        .then((result) => {
          setCheck(result);
          onCheckRef.current?.(result);
        })
        .catch(() => {});
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, paramsKey]);

  const accept = (s: Suggestion) => {
    const next = value.slice(0, start) + s.insert + value.slice(cursor);
    let caret = start + s.insert.length;
    // Put the caret inside the parentheses / quotes of a function.
    if (s.kind === 'function')
      caret = start + s.insert.search(/\)|""|, \)/) + (s.insert.includes('""') ? 1 : 0);
    onChange(next);
    setOpen(false);
    requestAnimationFrame(() => {
      const el = ref.current?.resizableTextArea?.textArea;
      if (el) {
        el.focus();
        el.setSelectionRange(caret, caret);
        setCursor(caret);
      }
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      onSubmit?.();
      return;
    }
    if (!showList) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + suggestions.length) % suggestions.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(suggestions[Math.min(active, suggestions.length - 1)]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const problem = check && !check.ok ? check.error : null;
  const fixMisspelling = () => {
    if (!problem?.suggestion) return;
    const from = offsetOf(value, problem.line, problem.column);
    const to = tokenEnd(value, from);
    onChange(value.slice(0, from) + problem.suggestion + value.slice(to));
  };

  return (
    <div style={{ position: 'relative' }} data-testid={testId}>
      <Input.TextArea
        ref={ref}
        value={value}
        rows={rows}
        autoSize={{ minRows: rows, maxRows: 8 }}
        status={problem ? 'error' : undefined}
        placeholder={placeholder ?? t('rule.placeholder')}
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        style={{
          fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace",
        }}
        onChange={(e) => {
          onChange(e.target.value);
          setCursor(e.target.selectionStart ?? e.target.value.length);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={(e) => setCursor(e.currentTarget.selectionStart ?? 0)}
        onClick={(e) => setCursor(e.currentTarget.selectionStart ?? 0)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {showList ? (
        <div
          role="listbox"
          data-testid={`${testId}-suggestions`}
          style={{
            position: 'absolute',
            zIndex: 1050,
            top: '100%',
            left: 0,
            marginTop: 4,
            minWidth: 280,
            maxWidth: '100%',
            background: '#fff',
            borderRadius: 8,
            boxShadow:
              '0 6px 16px rgba(0,0,0,0.08), 0 3px 6px -4px rgba(0,0,0,0.12), 0 9px 28px 8px rgba(0,0,0,0.05)',
            padding: 4,
          }}
        >
          {suggestions.map((s, i) => (
            <div
              key={`${s.kind}:${s.insert}`}
              role="option"
              aria-selected={i === active}
              tabIndex={-1}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(s);
              }}
              onMouseEnter={() => setActive(i)}
              style={{
                display: 'flex',
                justifyContent: 'space-between',
                gap: 16,
                padding: '5px 12px',
                borderRadius: 4,
                cursor: 'pointer',
                background: i === active ? '#e6f4ff' : undefined,
              }}
            >
              <span>{s.label}</span>
              <span style={{ color: 'rgba(0,0,0,0.45)', fontSize: 12 }}>{s.detail}</span>
            </div>
          ))}
        </div>
      ) : null}
      {problem ? (
        <div role="alert" data-testid={`${testId}-error`} style={{ marginTop: 6 }}>
          <RuleErrorMark text={value} problem={problem} />
          <Typography.Text type="danger" style={{ display: 'block', marginTop: 4 }}>
            {problem.line > 0 ? t('rule.position', { line: problem.line, column: problem.column }) : ''}
            {en ? problem.message.en : problem.message.zh}
          </Typography.Text>
          {problem.suggestion ? (
            <Button size="small" type="link" style={{ padding: 0 }} onClick={fixMisspelling}>
              {t('rule.replaceWith', { name: problem.suggestion })}
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The rule text with the erroneous token underlined in red where the checker stopped. */
function RuleErrorMark({ text, problem }: { text: string; problem: RuleProblem }) {
  if (problem.line <= 0) return null;
  const from = offsetOf(text, problem.line, problem.column);
  const to = tokenEnd(text, from);
  return (
    <pre
      data-testid="rule-error-mark"
      style={{
        margin: 0,
        padding: '4px 8px',
        background: '#fff2f0',
        borderRadius: 4,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
        fontSize: 13,
        fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Noto Sans Mono CJK SC', monospace",
      }}
    >
      {text.slice(0, from)}
      <mark
        style={{
          background: 'transparent',
          color: '#cf1322',
          textDecoration: 'underline wavy #ff4d4f',
          textUnderlineOffset: 3,
        }}
      >
        {text.slice(from, to) || ' '}
      </mark>
      {text.slice(to)}
    </pre>
  );
}
