// Wrong uses of the package: `tsc` must refuse each line marked `expect TSxxxx` with exactly
// that error, and nothing else.
import jitsu, { Client, Config, type ConfigValue, generateToken, maskToken, sharedAccess, validateTokenName } from "jitsu-core";

validateTokenName(42); // expect TS2345
validateTokenName(); // expect TS2554
maskToken({}); // expect TS2345
jitsu.validateUsername(null); // expect TS2345
Config.fromJson(null); // expect TS2345
new Config().set("port", 8080); // expect TS2345
const uri: number = new Config().remoteUri(); // expect TS2322
const value: string = new Config().get("port"); // expect TS2322
sharedAccess("alice", "ci", generateToken(), { host: "127.0.0.1" }); // expect TS2345
sharedAccess("alice", "ci", generateToken(), { protocol: "http", host: "h", port: "8080" }); // expect TS2322
const handout = sharedAccess("alice", "ci", generateToken());
handout.comands; // expect TS2551
new Client({ baseUrl: "http://127.0.0.1:8080", username: "alice" }); // expect TS2561
new Client({ baseUri: "http://127.0.0.1:8080" }); // expect TS2345
new Client({ baseUri: "http://127.0.0.1:8080", username: "alice", ignorePoweredBy: "yes" }); // expect TS2322
const client = new Client({ baseUri: "http://127.0.0.1:8080", username: "alice", password: "pw" });
client.createToken(42); // expect TS2345
client.destroyToken(); // expect TS2554
client.signup("alice@example.com"); // expect TS2554
const created: string = await client.createToken("ci"); // expect TS2322
const method: "magic" = (await client.auth()).method; // expect TS2322
(await client.listTokens()).tokens[0]?.value; // expect TS2339
const available: string = await client.available(); // expect TS2322
client.createToken("ci", { scopes: "apps:read" }); // expect TS2322
client.createToken("ci", { expiresAt: 1767225600 }); // expect TS2322
client.createToken("ci", { graceSeconds: 60 }); // expect TS2353
client.regenerateToken(); // expect TS2554
client.introspect(); // expect TS2554
client.events({ limit: "10" }); // expect TS2322
client.changePassword("old"); // expect TS2554
const seen: string = (await client.introspect("x")).active; // expect TS2322

void [uri, value, created, method, available, seen, null as unknown as ConfigValue];
