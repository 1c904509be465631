//! The streaming decoder class `StreamDecoder`.

use js_sys::{Array, Reflect};
use vcd_mqtt_codec::StreamDecoder as Inner;
use wasm_bindgen::prelude::*;

use crate::batch::{with_input, Batch};
use crate::error::decode_error;
use crate::packet::{decode_options, ChunkArg};

/// A streaming MQTT decoder for WebSocket (or any) byte streams.
///
/// Feed it the bytes as they arrive with `push(chunk)`; chunks may hold several packets or
/// part of one (split anywhere, [MQTT-6.0.0-2]). It keeps at most one partial packet, never
/// more than `maxPacketSize` bytes.
///
/// PUBLISH payloads: when the packet lies wholly inside the chunk passed to `push` (a
/// `Uint8Array`, e.g. a Node `Buffer`), its `payload` is a view on that chunk's memory
/// (`payload.buffer === chunk.buffer`), as with `Buffer` slices in MQTT.js: no copy, and the
/// payload shows any later change to the chunk's bytes. Do not overwrite or reuse a chunk
/// while its payloads are in use (WebSocket messages are fresh buffers, so the usual code needs
/// nothing), and note that a kept payload keeps its whole chunk alive. A packet split over
/// several chunks gets a payload with its own buffer (never a view on the decoder's memory).
/// With the option `copyPayloads: true` every payload is a copy with its own `ArrayBuffer`.
///
/// When a packet in the chunk is malformed or oversized, `push` still decodes the rest of the
/// chunk and then throws the first `MQTT_DECODE` error, with `packets` (every packet completed
/// in this chunk) and `errors` (every error in this chunk) attached. If the error's
/// `packetLength` is known the decoder has skipped that packet (also its bytes still to come)
/// and can go on; otherwise (`packetLength === null`) the stream cannot be resynchronised and
/// every later `push` throws again until `reset()`.
#[wasm_bindgen]
pub struct StreamDecoder {
    inner: Inner,
    /// The records of the current `push` (kept to reuse the allocations).
    batch: Batch,
    /// `copyPayloads`: every payload a copy, never a view on the caller's chunk.
    copy_payloads: bool,
}

#[wasm_bindgen]
impl StreamDecoder {
    /// Creates a decoder; `options.maxPacketSize` bounds the size of one packet (fixed header
    /// included), `options.copyPayloads` makes every payload a copy, the other options are
    /// those of `decodePacket`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<crate::types::DecodeOptionsArg>) -> Result<StreamDecoder, JsValue> {
        let (options, copy_payloads) = decode_options(options.as_ref().map(AsRef::as_ref))?;
        Ok(StreamDecoder {
            inner: Inner::new(options),
            batch: Batch::default(),
            copy_payloads,
        })
    }

    /// Decodes `chunk` together with the bytes buffered from earlier chunks and returns the
    /// packets completed so far, in stream order. The chunk is copied into WebAssembly memory
    /// (one call, no allocation once the decoder's input buffer is large enough); payloads of
    /// packets wholly inside it are views on it unless `copyPayloads` was set.
    #[wasm_bindgen(unchecked_return_type = "Packet[]")]
    pub fn push(&mut self, chunk: &ChunkArg) -> Result<Array, JsValue> {
        let (inner, batch) = (&mut self.inner, &mut self.batch);
        batch.clear();
        let mut errors: Vec<JsValue> = Vec::new();
        let packets = with_input(chunk, self.copy_payloads, |input| {
            inner.feed(input.bytes, |result| match result {
                Ok(packet) => batch.push(&packet, input.bytes),
                Err(e) => errors.push(decode_error(&e)),
            });
            batch.build(input)
        })?;
        let Some(first) = errors.first().cloned() else {
            return Ok(packets);
        };
        let all: Array = errors.into_iter().collect();
        let _ = Reflect::set(&first, &JsValue::from_str("packets"), &packets);
        let _ = Reflect::set(&first, &JsValue::from_str("errors"), &all);
        Err(first)
    }

    /// Number of bytes held for a partial packet.
    #[wasm_bindgen(getter)]
    pub fn buffered(&self) -> usize {
        self.inner.buffered()
    }

    /// The largest packet (in bytes, fixed header included) this decoder accepts.
    #[wasm_bindgen(getter, js_name = maxPacketSize)]
    pub fn max_packet_size(&self) -> usize {
        self.inner.options().max_packet_size
    }

    /// Drops any partial packet and clears an error state (e.g. after a reconnect).
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}
