//! The jitsu dashboard: a Yew single-page app to manage API tokens and hand out shared
//! access. Every rule (names, masking, the handout, requests and error texts) comes from
//! `jitsu-core`, so the browser and the server can never disagree.
//!
//! - [`state`]: the one reducer ([`state::State`], [`state::Action`]); the root shares it
//!   through a `ContextProvider`, and components take it with [`state::use_store`].
//! - [`activity`]: the audit log as far as it is loaded.
//! - [`screens`]: the small enums the state is made of.
//! - [`api`]: all HTTP (gloo-net), built and parsed by core.
//! - [`effects`], [`account_effects`]: the asynchronous actions components trigger.
//! - [`countdown`]: the wait a `Retry-After` asks for, ticking down.
//! - [`handout`]: the shared-access handout for this server.
//! - [`when`]: times in the viewer's zone, relative and exact.
//! - [`components`]: small function components.

pub mod account_effects;
pub mod activity;
pub mod api;
pub mod components;
pub mod countdown;
pub mod effects;
pub mod focus;
pub mod handout;
pub mod perf;
pub mod screens;
pub mod state;
pub mod when;

/// The heap: talc is a few kilobytes smaller than Rust's default wasm allocator (dlmalloc).
/// The dashboard is single-threaded (no `atomics`).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Mounts the dashboard on the page's `<body>`.
pub fn run() {
    yew::Renderer::<components::App>::new().render();
}
