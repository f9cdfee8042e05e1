// Fixtures of the bundler tests: the packed package installed into each app, a static file
// server, Vite's dev server, headless Debian Chromium, and commands with their output.

import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

export const HERE = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = resolve(HERE, "..", "..");
export const PKG = join(ROOT, "pkg");
export const VITE_APP = join(HERE, "vite");
export const ESBUILD_APP = join(HERE, "esbuild");

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"];

/** Runs `command` in `cwd`; resolves to its output, rejects with it on a non-zero exit. */
export async function sh(cwd, command, args, { allowFailure = false } = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (allowFailure && typeof e.code === "number") return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed:\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`);
  }
}

/** `node_modules/.bin/<name>` of the app in `dir`. */
export const bin = (dir, name) => join(dir, "node_modules", ".bin", name);

/**
 * Packs `pkg/` with `npm pack` and installs the tarball into each folder (without touching
 * their package.json or lock), as a user would install a release. Resolves to the file list
 * `npm pack` reports.
 */
export async function packAndInstall(folders) {
  if (!existsSync(join(PKG, "dist", "index.js"))) {
    throw new Error("pkg/dist is missing: run `cargo xtask pkg` first");
  }
  const out = mkdtempSync(join(tmpdir(), "jitsu-pack-"));
  const { stdout } = await sh(PKG, "npm", ["pack", "--json", "--pack-destination", out]);
  const [packed] = JSON.parse(stdout);
  const tarball = join(out, packed.filename);
  await Promise.all(folders.map((dir) =>
    sh(dir, "npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", tarball])));
  for (const app of [VITE_APP, ESBUILD_APP]) {
    copyFileSync(join(HERE, "probe.js"), join(app, "probe.js"));
  }
  return packed.files.map((f) => f.path).sort();
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm" };

/** Serves `dir` on 127.0.0.1; `requests` lists the paths asked for. */
export function serve(dir) {
  const root = resolve(dir);
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    let file = resolve(root, "." + path);
    if (file !== root && !file.startsWith(root + sep)) return res.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) =>
    server.listen(0, "127.0.0.1", () =>
      ok({ url: `http://127.0.0.1:${server.address().port}/`, requests, close: () => server.close() })));
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Starts `vite` (the dev server) in the Vite app on 127.0.0.1; resolves once it listens. */
export async function viteDev() {
  const port = await freePort();
  const child = spawn(bin(VITE_APP, "vite"), ["--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: VITE_APP,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`vite did not start in 30 s:\n${log}`)), 30_000);
    child.stdout.on("data", () => {
      if (log.includes(url)) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`vite exited (${code}):\n${log}`));
    });
  });
  const exited = new Promise((ok) => child.on("exit", ok));
  return {
    url,
    log: () => log,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` in a fresh page and waits for the probe's result (`window.probeResult`).
 * Resolves to `{ result, errors }`: page errors and console errors are collected.
 */
export async function probePage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.probeResult !== undefined, null, { timeout: 30_000 });
    return { result: await page.evaluate(() => window.probeResult), errors };
  } finally {
    await page.close();
  }
}
