// Entry for browsers, bundlers and other ES module hosts (`dist/index.js`). Chrome refuses to
// compile a module over 4 KB synchronously on the main thread, so the module is instantiated
// asynchronously, behind top-level await: importers see a ready module, with no init step.
import { imports, start, wasmBytes } from "./wasm.js";

start((await WebAssembly.instantiate(wasmBytes(), imports)).instance);

export * from "./api.js";
export { default } from "./api.js";
