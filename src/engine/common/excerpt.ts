/**
 * A short, escaped excerpt of text read from a file, for messages: a file that failed to parse as what the study
 * expected (a clinical table pointed at a system file, say) must not have its content echoed into the Problems
 * panel or a terminal. Control characters (C0, DEL, C1, bidi and line/paragraph separators) are written as `\n`,
 * `\t`, `\r` or `\u{…}`; text beyond `max` characters (code points) becomes "…".
 */
export const EXCERPT_CHARS = 40;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (NAMED[ch]) return NAMED[ch];
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200e && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff) {
    return `\\u{${c.toString(16)}}`;
  }
  return ch;
}

export function excerpt(text: string, max = EXCERPT_CHARS): string {
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n === max) return out + '…';
    out += escapeChar(ch);
    n++;
  }
  return out;
}
