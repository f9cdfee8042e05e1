// The package from CommonJS (`require`): `tsc` must accept this file without a single error.
import jitsu = require("jitsu-core");

const name: string = jitsu.validateTokenName("ci-deploy");
const config: jitsu.Config = jitsu.Config.fromJson("{}");
const value: jitsu.ConfigValue = config.get("remoteHost");
const handout: jitsu.SharedAccessHandout = jitsu.sharedAccess("alice", name, jitsu.generateToken());
const client: jitsu.Client = new jitsu.Client({ baseUri: "http://127.0.0.1:8080", username: "alice" });
const masked: string = jitsu.default.maskToken(handout.config.apiToken);

void [value, client, masked];
