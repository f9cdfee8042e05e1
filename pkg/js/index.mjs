// Entry for Node's `import` (`dist/index.mjs`): the CommonJS build under the same names, so a
// program that both imports and requires the package shares one module (one `Config` class).
import cjs from "./index.cjs";

export const {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} = cjs;
export default cjs.default;
