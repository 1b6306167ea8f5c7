import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * This process's peak RSS in MB: Linux's VmHWM (this process's own high-water mark). getrusage's maxRSS is not: a
 * process started by exec keeps its parent's maxRSS, so a small child of a large parent would report the parent's.
 * Elsewhere maxRSS.
 */
export function peakRssMB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch { /* not Linux */ }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs `node args` and parses every stdout line that is JSON. Kills the child after timeoutMs. */
export function runNode(args, { timeoutMs = 0, nodeFlags = [] } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '', timedOut = false;
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const timer = timeoutMs ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs) : null;
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      const lines = [];
      for (const l of out.split('\n')) { try { if (l.trim()) lines.push(JSON.parse(l)); } catch { /* not JSON */ } }
      resolve({ lines, code, timedOut, stderr: err.trim() });
    });
  });
}

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
export const fmtMs = (ms) => (ms == null || !Number.isFinite(ms) ? '-' : ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
/** An issue goal's verdict beside its value: `≤ 3×: PASS`, `≤ 300 MB: MISS`, `≤ 0.2×: -` when not measured. */
export const goalVerdict = (value, limit, unit = '×') => `≤ ${limit}${unit === '×' ? '' : ' '}${unit}: ${value == null || !Number.isFinite(value) ? '-' : value <= limit ? 'PASS' : 'MISS'}`;
export const fmtRatio = (r) => (r == null || !Number.isFinite(r) ? '-' : `${r >= 100 ? Math.round(r) : r.toFixed(2)}×`);

/** Prints rows (arrays of strings) as an aligned table with a header row. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c ?? '')));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  console.log(line(all[0]));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

/** Parses --key=value flags. */
export function flags(argv, defaults) {
  const o = { ...defaults };
  for (const a of argv) {
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const k = m[1].replace(/-(\w)/g, (_, c) => c.toUpperCase());
    const v = m[2] ?? 'true';
    o[k] = typeof defaults[k] === 'number' ? Number(v) : v;
  }
  return o;
}
