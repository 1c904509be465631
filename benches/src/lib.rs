//! Benchmarks of vcd-mqtt against peer libraries (work in progress).
#![forbid(unsafe_code)]
