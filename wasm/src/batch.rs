//! Decoded packets handed to JavaScript in batches.
//!
//! The codec decodes and validates every packet of a chunk in WebAssembly; each packet becomes
//! a fixed-size record of `u32`s (type and flags, packet id, topic id, payload address and
//! length, ...), and small hand-written JavaScript functions (the inline snippet below) turn
//! the records into the plain packet objects. The topic string comes from the owner's table of
//! recently seen topics or is decoded once with `TextDecoder`.
//!
//! `StreamDecoder.push` of the npm package is the snippet's `pushChunk` (wasm/scripts/
//! assemble.mjs installs it): for a `Uint8Array` it copies the chunk into the decoder's
//! persistent input buffer itself ([`Batch::reserve_input`]), makes one call into WebAssembly
//! ([`Batch::decode_input`], which writes the records and a header) and builds the packets, as
//! an array or one by one for an `onPacket` callback (a chunk larger than 64 KiB is copied and
//! decoded a window at a time, [`Batch::decode_part`], then built the same way). Every other
//! chunk (e.g. a plain array), `decodePacket` and the Rust API take the general path: one call
//! into WebAssembly, which calls `copyIn` to copy the chunk ([`Batch::with_input`]) and
//! `buildPackets` (or `buildDecoded`) to build the objects. Both paths share the records and the builder.
//!
//! Payloads: a payload that lay entirely inside the caller's chunk is, by default, a view on
//! the caller's own bytes (`new Uint8Array(chunk.buffer, chunk.byteOffset + offset, length)`,
//! what `Buffer` slices give in MQTT.js), which costs no copy and no new `ArrayBuffer`. Bytes of
//! a packet that was split over chunks live in the stream decoder's buffer, which is reused
//! for the next partial packet, so they are first copied to a side buffer (`spill`) and then
//! out of WebAssembly memory with `slice()`: such a payload never aliases WebAssembly memory.
//! With `copyPayloads` (or when the chunk is not a `Uint8Array`, e.g. a plain array) every
//! payload is a `slice()` copy with its own `ArrayBuffer`. The rarely hot packet types
//! (CONNECT, SUBSCRIBE, SUBACK, UNSUBSCRIBE) are built by the per-type constructors and passed
//! along.
//!
//! JavaScript only materialises what the codec decided: no validation happens there.

use js_sys::Array;
use vcd_mqtt_codec::{DecodeError, Packet, PacketId};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::decode_error;
use crate::packet::{connect_to_js, suback_to_js, subscribe_to_js, unsubscribe_to_js};

/// Spill buffers larger than this are freed after use rather than kept for the next batch.
const SPILL_KEEP: usize = 64 * 1024;

/// Input buffers larger than this are not kept for the rest of a decoder's life: the fast
/// path's is shrunk at the next smaller chunk (the snippet's `INPUT_KEEP`, the same value,
/// asks for that); the general path's is freed after use.
const INPUT_KEEP: usize = 1 << 20;

/// Records (in words) above this are freed when the batch is emptied for the next input, as a
/// large spill buffer is: a chunk of many packets (32 bytes each) does not pin their memory.
const RECORDS_KEEP: usize = INPUT_KEEP / 4;

/// Empties `v`, keeping its allocation only up to `keep` elements (WebAssembly memory never
/// shrinks, but freed memory is reused by the next allocation).
fn empty_keeping<T>(v: &mut Vec<T>, keep: usize) {
    if v.capacity() > keep {
        *v = Vec::new();
    } else {
        v.clear();
    }
}

/// Words per record.
const WORDS: usize = 8;

// Record word 0: bits 0-3 the packet type (1..=14), or `OTHER` (the object is `others[word 1]`).
const OTHER: u32 = 15;
// PUBLISH flags in word 0.
const DUP: u32 = 1 << 4;
const QOS_SHIFT: u32 = 5;
const RETAIN: u32 = 1 << 7;
const HAS_PACKET_ID: u32 = 1 << 8;
const PAYLOAD_SPILLED: u32 = 1 << 9;
const NEW_TOPIC: u32 = 1 << 10;
const TOPIC_SPILLED: u32 = 1 << 11;
// CONNACK flag in word 0 (the return code is word 1).
const SESSION_PRESENT: u32 = 1 << 4;

// Word 1: packet id (acks, PUBLISH with QoS > 0), CONNACK return code, or index in `others`.
// Word 2: topic id (PUBLISH). Words 3-4: payload address and length. Words 5-6: topic address
// and length (only with NEW_TOPIC). Word 7: unused. Addresses are byte offsets in WebAssembly
// memory (the chunk's copy in the input buffer, or the spill buffer); the bytes of the chunk's
// copy at address `input + i` are the caller's `chunk[i]`. A chunk decoded a window at a time
// gives, for bytes not spilled, the offset `i` in the chunk instead. The bit numbers above are
// spelled out in the snippet, which reads the records and bytes through views on the whole
// memory (renewed when the memory grows), so a call creates no per-call views.
#[wasm_bindgen(inline_js = r#"
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });
const ACKS = ["", "", "", "", "puback", "pubrec", "pubrel", "pubcomp", "", "", "", "unsuback"];
const RETURN_CODE_NAMES = ["accepted", "unacceptableProtocolVersion", "identifierRejected",
  "serverUnavailable", "badUserNameOrPassword", "notAuthorized"];
