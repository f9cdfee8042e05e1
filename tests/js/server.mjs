// Starts the real `jitsu server` on 127.0.0.1 with a temporary data dir, for JS tests.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function startServer() {
  const bin = process.env.JITSU_BIN || join(root, "target", "debug", "jitsu");
  const data = mkdtempSync(join(tmpdir(), "jitsu-js-"));
  const child = spawn(bin, ["server", "--listen", "127.0.0.1:0", "--data", data], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), 20000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
  });
  return { url, stop: () => child.kill("SIGTERM") };
}
