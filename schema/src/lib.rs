//! Typed models of VCD messages (work in progress).
#![forbid(unsafe_code)]
