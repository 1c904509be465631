//! WebAssembly bindings (work in progress).
#![forbid(unsafe_code)]
