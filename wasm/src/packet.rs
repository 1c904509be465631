//! Decoded packets as plain JavaScript objects, and the one-shot `decodePacket`.

use js_sys::Array;
use vcd_mqtt_codec::{
    Connect, DecodeOptions, Role, Status, Suback, SubackReturnCode, Subscribe, Unsubscribe,
};
use wasm_bindgen::prelude::*;

use crate::batch::Batch;
use crate::error::{decode_error, incomplete_error, invalid_argument};
use crate::js::Reader;

// CONNECT, SUBSCRIBE, SUBACK and UNSUBSCRIBE objects are built by these small JavaScript
// constructors (one call per object; the frequent packet types are built in batches, see
// `crate::batch`). Every object of a packet type has the same shape, which JavaScript engines
// optimise well. Binary fields arrive as views into WebAssembly memory and are copied
// (`slice()`) so the caller owns them.
#[wasm_bindgen(inline_js = r#"
export function mkWill(topic, message, qos, retain) {
  return { topic, message: message.slice(), qos, retain };
}
export function mkConnect(clientId, cleanSession, keepAlive, will, username, password, hasPassword) {
  return {
    type: "connect", clientId, cleanSession, keepAlive, will: will === undefined ? null : will,
    username: username === undefined ? null : username, password: hasPassword ? password.slice() : null,
  };
}
export function mkSubscription(topicFilter, qos) {
  return { topicFilter, qos };
}
export function mkSubscribe(packetId, subscriptions) {
  return { type: "subscribe", packetId, subscriptions };
}
export function mkSuback(packetId, returnCodes) {
  return { type: "suback", packetId, returnCodes: Array.from(returnCodes) };
}
export function mkUnsubscribe(packetId, topicFilters) {
  return { type: "unsubscribe", packetId, topicFilters };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = mkWill)]
    fn mk_will(topic: &str, message: &[u8], qos: u8, retain: bool) -> JsValue;
    #[wasm_bindgen(js_name = mkConnect)]
    fn mk_connect(
        client_id: &str,
        clean_session: bool,
        keep_alive: u16,
        will: Option<JsValue>,
        username: Option<&str>,
        password: &[u8],
        has_password: bool,
    ) -> JsValue;
    #[wasm_bindgen(js_name = mkSubscription)]
    fn mk_subscription(topic_filter: &str, qos: u8) -> JsValue;
    #[wasm_bindgen(js_name = mkSubscribe)]
    fn mk_subscribe(packet_id: u16, subscriptions: Array) -> JsValue;
    #[wasm_bindgen(js_name = mkSuback)]
    fn mk_suback(packet_id: u16, return_codes: &[u8]) -> JsValue;
    #[wasm_bindgen(js_name = mkUnsubscribe)]
    fn mk_unsubscribe(packet_id: u16, topic_filters: Array) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// The bytes to decode: a `Uint8Array` (also a Node `Buffer`), or an array of numbers
    /// (payloads are then always copies).
    #[wasm_bindgen(typescript_type = "Uint8Array | number[]")]
    pub type ChunkArg;
}

/// The plain object of a CONNECT (the `ConnectPacket` TypeScript type). Strings are copied into
/// JavaScript strings and binary fields into fresh `Uint8Array`s.
pub(crate) fn connect_to_js(c: &Connect<'_>) -> JsValue {
    let will = c
        .will
        .as_ref()
        .map(|w| mk_will(w.topic.as_str(), w.message, w.qos.as_u8(), w.retain));
    mk_connect(
        c.client_id,
        c.clean_session,
        c.keep_alive,
        will,
        c.username,
        c.password.unwrap_or_default(),
        c.password.is_some(),
    )
}

/// The plain object of a SUBSCRIBE.
pub(crate) fn subscribe_to_js(s: &Subscribe<'_>) -> JsValue {
    let list = Array::new();
    for t in s.topics.iter() {
        list.push(&mk_subscription(t.filter.as_str(), t.qos.as_u8()));
    }
    mk_subscribe(s.packet_id.get(), list)
}

/// The plain object of a SUBACK.
pub(crate) fn suback_to_js(s: &Suback<'_>) -> JsValue {
    let codes: Vec<u8> = s
        .return_codes
        .iter()
        .map(|rc| match rc {
            SubackReturnCode::Success(q) => q.as_u8(),
            SubackReturnCode::Failure => 0x80,
        })
        .collect();
    mk_suback(s.packet_id.get(), &codes)
}

/// The plain object of an UNSUBSCRIBE.
pub(crate) fn unsubscribe_to_js(u: &Unsubscribe<'_>) -> JsValue {
    let list = Array::new();
    for f in u.topics.iter() {
        list.push(&JsValue::from_str(f.as_str()));
    }
    mk_unsubscribe(u.packet_id.get(), list)
}

/// Reads a `DecodeOptions` object (`undefined`/`null` give the defaults): the codec's options
/// and `copyPayloads`.
pub(crate) fn decode_options(value: Option<&JsValue>) -> Result<(DecodeOptions, bool), JsValue> {
    let mut options = DecodeOptions::new();
    let Some(r) = value
        .map(|v| Reader::optional(v, "options"))
        .transpose()?
        .flatten()
    else {
        return Ok((options, false));
    };
    if let Some(max) = r.opt_uint("maxPacketSize", u32::MAX)? {
        if max < 2 {
            return Err(invalid_argument(
                &r.path("maxPacketSize"),
                "an integer of at least 2 (the smallest packet has 2 bytes)",
            ));
        }
        options.max_packet_size = max as usize;
    }
    if let Some(strict) = r.opt_bool("strictRemainingLength")? {
        options.strict_remaining_length = strict;
    }
    if let Some(reject) = r.opt_bool("rejectControlCharacters")? {
        options.reject_control_characters = reject;
    }
    let role = r.get("role");
    if !(role.is_undefined() || role.is_null()) {
        options.role = Some(match role.as_string().as_deref() {
            Some("client") => Role::Client,
            Some("server") => Role::Server,
            _ => {
                return Err(invalid_argument(
                    &r.path("role"),
                    "\"client\" or \"server\"",
                ))
            }
        });
    }
    let copy_payloads = r.bool_or("copyPayloads", false)?;
    Ok((options, copy_payloads))
}

