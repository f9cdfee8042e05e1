// Issue 13 from JavaScript: events(), revokeAll(), changePassword() and deleteAccount(),
// against the real server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";

import { Client } from "../../pkg/dist/index.mjs";
import { PASSWORD, startServer } from "../support/server.mjs";

const NEW_PASSWORD = "another horse battery";

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

/** A fresh account and its owner client. */
async function account(username) {
  const owner = new Client({ baseUri: server.url, username, password: PASSWORD });
  await owner.signup(`${username}@example.com`, PASSWORD);
  return owner;
}

test("events() pages the audit log newest first, filters by token, never shows a secret", async () => {
  const owner = await account("jslog");
  const { token } = await owner.createToken("ci");
  const job = new Client({ baseUri: server.url, username: "jslog", token });
  await job.auth();
  for (let i = 0; i < 3; i++) await owner.createToken(`t${i}`);

  const page = await owner.events();
  const actions = page.events.map((e) => e.action);
  assert.ok(actions.includes("signup") && actions.includes("token_create") && actions.includes("token_use"), actions);
  const times = page.events.map((e) => Date.parse(e.at));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");
  const use = page.events.find((e) => e.action === "token_use");
  assert.deepEqual([use.tokenName, use.credential, use.ip], ["ci", "token", "127.0.0.1"]);
  assert.equal(typeof use.userAgent, "string");
  const text = JSON.stringify(page);
  assert.ok(!text.includes(token) && !text.includes(PASSWORD), "no secret in the events");

  // Two at a time, following `next`, gives the same events.
  const paged = [];
  let before;
  do {
    const p = await owner.events({ limit: 2, before });
    assert.ok(p.events.length <= 2);
    paged.push(...p.events);
    before = p.next ?? undefined;
  } while (before);
  assert.deepEqual(paged, page.events);

  const onlyCi = await owner.events({ token: "ci" });
  assert.ok(onlyCi.events.length > 0 && onlyCi.events.every((e) => e.tokenName === "ci"));

  await assert.rejects(job.events(), (e) => e.status === 403 || e.status === 401, "a token cannot read the log");
  await assert.rejects(owner.events({ limit: 1001 }), (e) => e.status === 400);
  await assert.rejects(owner.events({ limit: "10" }), TypeError);
  await assert.rejects(owner.events({ token: "a b" }), /token name/);
});

test("revokeAll() destroys every token and says how many", async () => {
  const owner = await account("jsrevoke");
  const a = await owner.createToken("a");
  await owner.createToken("b");
  const holder = new Client({ baseUri: server.url, username: "jsrevoke", token: a.token });
  await assert.rejects(holder.revokeAll(), (e) => e.status === 403 || e.status === 401);

  assert.deepEqual(await owner.revokeAll(), { ok: true, tokens: 2, sessions: 0 });
  assert.deepEqual((await owner.listTokens()).tokens, []);
  await assert.rejects(holder.auth(), (e) => e.status === 401);
  assert.deepEqual(await owner.revokeAll(), { ok: true, tokens: 0, sessions: 0 });
});

test("changePassword() changes it, tokens keep working; a token or a wrong old password is refused", async () => {
  const owner = await account("jspasswd");
  const { token } = await owner.createToken("ci");
  const holder = new Client({ baseUri: server.url, username: "jspasswd", token });
  await assert.rejects(holder.changePassword(PASSWORD, NEW_PASSWORD), (e) => e.status === 403);
  await assert.rejects(owner.changePassword("not the password", NEW_PASSWORD), (e) => e.status >= 400);
  await assert.rejects(owner.changePassword(PASSWORD, "x"), /password/);

  assert.deepEqual(await owner.changePassword(PASSWORD, NEW_PASSWORD), { ok: true, sessions: 0 });
  await assert.rejects(owner.auth(), (e) => e.status === 401);
  const renewed = new Client({ baseUri: server.url, username: "jspasswd", password: NEW_PASSWORD });
  assert.equal((await renewed.auth()).method, "password");
  assert.equal((await holder.auth()).tokenName, "ci");
  const actions = (await renewed.events()).events.map((e) => e.action);
  assert.ok(actions.includes("password_change"), actions);
});

test("deleteAccount() removes the account; the name can be registered again", async () => {
  const owner = await account("jsdelete");
  const { token } = await owner.createToken("ci");
  const holder = new Client({ baseUri: server.url, username: "jsdelete", token });
  await assert.rejects(holder.deleteAccount(PASSWORD), (e) => e.status === 403);
  await assert.rejects(owner.deleteAccount("not the password"), (e) => e.status >= 400);
  assert.equal(await owner.available(), false);

  assert.deepEqual(await owner.deleteAccount(PASSWORD), { ok: true });
  assert.equal(await owner.available(), true);
  await assert.rejects(holder.auth(), (e) => e.status === 401);
  await owner.signup("jsdelete@example.com", PASSWORD);
  assert.deepEqual((await owner.listTokens()).tokens, []);
});