let MEMORY = null;
let U8 = new Uint8Array(0);
let U32 = new Uint32Array(0);
function views(memory) {
  // Growing the memory detaches the old buffer (length 0): then take the new one.
  if (U8.length === 0) {
    U8 = new Uint8Array(memory.buffer);
    U32 = new Uint32Array(memory.buffer);
  }
}
// The exports called from WebAssembly never throw: a JavaScript exception crossing
// WebAssembly frames would skip the Rust code that restores state, and wasm-bindgen's `catch`
// wrapper costs an allocation per call. A failure is kept in FAILURE and reported by a
// sentinel result.
let FAILURE;
export function takeFailure() {
  const e = FAILURE;
  FAILURE = undefined;
  return e;
}
// A typed array's own length, buffer and offset, read with the built-in accessors: user code
// (an overriding getter on the instance, a subclass or a Proxy) never runs while the state of
// a decoder is in use. They throw a TypeError for anything that is not a typed array.
const TYPED = Object.getPrototypeOf(Uint8Array.prototype);
const accessor = (name) => Object.getOwnPropertyDescriptor(TYPED, name).get;
const LENGTH = accessor("length");
const BUFFER = accessor("buffer");
const OFFSET = accessor("byteOffset");
function isBytes(chunk) {
  return ArrayBuffer.isView(chunk) && chunk instanceof Uint8Array;
}
// Input that is not a Uint8Array (a plain array, another typed array, a Proxy or any
// array-like) is copied into one of these before any state is touched, so that its getters
// (user code, which may call back into the package) have all run; its payloads are copies,
// never views on this private copy.
class Copied extends Uint8Array {}
function copied(chunk) {
  const n = chunk.length;
  if (typeof n !== "number") throw new TypeError("expected a Uint8Array or an array of bytes");
  const bytes = new Copied(n);
  bytes.set(chunk);
  return bytes;
}
// A Uint8Array passed on to the general path: a plain view of the same bytes.
function plain(bytes) {
  return new Uint8Array(BUFFER.call(bytes), OFFSET.call(bytes), LENGTH.call(bytes));
}
// Copies the chunk to `at` when it fits in `capacity` bytes; returns its length (-1: failed).
export function copyIn(memory, chunk, at, capacity) {
  try {
    const n = ArrayBuffer.isView(chunk) ? LENGTH.call(chunk) : chunk.length;
    if (typeof n !== "number") throw new TypeError("expected a Uint8Array or an array of bytes");
    if (n <= capacity) {
      views(memory);
      U8.set(chunk, at);
    }
    return n;
  } catch (e) {
    FAILURE = e;
    return -1;
  }
}
// The buffer of the caller's chunk when payloads are views on it, else null: a Uint8Array (a
// Node Buffer is one) holds exactly the bytes that were copied in; other inputs (plain arrays,
// other typed arrays, `Copied`) get copies.
function source(chunk, copy) {
  return !copy && isBytes(chunk) && !(chunk instanceof Copied) ? BUFFER.call(chunk) : null;
}
// The offset in `source(chunk, copy)` of the byte at address `input` + 0.
function shiftOf(chunk, src, input) {
  return src === null ? 0 : OFFSET.call(chunk) - input;
}
// The packet of the record at word `r`. `topics` is the decoder's topic table; a payload
// inside the chunk's copy (address `input + i` holds `chunk[i]`) is a view on `src` (the
// chunk's buffer; `shift` turns an address into an offset there) unless `src` is null.
function packetAt(r, others, topics, src, shift) {
  const u32 = U32;
  const tag = u32[r];
  const kind = tag & 15;
  if (kind === 3) {
    let topic;
    if ((tag & 1024) !== 0) {
      const at = u32[r + 5];
      topic = UTF8.decode(U8.subarray(at, at + u32[r + 6]));
      topics[u32[r + 2]] = topic;
    } else {
      topic = topics[u32[r + 2]];
    }
    const at = u32[r + 3];
    const length = u32[r + 4];
    return {
      type: "publish",
      dup: (tag & 16) !== 0,
      qos: (tag >>> 5) & 3,
      retain: (tag & 128) !== 0,
      topic,
      packetId: (tag & 256) !== 0 ? u32[r + 1] : null,
      payload: src !== null && (tag & 512) === 0
        ? new Uint8Array(src, shift + at, length)
        : U8.slice(at, at + length),
    };
  }
  switch (kind) {
    case 4: case 5: case 6: case 7: case 11:
      return { type: ACKS[kind], packetId: u32[r + 1] };
    case 12: return { type: "pingreq" };
    case 13: return { type: "pingresp" };
    case 14: return { type: "disconnect" };
    case 2: {
      const returnCode = u32[r + 1];
      return { type: "connack", sessionPresent: (tag & 16) !== 0, returnCode, returnCodeName: RETURN_CODE_NAMES[returnCode] ?? "unknown" };
    }
    default: return others[u32[r + 1]];
  }
}
// Stores the topics of the records from word `r` to `end` that were not turned into packets
// (a failure or an onPacket exception stopped the loop), so the table matches the
// WebAssembly side's.
function learnTopics(r, end, topics) {
  for (; r < end; r += 8) {
    const tag = U32[r];
    if ((tag & 15) === 3 && (tag & 1024) !== 0) {
      const at = U32[r + 5];
      topics[U32[r + 2]] = UTF8.decode(U8.subarray(at, at + U32[r + 6]));
    }
  }
}
// The packets of `count` records from byte address `records`, in an array.
function packetsAt(records, count, others, topics, src, shift) {
  const out = [];
  let r = records >>> 2;
  const end = r + count * 8;
  try {
    for (; r < end; r += 8) out.push(packetAt(r, others, topics, src, shift));
  } finally {
    if (r < end) learnTopics(r, end, topics);
  }
  return out;
}
// Both return undefined when they failed (only when out of memory).
export function buildPackets(memory, records, count, others, topics, chunk, input, copy) {
  try {
    views(memory);
    const src = source(chunk, copy);
    return packetsAt(records, count, others, topics, src, shiftOf(chunk, src, input));
  } catch (e) {
    FAILURE = e;
    return undefined;
  }
}
export function buildDecoded(memory, records, others, topics, length, chunk, input, copy) {
  try {
    views(memory);
    const src = source(chunk, copy);
    return { packet: packetAt(records >>> 2, others, topics, src, shiftOf(chunk, src, input)), length };
  } catch (e) {
    FAILURE = e;
    return undefined;
  }
}
// `StreamDecoder.prototype.push` of the package (installed by wasm/scripts/assemble.mjs; the
// generated method, renamed `__general`, stays the path for chunks that are not a
// Uint8Array). One call into WebAssembly per push: the chunk is copied into the decoder's
// input buffer here,
// `__decode` decodes it and writes the records and a header (packet count, error count,
// whether `others` exist, records address), and the packets are built here. The decoder's
// WebAssembly-side state (input buffer, records, topic table) belongs to this decoder alone,
// so an onPacket callback may use other decoders and decodePacket; pushing into the same
// decoder from its own callback is refused, since it would overwrite the records still to be
// delivered.
export function pushChunk(decoder, chunk, onPacket, memory) {
  const each = onPacket !== undefined && onPacket !== null;
  if (each && typeof onPacket !== "function") throw new TypeError("onPacket: expected a function");
  let st = decoder.__st;
  if (st === undefined) {
    MEMORY ??= memory();
    st = decoder.__st = {
      at: 0, capacity: -1, topics: decoder.__topics(), copy: decoder.__copyPayloads(), busy: false,
      owner: decoder, reserve: streamReserve, decode: streamDecode, part: streamPart,
    };
  }
  if (st.busy) throw new Error("StreamDecoder.push: called from this decoder's own onPacket callback");
  if (!isBytes(chunk)) return generalPush(decoder, copied(chunk), each ? onPacket : null, st);
  // Read once, before the state is used (see LENGTH).
  const n = LENGTH.call(chunk);
  const buffer = BUFFER.call(chunk);
  const offset = OFFSET.call(chunk);
  // Windows give offsets in the chunk, not addresses (they are under 2^32: see decodeWindows).
  const windowed = !st.copy && n > WINDOW && n <= 0xffffffff;
  const h = windowed ? decodeWindows(st, chunk, n, buffer, offset) : decodeInput(st, chunk, n);
  const count = U32[h];
  const errorCount = U32[h + 1];
  const others = U32[h + 2] !== 0 ? decoder.__takeOthers() : undefined;
  const errors = errorCount !== 0 ? decoder.__takeErrors() : undefined;
  views(MEMORY);
  const records = U32[h + 3];
  const topics = st.topics;
  const src = st.copy ? null : buffer;
  const shift = st.copy ? 0 : windowed ? offset : offset - st.at;
  let out;
  let handed = 0;
  if (!each) {
    out = packetsAt(records, count, others, topics, src, shift);
  } else {
    let r = records >>> 2;
    const end = r + count * 8;
    st.busy = true;
    try {
      while (r < end) {
        const packet = packetAt(r, others, topics, src, shift);
        r += 8;
        handed++;
        onPacket(packet);
        // Freed by the callback: its records are gone.
        if (decoder.__wbg_ptr === 0) r = end;
        // The callback may have grown the memory.
        views(MEMORY);
      }
    } finally {
      st.busy = false;
      if (r < end) {
        // The callback may have grown the memory before it threw.
        views(MEMORY);
        learnTopics(r, end, topics);
      }
    }
    out = [];
  }
  if (errors !== undefined) {
    const first = errors[0];
    first.packets = out;
    first.errors = errors;
    throw first;
  }
  return each ? handed : out;
}
// The state's calls into WebAssembly (`this` is the state). Shared by all decoders rather than
// closures per decoder: optimized code inlines a closure it has seen as a constant, and each
// collected decoder then threw that code away (a deopt per decoder).
function streamReserve(n) {
  return this.owner.__reserve(n);
}
function streamDecode(n) {
  return this.owner.__decode(n);
}
function streamPart(n, window, last) {
  return this.owner.__decodePart(n, window, last);
}
// Makes the input buffer of `state` hold `n` bytes through `state.reserve(n)`, which returns
// its address in `state.at`: only that call moves the buffer. Called again after a chunk larger
// than INPUT_KEEP bytes (INPUT_KEEP in batch.rs, the same value), so that the buffer is shrunk
// at the next smaller chunk instead of keeping the largest one's size for good.
const INPUT_KEEP = 1 << 20;
function reserveInput(state, n) {
  if (n > state.capacity || state.capacity > INPUT_KEEP) {
    state.at = state.reserve(n);
    state.capacity = n;
  }
}
// Copies the `n` bytes of `bytes` (a Uint8Array) into the input buffer of `state`, decodes
// them with `state.decode(n)` and returns the word index of the header that call wrote.
// Shared by `push` and `decodePacket`.
function decodeInput(state, bytes, n) {
  reserveInput(state, n);
  views(MEMORY);
  U8.set(bytes, state.at);
  const h = state.decode(n) >>> 2;
  views(MEMORY);
  return h;
}
// A chunk larger than WINDOW bytes whose payloads are views on it is copied and decoded a
// window at a time, so that the copy stays in the CPU cache for the decoder to read instead of
// streaming the whole chunk through memory twice (the copy of a 24.5 MB chunk was 18 % of a
// push). The WebAssembly side accumulates the records of all the windows: the same packets and
// errors as one `__decode` of the whole chunk, the payloads given by their offsets in the
// chunk (under 2^32, which the caller checks). The input buffer holds one window, so a large
// chunk of small packets needs no WebAssembly memory of its size (which would never be given
// back); only a last window larger than WINDOW (a packet larger than a window) grows it, and
// moving it then is harmless since the records hold no addresses in it.
const WINDOW = 1 << 16;
function decodeWindows(st, chunk, n, buffer, offset) {
  let pos = 0;
  let last = false;
  for (;;) {
    last ||= n - pos <= WINDOW;
    const end = last ? n : pos + WINDOW;
    reserveInput(st, end - pos);
    views(MEMORY);
    U8.set(new Uint8Array(buffer, offset + pos, end - pos), st.at);
    const h = st.part(end - pos, pos, last) >>> 2;
    views(MEMORY);
    if (last) return h;
    // 0: nothing decodable at the window's front (a packet larger than the window, an invalid
    // one, or a packet buffered from an earlier chunk): the rest goes as the last window.
    const used = U32[h + 4];
    if (used === 0) last = true;
    else pos += used;
  }
}
// `decodePacket` of the package (installed by wasm/scripts/assemble.mjs, which passes the
// glue's functions as `api`): a Uint8Array without options is copied into the input buffer of
// decodePacket here, decoded with one call into WebAssembly and built here; anything else
// takes the generated function (`api.general`), given a Uint8Array whose reading runs no user
// code (the general path holds the batch of decodePacket while it copies the input).
let ONE = null;
export function decodeOne(bytes, options, api) {
  const u8 = isBytes(bytes);
  if (!u8 || (options !== undefined && options !== null)) return api.general(u8 ? plain(bytes) : copied(bytes), options);
  // Read once, before the state is used (see LENGTH).
  const n = LENGTH.call(bytes);
  const buffer = BUFFER.call(bytes);
  const offset = OFFSET.call(bytes);
  if (ONE === null) {
    MEMORY ??= api.memory();
    ONE = { at: 0, capacity: -1, topics: api.topics(), reserve: api.reserve, decode: api.decode };
  }
  const h = decodeInput(ONE, bytes, n);
  if (U32[h + 1] !== 0) throw api.takeErrors()[0];
  const others = U32[h + 2] !== 0 ? api.takeOthers() : undefined;
  views(MEMORY);
  const packet = packetAt(U32[h + 3] >>> 2, others, ONE.topics, buffer, offset - ONE.at);
  return { packet, length: U32[h + 4] };
}
// The generated `push` (chunks that are not a Uint8Array, given as `copied(chunk)`: their
// payloads are copies anyway), with onPacket handled as in the fast path.
function generalPush(decoder, chunk, onPacket, st) {
  if (onPacket === null) return decoder.__general(chunk);
  let packets;
  let error = null;
  try {
    packets = decoder.__general(chunk);
  } catch (e) {
    if (!Array.isArray(e?.packets)) throw e;
    error = e;
    packets = e.packets;
  }
  st.busy = true;
  try {
    for (const packet of packets) onPacket(packet);
  } finally {
    st.busy = false;
  }
  if (error !== null) {
    error.packets = [];
    throw error;
  }
  return packets.length;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = takeFailure)]
    fn take_failure() -> JsValue;
    #[wasm_bindgen(js_name = copyIn)]
    fn copy_in(memory: &JsValue, chunk: &JsValue, at: u32, capacity: usize) -> f64;
    #[wasm_bindgen(js_name = buildPackets)]
    fn build_packets(
        memory: &JsValue,
        records: u32,
        count: u32,
        others: &JsValue,
        topics: &JsValue,
        chunk: &JsValue,
        input: u32,
        copy: bool,
    ) -> JsValue;
    #[wasm_bindgen(js_name = buildDecoded)]
    fn build_decoded(
        memory: &JsValue,
        records: u32,
        others: &JsValue,
        topics: &JsValue,
        length: usize,
        chunk: &JsValue,
        input: u32,
        copy: bool,
    ) -> JsValue;
}

