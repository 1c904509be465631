//! Shared logic of the vcd-mqtt fuzz targets.
//!
//! Every target in `fuzz_targets/` is a thin wrapper around one `check_*` function here, so the
//! properties can also be exercised by `cargo test` on the committed seed corpora (see
//! `tests/seeds.rs`) and by regression tests, without a fuzzing toolchain.
//!
//! The checks panic (which libFuzzer reports as a crash) whenever a property of the code under
//! test is violated; they never panic on input the code is allowed to reject.
#![forbid(unsafe_code)]

pub mod codec_checks;
pub mod schema_checks;
pub mod spec;
pub mod wire;
