// What every entry exports: the same names, and the same default export (an object holding
// them), in Node and in browsers.
import {
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} from "../build/jitsu_core_bg.js";
import { Client } from "./client.js";

export { Client, Config, generateToken, maskToken, sharedAccess, validateTokenName, validateUsername };

export default Object.freeze({
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
});
