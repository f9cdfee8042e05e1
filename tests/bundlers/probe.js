// The same checks wherever the package runs: Node (ESM and CJS), a Vite build, Vite's dev
// server and an esbuild bundle in Chromium. The test copies this file next to each app's
// `main.js`. `api` holds the named imports, `jitsu` the default export; the result is plain
// JSON that `bundlers.test.mjs` compares with what it expects.

const TOKEN = "4b7df949-1c21-4b70-8770-2c5615bc1d9a";
const CONFIG =
  '{\n  "username": "alice",\n  "apiToken": "' + TOKEN + '",\n  "port": 8080,\n' +
  '  "directories": {\n    "b": 1,\n    "a": [\n      true,\n      null,\n      1.5\n    ]\n  }\n}';

/** Values of every type but string, as their name in a TypeError message. */
const WRONG = {
  "a number": 42,
  null: null,
  undefined: undefined,
  "an object": {},
  "an array": [],
  "a boolean": true,
};

/** `[label, expected message, call]` for each wrong-typed argument of each export. */
function wrongCalls(api) {
  const { Client, Config, maskToken, sharedAccess, validateTokenName, validateUsername } = api;
  const calls = [];
  const each = (fn, param, call, { optional = false, expected = "a string", extra = {} } = {}) => {
    const values = { ...WRONG, ...extra };
    // The expected type itself, and `undefined` for an optional parameter, are not wrong.
    delete values[expected];
    if (optional) delete values.undefined;
    for (const [kind, value] of Object.entries(values)) {
      const wanted = optional ? `${expected} or undefined` : expected;
      calls.push([`${fn}(${param} = ${kind})`, `${fn}: ${param} must be ${wanted}, got ${kind}`, () => call(value)]);
    }
  };
  each("validateTokenName", "name", (v) => validateTokenName(v));
  each("validateUsername", "name", (v) => validateUsername(v));
  each("maskToken", "token", (v) => maskToken(v));
  each("sharedAccess", "owner", (v) => sharedAccess(v, "ci", TOKEN));
  each("sharedAccess", "tokenName", (v) => sharedAccess("alice", v, TOKEN));
  each("sharedAccess", "token", (v) => sharedAccess("alice", "ci", v));
  const remote = { protocol: "http", host: "127.0.0.1", port: 8080 };
  each("sharedAccess", "remote", (v) => sharedAccess("alice", "ci", TOKEN, v), {
    optional: true, expected: "an object", extra: { "a string": "http://127.0.0.1" },
  });
  for (const key of ["protocol", "host"]) {
    each("sharedAccess", `remote.${key}`, (v) => sharedAccess("alice", "ci", TOKEN, { ...remote, [key]: v }));
  }
  const port = (v) => sharedAccess("alice", "ci", TOKEN, { ...remote, port: v });
  each("sharedAccess", "remote.port", port, {
    optional: true, expected: "an integer from 1 to 65535", extra: { "a string": "8080" },
  });
  const portExpected = "sharedAccess: remote.port must be an integer from 1 to 65535 or undefined, got a number";
  calls.splice(calls.findIndex(([label]) => label === "sharedAccess(remote.port = a number)"), 1);
  for (const n of [0, 1.5, 65536, NaN]) {
    calls.push([`sharedAccess(remote.port = ${n})`, portExpected, () => port(n)]);
  }
  const config = new Config();
  each("Config.fromJson", "text", (v) => Config.fromJson(v));
  each("Config.get", "key", (v) => config.get(v));
  each("Config.set", "key", (v) => config.set(v, "x"));
  each("Config.set", "value", (v) => config.set("colors", v));
  each("Config.delete", "key", (v) => config.delete(v));
  each("Config.login", "username", (v) => config.login(v, "ci", TOKEN));
  each("Config.login", "tokenName", (v) => config.login("alice", v, TOKEN));
  each("Config.login", "token", (v) => config.login("alice", "ci", v));
  const options = { baseUri: "http://127.0.0.1:9", username: "alice" };
  each("Client", "options", (v) => new Client(v), { expected: "an object", extra: { "a string": "alice" } });
  each("Client", "options.baseUri", (v) => new Client({ ...options, baseUri: v }));
  each("Client", "options.username", (v) => new Client({ ...options, username: v }));
  each("Client", "options.password", (v) => new Client({ ...options, password: v }), { optional: true });
  each("Client", "options.token", (v) => new Client({ ...options, token: v }), { optional: true });
  each("Client", "options.ignorePoweredBy", (v) => new Client({ ...options, ignorePoweredBy: v }), {
    optional: true, expected: "a boolean", extra: { "a string": "yes" },
  });
  const client = new Client({ ...options, password: "pw" });
  each("createToken", "name", (v) => client.createToken(v), { optional: true });
  each("destroyToken", "name", (v) => client.destroyToken(v));
  each("signup", "email", (v) => client.signup(v, "correct horse battery"));
  each("signup", "password", (v) => client.signup("alice@example.com", v));
  return calls;
}

/** Calls each export with arguments of the wrong type; every one must throw (or reject with)
 *  a TypeError with the expected message. Returns the count and the calls that did not. */
async function typeErrors(api) {
  const calls = wrongCalls(api);
  const failures = [];
  for (const [label, expected, call] of calls) {
    let error = null;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    if (!(error instanceof TypeError) || error.message !== expected) {
      failures.push(`${label}: wanted TypeError "${expected}", got ${error?.constructor?.name}: ${error?.message}`);
    }
  }
  return { calls: calls.length, failures };
}

export async function probe(api, jitsu) {
  const { Client, Config, generateToken, maskToken, sharedAccess, validateTokenName, validateUsername } = api;
  const out = {};
  out.defaultExport = Object.keys(jitsu).sort();
  out.defaultHoldsTheNamedExports = out.defaultExport.every((k) => jitsu[k] === api[k]);
  out.validateTokenName = validateTokenName("ci-deploy");
  try {
    validateTokenName("a b");
  } catch (e) {
    out.ruleError = [e.constructor.name, e.message];
  }
  out.validateUsername = validateUsername("alice");
  out.generatedTokenIsV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    .test(generateToken());
  out.maskToken = maskToken(TOKEN);
  const config = Config.fromJson(CONFIG);
  out.config = {
    roundTrips: config.toJson() === CONFIG,
    remoteUri: config.remoteUri(),
    port: config.get("port"),
    directories: config.get("directories"),
    apiTokenListed: config.listing().apiToken,
  };
  config.set("colors", "false");
  out.config.colors = config.get("colors");
  out.sharedAccess = sharedAccess("alice", "ci", TOKEN, { protocol: "http", host: "127.0.0.1", port: 8080 });
  const client = new Client({ baseUri: "http://127.0.0.1:9", username: "alice", password: "pw" });
  out.unreachable = await client.auth().then(
    () => "resolved",
    (e) => [e.constructor.name, e.message.startsWith("could not reach http://127.0.0.1:9/auth: ")],
  );
  out.typeErrors = await typeErrors(api);
  out.afterBadCalls = [validateTokenName("still-works"), Config.fromJson("{}").toJson()];
  return out;
}
