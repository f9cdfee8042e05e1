// The one way the JavaScript tests start a real server: `jitsu server` (or `jitsu-server`) on
// 127.0.0.1 with a free port and a temporary data folder, ready once it printed
// `jitsu server listening on http://ADDR`. The Rust tests use `jitsu_server::harness`.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root. */
export const ROOT = path.resolve(here, '..', '..');
/** The `jitsu` binary (or `jitsu-server`, which takes the same flags without `server`). */
export const JITSU_BIN = process.env.JITSU_BIN ?? path.join(ROOT, 'target/debug/jitsu');
/** The password the tests give their accounts (the Rust tests' `TEST_PASSWORD`). */
export const PASSWORD = 'correct horse battery';

/**
 * Starts the real server; `extra` flags are added (e.g. `['--dashboard', dist]`). Resolves to
 * `{ url, stop() }`; `stop()` ends the process and removes its data folder.
 */
export async function startServer(extra = []) {
  const data = mkdtempSync(path.join(tmpdir(), 'jitsu-test-'));
  const flags = ['--listen', '127.0.0.1:0', '--data', data, ...extra];
  const args = path.basename(JITSU_BIN) === 'jitsu-server' ? flags : ['server', ...flags];
  const child = spawn(JITSU_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s:\n${out}\n${log}`)), 20_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}\n${log}`)); });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}
