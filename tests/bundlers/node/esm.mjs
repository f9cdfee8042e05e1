// Node, as an ES module: named imports, no init step. Prints the probe's result as JSON.
import jitsu, {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} from "jitsu-core";
import { probe } from "../probe.js";

const api = { Client, Config, generateToken, maskToken, sharedAccess, validateTokenName, validateUsername };
console.log(JSON.stringify(await probe(api, jitsu)));
