// Drives the original `nodejitsu-api` 0.6 client, unchanged, against a jitsu-server.
// Usage: node nodejitsu-api.js http://127.0.0.1:PORT   (exit code 0 = every step passed)
'use strict';

const assert = require('node:assert/strict');
const { promisify } = require('node:util');
const nodejitsu = require('nodejitsu-api');

const remoteUri = process.argv[2];
if (!remoteUri) {
  console.error('usage: node nodejitsu-api.js <server url>');
  process.exit(2);
}

const PASSWORD = 'correct horse battery';

function client(options) {
  const c = nodejitsu.createClient(Object.assign({ remoteUri }, options));
  // Promisified calls; the error (if any) keeps the client's statusCode and message.
  const call = (resource, method) => promisify(c[resource][method].bind(c[resource]));
  return {
    auth: call('users', 'auth'),
    create: call('users', 'create'),
    available: call('users', 'available'),
    view: call('users', 'view'),
    list: (...a) => call('tokens', 'list')(...a),
    createToken: (...a) => call('tokens', 'create')(...a),
    destroyToken: (...a) => call('tokens', 'destroy')(...a),
  };
}

async function rejects(promise, status, what) {
  try {
    await promise;
  } catch (err) {
    assert.equal(err.statusCode, status, `${what}: ${err.message}`);
    assert.match(err.message, new RegExp(`^Nodejitsu Error \\(${status}\\): `), what);
    return err;
  }
  assert.fail(`${what}: expected Nodejitsu Error (${status})`);
}

function step(name) {
  console.log(`ok - ${name}`);
}

async function main() {
  const anon = client({});
  assert.deepEqual(await anon.available('alice'), { available: true });
  step('users.available on a free name');

  await anon.create({ username: 'alice', email: 'alice@example.com', password: PASSWORD });
  assert.deepEqual(await anon.available('alice'), { available: false });
  await rejects(anon.create({ username: 'alice', email: 'a@example.com', password: PASSWORD }), 409, 'second signup');
  step('users.create, then the name is taken (409)');

  const owner = client({ username: 'alice', password: PASSWORD });
  const who = await owner.auth();
  assert.equal(who.username, 'alice');
  assert.equal((await owner.view('alice')).username, 'alice');
  step('users.auth and users.view with the password');

  assert.deepEqual((await owner.list()).apiTokens, {});
  step('tokens.list on an empty account gives apiTokens {}');

  // The three call forms of tokens.create: (cb) POST, (name, cb) PUT, (user, name, cb) PUT.
  const login = await owner.createToken('jitsu');
  assert.equal(login.operation, 'insert');
  const loginToken = login.jitsu;
  assert.match(loginToken, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const unnamed = await owner.createToken();
  assert.deepEqual(Object.keys(unnamed), ['operation', 'scopes', 'expiresAt', 'token-1']);
  assert.deepEqual(unnamed.scopes, ['all']);
  const named = await owner.createToken('alice', 'shared');
  assert.equal(Object.keys(named).filter((k) => k !== 'operation').pop(), 'shared');
  step('tokens.create in its three forms');

  const list = await owner.list('alice');
  assert.deepEqual(Object.keys(list.apiTokens).sort(), ['jitsu', 'shared', 'token-1']);
  for (const [name, value] of Object.entries(list.apiTokens)) {
    assert.ok(value.startsWith('********-****-****-****-********'), `${name} is masked`);
    assert.notEqual(value, loginToken);
  }
  step('tokens.list shows masked values only');

  const third = client({ username: 'alice', apiToken: named.shared });
  assert.equal((await third.auth()).username, 'alice');
  assert.equal((await third.view('alice')).username, 'alice');
  await rejects(third.list(), 403, 'listing with a token');
  await rejects(third.createToken('mine'), 403, 'creating with a token');
  step('shared token: auth and view work, token management is 403');

  assert.deepEqual(await owner.destroyToken('shared'), { ok: true, id: 'shared' });
  await rejects(third.auth(), 401, 'destroyed token');
  await rejects(owner.destroyToken('alice', 'shared'), 404, 'destroying twice');
  step('tokens.destroy, then the token is refused (401)');

  const again = await owner.createToken('jitsu');
  assert.equal(again.operation, 'update');
  await rejects(client({ username: 'alice', apiToken: loginToken }).auth(), 401, 'regenerated old value');
  assert.equal((await client({ username: 'alice', apiToken: again.jitsu }).auth()).username, 'alice');
  step('PUT of an existing name regenerates it; the old value is refused');

  await rejects(client({ username: 'alice', password: 'wrong password' }).auth(), 401, 'wrong password');
  await rejects(client({ username: 'bob', password: PASSWORD }).auth(), 401, 'unknown user');
  step('wrong password and unknown user are 401');
}

main().then(
  () => console.log('nodejitsu-api interop: all steps passed'),
  (err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  },
);
