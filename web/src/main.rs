//! Entry point of the dashboard's wasm module.

fn main() {
    jitsu_web::run();
}
