//! `examples/nginx/forward-auth.conf`: Debian's nginx asks the jitsu server (`auth_request`
//! to `GET /auth` with `X-Jitsu-Scope`) before passing `/apps/…` to a platform service. The
//! ORIGINAL jitsu 0.15 CLI follows the handbook's shared-access recipe with a token scoped
//! `apps:read` and runs `jitsu apps list` against a stand-in apps service. Needs nginx
//! (`cargo xtask test` installs it) and the interop npm packages.

mod common;
mod nginx_support;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::jitsu015::{jitsu, write_conf};
use common::{Req, TestServer, PASSWORD};
use jitsu_core::protocol::basic_auth;
use jitsu_server::time::{rfc3339, Clock as _, ManualClock};
use jitsu_server::Settings;
use nginx_support::{example, free_port, AppsService, Nginx, NGINX};

/// The jitsu server (its clock moved by the test), the stand-in apps service and nginx on
/// the example configuration in front of both.
struct Stack {
    nginx: Nginx,
    apps: AppsService,
    clock: ManualClock,
    jitsu: TestServer,
}

impl Stack {
    fn start() -> Self {
        assert!(
            Path::new(NGINX).exists(),
            "this test needs Debian's nginx at {NGINX}: apt-get install nginx (cargo xtask test installs it)"
        );
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let clock = ManualClock::at(now);
        let jitsu = TestServer::with_settings(Settings {
            clock: Arc::new(clock.clone()),
            ..common::unlimited_settings()
        });
        let apps = AppsService::start(1);
        let nginx = Nginx::start(
            &example("forward-auth.conf"),
            8080,
            &[
                (8080, free_port()),
                (8081, jitsu.addr.port()),
                (8083, apps.addr.port()),
            ],
        );
        Self {
            nginx,
            apps,
            clock,
            jitsu,
        }
    }

    fn req(&self, method: &str, path: &str) -> Req {
        Req::new(&self.nginx.url(), method, path)
    }

