// A fresh app's use of the package: named imports, no init step.
import jitsu, {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
} from "jitsu-core";
import { probe } from "./probe.js";

const api = { Client, Config, generateToken, maskToken, sharedAccess, validateTokenName, validateUsername };
probe(api, jitsu).then(
  (result) => {
    window.probeResult = result;
  },
  (e) => {
    window.probeResult = { error: String(e?.stack ?? e) };
  },
);
