import { useMemo, useState } from 'react';
import { type DraftErrors, definitionFingerprint, diffDefinitions } from './scheme-draft.ts';
import type { PreviewResult, SchemeClass, SchemeDefinition } from './use-schemes.ts';

/**
 * The editor's working copy of a scheme definition: where it started (the saved draft, else
 * the current version), what changed against the current version, per-field errors, and the
 * last preview with the definition it was made from (so a stale preview says so).
 */
export function useSchemeEditor(options: { current: SchemeDefinition; saved: SchemeDefinition }) {
  const [definition, setDefinition] = useState<SchemeDefinition>(options.saved);
  const [savedPrint, setSavedPrint] = useState(() => definitionFingerprint(options.saved));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [preview, setPreview] = useState<{ result: PreviewResult; print: string } | null>(null);

  const print = definitionFingerprint(definition);
  const changes = useMemo(() => diffDefinitions(options.current, definition), [options.current, definition]);

  /** Replaces the definition and forgets the errors of the paths the edit touched. */
  const update = (next: SchemeDefinition, touched?: string) => {
    setDefinition(next);
    if (touched) {
      setErrors((e) => Object.fromEntries(Object.entries(e).filter(([path]) => !path.startsWith(touched))));
    }
  };

  const updateClass = (index: number, patch: Partial<SchemeClass>, touched?: string) => {
    const classes = definition.classes.map((c, i) => (i === index ? { ...c, ...patch } : c));
    update(
      { ...definition, classes },
      touched === undefined ? `classes.${index}` : `classes.${index}.${touched}`,
    );
  };

  return {
    definition,
    update,
    updateClass,
    /** differs from what was last saved (draft or version) */
    dirty: print !== savedPrint,
    /** what publishing would change against the current version */
    changes,
    markSaved: (saved: SchemeDefinition) => setSavedPrint(definitionFingerprint(saved)),
    reset: (to: SchemeDefinition) => {
      setDefinition(to);
      setSavedPrint(definitionFingerprint(to));
      setErrors({});
    },
    errors,
    setErrors,
    preview: preview?.result ?? null,
    previewStale: preview !== null && preview.print !== print,
    setPreview: (result: PreviewResult | null, from?: SchemeDefinition) =>
      setPreview(result ? { result, print: definitionFingerprint(from ?? definition) } : null),
  };
}

export type SchemeEditor = ReturnType<typeof useSchemeEditor>;