thread_local! {
    /// The batch of `decodePacket` (its input buffer and topic table outlive the call).
    static ONE_SHOT: std::cell::RefCell<Batch> = std::cell::RefCell::new(Batch::default());
}

/// Decodes the packet at the start of `bytes`.
///
/// Returns `{ packet, length }` where `length` is the number of bytes the packet used (bytes
/// after it are left alone, so a caller can go on with `bytes.subarray(length)`). A PUBLISH
/// `payload` is a view on `bytes` (`payload.buffer === bytes.buffer`, no copy; it shows later
/// changes to those bytes) unless `options.copyPayloads` is `true` or `bytes` is a plain array,
/// which give a copy with its own `ArrayBuffer`. Throws a
/// `VcdMqttError` with code `MQTT_DECODE` (with `rule`, `statementId`, `offset`, `packetLength`)
/// when the packet breaks a rule, or `MQTT_INCOMPLETE` (with `needed`) when `bytes` ends inside
/// the packet.
#[wasm_bindgen(js_name = decodePacket, unchecked_return_type = "DecodedPacket")]
pub fn decode_packet(
    bytes: &ChunkArg,
    options: Option<crate::types::DecodeOptionsArg>,
) -> Result<JsValue, JsValue> {
    let (options, copy_payloads) = decode_options(options.as_ref().map(AsRef::as_ref))?;
    // Taken out, not borrowed: if JavaScript re-entered (a getter on an exotic chunk), the
    // inner call would simply work on a batch of its own.
    with_one_shot(|batch| {
        batch.clear();
        batch.with_input(bytes, copy_payloads, |batch, input| {
            let used = decode_first(&options, input.bytes, batch)?;
            batch.build_one(used, input)
        })
    })
}

/// Decodes the packet at the start of `bytes` and adds its record to `batch`: the bytes it
/// used, or the `VcdMqttError` (incomplete or broken packet). Both `decodePacket` paths.
#[inline]
fn decode_first(
    options: &DecodeOptions,
    bytes: &[u8],
    batch: &mut Batch,
) -> Result<usize, JsValue> {
    match options.decode(bytes) {
        Ok(Status::Complete((packet, used))) => {
            batch.push(&packet, bytes);
            Ok(used)
        }
        Ok(Status::Incomplete(needed)) => Err(incomplete_error(needed, bytes.len())),
        Err(e) => Err(decode_error(&e)),
    }
}

/// Runs `f` on the batch of `decodePacket`, taken out (see [`decode_packet`]).
fn with_one_shot<R>(f: impl FnOnce(&mut Batch) -> R) -> R {
    let mut batch = ONE_SHOT.take();
    let result = f(&mut batch);
    ONE_SHOT.set(batch);
    result
}

/// Runs `f` on the batch of `decodePacket` in place: for the fast-path functions, which call
/// no user code (so nothing can re-enter) and return addresses inside the batch (its header),
/// which must not move. Borrowing costs no `Batch::default()` and no moves of the batch per
/// call (a tenth of a `decodePacket` call in the profile).
fn with_one_shot_in_place<R>(f: impl FnOnce(&mut Batch) -> R) -> R {
    ONE_SHOT.with_borrow_mut(f)
}

/// Fast path of `decodePacket` (called by the package's JavaScript, `decodeOne` in
/// `crate::batch`, not part of the API): makes the input buffer hold `len` bytes and returns
/// its address.
#[wasm_bindgen(js_name = __decodeReserve, skip_typescript)]
pub fn decode_reserve(len: usize) -> u32 {
    with_one_shot_in_place(|batch| batch.reserve_input(len))
}

/// Fast path of `decodePacket` with the default options: decodes the packet at the start of
/// the first `len` bytes of the input buffer and returns the address of the header (the
/// record of the packet, or the error to take with `__decodeTakeErrors`).
#[wasm_bindgen(js_name = __decodeOne, skip_typescript)]
pub fn decode_one(len: usize) -> u32 {
    with_one_shot_in_place(|batch| {
        batch.decode_input(len, |bytes, batch| {
            decode_first(&DecodeOptions::new(), bytes, batch).unwrap_or_else(|e| {
                batch.error(e);
                0
            })
        })
    })
}

/// Fast path of `decodePacket`: the error of the last `__decodeOne`.
#[wasm_bindgen(js_name = __decodeTakeErrors, skip_typescript)]
pub fn decode_take_errors() -> Array {
    with_one_shot_in_place(|batch| batch.take_errors().into_iter().collect())
}

/// Fast path of `decodePacket`: the packet of the last `__decodeOne` when it was built on the
/// Rust side.
#[wasm_bindgen(js_name = __decodeTakeOthers, skip_typescript)]
pub fn decode_take_others() -> JsValue {
    with_one_shot_in_place(Batch::take_others)
}

/// Fast path of `decodePacket`: its topic strings (the JavaScript side of its table).
#[wasm_bindgen(js_name = __decodeTopics, skip_typescript)]
pub fn decode_topics() -> Array {
    with_one_shot_in_place(Batch::topic_strings)
}
