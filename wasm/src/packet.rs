//! Decoded packets as plain JavaScript objects, and the one-shot `decodePacket`.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Array;
use vcd_mqtt_codec::{
    ConnectReturnCode, DecodeOptions, Packet, PacketId, Role, Status, SubackReturnCode,
};
use wasm_bindgen::prelude::*;

use crate::error::{decode_error, incomplete_error, invalid_argument};
use crate::js::Reader;

fn connect_return_code(code: ConnectReturnCode) -> u8 {
    code as u8
}

// The packet objects are built by small JavaScript constructors: one call across the
// WebAssembly boundary per packet (instead of one per property), and every object of a packet
// type has the same shape, which JavaScript engines optimise well. Binary fields arrive as views
// into WebAssembly memory and are copied (`slice()`) so the caller owns them.
#[wasm_bindgen(inline_js = r#"
const TOPICS = [];
export function setTopic(id, topic) {
  TOPICS[id] = topic;
}
export function mkPublish(dup, qos, retain, topicId, packetId, payload) {
  return { type: "publish", dup, qos, retain, topic: TOPICS[topicId], packetId: packetId === undefined ? null : packetId, payload: payload.slice() };
}
export function pushPublish(out, dup, qos, retain, topicId, packetId, payload) {
  out.push(mkPublish(dup, qos, retain, topicId, packetId, payload));
}
export function mkAck(kind, packetId) {
  switch (kind) {
    case 4: return { type: "puback", packetId };
    case 5: return { type: "pubrec", packetId };
    case 6: return { type: "pubrel", packetId };
    case 7: return { type: "pubcomp", packetId };
    default: return { type: "unsuback", packetId };
  }
}
export function mkEmpty(kind) {
  return { type: kind === 12 ? "pingreq" : kind === 13 ? "pingresp" : "disconnect" };
}
const RETURN_CODE_NAMES = ["accepted", "unacceptableProtocolVersion", "identifierRejected",
  "serverUnavailable", "badUserNameOrPassword", "notAuthorized"];
export function mkConnack(sessionPresent, returnCode) {
  return { type: "connack", sessionPresent, returnCode, returnCodeName: RETURN_CODE_NAMES[returnCode] ?? "unknown" };
}
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
export function mkDecoded(packet, length) {
  return { packet, length };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = setTopic)]
    fn set_topic(id: u32, topic: &str);
    #[wasm_bindgen(js_name = mkPublish)]
    fn mk_publish(
        dup: bool,
        qos: u8,
        retain: bool,
        topic_id: u32,
        packet_id: Option<u16>,
        payload: &[u8],
    ) -> JsValue;
    #[wasm_bindgen(js_name = pushPublish)]
    fn push_publish(
        out: &Array,
        dup: bool,
        qos: u8,
        retain: bool,
        topic_id: u32,
        packet_id: Option<u16>,
        payload: &[u8],
    );
    #[wasm_bindgen(js_name = mkAck)]
    fn mk_ack(kind: u8, packet_id: u16) -> JsValue;
    #[wasm_bindgen(js_name = mkEmpty)]
    fn mk_empty(kind: u8) -> JsValue;
    #[wasm_bindgen(js_name = mkConnack)]
    fn mk_connack(session_present: bool, return_code: u8) -> JsValue;
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
    #[wasm_bindgen(js_name = mkDecoded)]
    fn mk_decoded(packet: JsValue, length: usize) -> JsValue;
}

/// Recently seen PUBLISH topics, kept as JavaScript strings on the JavaScript side (indexed by a
/// small id): a connection usually sees few distinct topics, and reusing the string avoids
/// decoding UTF-8 again for every packet. Bounded to `TOPIC_CACHE_ENTRIES` topics; when full the
/// ids are reassigned from 0 (the JavaScript slots are overwritten as topics are registered).
const TOPIC_CACHE_ENTRIES: usize = 64;

thread_local! {
    static TOPICS: RefCell<HashMap<Box<str>, u32>> = RefCell::new(HashMap::new());
}

