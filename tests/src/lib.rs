//! End-to-end tests across the parts (helpers live here; tests in `tests/tests/`).
