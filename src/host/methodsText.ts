/** The text "qPCR: Show Methods" opens and copies (no `vscode` here, so plain node tests reach it). */
import { methodsLines } from '../shared/report/format';
import type { Report } from '../shared/report/types';

/**
 * A report's methods as markdown: the methods paragraph when the report has one (`methods.paragraph`), then the
 * data and methods summary lines of the results panel (methodsLines).
 */
export function methodsMarkdown(report: Report): string {
  const paragraph = report.methods?.paragraph;
  const lines = methodsLines(report).map((l) => `- **${l.label}**: ${l.text}`);
  return [`# Methods: ${report.study}`, '', ...(typeof paragraph === 'string' && paragraph ? [paragraph, ''] : []), ...lines, ''].join('\n');
}
