/**
 * Number formatting and table export for report.json results (pure; shared by the results webview, report.html
 * and the host). Tables are lists of cells with the text shown and, for numbers, the raw value: CSV exports the
 * raw value at full precision (p-values are never rounded there), Markdown the text as shown. The tables of each
 * result kind are built in kinds/<kind>.ts from the cells below; kinds/index.ts dispatches (`resultTables`).
 */
import type { Interval, MethodsSummary, Num, ReportData } from './base';

/** One table cell: the text shown and, for numbers, the unrounded value (CSV uses it). */
export interface Cell { text: string; raw?: number | null }
/** A table of a result, ready for the DOM, CSV and Markdown. */
export interface DataTable {
  /** Stable id within the result (e.g. "terms"), used for file names. */
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Rows to mark as significant (p < 0.05), by index. */
  significant?: number[];
  /** A footnote (tests, model statistics). */
  note?: string;
}

export const DASH = '—';

/** A finite number (not null, NaN or ±Infinity). */
export const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A number with `digits` significant digits (trailing zeros dropped); tiny or huge values in exponent form. */
export function fmtNum(x: Num | undefined, digits = 3): string {
  if (!finite(x)) return DASH;
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e7) return x.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  if (a >= 10 ** digits) return String(Math.round(x));
  return String(Number(x.toPrecision(digits)));
}

