// Every export used as documented: `tsc` must accept this file without a single error.
import jitsu, {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
  type AuthInfo,
  type ClientOptions,
  type ConfigValue,
  type CreatedToken,
  type DestroyedToken,
  type Remote,
  type SharedAccessHandout,
  type SharedConfig,
  type TokenInfo,
  type TokenList,
  type UserInfo,
} from "jitsu-core";

const name: string = validateTokenName("ci-deploy");
const user: string = validateUsername("alice");
const token: string = generateToken();
const masked: string = maskToken(token);

const config: Config = Config.fromJson("{}");
const empty = new Config();
const value: ConfigValue = config.get("remoteHost");
config.set("port", "8080");
const old: ConfigValue = config.delete("port");
const uri: string = config.remoteUri();
config.login(user, name, token);
config.logout();
const listing: Record<string, ConfigValue> = config.listing();
const text: string = config.toJson();
empty.free();

const remote: Remote = { protocol: "http", host: "127.0.0.1", port: 8080 };
const handout: SharedAccessHandout = sharedAccess("alice", name, token, remote);
const withoutRemote: SharedAccessHandout = sharedAccess("alice", name, token);
const commands: string[] = handout.commands;
const script: string = withoutRemote.script;
const fragment: SharedConfig = handout.config;
const port: number | undefined = fragment.port;

const options: ClientOptions = { baseUri: "http://127.0.0.1:8080", username: "alice", password: "pw" };
const client = new Client(options);
const shared = new Client({ baseUri: "http://127.0.0.1:8080", username: "alice", token, ignorePoweredBy: true });

async function handbook(): Promise<void> {
  const free: boolean = await client.available();
  const account: UserInfo = await client.signup("alice@example.com", "correct horse battery");
  const email: string | null = account.email;
  const me: AuthInfo = await shared.auth();
  const method: "password" | "token" | "session" = me.method;
  const tokenName: string | undefined = me.tokenName;
  const created: CreatedToken = await client.createToken("ci");
  const unnamed: CreatedToken = await client.createToken();
  const operation: "insert" | "update" = unnamed.operation;
  const list: TokenList = await client.listTokens();
  const first: TokenInfo | undefined = list.tokens[0];
  const createdAt: string | null | undefined = first?.createdAt;
  const mask: string | undefined = list.apiTokens[created.name];
  const gone: DestroyedToken = await client.destroyToken(created.name);
  const id: string = gone.id;
  void [free, email, method, tokenName, operation, createdAt, mask, id];
}

const everything: typeof jitsu = {
  Client,
  Config,
  generateToken,
  maskToken,
  sharedAccess,
  validateTokenName,
  validateUsername,
};
const again: string = jitsu.validateTokenName(name);

void [masked, value, old, uri, listing, text, commands, script, port, handbook, everything, again];