/// The result of a snippet function that returns `undefined` when it failed.
fn built(value: JsValue) -> Result<JsValue, JsValue> {
    if value.is_undefined() {
        Err(take_failure())
    } else {
        Ok(value)
    }
}

/// The caller's chunk and where its copy lies, for building payloads.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    /// The JavaScript value passed in (`Uint8Array` or an array of bytes).
    pub(crate) chunk: &'a JsValue,
    /// Its copy in WebAssembly memory.
    pub(crate) bytes: &'a [u8],
    /// Every payload a `slice()` copy (`copyPayloads`), never a view on `chunk`.
    pub(crate) copy_payloads: bool,
}

/// Copies `chunk` to the start of `buffer` (grown when too small) and returns its length.
fn fill(chunk: &JsValue, buffer: &mut Vec<u8>) -> Result<usize, JsValue> {
    let copy = |buffer: &Vec<u8>| {
        let n =
            MEMORY.with(|memory| copy_in(memory, chunk, address(buffer.as_ptr()), buffer.len()));
        if n < 0.0 {
            Err(take_failure())
        } else {
            Ok(n as usize)
        }
    };
    let n = copy(buffer)?;
    if n <= buffer.len() {
        return Ok(n);
    }
    buffer.resize(n, 0);
    match copy(buffer)? {
        n if n <= buffer.len() => Ok(n),
        _ => Err(js_sys::TypeError::new("the chunk grew while it was read").into()),
    }
}

