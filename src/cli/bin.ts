/**
 * `qpcr-studio` (dist/cli.js): answers `--help` and `--version` itself (usage.ts), and otherwise starts the CLI
 * (dist/cliMain.js, or main.js beside this file in a tsc build) on a worker thread with a heap limit (thread.ts).
 * Loads nothing of the engine but its version.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchCli } from './thread';
import { quickAnswer } from './usage';

const quick = quickAnswer(process.argv.slice(2));
if (quick !== null) process.stdout.write(`${quick}\n`);
else launchCli(['cliMain.js', 'main.js'].map((f) => path.join(__dirname, f)).find((f) => fs.existsSync(f)) ?? path.join(__dirname, 'main.js'));
