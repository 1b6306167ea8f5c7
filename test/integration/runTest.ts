/**
 * Runs the integration suite inside a desktop VS Code downloaded by @vscode/test-electron.
 *   npx tsc -p tsconfig.json && node esbuild.mjs && node out/test/integration/runTest.js
 * (needs network access to download VS Code and a display, e.g. `xvfb-run -a`). Not part of `npm test`.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // out/test/integration/runTest.js -> repository root
  const repoRoot = path.resolve(__dirname, '..', '..', '..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'qpcr-it-'));
  fs.copyFileSync(path.join(repoRoot, 'test', 'e2e', 'fixtures', 'appbio_quantstudio_example02.txt'), path.join(workspace, 'appbio_quantstudio_example02.txt'));
  try {
    await runTests({
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(__dirname, 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('integration tests failed:', e);
  process.exit(1);
});