/// Recently seen PUBLISH topics of one batch owner (a stream decoder, or `decodePacket`).
/// JavaScript keeps the strings in the owner's table (`topics[id]`); this side keeps
/// the bytes, so a known topic costs a comparison and no UTF-8 decoding. A connection usually
/// sees few distinct topics; at most `TOPIC_CACHE_ENTRIES` are kept, and when the table is full
/// it starts again from id 0 (a record with `NEW_TOPIC` overwrites the JavaScript slot before
/// any later record reads it, since JavaScript handles the records in order).
const TOPIC_CACHE_ENTRIES: usize = 64;

/// `a == b`, eight bytes at a time: the slice comparison calls `memcmp`, which on wasm32 is a
/// byte loop (5 % of a push per packet in the profile, for the 38-byte benchmark topic). Plain
/// index loops: this crate is built for size, where iterator adapters (`zip`, `all`) stay calls.
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    while i < n {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The eight bytes of `s` from `i`, as one load.
#[inline(always)]
fn word(s: &[u8], i: usize) -> u64 {
    let w = &s[i..i + 8];
    u64::from_ne_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]])
}

#[derive(Default)]
struct TopicCache {
    /// Topic bytes; the index is the id.
    topics: Vec<Box<[u8]>>,
    /// The id found last (checked first: consecutive packets usually share their topic).
    last: usize,
}

