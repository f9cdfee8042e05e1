//! The jitsu token API server (skeleton).
