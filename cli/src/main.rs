//! The `jitsu` command line (skeleton).

fn main() {}
