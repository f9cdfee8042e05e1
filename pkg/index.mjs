// ES module entry for Node: the CommonJS build loads its wasm synchronously, so it is
// re-exported here under the same names (`import { Config } from "jitsu-core"`).
import core from "./node/jitsu_core.js";

export const {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} = core;
export default core;