impl TopicCache {
    /// The id of `topic`, and whether it is new (JavaScript must be told its string).
    fn id(&mut self, topic: &[u8]) -> (u32, bool) {
        if self.topics.get(self.last).is_some_and(|t| same(t, topic)) {
            return (self.last as u32, false);
        }
        if let Some(i) = self.topics.iter().position(|t| same(t, topic)) {
            self.last = i;
            return (i as u32, false);
        }
        if self.topics.len() >= TOPIC_CACHE_ENTRIES {
            self.topics.clear();
        }
        self.last = self.topics.len();
        self.topics.push(topic.into());
        (self.last as u32, true)
    }

    fn clear(&mut self) {
        self.topics.clear();
        self.last = 0;
    }
}

thread_local! {
    /// The `WebAssembly.Memory` object, for the snippet's views.
    static MEMORY: JsValue = wasm_bindgen::memory();
}

/// Address of a byte in WebAssembly memory (a byte offset: wasm32 addresses are 32 bits).
fn address<T>(p: *const T) -> u32 {
    p as usize as u32
}

/// The records of the packets decoded from one input, ready to be materialised by JavaScript,
/// and what stays from one input to the next: the input buffer and the topic table. Each
/// stream decoder has its own (so a decoder's records and input survive while an `onPacket`
/// callback uses other decoders); `decodePacket` has one of its own.
#[derive(Default)]
pub(crate) struct Batch {
    records: Vec<u32>,
    spill: Vec<u8>,
    others: Option<Array>,
    /// The decode errors of the input, as `VcdMqttError` objects.
    errors: Vec<JsValue>,
    /// The copy of the input of the fast paths. JavaScript copies the chunk in itself, at the
    /// address [`reserve_input`](Self::reserve_input) returned, and keeps that address from
    /// one call to the next, so nothing else may move this buffer. Kept at the size of the
    /// largest input seen so far, so decoding allocates nothing, unless that is over
    /// `INPUT_KEEP` bytes: then it is shrunk at the next smaller input.
    input: Vec<u8>,
    /// The copy of the input of the general path ([`with_input`](Self::with_input)): apart
    /// from `input`, since growing it would move the buffer whose address JavaScript keeps.
    general: Vec<u8>,
    topics: TopicCache,
    /// The JavaScript side of the topic table (created on first use).
    topic_strings: Option<Array>,
    /// While a large chunk is decoded a window at a time ([`decode_part`](Self::decode_part)):
    /// the offset in the chunk of the window now in the input buffer. Records then give the
    /// offset of a payload in the chunk instead of its address (the input buffer holds one
    /// window and may move when a larger last window needs more room), and new topics are
    /// copied to the spill buffer (the next window overwrites the input).
    window: Option<u32>,
    /// What [`decode_input`](Self::decode_input) tells JavaScript: packet count, error count,
    /// whether `others` exist (1) or not (0), the address of the records, bytes used.
    /// JavaScript reads it right after that call, while the batch has not moved (the callers
    /// borrow it in place; not boxed, so that `Batch::default()` allocates nothing).
    header: [u32; 5],
}

