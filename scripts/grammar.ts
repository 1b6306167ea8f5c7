/**
 * The statement keywords of the TextMate grammar (syntaxes/qstudy.tmLanguage.json) come from the study language:
 * its data statements and the registry of analyses (src/engine/analyses). `npm run build` runs the compiled script
 * (`node out/scripts/grammar.js`) after tsc to rewrite the two keyword alternations in place; the grammar stays
 * committed, and test/unit/analyses/registry.test.ts asserts the committed file equals the generated one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ANALYSIS_KINDS } from '../src/engine/analyses';
import { DATA_KEYWORDS } from '../src/engine/study/ast';

const END = '(?![\\w.@]|-[A-Za-z0-9])';
const LABEL = '([A-Za-z_][\\w.]*(?:-[A-Za-z0-9][\\w.]*)*)';
const alt = (words: readonly string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/** The `match` of the grammar's two keyword rules. */
export function keywordPatterns(): { 'labelled-analysis': string; statement: string } {
  return {
    'labelled-analysis': `^\\s*${LABEL}\\s*(:)\\s*(${alt(ANALYSIS_KINDS)})${END}`,
    statement: `^\\s*(${alt([...DATA_KEYWORDS, ...ANALYSIS_KINDS])})${END}`,
  };
}

/** The grammar text with its keyword rules regenerated (everything else byte for byte as given). */
export function generateGrammar(text: string): string {
  const repo = (JSON.parse(text) as { repository: Record<string, { match?: string }> }).repository;
  let out = text;
  for (const [rule, match] of Object.entries(keywordPatterns())) {
    const old = repo[rule]?.match;
    if (old === undefined) throw new Error(`The grammar has no rule "${rule}" with a match.`);
    const at = out.indexOf(`"match": ${JSON.stringify(old)}`);
    if (at < 0) throw new Error(`Cannot find the match of rule "${rule}" in the grammar text.`);
    out = out.slice(0, at) + `"match": ${JSON.stringify(match)}` + out.slice(at + `"match": ${JSON.stringify(old)}`.length);
  }
  return out;
}

export const GRAMMAR_FILE = path.join('syntaxes', 'qstudy.tmLanguage.json');

if (require.main === module) {
  const file = path.join(__dirname, '..', '..', GRAMMAR_FILE);
  const text = fs.readFileSync(file, 'utf8');
  const next = generateGrammar(text);
  if (next !== text) { fs.writeFileSync(file, next); console.log(`${GRAMMAR_FILE}: keyword lists regenerated from the registry`); }
}
