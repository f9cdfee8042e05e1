// Node, as CommonJS: `require`, no init step. Prints the probe's result as JSON.
const jitsu = require("jitsu-core");
const {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} = jitsu;

const api = { Client, Config, generateToken, maskToken, sharedAccess, validateTokenName, validateUsername };
import("../probe.js")
  .then(({ probe }) => probe(api, jitsu.default))
  .then((result) => console.log(JSON.stringify(result)));
