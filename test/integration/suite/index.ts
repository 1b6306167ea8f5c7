/**
 * Integration suite, run inside VS Code by runTest.ts. No mocha: a tiny sequential runner with node:assert,
 * so it needs nothing beyond what is installed. Polls with a timeout instead of sleeping.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'qpcr-studio.qpcr-studio';

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tests: [string, () => Promise<void>][] = [
  ['extension activates and registers its commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['qpcr.openPlateEditor', 'qpcr.runStudy', 'qpcr.openResults', 'qpcr.exportReport']) {
      assert.ok(commands.includes(c), `command ${c} is not registered`);
    }
  }],
  ['"Open in Plate Editor" opens the custom editor and the file gets qPCR diagnostics', async () => {
    const [uri] = await vscode.workspace.findFiles('appbio_quantstudio_example02.txt');
    assert.ok(uri, 'fixture not in the workspace');
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('qpcr.openPlateEditor', uri);
    await waitFor('the plate editor tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === 'qpcr.plateEditor'));
    const diags = await waitFor('qPCR diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'qPCR');
      return d.length ? d : undefined;
    });
    assert.ok(diags.every((d) => typeof d.code === 'string' && d.code.length > 0));
  }],
  ['study commands say honestly that no runner is registered', async () => {
    // Must resolve (the command shows an error message) rather than throw or fake a report.
    await vscode.commands.executeCommand('qpcr.openResults');
  }],
];

/** Entry point called by @vscode/test-electron. */
export async function run(): Promise<void> {
  const failures: string[] = [];
  for (const [name, fn] of tests) {
    try {
      await fn();
      console.log(`  ✓ ${name}`);
    } catch (e) {
      console.log(`  ✗ ${name}\n    ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      failures.push(name);
    }
  }
  if (failures.length) throw new Error(`${failures.length} integration test(s) failed: ${failures.join('; ')}`);
}
