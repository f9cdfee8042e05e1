// The wasm module travels inside the JavaScript as base64, so no bundler, dev server or
// Node loader has to find, copy or serve a `.wasm` file.
import * as glue from "../build/jitsu_core_bg.js";
import base64 from "../build/jitsu_core_bg.wasm.base64.js";

/** The module's bytes. */
export function wasmBytes() {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** What the module imports: the glue wasm-bindgen generated. */
export const imports = { "./jitsu_core_bg.js": glue };

/** Hands the instance to the glue and runs its start function. */
export function start(instance) {
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
}
