//! WebAssembly bindings of vcd-mqtt, published on npm as `vcd-mqtt`.
//!
//! VMware Cloud Director UI plugins run in the browser and open their own WebSocket to
//! `wss://{host}/messaging/mqtt`; this crate gives them the `vcd-mqtt-codec` MQTT 3.1.1 codec
//! and the `vcd-mqtt-schema` VCD message models through `wasm-bindgen`, with JavaScript idioms:
//! camelCase names, `Uint8Array` in and out, plain objects, and errors thrown as `Error`
//! objects with a stable `code` (see [`error`]).
//!
//! The functions are meant to be called from JavaScript; on other targets the crate compiles
//! (so the workspace builds and lints everywhere) but calling into JavaScript panics.
#![forbid(unsafe_code)]

mod batch;
pub mod encode;
pub mod error;
mod js;
pub mod message;
pub mod packet;
pub mod stream;
pub mod types;

pub use encode::*;
pub use message::*;
pub use packet::decode_packet;
pub use stream::StreamDecoder;

use wasm_bindgen::prelude::*;

/// The version of the package (the crate version).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The `WebAssembly.Memory`, for the fast paths of `push` and `decodePacket` in the package's
/// JavaScript (not part of the API).
#[wasm_bindgen(js_name = __memory, skip_typescript)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}
