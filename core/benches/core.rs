//! criterion benchmarks of the hot rules: `cargo xtask bench core`.

// criterion is a native-only dev-dependency; on wasm32 this bench is empty.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;

    use criterion::{criterion_group, Criterion};
    use jitsu_core::protocol::{self, Credentials, TokenInfo, TokenList};
    use jitsu_core::{ApiToken, Config, Password, TokenName, Username};

    const CONFIG: &str = r#"{
      "username": "alice",
      "apiToken": "4b7df949-1c21-4b70-8770-2c5615bc1d9a",
      "apiTokenName": "jitsu",
      "remoteHost": "api.nodejitsu.com",
      "colors": false,
      "headers": {
        "user-agent": "jitsu/0.15.0"
      },
      "directories": {},
      "timeout": 240000
    }"#;

    fn bench(c: &mut Criterion) {
        c.bench_function("token name validation", |b| {
            b.iter(|| TokenName::parse(black_box("deploy-bot.production_2")))
        });
        c.bench_function("token generation", |b| b.iter(ApiToken::generate));
        c.bench_function("token hash", |b| {
            let t = ApiToken::generate();
            b.iter(|| black_box(&t).token_hash())
        });
        c.bench_function("config parse + serialise", |b| {
            b.iter(|| Config::from_json(black_box(CONFIG)).map(|c| c.to_json()))
        });
        let user = Username::parse("alice").unwrap();
        let name = TokenName::parse("ci").unwrap();
        let creds = Credentials::Password(Password::new("correct horse battery"));
        c.bench_function("request building (PUT token)", |b| {
            b.iter(|| protocol::create_token(black_box(&user), &name, &creds))
        });
        let list = TokenList::from_infos(
            (0..50)
                .map(|i| TokenInfo {
                    name: format!("token-{i}"),
                    mask: ApiToken::generate().mask(),
                    created_at: Some("2026-11-28T17:00:00Z".to_owned()),
                    last_used_at: None,
                    ..TokenInfo::default()
                })
                .collect(),
        );
        let body = serde_json::to_string(&list).unwrap();
        c.bench_function("list answer parsing (50 tokens)", |b| {
            b.iter(|| protocol::parse_token_list(200, black_box(&body)))
        });
    }

    criterion_group!(benches, bench);
}
