//! Benchmarks of vcd-mqtt against the peer libraries users would otherwise pick.
//!
//! The library part holds what the criterion benches, the verification tests and the report
//! generator share: the fixtures ([`fixtures`]), a library-neutral packet description with an
//! independent reference encoder ([`msg`]), one adapter per library ([`peers`]), the setup-step
//! checks ([`verify`]), the VCD message unwrap routes ([`vcd`]) and the safe-Rust lower bound
//! of a PUBLISH decode ([`floor`]).
//!
//! Run everything with `benches/run.sh`; it writes `benches/README.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fixtures;
pub mod floor;
pub mod msg;
pub mod peers;
pub mod vcd;
pub mod verify;
