//! The jitsu dashboard (skeleton).

fn main() {}