impl Batch {
    /// Size of the input buffer.
    pub(crate) fn input_len(&self) -> usize {
        self.input.len()
    }

    /// Empties the batch, keeping its allocations (but not large records or a large spill
    /// buffer, which a chunk of many packets or a packet split over many chunks needed).
    pub(crate) fn clear(&mut self) {
        empty_keeping(&mut self.records, RECORDS_KEEP);
        empty_keeping(&mut self.spill, SPILL_KEEP);
        self.others = None;
        self.errors.clear();
        self.window = None;
    }

    /// Number of packets in the batch.
    pub(crate) fn len(&self) -> usize {
        self.records.len() / WORDS
    }

    /// Copies `chunk` (a `Uint8Array`, another typed array, or an array of numbers) into the
    /// general path's input buffer and runs `f` on the copy: one call into JavaScript for the
    /// copy (two when the buffer must grow first).
    pub(crate) fn with_input<R>(
        &mut self,
        chunk: &JsValue,
        copy_payloads: bool,
        f: impl FnOnce(&mut Batch, Input<'_>) -> Result<R, JsValue>,
    ) -> Result<R, JsValue> {
        let mut buffer = std::mem::take(&mut self.general);
        let result = fill(chunk, &mut buffer).and_then(|n| {
            f(
                self,
                Input {
                    chunk,
                    bytes: &buffer[..n],
                    copy_payloads,
                },
            )
        });
        if buffer.len() <= INPUT_KEEP {
            self.general = buffer;
        }
        result
    }

    /// Makes the input buffer hold at least `len` bytes and returns its address (JavaScript
    /// copies the chunk there, then calls [`decode_input`](Self::decode_input)).
    pub(crate) fn reserve_input(&mut self, len: usize) -> u32 {
        if self.input.len() < len {
            self.input.resize(len, 0);
        } else if self.input.len() > INPUT_KEEP && len <= INPUT_KEEP {
            // The large chunks are over: give their memory back to the allocator, for other
            // decoders and messages (WebAssembly memory itself never shrinks).
            self.input.truncate(len);
            self.input.shrink_to_fit();
        }
        address(self.input.as_ptr())
    }

    /// Runs `decode` on the first `len` bytes of the input buffer (which adds the packets and
    /// errors and returns the number of bytes used) and returns the address of the header.
    pub(crate) fn decode_input(
        &mut self,
        len: usize,
        decode: impl FnOnce(&[u8], &mut Batch) -> usize,
    ) -> u32 {
        self.clear();
        self.decode_part(len, None, true, decode)
    }

    /// [`decode_input`](Self::decode_input) for one window of a chunk that JavaScript copies
    /// and decodes a window at a time (so that the copy stays in the CPU cache): `window` is
    /// the offset in the chunk of the first byte of the input buffer. The records of all the
    /// windows accumulate (the first window clears the batch) and are delivered together
    /// after the `last` one, exactly as if the whole chunk had been decoded in one call.
    pub(crate) fn decode_part(
        &mut self,
        len: usize,
        window: Option<u32>,
        last: bool,
        decode: impl FnOnce(&[u8], &mut Batch) -> usize,
    ) -> u32 {
        if window == Some(0) {
            self.clear();
        }
        self.window = window;
        let input = std::mem::take(&mut self.input);
        let used = decode(&input[..len], self);
        self.input = input;
        if last {
            // Once: the spill buffer no longer grows.
            self.resolve();
        }
        self.header = [
            self.len() as u32,
            self.errors.len() as u32,
            u32::from(self.others.is_some()),
            address(self.records.as_ptr()),
            used as u32,
        ];
        address(self.header.as_ptr())
    }

    /// Adds an error (a `VcdMqttError` object).
    pub(crate) fn error(&mut self, error: JsValue) {
        self.errors.push(error);
    }

    /// Adds a decoded packet (see [`push`](Self::push)) or a decode error.
    pub(crate) fn add(&mut self, result: Result<Packet<'_>, DecodeError>, input: &[u8]) {
        match result {
            Ok(packet) => self.push(&packet, input),
            Err(e) => self.error(decode_error(&e)),
        }
    }

    /// The decode errors, which the batch then no longer holds.
    pub(crate) fn take_errors(&mut self) -> Vec<JsValue> {
        std::mem::take(&mut self.errors)
    }

    /// The packets built on the Rust side (`undefined` if none), which the batch then no
    /// longer holds.
    pub(crate) fn take_others(&mut self) -> JsValue {
        self.others.take().map_or(JsValue::UNDEFINED, Into::into)
    }

    /// The JavaScript side of the topic table.
    pub(crate) fn topic_strings(&mut self) -> Array {
        self.topic_strings.get_or_insert_with(Array::new).clone()
    }

    /// Where `bytes` are for JavaScript: when they lie inside `input` (which stays in memory
    /// until the batch is built), their address; otherwise they are copied to the spill buffer
    /// and the offset there is returned with `true` (the spill buffer may still move as it
    /// grows; [`build`](Self::build) turns the offsets into addresses).
    fn locate(&mut self, bytes: &[u8], input: &[u8]) -> (u32, bool) {
        let base = input.as_ptr() as usize;
        let at = bytes.as_ptr() as usize;
        if at >= base && at - base <= input.len() && bytes.len() <= input.len() - (at - base) {
            match self.window {
                // The offset in the chunk: the input buffer holds one window at a time and may
                // move between windows. JavaScript windows only chunks under 4 GiB.
                Some(window) => ((at - base) as u32 + window, false),
                None => (address(bytes.as_ptr()), false),
            }
        } else {
            self.spill(bytes)
        }
    }

    /// Copies `bytes` to the spill buffer: their offset there, and `true`.
    fn spill(&mut self, bytes: &[u8]) -> (u32, bool) {
        let off = self.spill.len() as u32;
        self.spill.extend_from_slice(bytes);
        (off, true)
    }

    /// Adds the record of `packet`; `input` is the chunk's copy that will be passed to
    /// [`build`](Self::build) as `Input::bytes` (the packet's bytes may lie inside it or, for a
    /// packet split over chunks, in the stream decoder's buffer).
    pub(crate) fn push(&mut self, packet: &Packet<'_>, input: &[u8]) {
        let mut rec = [0u32; WORDS];
        match packet {
            Packet::Publish(p) => {
                let mut tag = 3 | (u32::from(p.qos_pid.qos().as_u8()) << QOS_SHIFT);
                if p.dup {
                    tag |= DUP;
                }
                if p.retain {
                    tag |= RETAIN;
                }
                if let Some(id) = p.qos_pid.packet_id().map(PacketId::get) {
                    tag |= HAS_PACKET_ID;
                    rec[1] = u32::from(id);
                }
                let topic = p.topic.as_str().as_bytes();
                let (id, new) = self.topics.id(topic);
                rec[2] = id;
                if new {
                    tag |= NEW_TOPIC;
                    let (off, spilled) = match self.window {
                        Some(_) => self.spill(topic),
                        None => self.locate(topic, input),
                    };
                    if spilled {
                        tag |= TOPIC_SPILLED;
                    }
                    rec[5] = off;
                    rec[6] = topic.len() as u32;
                }
                let (off, spilled) = self.locate(p.payload, input);
                if spilled {
                    tag |= PAYLOAD_SPILLED;
                }
                rec[3] = off;
                rec[4] = p.payload.len() as u32;
                rec[0] = tag;
            }
            Packet::Puback(a) => rec[..2].copy_from_slice(&[4, u32::from(a.packet_id.get())]),
            Packet::Pubrec(a) => rec[..2].copy_from_slice(&[5, u32::from(a.packet_id.get())]),
            Packet::Pubrel(a) => rec[..2].copy_from_slice(&[6, u32::from(a.packet_id.get())]),
            Packet::Pubcomp(a) => rec[..2].copy_from_slice(&[7, u32::from(a.packet_id.get())]),
            Packet::Unsuback(a) => rec[..2].copy_from_slice(&[11, u32::from(a.packet_id.get())]),
            Packet::Pingreq => rec[0] = 12,
            Packet::Pingresp => rec[0] = 13,
            Packet::Disconnect => rec[0] = 14,
            Packet::Connack(c) => {
                rec[0] = 2 | (u32::from(c.session_present) * SESSION_PRESENT);
                rec[1] = u32::from(c.code as u8);
            }
            Packet::Connect(c) => self.other(&mut rec, &connect_to_js(c)),
            Packet::Subscribe(s) => self.other(&mut rec, &subscribe_to_js(s)),
            Packet::Suback(s) => self.other(&mut rec, &suback_to_js(s)),
            Packet::Unsubscribe(u) => self.other(&mut rec, &unsubscribe_to_js(u)),
        }
        self.records.extend_from_slice(&rec);
    }

    /// A packet built on the Rust side: the record points at it in `others`.
    fn other(&mut self, rec: &mut [u32; WORDS], object: &JsValue) {
        let others = self.others.get_or_insert_with(Array::new);
        rec[0] = OTHER;
        rec[1] = others.push(object) - 1;
    }

    /// Turns the spill offsets into addresses (the spill buffer no longer grows).
    fn resolve(&mut self) {
        if self.spill.is_empty() {
            return;
        }
        let base = address(self.spill.as_ptr());
        for rec in self.records.chunks_exact_mut(WORDS) {
            if rec[0] & PAYLOAD_SPILLED != 0 {
                rec[3] += base;
            }
            if rec[0] & TOPIC_SPILLED != 0 {
                rec[5] += base;
            }
        }
    }

    /// The packet objects, in order (one call into JavaScript); the packets' bytes lay in
    /// `input.bytes` or elsewhere (see [`push`](Self::push)). Afterwards the batch holds no
    /// JavaScript objects.
    pub(crate) fn build(&mut self, input: Input<'_>) -> Result<Array, JsValue> {
        self.resolve();
        let (others, topics) = (self.take_others(), self.topic_strings());
        let result = MEMORY.with(|memory| {
            built(build_packets(
                memory,
                address(self.records.as_ptr()),
                self.len() as u32,
                &others,
                &topics,
                input.chunk,
                address(input.bytes.as_ptr()),
                input.copy_payloads,
            ))
        });
        // When JavaScript failed, its topic table may lack entries: start both afresh.
        result
            .map(JsCast::unchecked_into)
            .inspect_err(|_| self.topics.clear())
    }

    /// `{ packet, length }` for a batch of exactly one packet (one call into JavaScript).
    pub(crate) fn build_one(
        &mut self,
        length: usize,
        input: Input<'_>,
    ) -> Result<JsValue, JsValue> {
        debug_assert_eq!(self.len(), 1);
        self.resolve();
        let (others, topics) = (self.take_others(), self.topic_strings());
        MEMORY
            .with(|memory| {
                built(build_decoded(
                    memory,
                    address(self.records.as_ptr()),
                    &others,
                    &topics,
                    length,
                    input.chunk,
                    address(input.bytes.as_ptr()),
                    input.copy_payloads,
                ))
            })
            .inspect_err(|_| self.topics.clear())
    }
}

#[cfg(test)]
mod tests {
    use super::TopicCache;

