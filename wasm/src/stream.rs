//! The streaming decoder class `StreamDecoder`.

use js_sys::{Array, Reflect};
use vcd_mqtt_codec::StreamDecoder as Inner;
use wasm_bindgen::prelude::*;

use crate::batch::Batch;
use crate::packet::{decode_options, ChunkArg};

// The callback form of `push`, added by the package's JavaScript (`pushChunk` in
// `crate::batch`); declared here as an overload merged into the class.
#[wasm_bindgen(typescript_custom_section)]
const PUSH_WITH_CALLBACK: &str = r#"
export interface StreamDecoder {
    /**
     * Like `push(chunk)`, but hands each packet to `onPacket` in stream order instead of
     * collecting them in an array (so an application that handles each packet at once keeps
     * none of them alive, as with MQTT.js's `packet` event), and returns how many packets it
     * handed over.
     *
     * The whole chunk is decoded first, then the packets are delivered. When the chunk held
     * malformed or oversized packets, every good packet is delivered first, then the first
     * `MQTT_DECODE` error is thrown with `errors` attached (and `packets: []`, since they
     * were delivered), with the same skip and resynchronisation rules as `push(chunk)`.
     *
     * If `onPacket` throws, `push` stops and rethrows that exception unchanged: the later
     * packets of the chunk are not delivered and its decode errors are not reported (the
     * decoder has consumed the whole chunk and stays usable). `onPacket` may use other
     * decoders and `decodePacket`, but calling `push` on this decoder from its own `onPacket`
     * throws an `Error`. After `free()` from inside `onPacket` nothing more is delivered.
     */
    push(chunk: Uint8Array | number[], onPacket: (packet: Packet) => void): number;
}
"#;

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

thread_local! {
    /// The batch of a freed decoder (the one with the largest input buffer), for the next new
    /// decoder: it then need not grow and zero-fill fresh buffers for its first large chunk
    /// (safe Rust cannot grow a `Vec` without initialising it). Its topic table goes along,
    /// which is consistent, since its JavaScript side belongs to the batch.
    static SPARE: std::cell::Cell<Option<Batch>> = const { std::cell::Cell::new(None) };
}

impl Drop for StreamDecoder {
    fn drop(&mut self) {
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        SPARE.with(|spare| {
            let kept = match spare.take() {
                Some(kept) if kept.input_len() > batch.input_len() => kept,
                _ => batch,
            };
            spare.set(Some(kept));
        });
    }
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
            batch: SPARE.take().unwrap_or_default(),
            copy_payloads,
        })
    }

    /// Decodes `chunk` together with the bytes buffered from earlier chunks and returns the
    /// packets completed so far, in stream order. The chunk is copied into WebAssembly memory
    /// (one call, no allocation once the decoder's input buffer is large enough); payloads of
    /// packets wholly inside it are views on it unless `copyPayloads` was set.
    ///
    /// In the npm package this is the general path of `push`, taken for chunks that are not a
    /// `Uint8Array`; a `Uint8Array` takes the fast path of `pushChunk` (see `crate::batch`),
    /// which gives the same packets and errors with one call into WebAssembly.
    #[wasm_bindgen(unchecked_return_type = "Packet[]")]
    pub fn push(&mut self, chunk: &ChunkArg) -> Result<Array, JsValue> {
        let inner = &mut self.inner;
        self.batch.clear();
        let packets = self
            .batch
            .with_input(chunk, self.copy_payloads, |batch, input| {
                inner.feed(input.bytes, |result| batch.add(result, input.bytes));
                batch.build(input)
            })?;
        let errors = self.batch.take_errors();
        let Some(first) = errors.first().cloned() else {
            return Ok(packets);
        };
        let all: Array = errors.into_iter().collect();
        let _ = Reflect::set(&first, &JsValue::from_str("packets"), &packets);
        let _ = Reflect::set(&first, &JsValue::from_str("errors"), &all);
        Err(first)
    }

    /// Fast path of `push` (called by the package's JavaScript, not part of the API): makes
    /// the decoder's input buffer hold `len` bytes and returns its address.
    #[wasm_bindgen(js_name = __reserve, skip_typescript)]
    pub fn reserve_input(&mut self, len: usize) -> u32 {
        self.batch.reserve_input(len)
    }

    /// Fast path of `push`: decodes the first `len` bytes of the input buffer and returns the
    /// address of the header that locates the records.
    #[wasm_bindgen(js_name = __decode, skip_typescript)]
    pub fn decode_input(&mut self, len: usize) -> u32 {
        let inner = &mut self.inner;
        self.batch
            .decode_input(len, |bytes, batch| feed(inner, bytes, batch))
    }

    /// Fast path of `push` for a large chunk, copied and decoded a window at a time (see
    /// `Batch::decode_part`): decodes the first `len` bytes of the input buffer, the chunk's
    /// bytes from offset `window`. The `last` window is fed as by `__decode`. Any other window
    /// yields only the complete, valid packets at its front (the codec's `feed_complete`: a
    /// packet cut by the window's end, an invalid one, or a packet buffered from an earlier
    /// chunk stops it, and the bytes-used word of the header says where the next window
    /// starts; 0: the rest is the last window).
    #[wasm_bindgen(js_name = __decodePart, skip_typescript)]
    pub fn decode_part(&mut self, len: usize, window: u32, last: bool) -> u32 {
        let inner = &mut self.inner;
        self.batch
            .decode_part(len, Some(window), last, |bytes, batch| {
                if last {
                    feed(inner, bytes, batch)
                } else {
                    inner.feed_complete(bytes, |packet| batch.push(&packet, bytes))
                }
            })
    }

    /// Fast path of `push`: the decode errors of the last `__decode`.
    #[wasm_bindgen(js_name = __takeErrors, skip_typescript)]
    pub fn take_errors(&mut self) -> Array {
        self.batch.take_errors().into_iter().collect()
    }

    /// Fast path of `push`: the packets of the last `__decode` built on the Rust side.
    #[wasm_bindgen(js_name = __takeOthers, skip_typescript)]
    pub fn take_others(&mut self) -> JsValue {
        self.batch.take_others()
    }

    /// Fast path of `push`: the decoder's topic strings (the JavaScript side of its table).
    #[wasm_bindgen(js_name = __topics, skip_typescript)]
    pub fn topics(&mut self) -> Array {
        self.batch.topic_strings()
    }

    /// Fast path of `push`: whether `copyPayloads` was set.
    #[wasm_bindgen(js_name = __copyPayloads, skip_typescript)]
    pub fn copy_payloads(&self) -> bool {
        self.copy_payloads
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

/// Feeds `bytes` to `inner`, adding the packets and errors to `batch`; all of them are used.
fn feed(inner: &mut Inner, bytes: &[u8], batch: &mut Batch) -> usize {
    inner.feed(bytes, |result| batch.add(result, bytes));
    bytes.len()
}
