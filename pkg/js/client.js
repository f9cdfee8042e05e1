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

  createToken(name) {
    return this.#send("createToken", name);
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
