// Entry for Node's `require` (`dist/index.cjs`, built as CommonJS): Node compiles modules of
// any size synchronously, so `require("jitsu-core")` returns a ready module.
import { imports, start, wasmBytes } from "./wasm.js";

start(new WebAssembly.Instance(new WebAssembly.Module(wasmBytes()), imports));

export * from "./api.js";
export { default } from "./api.js";