/** A number with a fixed number of decimals (e.g. coefficients, HR 1.65). */
export function fmtFixed(x: Num | undefined, decimals = 2): string {
  if (!finite(x)) return DASH;
  const s = x.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/**
 * The p-value rule of every output (panel, report.html, Word), as clinical journals print p: "< 0.001" below 0.001,
 * otherwise two significant digits with trailing zeros kept (0.05 → 0.050, 0.0012 → 0.0012, 0.265 → 0.27), and
 * "> 0.99" above 0.99 (a p of 1.0 is not claimed). P_RULE states it in words (the Word document's footnotes).
 */
export function fmtP(p: Num | undefined): string {
  if (!finite(p)) return DASH;
  if (p < 0.001) return '< 0.001';
  if (p > 0.99) return '> 0.99';
  return p.toPrecision(2);
}

/** The p-value rule of fmtP in words. */
export const P_RULE = 'p-values are given to two significant digits; values below 0.001 as p < 0.001 and above 0.99 as p > 0.99';

/** A p-value in running text: "p < 0.001" or "p = 0.012" (never "p = < 0.001"); `label` names it, e.g. "adjusted p". */
export function pStatement(p: Num | undefined, label = 'p'): string {
  const t = fmtP(p);
  return /^[<>]/.test(t) ? `${label} ${t}` : `${label} = ${t}`;
}

/**
 * "lo–hi" with the given decimals; a missing bound shows as a dash. An interval whose every bound would print as zero
 * (a biobank's narrow CI of a tiny effect: "0.000 to 0.000") is given to `decimals` significant digits instead, as
 * fmtNum gives its estimate, both bounds in one notation ("-0.000312 to 0.000166", "-2.39e-4 to 9.26e-5").
 */
export function fmtCi(ci: Interval | null | undefined, decimals = 2): string {
  if (!ci || (!finite(ci[0]) && !finite(ci[1]))) return DASH;
  const bounds = [ci[0], ci[1]].filter(finite);
  const vanishes = bounds.some((x) => x !== 0) && bounds.every((x) => Number(x.toFixed(decimals)) === 0);
  const digits = Math.max(2, decimals);
  // both bounds in one notation: exponents when either needs one
  const exp = vanishes && bounds.some((x) => x !== 0 && Math.abs(x) < 1e-4);
  const b = (x: Num) => (!finite(x) ? 'NA' : exp ? (x === 0 ? '0' : x.toExponential(digits - 1).replace('e+', 'e')) : vanishes ? fmtNum(x, digits) : fmtFixed(x, decimals));
  // an en dash between negative numbers reads as a minus: "-0.16 to -0.03"
  return (finite(ci[0]) && ci[0] < 0) || (finite(ci[1]) && ci[1] < 0) ? `${b(ci[0])} to ${b(ci[1])}` : `${b(ci[0])}–${b(ci[1])}`;
}

/** An integer count. */
export function fmtInt(x: Num | undefined): string {
  return finite(x) ? String(Math.round(x)) : DASH;
}

export const isSignificant = (p: Num | undefined, alpha = 0.05): boolean => finite(p) && p < alpha;

// ---------- cells ----------

/** Cell builders for the tables of the kinds: text, numbers (significant digits, fixed decimals), p, count, CI. */
export const cell = {
  text: (s: string | null | undefined): Cell => ({ text: s ?? DASH }),
  num: (x: Num | undefined, digits = 3): Cell => ({ text: fmtNum(x, digits), raw: finite(x) ? x : null }),
  fixed: (x: Num | undefined, d = 2): Cell => ({ text: fmtFixed(x, d), raw: finite(x) ? x : null }),
  p: (p: Num | undefined): Cell => ({ text: fmtP(p), raw: finite(p) ? p : null }),
  int: (x: Num | undefined): Cell => ({ text: fmtInt(x), raw: finite(x) ? x : null }),
  ci: (c: Interval | null | undefined, d = 2): Cell => ({ text: fmtCi(c, d) }),
};

/** Indices of the rows whose p is below 0.05 (DataTable.significant). */
export const significantRows = (ps: Num[]): number[] => ps.flatMap((p, i) => (isSignificant(p) ? [i] : []));

// ---------- CSV / Markdown ----------

/**
 * Quotes a CSV field when needed (RFC 4180) and defuses spreadsheet formulas (OWASP CSV injection): a field that
 * starts with = + - @ tab or CR, after any leading spaces, gets a leading `'`, unless the whole field is one plain
 * number (`-0.25`, `1e-7`: how raw numbers are written, which a spreadsheet cannot read as a formula).
 */
export function csvField(s: string): string {
  let v = s;
  if (/^ *[=+\-@\t\r]/.test(v) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) v = `'${v}`;
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The table as CSV (CRLF line ends): raw numbers at full precision, otherwise the text shown. */
export function toCsv(t: DataTable): string {
  const cell = (c: Cell) => (finite(c.raw) ? String(c.raw) : c.text === DASH ? '' : c.text);
  return [t.columns.map(csvField).join(','), ...t.rows.map((r) => r.map((c) => csvField(cell(c))).join(','))].join('\r\n') + '\r\n';
}

/** Escapes text for a Markdown table cell: backslash, pipes, emphasis/code/link characters, HTML, newlines. */
export function mdEscape(s: string): string {
  return s.replace(/[\\|*_`[\]#]/g, (c) => `\\${c}`).replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n|\r/g, ' ');
}

/** The table as GitHub-flavoured Markdown (significant rows get a trailing " *" in the first column). */
export function toMarkdown(t: DataTable): string {
  const sig = new Set(t.significant ?? []);
  const head = `| ${t.columns.map(mdEscape).join(' | ')} |`;
  const rule = `|${t.columns.map(() => ' --- ').join('|')}|`;
  const rows = t.rows.map((r, i) => `| ${r.map((c, j) => mdEscape(c.text) + (j === 0 && sig.has(i) ? ' \\*' : '')).join(' | ')} |`);
  const lines = [`**${mdEscape(t.title)}**`, '', head, rule, ...rows];
  if (t.note) lines.push('', mdEscape(t.note));
  if (sig.size) lines.push('', '\\* p < 0.05');
  return lines.join('\n') + '\n';
}

/** A file-name-safe slug. */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'table';
}

/** About `count` round tick values covering [lo, hi] (1, 2, 2.5, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!finite(lo) || !finite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The parts of a Report (types.ts) the summaries below read; typed here so this file does not import the kinds. */
type ReportSummary = { data: ReportData; methods?: MethodsSummary };

/** Lines of the data and methods summary shown under the study name (MIQE-style). */
export function methodsLines<R extends ReportSummary>(report: R): { label: string; text: string }[] {
  const d = report.data;
  const out = [{ label: 'Data', text: `${d.plates} plates, ${d.wells} wells, ${d.samples} samples, ${d.subjects} subjects; ${d.qc.length} QC finding${d.qc.length === 1 ? '' : 's'}` }];
  const m = report.methods;
  if (!m) return out;
  out.push({ label: 'Targets', text: m.targets.join(', ') || DASH });
  out.push({ label: 'Reference genes', text: m.references.join(', ') || DASH });
  out.push({ label: 'Relative quantification', text: m.expression });
  if (m.calibrators?.length) out.push({ label: 'Calibrator', text: m.calibrators.join(', ') });
  if (m.efficiencies.length) out.push({ label: 'Amplification efficiency', text: m.efficiencies.map((e) => `${e.target}: E = ${fmtNum(e.value, 4)} per cycle${finite(e.se) && e.se > 0 ? `, SE ${fmtNum(e.se, 2)}` : ''} (${e.source})`).join('; ') });
  for (const c of m.standardCurves ?? []) {
    const eff = c.efficiencyPercent === null ? DASH : `${fmtNum(c.efficiencyPercent, 3)} %${c.efficiencyCi ? ` (95% CI ${fmtNum((c.efficiencyCi[0] - 1) * 100, 3)} to ${fmtNum((c.efficiencyCi[1] - 1) * 100, 3)})` : ''}`;
    out.push({ label: 'Standard curve', text: `${c.target} in ${c.file}: slope ${c.slope === null ? DASH : fmtNum(c.slope, 4)}, R² ${c.r2 === null ? DASH : fmtNum(c.r2, 4)}, efficiency ${eff}, ${c.n} wells at ${c.levels} levels${c.lod === null ? '' : `, LOD ${fmtNum(c.lod, 3)}`}` });
  }
  out.push({ label: 'Non-detects', text: m.nondetect });
  const qc = Object.entries(m.qc).map(([k, v]) => `${k} ${v}`).join(', ');
  if (qc) out.push({ label: 'QC thresholds', text: qc });
  out.push({ label: 'Exclusions', text: m.exclusions.length ? `${m.exclusions.length} reaction${m.exclusions.length === 1 ? '' : 's'} excluded` : 'none' });
  for (const n of m.notes ?? []) out.push({ label: 'Note', text: n });
  return out;
}

/** QC findings counted by code, most frequent first. */
export function qcCounts<R extends ReportSummary>(report: R): { code: string; count: number; severity: string }[] {
  const m = new Map<string, { code: string; count: number; severity: string }>();
  for (const q of report.data.qc) {
    const e = m.get(q.code) ?? { code: q.code, count: 0, severity: q.severity ?? 'warning' };
    e.count++;
    m.set(q.code, e);
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