    #[test]
    fn topic_ids_are_stable_and_new_topics_are_flagged() {
        let mut cache = TopicCache::default();
        assert_eq!(cache.id(b"a/b"), (0, true));
        assert_eq!(cache.id(b"a/b"), (0, false));
        assert_eq!(cache.id(b"c"), (1, true));
        assert_eq!(cache.id(b"a/b"), (0, false));
        assert_eq!(cache.id(b"c"), (1, false));
    }

    #[test]
    fn same_compares_every_byte() {
        let a: Vec<u8> = (0..40).collect();
        for len in 0..=a.len() {
            assert!(super::same(&a[..len], &a[..len]));
            for i in 0..len {
                let mut b = a[..len].to_vec();
                b[i] ^= 1;
                assert!(!super::same(&a[..len], &b), "len {len}, byte {i}");
            }
            if len > 0 {
                assert!(!super::same(&a[..len], &a[..len - 1]));
            }
        }
    }

    #[test]
    fn a_full_topic_table_starts_again_from_id_zero() {
        let mut cache = TopicCache::default();
        for i in 0..super::TOPIC_CACHE_ENTRIES {
            assert_eq!(cache.id(format!("t/{i}").as_bytes()), (i as u32, true));
        }
        assert_eq!(cache.id(b"one more"), (0, true));
        assert_eq!(cache.id(b"t/0"), (1, true));
        assert_eq!(cache.id(b"one more"), (0, false));
    }
}
