// The npm package's fetch-based Client against the real server (Node 20's global fetch).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { Client } from "../../pkg/dist/index.mjs";
import { PASSWORD, startServer } from "../support/server.mjs";

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

test("the handbook flow works from JavaScript", async () => {
  const owner = new Client({ baseUri: server.url, username: "jsalice", password: PASSWORD });
  assert.equal(await owner.available(), true);
  const user = await owner.signup("jsalice@example.com", PASSWORD);
  assert.equal(user.username, "jsalice");
  assert.equal(await owner.available(), false);

  const me = await owner.auth();
  assert.deepEqual([me.username, me.method], ["jsalice", "password"]);

  const named = await owner.createToken("laptop");
  assert.equal(named.operation, "insert");
  assert.equal(named.name, "laptop");
  assert.match(named.token, /^[0-9a-f-]{36}$/);
  const unnamed = await owner.createToken();
  assert.notEqual(unnamed.name, "laptop");

  const list = await owner.listTokens();
  assert.deepEqual(Object.keys(list.apiTokens).sort(), ["laptop", unnamed.name].sort());
  assert.equal(list.apiTokens.laptop, "********-****-****-****-********" + named.token.slice(-4));
  assert.ok(!JSON.stringify(list).includes(named.token), "the list never shows a token value");

  const shared = new Client({ baseUri: server.url, username: "jsalice", token: named.token });
  const asOwner = await shared.auth();
  assert.deepEqual([asOwner.username, asOwner.method, asOwner.tokenName], ["jsalice", "token", "laptop"]);
  await assert.rejects(shared.createToken("minted"), (e) => e.status === 401 || e.status === 403);

  const gone = await owner.destroyToken("laptop");
  assert.deepEqual(gone, { ok: true, id: "laptop" });
  await assert.rejects(shared.auth(), (e) => e.status === 401 && /Nodejitsu Error \(401\): Not Authorized/.test(e.message));
});

test("a wrong password is a 401 Error with the original message", async () => {
  const c = new Client({ baseUri: server.url, username: "nobody-here", password: "wrong password" });
  await assert.rejects(c.auth(), (e) => e.status === 401 && e.message.startsWith("Nodejitsu Error (401): Not Authorized"));
});
