/** Text from files and errors made safe to print on a terminal (the CLI and its launcher; loads nothing else). */

/**
 * A string made safe for a terminal: C0 and C1 control characters (ESC included), DEL and the bidirectional
 * overrides are written as escapes (`\x1b`, `\n`, `\u202e`), so names and messages from files print as text.
 */
export function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** The line the CLI prints for an exception it did not expect (exit code 70): the stack, escaped, one frame a line. */
export function internalErrorText(e: unknown): string {
  return `qpcr-studio: internal error: ${escapeControls(e instanceof Error ? e.stack ?? e.message : String(e)).split('\\n').join('\n')}\n`;
}