/// The id of `topic` in the JavaScript topic table, registering it when new.
fn topic_id(topic: &str) -> u32 {
    TOPICS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(&id) = cache.get(topic) {
            return id;
        }
        if cache.len() >= TOPIC_CACHE_ENTRIES {
            cache.clear();
        }
        // Fewer than TOPIC_CACHE_ENTRIES (64) entries: the id fits in u32.
        let id = cache.len() as u32;
        set_topic(id, topic);
        cache.insert(topic.into(), id);
        id
    })
}

/// Appends the JavaScript object of `packet` to `out` (one boundary call for a PUBLISH).
pub(crate) fn push_packet(out: &Array, packet: &Packet<'_>) {
    match packet {
        Packet::Publish(p) => push_publish(
            out,
            p.dup,
            p.qos_pid.qos().as_u8(),
            p.retain,
            topic_id(p.topic.as_str()),
            p.qos_pid.packet_id().map(PacketId::get),
            p.payload,
        ),
        other => {
            out.push(&packet_to_js(other));
        }
    }
}

/// Converts a decoded packet into the plain object described by the `Packet` TypeScript type.
/// Strings are copied into JavaScript strings and binary fields into fresh `Uint8Array`s, so
/// nothing refers to WebAssembly memory afterwards.
pub(crate) fn packet_to_js(packet: &Packet<'_>) -> JsValue {
    match packet {
        Packet::Connect(c) => {
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
        Packet::Connack(c) => mk_connack(c.session_present, connect_return_code(c.code)),
        Packet::Publish(p) => mk_publish(
            p.dup,
            p.qos_pid.qos().as_u8(),
            p.retain,
            topic_id(p.topic.as_str()),
            p.qos_pid.packet_id().map(PacketId::get),
            p.payload,
        ),
        Packet::Puback(a) => mk_ack(4, a.packet_id.get()),
        Packet::Pubrec(a) => mk_ack(5, a.packet_id.get()),
        Packet::Pubrel(a) => mk_ack(6, a.packet_id.get()),
        Packet::Pubcomp(a) => mk_ack(7, a.packet_id.get()),
        Packet::Unsuback(a) => mk_ack(11, a.packet_id.get()),
        Packet::Subscribe(s) => {
            let list = Array::new();
            for t in s.topics.iter() {
                list.push(&mk_subscription(t.filter.as_str(), t.qos.as_u8()));
            }
            mk_subscribe(s.packet_id.get(), list)
        }
        Packet::Suback(s) => {
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
        Packet::Unsubscribe(u) => {
            let list = Array::new();
            for f in u.topics.iter() {
                list.push(&JsValue::from_str(f.as_str()));
            }
            mk_unsubscribe(u.packet_id.get(), list)
        }
        Packet::Pingreq => mk_empty(12),
        Packet::Pingresp => mk_empty(13),
        Packet::Disconnect => mk_empty(14),
    }
}

/// Reads a `DecodeOptions` object (`undefined`/`null` give the defaults).
pub(crate) fn decode_options(value: Option<&JsValue>) -> Result<DecodeOptions, JsValue> {
    let mut options = DecodeOptions::new();
    let Some(r) = value
        .map(|v| Reader::optional(v, "options"))
        .transpose()?
        .flatten()
    else {
        return Ok(options);
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
    Ok(options)
}

/// Decodes the packet at the start of `bytes`.
///
/// Returns `{ packet, length }` where `length` is the number of bytes the packet used (bytes
/// after it are left alone, so a caller can go on with `bytes.subarray(length)`). Throws a
/// `VcdMqttError` with code `MQTT_DECODE` (with `rule`, `statementId`, `offset`, `packetLength`)
/// when the packet breaks a rule, or `MQTT_INCOMPLETE` (with `needed`) when `bytes` ends inside
/// the packet.
#[wasm_bindgen(js_name = decodePacket, unchecked_return_type = "DecodedPacket")]
pub fn decode_packet(
    bytes: &[u8],
    options: Option<crate::types::DecodeOptionsArg>,
) -> Result<JsValue, JsValue> {
    let options = decode_options(options.as_ref().map(AsRef::as_ref))?;
    match options.decode(bytes) {
        Ok(Status::Complete((packet, used))) => Ok(mk_decoded(packet_to_js(&packet), used)),
        Ok(Status::Incomplete(needed)) => Err(incomplete_error(needed, bytes.len())),
        Err(e) => Err(decode_error(&e)),
    }
}
