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
  type AuditEvent,
  type EventPage,
  type EventsOptions,
  type Introspection,
  type PasswordChanged,
  type RegenerateOptions,
  type RevokedAll,
  type ScopeInfo,
  type TokenOptions,
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

async function scopesAndLifecycle(): Promise<void> {
  const options: TokenOptions = { scopes: ["apps:read", "logs:read"], expiresAt: "2027-01-01T00:00:00Z" };
  const scoped: CreatedToken = await client.createToken("deploy", options);
  const dated: CreatedToken = await client.createToken(undefined, { expiresAt: new Date(Date.UTC(2027, 0, 1)) });
  const scopes: string[] | null = scoped.scopes;
  const expiresAt: string | null = dated.expiresAt;
  const rotate: RegenerateOptions = { graceSeconds: 600 };
  const rotated: CreatedToken = await client.regenerateToken("deploy", rotate);
  const catalogue: ScopeInfo[] = await client.scopes();
  const description: string | undefined = catalogue[0]?.description;
  const seen: Introspection = await shared.introspect(rotated.token);
  const active: boolean = seen.active;
  const exp: number | undefined = seen.exp;
  const seenScopes: string | undefined = seen.scope;
  const seenName: string | undefined = seen.token_name;
  const list: TokenList = await client.listTokens();
  const entry: TokenInfo | undefined = list.tokens[0];
  const until: string | null | undefined = entry?.previousValidUntil;
  const ip: string | null | undefined = entry?.lastUsedIp;
  const agent: string | null | undefined = entry?.lastUsedAgent;
  const stored: string[] | null | undefined = entry?.scopes;
  const page: EventPage = await client.events({ limit: 10, token: "deploy" });
  const older: EventPage = await client.events({ before: page.next ?? undefined });
  const all: EventPage = await client.events();
  const event: AuditEvent | undefined = page.events[0];
  const userAgent: string | null | undefined = event?.userAgent;
  const query: EventsOptions = { limit: 1 };
  const revoked: RevokedAll = await client.revokeAll();
  const ended: number = revoked.sessions;
  const changed: PasswordChanged = await client.changePassword("pw", "correct horse battery");
  const deleted: { ok: boolean } = await client.deleteAccount("correct horse battery");
  void [scopes, expiresAt, description, active, exp, seenScopes, seenName, until, ip, agent, stored];
  void [older, all, userAgent, query, ended, changed, deleted];
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

void [masked, value, old, uri, listing, text, commands, script, port, handbook, scopesAndLifecycle, everything, again];
