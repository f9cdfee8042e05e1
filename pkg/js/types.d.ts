
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
     * without a name the server picks one. The answer is the only time the value is available.
     */
    createToken(name?: string): Promise<CreatedToken>;
    /** `DELETE /users/:u/tokens/:name`. */
    destroyToken(name: string): Promise<DestroyedToken>;
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
