// The npm package as JavaScript developers meet it: `npm pack`, the tarball installed into a
// fresh Vite 7 app and a fresh esbuild project (no plugin, no config, no init step), each
// built and loaded in headless Chromium (and Vite's dev server), the same code run from Node
// as ESM and CJS, and the types checked with `tsc`. `probe.js` holds the checks every place
// runs; `checkProbe` below says what they must give.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  ESBUILD_APP, HERE, VITE_APP, bin, launchBrowser, packAndInstall, probePage, serve, sh, viteDev,
} from "./helpers.mjs";

const TOKEN = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";
const TYPES = join(HERE, "types");
const NAMES = ["Client", "Config", "generateToken", "maskToken", "sharedAccess", "validateTokenName", "validateUsername"];

let packed;
let browser;
before(async () => {
  packed = await packAndInstall([HERE, VITE_APP, ESBUILD_APP]);
  browser = await launchBrowser();
});
after(() => browser?.close());

/** What the probe must report, wherever it ran. */
function checkProbe(result) {
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.defaultExport, NAMES, "the default export holds every named export");
  assert.equal(result.defaultHoldsTheNamedExports, true);
  assert.equal(result.validateTokenName, "ci-deploy");
  assert.deepEqual(result.ruleError, [
    "Error",
    `token name "a b" contains ' ' — allowed: letters, digits, '.', '_' and '-'`,
  ]);
  assert.equal(result.validateUsername, "alice");
  assert.equal(result.generatedTokenIsV4, true);
  assert.equal(result.maskToken, "********-****-****-****-********1d9a");
  assert.deepEqual(result.config, {
    roundTrips: true,
    remoteUri: "https://api.nodejitsu.com:8080",
    port: 8080,
    directories: { b: 1, a: [true, null, 1.5] },
    apiTokenListed: "********-****-****-****-********1d9a",
    colors: false,
  });
  assert.deepEqual(result.sharedAccess.commands, [
    "jitsu logout",
    "jitsu config set apiTokenName ci",
    `jitsu config set apiToken ${TOKEN}`,
    "jitsu config set username alice",
    "jitsu config set remoteHost 127.0.0.1",
    "jitsu config set port 8080",
    "jitsu config set protocol http",
  ]);
  assert.equal(result.sharedAccess.script, result.sharedAccess.commands.join("\n") + "\n");
  assert.deepEqual(result.sharedAccess.config, {
    apiTokenName: "ci", apiToken: TOKEN, username: "alice",
    remoteHost: "127.0.0.1", port: 8080, protocol: "http",
  });
  assert.deepEqual(result.unreachable, ["Error", true], "an unreachable server is a clear Error");
  assert.deepEqual(result.typeErrors.failures, [], "every wrong type is a TypeError naming the parameter");
  assert.ok(result.typeErrors.calls >= 150, `only ${result.typeErrors.calls} wrong calls were tried`);
  assert.deepEqual(result.afterBadCalls, ["still-works", "{}"], "the module keeps working after bad calls");
}

/** Errors a page logged, but the failed fetch of the unreachable-server check and the
 *  browser's own request for a favicon the apps do not have. */
const unexpected = (errors) => errors.filter((e) => !/127\.0\.0\.1:9\/auth|\/favicon\.ico\)$/.test(e));

async function node(file) {
  const { stdout } = await sh(HERE, "node", [join("node", file)]);
  return JSON.parse(stdout);
}

test("npm pack ships dist/ (ESM, CJS, types), the README and package.json, no loose .wasm", () => {
  assert.deepEqual(packed, [
    "README.md",
    "dist/index.cjs",
    "dist/index.d.cts",
    "dist/index.d.ts",
    "dist/index.js",
    "dist/index.mjs",
    "package.json",
  ]);
});

test("Node ESM: the named imports work with no init step", async () => {
  checkProbe(await node("esm.mjs"));
});

test("Node CJS: require works with no init step, default export included", async () => {
  checkProbe(await node("cjs.cjs"));
});

test("Node: import and require give the same module", async () => {
  const { stdout } = await sh(HERE, "node", ["--input-type=module", "-e", `
    import jitsu, { Config } from "jitsu-core";
    import { createRequire } from "node:module";
    const required = createRequire(import.meta.url)("jitsu-core");
    console.log(JSON.stringify([required.Config === Config, required.default === jitsu]));
  `]);
  assert.deepEqual(JSON.parse(stdout), [true, true]);
});

