"""Hooks of `cargo xtask schemathesis`: credentials for the authenticated operations.

At import (the server is up by then) this signs up two accounts on the server named by
JITSU_ST_BASE, creates an API token and starts a dashboard session; then each request gets
the credentials its operation needs and the real account in its `username` path parameter:

- the owner's password: token management, the audit log, starting a session;
- the owner's token (scopes `all tokens:introspect`, with an expiry so that
  X-Jitsu-Token-Expires is on its answers): GET /auth, GET /users/{username}, POST /introspect;
- the second account's session cookie: GET /session (the owner's sessions are ended by the
  21st POST /session, which starts one each time);
- a second account ("victim"), signed in with its session cookie and sending the server's own
  `Origin`, for what destroys or locks: DELETE /users/{username}, PUT /users/{username}/password
  (a wrong password in the body counts as a failed password, and the account's password is
  refused for a minute after 10 — a session itself is never refused for that, so the body
  checks before the password stay reachable) and DELETE /users/{username}/tokens (which would
  destroy the owner's token);
- no credentials: signup, availability, health, scopes, the description, DELETE /session.
"""

import base64
import os

import requests
import schemathesis

BASE = os.environ["JITSU_ST_BASE"]
PASSWORD = "schemathesis password 1"
OWNER = "st-owner"
VICTIM = "st-victim"
TOKEN_NAME = "st-kept-service-token"


def _basic(user, secret):
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def _setup():
    s = requests.Session()
    s.headers["X-Jitsu-Client"] = "xtask-schemathesis"
    for user in (OWNER, VICTIM):
        body = {"email": f"{user}@example.com", "password": PASSWORD}
        r = s.post(f"{BASE}/users/{user}", json=body)
        assert r.status_code == 201, f"signup of {user}: {r.status_code} {r.text}"
    owner = {"Authorization": _basic(OWNER, PASSWORD)}
    body = {"scopes": ["all", "tokens:introspect"], "expiresAt": "2999-01-01T00:00:00Z"}
    r = s.put(f"{BASE}/users/{OWNER}/tokens/{TOKEN_NAME}", json=body, headers=owner)
    assert r.status_code == 201, f"token: {r.status_code} {r.text}"
    token = r.json()[TOKEN_NAME]
    r = s.post(f"{BASE}/session", headers={"Authorization": _basic(VICTIM, PASSWORD)})
    assert r.status_code == 200, f"session: {r.status_code} {r.text}"
    return token, r.cookies["jitsu_session"]


TOKEN, VICTIM_COOKIE = _setup()

TOKEN_OPS = {("GET", "/auth"), ("GET", "/users/{username}"), ("POST", "/introspect")}
VICTIM_OPS = {
    ("DELETE", "/users/{username}"),
    ("PUT", "/users/{username}/password"),
    ("DELETE", "/users/{username}/tokens"),
}
OWNER_OPS = {
    ("POST", "/session"),
    ("GET", "/users/{username}/tokens"),
    ("POST", "/users/{username}/tokens"),
    ("PUT", "/users/{username}/tokens/{name}"),
    ("DELETE", "/users/{username}/tokens/{name}"),
    ("GET", "/users/{username}/events"),
}


def _without_authorization(headers):
    return {k: v for k, v in (headers or {}).items() if k.lower() != "authorization"}


@schemathesis.hook
def before_call(ctx, case, kwargs):
    op = (case.operation.method.upper(), case.operation.path)
    if op in VICTIM_OPS:
        case.headers = {**_without_authorization(case.headers), "Origin": BASE}
        case.cookies = {**(case.cookies or {}), "jitsu_session": VICTIM_COOKIE}
        if case.path_parameters is not None:
            case.path_parameters["username"] = VICTIM
        return
    if op in TOKEN_OPS:
        user, secret = OWNER, TOKEN
    elif op in OWNER_OPS:
        user, secret = OWNER, PASSWORD
    else:
        if op == ("GET", "/session"):
            case.cookies = {**(case.cookies or {}), "jitsu_session": VICTIM_COOKIE}
        return
    case.headers = {**_without_authorization(case.headers), "Authorization": _basic(user, secret)}
    params = case.path_parameters
    if params is not None and "username" in params:
        params["username"] = user
        if params.get("name") == TOKEN_NAME:
            params["name"] = TOKEN_NAME + "-not"
