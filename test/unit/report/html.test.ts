/** report.html (src/engine/report/html.ts): escaping of user data, inlined assets, CSP hashes. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { fixture } from '../helpers';
import type { Report } from '../../../src/shared/report/types';
import { base64, cspHash, escapeHtml, jsonForScript, renderReportHtml, scriptSafe, sha256 } from '../../../src/engine/report/html';

const xss = JSON.parse(fs.readFileSync(fixture('report', 'xss-report.json'), 'utf8')) as Report;
const sample = JSON.parse(fs.readFileSync(fixture('report', 'sample-report.json'), 'utf8')) as Report;

const nodeSha = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

test('sha256 and base64 agree with node:crypto (block boundaries, UTF-8, empty)', () => {
  const lens = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 200, 1000];
  for (const n of lens) {
    const s = 'aé€😀'.repeat(n).slice(0, n);
    assert.deepEqual(Buffer.from(sha256(s)), nodeSha(s), `length ${n}`);
  }
  for (const n of [0, 1, 2, 3, 4, 31, 32, 33]) {
    const b = crypto.randomBytes(n);
    assert.equal(base64(new Uint8Array(b)), b.toString('base64'));
  }
  assert.equal(cspHash('alert(1)'), `'sha256-${nodeSha('alert(1)').toString('base64')}'`);
});

test('jsonForScript: no "<" at all, round-trips, non-finite numbers as null', () => {
  const v = { a: '</script><script>alert(1)</script>', b: '<!-- x', c: NaN, d: [Infinity, 1], e: '\u2028' };
  const s = jsonForScript(v);
  assert.ok(!s.includes('<'));
  assert.deepEqual(JSON.parse(s), { a: v.a, b: v.b, c: null, d: [null, 1], e: '\u2028' });
});

test('scriptSafe: the bundle cannot close its element', () => {
  const js = 'var s = "</script><b>"; var t = "</SCRIPT >"; var u = "<!--";';
  const safe = scriptSafe(js);
  assert.doesNotMatch(safe, /<\/script/i);
  assert.ok(!safe.includes('<!--'));
  // still the same JavaScript strings
  const f = new Function(`${safe}; return [s, t, u];`) as () => string[];
  assert.deepEqual(f(), ['</script><b>', '</SCRIPT >', '<!--']);
});

function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1], body: m[2] }));
}

test('renderReportHtml: user strings like <img onerror> and </script> stay inside the JSON, escaped', () => {
  const bundle = 'console.log("bundle </script> inside");';
  const css = 'body{color:red}</style><script>alert(1)</script>';
  const html = renderReportHtml(xss, { script: bundle, css });
  // the style element cannot be closed early: its body is the whole (escaped) CSS, and what it holds is inert text
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  assert.equal(style, 'body{color:red}<\\/style><script>alert(1)</script>');
  const s = scripts(html.replace(style, ''));
  assert.equal(s.length, 2, 'exactly the data and the bundle scripts');
  assert.match(s[0].attrs, /id="report-data" type="application\/json"/);
  assert.deepEqual(JSON.parse(s[0].body), xss);
  assert.ok(!s[0].body.includes('<'));
  assert.equal(s[1].body, scriptSafe(bundle));
  // no markup from the data anywhere outside the JSON
  assert.ok(!html.includes('<img'));
  assert.equal((html.match(/<style>/g) ?? []).length, 1);
  assert.match(html, /<title>&lt;img src=x onerror=alert\(1\)&gt; study &lt;\/script&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;<\/title>/);
});

test('renderReportHtml: the CSP allows exactly the inlined script and style, nothing remote', () => {
  const script = 'document.title = "x";';
  const css = 'body { margin: 0 }';
  const html = renderReportHtml(sample, { script, css });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replace(/&#39;/g, "'");
  assert.ok(csp);
  assert.match(csp, /default-src 'none'/);
  assert.ok(csp.includes(`script-src 'sha256-${nodeSha(script).toString('base64')}'`));
  assert.ok(csp.includes(`style-src 'sha256-${nodeSha(css).toString('base64')}'`));
  assert.doesNotMatch(csp, /unsafe-|https?:|\*/);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  assert.equal(style, css);
  assert.doesNotMatch(html, /\b(src|href)=/, 'no external resources');
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
});
