
// ---- From pkg/js/types.d.ts: the parts written in JavaScript. ----

/**
 * A client of the token API, performing requests with the global `fetch` (browsers and
 * Node ≥ 18). A password wins over a token, as in the original client; managing tokens needs
 * the password, a token can only read the account.
 *
 * Every method returns a promise. It rejects with an `Error` whose message says what was wrong
 * (API errors also carry `status`, the HTTP status), or with a `TypeError` when an argument has
 * the wrong type.
 *
 * ```js
 * const owner = new Client({ baseUri: "http://127.0.0.1:8080", username: "alice", password });
 * const { name, token } = await owner.createToken("ci");
 * ```
 */
export declare class Client {
    /** Throws a `TypeError` naming the option of the wrong type, an `Error` on a bad username or token. */
    constructor(options: ClientOptions);
    /** `GET /auth`: whom the credentials belong to. */
    auth(): Promise<AuthInfo>;
    /** `GET /users/:u/tokens`: the account's tokens, masked (needs the password). */
    listTokens(): Promise<TokenList>;
    /**
     * Creates a token named `name`, or regenerates it when it exists (`operation: "update"`);
     * without a name the server picks one. `options` limits what it may do (`scopes`) and
     * until when (`expiresAt`); by default it holds `all` and never expires. The answer is
     * the only time the value is available.
     *
     * ```js
     * await owner.createToken("deploy", { scopes: ["apps:deploy"], expiresAt: "2027-01-01T00:00:00Z" });
     * ```
     */
    createToken(name?: string, options?: TokenOptions): Promise<CreatedToken>;
    /**
     * A new value for the existing token `name`; its scopes and expiry stay unless given.
     * With `graceSeconds` (at most 86400) the old value keeps working that long, so jobs
     * holding it can be moved over without downtime.
     */
    regenerateToken(name: string, options?: RegenerateOptions): Promise<CreatedToken>;
    /** `DELETE /users/:u/tokens/:name`. */
    destroyToken(name: string): Promise<DestroyedToken>;
    /**
     * `POST /introspect` (RFC 7662): what `token` (a value of any account) may do. This client
     * must authenticate with a token holding `tokens:introspect`; an expired, destroyed or
     * unknown value answers `{ active: false }`.
     */
    introspect(token: string): Promise<Introspection>;
    /** `GET /scopes`: the server's scope catalogue (no credentials needed). */
    scopes(): Promise<ScopeInfo[]>;
    /**
     * `DELETE /users/:u/tokens`: destroys every token of the account (old values in a grace
     * period too) and ends every dashboard session but this client's own (needs the password).
     */
    revokeAll(): Promise<RevokedAll>;
    /** `GET /users/:u/events`: a page of the audit log, newest first (needs the password). */
    events(options?: EventsOptions): Promise<EventPage>;
    /**
     * `PUT /users/:u/password`: other sessions end, tokens keep working (needs the password;
     * this client goes on sending the old one: make a new `Client` with the new password).
     */
    changePassword(oldPassword: string, newPassword: string): Promise<PasswordChanged>;
    /**
     * `DELETE /users/:u`: removes the account, its tokens, sessions and audit log (needs the
     * password, given again here). The name can then be registered again.
     */
    deleteAccount(password: string): Promise<{ ok: boolean }>;
    /** Creates the account with this client's username (no credentials needed). */
    signup(email: string, password: string): Promise<UserInfo>;
    /** Whether this client's username is free. */
    available(): Promise<boolean>;
}

/** The default export: every named export, in one object (the same in Node and browsers). */
declare const jitsu: {
    readonly Client: typeof Client;
    readonly Config: typeof Config;
    readonly generateToken: typeof generateToken;
    readonly maskToken: typeof maskToken;
    readonly sharedAccess: typeof sharedAccess;
    readonly validateTokenName: typeof validateTokenName;
    readonly validateUsername: typeof validateUsername;
};
export default jitsu;
