// The package's `Client`. The core (wasm) describes each request and reads each answer; this
// class only performs the request with the global `fetch` (browsers, Node ≥ 18), so the core
// stays free of I/O and the wasm module free of async machinery.
import { ClientCore } from "../build/jitsu_core_bg.js";

export class Client {
  #core;

  constructor(options) {
    this.#core = new ClientCore(options);
  }

  auth() {
    return this.#send("auth");
  }

  listTokens() {
    return this.#send("listTokens");
  }

  createToken(name, options) {
    return this.#send("createToken", name, withIsoExpiry(options));
  }

  regenerateToken(name, options) {
    return this.#send("regenerateToken", name, withIsoExpiry(options));
  }

  introspect(token) {
    return this.#send("introspect", token);
  }

  scopes() {
    return this.#send("scopes");
  }

  revokeAll() {
    return this.#send("revokeAll");
  }

  events(options) {
    return this.#send("events", options);
  }

  changePassword(oldPassword, newPassword) {
    return this.#send("changePassword", oldPassword, newPassword);
  }

  deleteAccount(password) {
    return this.#send("deleteAccount", password);
  }

  destroyToken(name) {
    return this.#send("destroyToken", name);
  }

  signup(email, password) {
    return this.#send("signup", email, password);
  }

  available() {
    return this.#send("available");
  }

  async #send(op, first, second) {
    // Described before anything is awaited: a bad argument rejects without a request.
    const { url, ...init } = this.#core.request(op, first, second);
    let response;
    try {
      response = await fetch(url, init);
    } catch (e) {
      throw new Error(
        `could not reach ${url}: ${e?.message ?? e} — check the address and that the server runs`,
        { cause: e },
      );
    }
    const body = await response.text();
    return this.#core.answer(op, response.status, response.headers.get("x-powered-by"), body);
  }
}

// A `Date` given as `expiresAt` goes to the core as RFC 3339 text; anything else as it is
// (the core checks it).
function withIsoExpiry(options) {
  return options?.expiresAt instanceof Date
    ? { ...options, expiresAt: options.expiresAt.toISOString() }
    : options;
}