test("Node: each export names the parameter and the expected type in its TypeError", async () => {
  const { stdout } = await sh(HERE, "node", ["--input-type=module", "-e", `
    import { Client, Config, maskToken, sharedAccess, validateTokenName } from "jitsu-core";
    const message = (f) => { try { f(); } catch (e) { return e.constructor.name + ": " + e.message; } };
    console.log(JSON.stringify([
      message(() => maskToken({})),
      message(() => validateTokenName(42)),
      message(() => Config.fromJson(null)),
      message(() => sharedAccess("alice", "ci", "${TOKEN}", { host: "h" })),
      message(() => new Client({ baseUrl: "http://127.0.0.1" })),
      await new Client({ baseUri: "http://x", username: "a", password: "p" })
        .destroyToken().catch((e) => e.constructor.name + ": " + e.message),
    ]));
  `]);
  assert.deepEqual(JSON.parse(stdout), [
    "TypeError: maskToken: token must be a string, got an object",
    "TypeError: validateTokenName: name must be a string, got a number",
    "TypeError: Config.fromJson: text must be a string, got null",
    "TypeError: sharedAccess: remote.protocol must be a string, got undefined",
    "TypeError: Client: options.baseUri must be a string, got undefined",
    "TypeError: destroyToken: name must be a string, got undefined",
  ]);
});

test("vite build: the page works in Chromium with no plugin, config or init step", async () => {
  await sh(VITE_APP, bin(VITE_APP, "vite"), ["build", "--logLevel", "warn"]);
  const server = await serve(join(VITE_APP, "dist"));
  try {
    const { result, errors } = await probePage(browser, server.url);
    checkProbe(result);
    assert.deepEqual(unexpected(errors), []);
    assert.ok(!server.requests.some((p) => p.endsWith(".wasm")), "the wasm is inlined, never fetched");
  } finally {
    server.close();
  }
});

test("vite dev: the page works in Chromium from the dev server", async () => {
  const vite = await viteDev();
  try {
    const { result, errors } = await probePage(browser, vite.url);
    checkProbe(result);
    assert.deepEqual(unexpected(errors), []);
    assert.doesNotMatch(vite.log(), /error/i);
  } finally {
    await vite.stop();
  }
});

test("esbuild --bundle --format=esm: the page works in Chromium with no plugin or loader", async () => {
  await sh(ESBUILD_APP, bin(ESBUILD_APP, "esbuild"), [
    "main.js", "--bundle", "--format=esm", "--outfile=dist/main.js", "--log-level=warning",
  ]);
  const server = await serve(ESBUILD_APP);
  try {
    const { result, errors } = await probePage(browser, server.url);
    checkProbe(result);
    assert.deepEqual(unexpected(errors), []);
    assert.ok(!server.requests.some((p) => p.endsWith(".wasm")), "the wasm is inlined, never fetched");
  } finally {
    server.close();
  }
});

/** tsc's errors as `file line code`. */
const tscErrors = (output) =>
  [...output.matchAll(/^(\S+?)\((\d+),\d+\): error (TS\d+)/gm)].map(([, file, line, code]) => `${file} ${line} ${code}`);

test("a browser without a bundler: <script type=module> imports dist/index.js", async () => {
  const server = await serve(HERE);
  try {
    const { result, errors } = await probePage(browser, server.url + "plain/");
    checkProbe(result);
    assert.deepEqual(unexpected(errors), []);
    assert.ok(!server.requests.some((p) => p.endsWith(".wasm")), "the wasm is inlined, never fetched");
  } finally {
    server.close();
  }
});

/** One `tsc` run over types/ok.ts, ok.cts and wrong.ts with Node's resolution. */
let nodeTypes;
const tscNode = () => (nodeTypes ??= sh(TYPES, bin(HERE, "tsc"), ["-p", "tsconfig.json"], { allowFailure: true }));

test("tsc accepts files using every export correctly (Node ESM and CJS, bundler resolution)", async () => {
  const { stdout } = await tscNode();
  assert.deepEqual(tscErrors(stdout).filter((e) => !e.startsWith("wrong.ts ")), [], stdout);
  await sh(TYPES, bin(HERE, "tsc"), ["-p", "tsconfig.bundler.json"]);
});

test("tsc refuses wrong uses with the expected errors", async () => {
  const { code, stdout } = await tscNode();
  assert.equal(code, 2, stdout);
  const wanted = readFileSync(join(TYPES, "wrong.ts"), "utf8")
    .split("\n")
    .flatMap((text, i) => [...text.matchAll(/expect (TS\d+)/g)].map(([, c]) => `wrong.ts ${i + 1} ${c}`));
  assert.ok(wanted.length >= 20, "wrong.ts marks the errors it expects");
  assert.deepEqual(tscErrors(stdout).sort(), wanted.sort(), stdout);
});
