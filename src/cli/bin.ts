/**
 * `qpcr-studio` (dist/cli.js): starts the CLI (dist/cliMain.js, or main.js beside this file in a tsc build) on a
 * worker thread with a heap limit (thread.ts). Loads nothing of the engine itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchCli } from './thread';

launchCli(['cliMain.js', 'main.js'].map((f) => path.join(__dirname, f)).find((f) => fs.existsSync(f)) ?? path.join(__dirname, 'main.js'));
