/**
 * The typed host <-> webview message protocol, used by both sides (src/host and webview/).
 * Each message has a string literal `type`; both sides switch over them exhaustively.
 * Grows with the features; keep one copy of these types, here (one re-export line per panel).
 */

export * from './plateProtocol';
export * from './resultsProtocol';

/** Exhaustiveness check for `switch` over message types. */
export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
