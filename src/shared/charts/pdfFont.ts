/**
 * Helvetica and Helvetica-Bold (PDF standard-14 fonts, metrically identical to Arial) in WinAnsiEncoding: character
 * codes and advance widths (1/1000 em, Adobe's AFM files) for text layout in pdf.ts. PURE data.
 */

/** Widths of codes 32..126 (Helvetica). */
const REGULAR_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
  778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
  278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260,
  334, 584,
];

/** Widths of codes 32..126 (Helvetica-Bold). */
const BOLD_ASCII = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
  778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556,
  333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280,
  389, 584,
];

/** Non-ASCII characters of WinAnsiEncoding that reports use: char → [code, regular width, bold width]. */
const WIN_ANSI_EXTRA: Record<string, [number, number, number]> = {
  '–': [150, 556, 556], '—': [151, 1000, 1000], '‘': [145, 222, 278], '’': [146, 222, 278], '“': [147, 333, 500],
  '”': [148, 333, 500], '•': [149, 350, 350], '…': [133, 1000, 1000], '±': [177, 584, 584], '×': [215, 584, 584],
  '÷': [247, 584, 584], '²': [178, 333, 333], '³': [179, 333, 333], '¹': [185, 333, 333], 'µ': [181, 556, 611],
  'μ': [181, 556, 611], '·': [183, 278, 278], '°': [176, 400, 400], '¼': [188, 834, 834], '½': [189, 834, 834],
  'é': [233, 556, 556], 'è': [232, 556, 556], 'ä': [228, 556, 556], 'ö': [246, 556, 611], 'ü': [252, 556, 611],
  'ß': [223, 611, 611], '\u00a0': [160, 278, 278], '¬': [172, 584, 584], '§': [167, 556, 556], '€': [128, 556, 556],
};

/** Characters outside WinAnsiEncoding, written as ASCII (the PDF keeps the meaning, not the glyph). */
const FALLBACK: Record<string, string> = {
  '≥': '>=', '≤': '<=', '≠': '!=', '≈': '~', '−': '-', 'χ': 'chi', 'α': 'alpha', 'β': 'beta', 'κ': 'kappa', 'Δ': 'delta',
  'ΔΔ': 'delta-delta', 'τ': 'tau', 'ρ': 'rho', '√': 'sqrt', '∞': 'inf', '→': '->', '←': '<-', '\u2009': ' ', '\u202f': ' ',
};

/** The WinAnsi codes of a string (unknown characters → their ASCII fallback, else "?"). */
export function winAnsiCodes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (c >= 32 && c <= 126) out.push(c);
    else if (WIN_ANSI_EXTRA[ch]) out.push(WIN_ANSI_EXTRA[ch][0]);
    else if (FALLBACK[ch]) out.push(...winAnsiCodes(FALLBACK[ch]));
    else if (c >= 0xa0 && c <= 0xff) out.push(c); // Latin-1 letters: same codes in WinAnsi
    else out.push(63);
  }
  return out;
}

const EXTRA_BY_CODE = new Map(Object.values(WIN_ANSI_EXTRA).map(([code, r, b]) => [code, [r, b] as const]));

/** Advance width of one WinAnsi code in 1/1000 em (Latin-1 letters without a listed width: 556). */
export function codeWidth(code: number, bold: boolean): number {
  if (code >= 32 && code <= 126) return (bold ? BOLD_ASCII : REGULAR_ASCII)[code - 32];
  const e = EXTRA_BY_CODE.get(code);
  return e ? e[bold ? 1 : 0] : 556;
}

/** Width of a string in units of the font size (multiply by the size in pt). */
export function textWidth(s: string, bold = false): number {
  return winAnsiCodes(s).reduce((w, c) => w + codeWidth(c, bold), 0) / 1000;
}
