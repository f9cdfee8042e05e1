//! The shared-access handout for a freshly created token, pointed at the server this page
//! was loaded from.

use jitsu_core::protocol::CreatedToken;
use jitsu_core::{Remote, SharedAccess, Username};

/// The remote described by a page location's `protocol` (`"http:"`), `hostname` and `port`
/// (`""` when it is the protocol's default). Core leaves out whatever equals its defaults.
///
/// ```
/// let remote = jitsu_web::handout::remote_from_location("http:", "127.0.0.1", "8080");
/// assert_eq!(remote.protocol, "http");
/// assert_eq!(remote.port, Some(8080));
/// ```
pub fn remote_from_location(protocol: &str, hostname: &str, port: &str) -> Remote {
    Remote {
        protocol: protocol.trim_end_matches(':').to_owned(),
        host: hostname.to_owned(),
        port: port.parse().ok(),
    }
}

/// The remote of the current page.
pub fn page_remote() -> Remote {
    let location = web_sys::window().map(|w| w.location());
    let part = |f: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    remote_from_location(
        &part(web_sys::Location::protocol),
        &part(web_sys::Location::hostname),
        &part(web_sys::Location::port),
    )
}

/// The handout for `created`, owned by `owner`, on `remote`.
pub fn handout(owner: &Username, created: &CreatedToken, remote: Remote) -> SharedAccess {
    SharedAccess::new(owner.clone(), created.name.clone(), created.token.clone())
        .with_remote(remote)
}
