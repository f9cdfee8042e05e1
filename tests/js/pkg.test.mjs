// The npm package as a JavaScript user meets it: imported from Node as ESM and as CJS,
// packed with `npm pack` and installed from the tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

import * as esm from "../../pkg/dist/index.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..", "..", "pkg");
const cjs = createRequire(import.meta.url)("../../pkg/dist/index.cjs");
const TOKEN = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";

for (const [flavour, core] of [["esm", esm], ["cjs", cjs]]) {
  test(`${flavour}: validateTokenName accepts good names and explains bad ones`, () => {
    assert.equal(core.validateTokenName("tokenname1"), "tokenname1");
    assert.throws(() => core.validateTokenName("a b"), {
      message: `token name "a b" contains ' ' — allowed: letters, digits, '.', '_' and '-'`,
    });
    assert.throws(() => core.validateTokenName(".."), /starts with '.'/);
    assert.throws(() => core.validateTokenName(""), /empty/);
    assert.throws(() => core.validateTokenName("x".repeat(65)), /65 characters long/);
  });

  test(`${flavour}: generateToken gives distinct UUID v4 values and maskToken hides them`, () => {
    const a = core.generateToken();
    const b = core.generateToken();
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, b);
    assert.equal(core.maskToken(TOKEN), "********-****-****-****-********1d9a");
  });

  test(`${flavour}: Config round-trips a file written by the original jitsu`, () => {
    const text = '{\n  "username": "alice",\n  "apiToken": "' + TOKEN +
      '",\n  "apiTokenName": "jitsu",\n  "directories": {\n    "app": "/srv"\n  }\n}';
    const c = core.Config.fromJson(text);
    assert.equal(c.toJson(), text);
    assert.equal(c.get("username"), "alice");
    assert.equal(c.get("remoteHost"), "api.nodejitsu.com");
    assert.equal(c.remoteUri(), "https://api.nodejitsu.com");
    c.set("colors", "false");
    assert.equal(c.get("colors"), false);
    c.set("port", "8080");
    assert.equal(c.remoteUri(), "https://api.nodejitsu.com:8080");
    assert.throws(() => c.delete("root"), { message: "Cannot delete reserved setting root" });
    assert.throws(() => c.get("nope"), { message: "No configuration value for nope" });
    assert.equal(c.listing().apiToken, "********-****-****-****-********1d9a");
    c.logout();
    assert.throws(() => c.get("username"), /No configuration value/);
    assert.equal(c.get("apiTokenName"), "jitsu");
    c.login("bob", "laptop", TOKEN);
    assert.deepEqual(JSON.parse(c.toJson()).apiTokenName, "laptop");
  });

  test(`${flavour}: Config.fromJson reports line and column`, () => {
    assert.throws(() => core.Config.fromJson('{\n  "a": 1,\n}'), /line 3, column 1/);
  });

  test(`${flavour}: sharedAccess renders the handbook's commands and a config fragment`, () => {
    const s = core.sharedAccess("alice", "ci", TOKEN, { protocol: "http", host: "127.0.0.1", port: 8080 });
    assert.deepEqual(s.commands, [
      "jitsu logout",
      "jitsu config set apiTokenName ci",
      `jitsu config set apiToken ${TOKEN}`,
      "jitsu config set username alice",
      "jitsu config set remoteHost 127.0.0.1",
      "jitsu config set port 8080",
      "jitsu config set protocol http",
    ]);
    assert.deepEqual(s.config, {
      apiTokenName: "ci", apiToken: TOKEN, username: "alice",
      remoteHost: "127.0.0.1", port: 8080, protocol: "http",
    });
    assert.throws(() => core.sharedAccess("alice", "ci", "not-a-token"), /not valid/);
  });

  test(`${flavour}: Client reports an unreachable server as a clear Error`, async () => {
    const client = new core.Client({ baseUri: "http://127.0.0.1:9", username: "alice", password: "pw" });
    await assert.rejects(client.auth(), /could not reach http:\/\/127\.0\.0\.1:9\/auth/);
    assert.throws(() => new core.Client({ baseUri: "http://x", username: "bad name" }), /username/);
  });
}

test("npm pack yields a tarball that installs and loads from CJS and ESM", () => {
  const out = mkdtempSync(join(tmpdir(), "jitsu-pack-"));
  execFileSync("npm", ["pack", "--pack-destination", out], { cwd: pkgDir, stdio: "pipe" });
  const tgz = readdirSync(out).find((f) => f.endsWith(".tgz"));
  assert.ok(tgz, "npm pack wrote no tarball");
  const app = mkdtempSync(join(tmpdir(), "jitsu-app-"));
  writeFileSync(join(app, "package.json"), '{"name":"app","version":"1.0.0","private":true}');
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", join(out, tgz)], { cwd: app, stdio: "pipe" });
  const cjsOut = execFileSync("node", ["-e", "console.log(require('jitsu-core').maskToken('" + TOKEN + "'))"], { cwd: app }).toString().trim();
  assert.equal(cjsOut, "********-****-****-****-********1d9a");
  const esmOut = execFileSync("node", ["--input-type=module", "-e", "import { validateTokenName } from 'jitsu-core'; console.log(validateTokenName('ok-name'))"], { cwd: app }).toString().trim();
  assert.equal(esmOut, "ok-name");
});
