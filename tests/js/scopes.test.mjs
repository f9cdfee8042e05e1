// Issue 12 and token rotation from JavaScript: createToken with scopes and expiry, scopes(),
// introspect() and regenerateToken() with a grace period, against the real server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { Client } from "../../pkg/dist/index.mjs";
import { PASSWORD, startServer } from "../support/server.mjs";

let server;
let owner;
before(async () => {
  server = await startServer();
  owner = new Client({ baseUri: server.url, username: "jsscopes", password: PASSWORD });
  await owner.signup("jsscopes@example.com", PASSWORD);
});
after(() => server?.stop());

test("scopes() lists the catalogue, tokens:introspect included, without credentials", async () => {
  const anonymous = new Client({ baseUri: server.url, username: "nobody" });
  const scopes = await anonymous.scopes();
  const names = scopes.map((s) => s.name);
  for (const name of ["apps:read", "apps:deploy", "logs:read", "tokens:introspect"]) {
    assert.ok(names.includes(name), `${name} in ${names}`);
  }
  assert.ok(scopes.every((s) => typeof s.description === "string"));
});

test("createToken with scopes and expiresAt (string or Date); the list shows them", async () => {
  const plain = await owner.createToken("plain");
  assert.deepEqual([plain.scopes, plain.expiresAt], [["all"], null]);

  const scoped = await owner.createToken("deploy", {
    scopes: ["apps:deploy", "logs:read"],
    expiresAt: "2099-01-01T00:00:00Z",
  });
  assert.equal(scoped.operation, "insert");
  assert.deepEqual(scoped.scopes, ["apps:deploy", "logs:read"]);
  assert.equal(scoped.expiresAt, "2099-01-01T00:00:00Z");

  const dated = await owner.createToken("dated", { expiresAt: new Date(Date.UTC(2099, 5, 1, 12)) });
  assert.equal(dated.expiresAt, "2099-06-01T12:00:00Z");

  const { tokens } = await owner.listTokens();
  const deploy = tokens.find((t) => t.name === "deploy");
  assert.deepEqual(deploy.scopes, ["apps:deploy", "logs:read"]);
  assert.equal(deploy.expiresAt, "2099-01-01T00:00:00Z");
  assert.equal(deploy.previousValidUntil, null);
  assert.ok("lastUsedIp" in deploy && "lastUsedAgent" in deploy);
  assert.deepEqual(tokens.find((t) => t.name === "plain").scopes, ["all"]);
});

test("bad options are refused before any request: wrong types, bad times, empty or unknown scopes", async () => {
  await assert.rejects(owner.createToken("x", { scopes: "apps:read" }), TypeError);
  await assert.rejects(owner.createToken("x", { scopes: [1] }), TypeError);
  await assert.rejects(owner.createToken("x", { expiresAt: 5 }), TypeError);
  await assert.rejects(owner.createToken("x", { expiresAt: "tomorrow" }), /not an RFC 3339 time/);
  await assert.rejects(owner.regenerateToken("x", { graceSeconds: -1 }), TypeError);
  // The server's rules: an unknown scope names it, an expiry in the past, more than a day of grace.
  await assert.rejects(
    owner.createToken("x", { scopes: ["apps:fly"] }),
    (e) => e.status === 400 && /apps:fly/.test(e.message) && /apps:read/.test(e.message),
  );
  await assert.rejects(owner.createToken("x", { scopes: [] }), (e) => e.status === 400);
  await assert.rejects(owner.createToken("x", { expiresAt: "2001-01-01T00:00:00Z" }), (e) => e.status === 400);
  await assert.rejects(owner.regenerateToken("plain", { graceSeconds: 86_401 }), (e) => e.status === 400);
  const { tokens } = await owner.listTokens();
  assert.ok(!tokens.some((t) => t.name === "x"));
});

test("introspect() with a tokens:introspect token: active with scopes and exp, inactive after destroy", async () => {
  const plainToken = (await owner.createToken("everything")).token;
  const svc = await owner.createToken("svc", { scopes: ["tokens:introspect"] });
  const service = new Client({ baseUri: server.url, username: "jsscopes", token: svc.token });
  const target = await owner.createToken("target", { scopes: ["apps:read"], expiresAt: "2099-01-01T00:00:00Z" });

  const seen = await service.introspect(target.token);
  assert.equal(seen.active, true);
  assert.equal(seen.username, "jsscopes");
  assert.equal(seen.token_name, "target");
  assert.equal(seen.scope, "apps:read");
  assert.equal(seen.exp, Date.UTC(2099, 0, 1) / 1000);
  assert.equal(typeof seen.iat, "number");
  const everything = await service.introspect(plainToken);
  assert.ok(everything.scope.split(" ").includes("apps:deploy"), "all is expanded");
  assert.ok(!everything.scope.split(" ").includes("tokens:introspect"));

  await owner.destroyToken("target");
  assert.deepEqual(await service.introspect(target.token), { active: false });
  assert.deepEqual(await service.introspect("not even a token"), { active: false });

  // Without the scope (a password included) it is 403; a wrong token 401.
  await assert.rejects(owner.introspect(svc.token), (e) => e.status === 403);
  const plain = await owner.createToken("noscope", { scopes: ["apps:read"] });
  const weak = new Client({ baseUri: server.url, username: "jsscopes", token: plain.token });
  await assert.rejects(weak.introspect(svc.token), (e) => e.status === 403);
  await assert.rejects(service.introspect(42), TypeError);
});

test("regenerateToken keeps scopes and expiry; with graceSeconds the old value works on", async () => {
  const first = await owner.createToken("ci", { scopes: ["apps:read"], expiresAt: "2099-01-01T00:00:00Z" });
  const second = await owner.regenerateToken("ci", { graceSeconds: 600 });
  assert.equal(second.operation, "update");
  assert.notEqual(second.token, first.token);
  assert.deepEqual(second.scopes, ["apps:read"]);
  assert.equal(second.expiresAt, "2099-01-01T00:00:00Z");

  const old = new Client({ baseUri: server.url, username: "jsscopes", token: first.token });
  assert.equal((await old.auth()).tokenName, "ci");
  const entry = (await owner.listTokens()).tokens.find((t) => t.name === "ci");
  const until = Date.parse(entry.previousValidUntil);
  assert.ok(Math.abs(until - (Date.now() + 600_000)) < 30_000, entry.previousValidUntil);

  // Without grace the replaced value stops at once, with a message saying so.
  const third = await owner.regenerateToken("ci");
  const mid = new Client({ baseUri: server.url, username: "jsscopes", token: second.token });
  await assert.rejects(mid.auth(), (e) => e.status === 401);
  const current = new Client({ baseUri: server.url, username: "jsscopes", token: third.token });
  assert.equal((await current.auth()).tokenName, "ci");
  // New scopes replace the old ones when given.
  const narrowed = await owner.regenerateToken("ci", { scopes: ["logs:read"] });
  assert.deepEqual(narrowed.scopes, ["logs:read"]);
});