    /// A token of `user` named `name` holding `scopes` (a JSON array), with an optional
    /// `expiresAt`; created by the owner with the password over the API.
    fn token(&self, user: &str, name: &str, scopes: &str, expires: Option<i64>) -> String {
        let expires = expires
            .map(|at| format!(r#","expiresAt":"{}""#, rfc3339(at)))
            .unwrap_or_default();
        let r = self
            .req("PUT", &format!("/users/{user}/tokens/{name}"))
            .basic(user, PASSWORD)
            .body(&format!(r#"{{"scopes":{scopes}{expires}}}"#))
            .send();
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()[name].as_str().unwrap().to_owned()
    }

    /// Status of `GET /apps/<user>` through nginx with `user:secret`.
    fn list_status(&self, user: &str, secret: &str) -> u16 {
        self.req("GET", &format!("/apps/{user}"))
            .basic(user, secret)
            .send()
            .status
    }

    /// How long after now `GET /apps/<user>` with `secret` starts being refused (401): when
    /// the first refused request was sent (so a slow answer on a busy machine is not counted).
    fn refused_after(&self, user: &str, secret: &str) -> Duration {
        let start = Instant::now();
        loop {
            let sent = start.elapsed();
            let status = self.list_status(user, secret);
            if status == 401 {
                return sent;
            }
            assert_eq!(status, 200);
            assert!(start.elapsed() < Duration::from_secs(5), "never refused");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// A third party's home folder set up with the handbook's recipe (with the original CLI):
/// the owner's username and the shared token.
fn third_party(stack: &Stack, user: &str, name: &str, token: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write_conf(home.path(), stack.nginx.port, "");
    for (k, v) in [
        ("apiTokenName", name),
        ("apiToken", token),
        ("username", user),
    ] {
        let (ok, out) = jitsu(home.path(), &["config", "set", k, v], &[]);
        assert!(ok, "{out}");
    }
    home
}

#[test]
fn the_original_cli_lists_apps_through_nginx_with_an_apps_read_token_until_it_is_destroyed() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let reader = stack.token("alice", "reader", r#"["apps:read"]"#, None);
    let home = third_party(&stack, "alice", "reader", &reader);

    let (ok, out) = jitsu(home.path(), &["apps", "list"], &[]);
    assert!(ok, "{out}\n{}", stack.nginx.error_log());
    assert!(
        out.contains("hello") && out.contains("alice-hello"),
        "{out}"
    );
    let seen = stack.apps.seen();
    assert_eq!(seen.username.as_deref(), Some("alice"));
    assert_eq!(seen.token_name.as_deref(), Some("reader"));
    assert!(seen.scopes.unwrap_or_default().contains("apps:read"));
    assert!(
        !seen.authorization,
        "the credential is not passed to the service"
    );

    // Destroyed: refused within a second, however recently it was let through.
    assert_eq!(stack.list_status("alice", &reader), 200);
    let r = stack
        .req("DELETE", "/users/alice/tokens/reader")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 200, "{}", r.body);
    let after = stack.refused_after("alice", &reader);
    assert!(
        after <= Duration::from_secs(1),
        "refused only after {after:?}"
    );
    let (ok, out) = jitsu(home.path(), &["apps", "list"], &[]);
    assert!(!ok && out.contains("Nodejitsu Error (401)"), "{out}");
}

#[test]
fn the_original_cli_is_refused_with_403_when_the_token_holds_only_logs_read() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let logs = stack.token("alice", "logsOnly", r#"["logs:read"]"#, None);
    let home = third_party(&stack, "alice", "logsOnly", &logs);
    let (ok, out) = jitsu(home.path(), &["apps", "list"], &[]);
    assert!(
        !ok && out.contains("is not authorized to list applications"),
        "{out}"
    );
    assert_eq!(stack.apps.seen().requests, 0, "the service never saw it");
    let r = stack.req("GET", "/apps/alice").basic("alice", &logs).send();
    assert_eq!(r.status, 403);
    r.assert_nodejitsu();
    assert!(
        r.json()["message"].as_str().unwrap().contains("apps:read"),
        "{}",
        r.body
    );
}

#[test]
fn an_expired_token_is_refused_within_a_second_of_its_expiry() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let expires = stack.clock.now() + 3600;
    let token = stack.token("alice", "temporary", r#"["apps:read"]"#, Some(expires));
    let home = third_party(&stack, "alice", "temporary", &token);
    let (ok, out) = jitsu(home.path(), &["apps", "list"], &[]);
    assert!(ok, "{out}");
    assert_eq!(stack.list_status("alice", &token), 200);
    stack.clock.advance(Duration::from_secs(3601));
    let after = stack.refused_after("alice", &token);
    assert!(
        after <= Duration::from_secs(1),
        "refused only after {after:?}"
    );
    let (ok, out) = jitsu(home.path(), &["apps", "list"], &[]);
    assert!(!ok && out.contains("Nodejitsu Error (401)"), "{out}");
}

#[test]
fn deploying_needs_apps_deploy_and_other_methods_need_apps_manage() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let reader = stack.token("alice", "reader", r#"["apps:read"]"#, None);
    let deployer = stack.token("alice", "deployer", r#"["apps:deploy"]"#, None);
    let post = |secret: &str| {
        stack
            .req("POST", "/apps/alice/hello/start")
            .basic("alice", secret)
            .body("{}")
            .send()
    };
    // Read first, so a cached answer for the same credential exists: it must not serve POST.
    assert_eq!(stack.list_status("alice", &reader), 200);
    let r = post(&reader);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("apps:deploy"), "{}", r.body);
    assert_eq!(post(&deployer).status, 200);
    assert_eq!(stack.list_status("alice", &deployer), 403);
    let r = stack
        .req("DELETE", "/apps/alice/hello")
        .basic("alice", &deployer)
        .send();
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.body.contains("apps:manage"), "{}", r.body);
    // The account password holds every scope.
    assert_eq!(post(PASSWORD).status, 200);
}

#[test]
fn no_credential_or_a_dashboard_session_alone_never_passes_not_even_from_the_cache() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let reader = stack.token("alice", "reader", r#"["apps:read"]"#, None);
    let cookie = stack.jitsu.sign_in("alice");
    assert_eq!(stack.list_status("alice", &reader), 200);
    let r = stack.req("GET", "/apps/alice").send();
    assert_eq!(r.status, 401);
    r.assert_nodejitsu();
    let r = stack
        .req("GET", "/apps/alice")
        .header("Cookie", &cookie)
        .send();
    assert_eq!(r.status, 401, "{}", r.body);
    // A header the client sets itself is replaced by nginx.
    let r = stack
        .req("GET", "/apps/alice")
        .header("X-Jitsu-Username", "alice")
        .basic("mallory", "not-a-token")
        .send();
    assert_eq!(r.status, 401);
    assert_eq!(stack.apps.seen().requests, 1);
}

#[test]
fn everything_else_goes_to_the_jitsu_server_and_a_lost_server_is_503() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let r = stack.req("GET", "/auth").basic("alice", PASSWORD).send();
    assert_eq!(r.status, 200);
    r.assert_nodejitsu();
    let r = stack.req("GET", "/scopes").send();
    assert_eq!(r.status, 200, "{}", r.body);

    // The same configuration with the jitsu server gone: refused, not let through.
    let dead = free_port();
    let nginx = Nginx::start(
        &example("forward-auth.conf"),
        8080,
        &[
            (8080, free_port()),
            (8081, dead),
            (8083, stack.apps.addr.port()),
        ],
    );
    let r = Req::new(&nginx.url(), "GET", "/apps/alice")
        .basic("alice", PASSWORD)
        .send();
    assert_eq!(r.status, 503, "{}", r.body);
    r.assert_nodejitsu();
    assert_eq!(r.header("retry-after"), Some("1"));
}

/// Every file under `dir`, read as bytes (nginx's answer cache keeps its key in each file).
fn cache_files(dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(cache_files(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push(bytes);
        }
    }
    out
}

#[test]
fn an_account_password_is_never_written_to_the_answer_cache_but_a_token_is_cached() {
    let stack = Stack::start();
    stack.jitsu.signup("alice");
    let reader = stack.token("alice", "reader", r#"["apps:read"]"#, None);
    assert_eq!(stack.list_status("alice", PASSWORD), 200);
    assert_eq!(stack.list_status("alice", &reader), 200);
    let cache = stack.nginx.dir.path().join("auth-cache");
    let files = cache_files(&cache);
    let password_key = basic_auth("alice", PASSWORD);
    let token_key = basic_auth("alice", &reader);
    let holds = |needle: &str| {
        files
            .iter()
            .any(|f| f.windows(needle.len()).any(|w| w == needle.as_bytes()))
    };
    // Both answers were fetched within the same second or two: the token's is in a file
    // (the cache works), the password's in none.
    assert!(holds(&token_key), "the token's answer is cached");
    assert!(!holds(&password_key), "no cache file holds the password");
}
