/**
 * Sample-name patterns: `"{patient}-{timepoint}"` → a matcher returning `{ patient, timepoint }` or null.
 *
 * The rule:
 * - Text outside braces is literal (case sensitive); `{name}` is a field of at least one character. The whole
 *   (trimmed) sample name must match.
 * - Fields are non-greedy, except the first one, which is greedy: when a name contains more separators than the
 *   pattern, the extra ones belong to the first field (normally the subject). `{patient}-{timepoint}` reads
 *   `P01-pre` as P01 / pre and `HCC-012-pre` as HCC-012 / pre; `{patient}-{timepoint}-{rep}` reads
 *   `HCC-012-pre-2` as HCC-012 / pre / 2.
 * - A field may be constrained with a regular expression: `{timepoint:pre|post}`, `{patient:P\d+}`; this is how to
 *   put separators in a later field (`{patient:P\d+}_{site}` reads `P7_left_lobe` as P7 / left_lobe).
 * - `{_}` or `{}` matches text without keeping it (e.g. a plate prefix).
 * Errors (unbalanced braces, a repeated field, a bad regular expression, two adjacent unconstrained fields) throw
 * `SamplePatternError` with the column in the pattern.
 */

export class SamplePatternError extends Error {
  constructor(message: string, readonly column: number) { super(message); }
}

export interface SamplePattern {
  pattern: string;
  fields: string[];
  regex: RegExp;
  match(sample: string): Record<string, string> | null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileSamplePattern(pattern: string): SamplePattern {
  const parts: ({ lit: string } | { field: string; re: string | null; col: number })[] = [];
  let i = 0;
  let lit = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new SamplePatternError(`Unclosed "{" in sample pattern "${pattern}".`, i);
      if (lit) { parts.push({ lit }); lit = ''; }
      const inner = pattern.slice(i + 1, close);
      const colon = inner.indexOf(':');
      const name = (colon >= 0 ? inner.slice(0, colon) : inner).trim();
      const re = colon >= 0 ? inner.slice(colon + 1) : null;
      if (name && !/^[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) throw new SamplePatternError(`Field name "${name}" must be letters, digits, "_" or "." (starting with a letter or "_").`, i + 1);
      if (re !== null) {
        try { new RegExp(re); } catch (e) { throw new SamplePatternError(`Bad regular expression in field "${name}": ${(e as Error).message}`, i + 1 + colon + 1); }
      }
      parts.push({ field: name, re, col: i });
      i = close + 1;
    } else if (c === '}') {
      throw new SamplePatternError(`Unmatched "}" in sample pattern "${pattern}".`, i);
    } else { lit += c; i++; }
  }
  if (lit) parts.push({ lit });

  const fields: string[] = [];
  let src = '^';
  let firstField = true;
  let prevUnconstrained = false;
  for (const p of parts) {
    if ('lit' in p) { src += escapeRe(p.lit); prevUnconstrained = false; continue; }
    if (prevUnconstrained && p.re === null) throw new SamplePatternError('Two fields without text between them are ambiguous: separate them or constrain one ({name:regex}).', p.col);
    const keep = p.field !== '' && p.field !== '_';
    if (keep) {
      if (fields.includes(p.field)) throw new SamplePatternError(`Field "${p.field}" appears twice.`, p.col);
      fields.push(p.field);
    }
    const body = p.re !== null ? `(?:${p.re})` : firstField ? '.+' : '.+?';
    src += keep ? `(?<f${fields.length - 1}>${body})` : `(?:${body})`;
    prevUnconstrained = p.re === null;
    firstField = false;
  }
  src += '$';
  const regex = new RegExp(src, 'u');
  return {
    pattern,
    fields,
    regex,
    match(sample: string) {
      const m = regex.exec(sample.trim());
      if (!m) return null;
      return Object.fromEntries(fields.map((f, k) => [f, m.groups![`f${k}`]])) as Record<string, string>; // own keys, even `__proto__`
    },
  };
}

/** `*` (any text) and `?` (one character) glob on sample names, whole name, case sensitive. */
export function globToRegExp(glob: string): RegExp {
  let src = '^';
  for (const c of glob) src += c === '*' ? '.*' : c === '?' ? '.' : escapeRe(c);
  return new RegExp(src + '$', 'u');
}
