//! Decoded packets as plain JavaScript objects, and the one-shot `decodePacket`.

use vcd_mqtt_codec::{
    ConnectReturnCode, DecodeOptions, Packet, PacketId, QoS, Role, Status, SubackReturnCode,
};
use wasm_bindgen::prelude::*;

use crate::error::{decode_error, incomplete_error, invalid_argument};
use crate::js::{tag, Obj, Reader};

fn pid(p: PacketId) -> f64 {
    f64::from(p.get())
}

fn qos(q: QoS) -> f64 {
    f64::from(q.as_u8())
}

/// The camelCase name of a CONNACK return code.
fn return_code_name(code: u8) -> &'static str {
    match code {
        0 => "accepted",
        1 => "unacceptableProtocolVersion",
        2 => "identifierRejected",
        3 => "serverUnavailable",
        4 => "badUserNameOrPassword",
        5 => "notAuthorized",
        _ => "unknown",
    }
}

fn connect_return_code(code: ConnectReturnCode) -> u8 {
    code as u8
}

/// Converts a decoded packet into the plain object described by the `Packet` TypeScript type.
/// Strings are copied into JavaScript strings and binary fields into fresh `Uint8Array`s, so
/// nothing refers to WebAssembly memory afterwards.
pub(crate) fn packet_to_js(packet: &Packet<'_>) -> JsValue {
    let o = Obj::new();
    match packet {
        Packet::Connect(c) => {
            o.set("type", &tag("connect"))
                .str("clientId", c.client_id)
                .bool("cleanSession", c.clean_session)
                .num("keepAlive", f64::from(c.keep_alive));
            match &c.will {
                Some(w) => {
                    let will = Obj::new();
                    will.str("topic", w.topic.as_str())
                        .bytes("message", w.message)
                        .num("qos", qos(w.qos))
                        .bool("retain", w.retain);
                    o.set("will", &will.into_js());
                }
                None => {
                    o.set("will", &JsValue::NULL);
                }
            }
            o.opt_str("username", c.username);
            match c.password {
                Some(p) => o.bytes("password", p),
                None => o.set("password", &JsValue::NULL),
            };
        }
        Packet::Connack(c) => {
            let code = connect_return_code(c.code);
            o.set("type", &tag("connack"))
                .bool("sessionPresent", c.session_present)
                .num("returnCode", f64::from(code))
                .set("returnCodeName", &tag(return_code_name(code)));
        }
        Packet::Publish(p) => {
            o.set("type", &tag("publish"))
                .bool("dup", p.dup)
                .num("qos", qos(p.qos_pid.qos()))
                .bool("retain", p.retain)
                .str("topic", p.topic.as_str())
                .set(
                    "packetId",
                    &p.qos_pid
                        .packet_id()
                        .map_or(JsValue::NULL, |id| JsValue::from_f64(pid(id))),
                )
                .bytes("payload", p.payload);
        }
        Packet::Puback(a) => {
            o.set("type", &tag("puback")).num("packetId", pid(a.packet_id));
        }
        Packet::Pubrec(a) => {
            o.set("type", &tag("pubrec")).num("packetId", pid(a.packet_id));
        }
        Packet::Pubrel(a) => {
            o.set("type", &tag("pubrel")).num("packetId", pid(a.packet_id));
        }
        Packet::Pubcomp(a) => {
            o.set("type", &tag("pubcomp")).num("packetId", pid(a.packet_id));
        }
        Packet::Unsuback(a) => {
            o.set("type", &tag("unsuback")).num("packetId", pid(a.packet_id));
        }
        Packet::Subscribe(s) => {
            let list = js_sys::Array::new();
            for t in s.topics.iter() {
                let item = Obj::new();
                item.str("topicFilter", t.filter.as_str()).num("qos", qos(t.qos));
                list.push(&item.into_js());
            }
            o.set("type", &tag("subscribe"))
                .num("packetId", pid(s.packet_id))
                .set("subscriptions", &list);
        }
        Packet::Suback(s) => {
            let list = js_sys::Array::new();
            for rc in s.return_codes.iter() {
                let v = match rc {
                    SubackReturnCode::Success(q) => qos(q),
                    SubackReturnCode::Failure => 128.0,
                };
                list.push(&JsValue::from_f64(v));
            }
            o.set("type", &tag("suback"))
                .num("packetId", pid(s.packet_id))
                .set("returnCodes", &list);
        }
        Packet::Unsubscribe(u) => {
            let list = js_sys::Array::new();
            for f in u.topics.iter() {
                list.push(&JsValue::from_str(f.as_str()));
            }
            o.set("type", &tag("unsubscribe"))
                .num("packetId", pid(u.packet_id))
                .set("topicFilters", &list);
        }
        Packet::Pingreq => {
            o.set("type", &tag("pingreq"));
        }
        Packet::Pingresp => {
            o.set("type", &tag("pingresp"));
        }
        Packet::Disconnect => {
            o.set("type", &tag("disconnect"));
        }
    }
    o.into_js()
}

/// Reads a `DecodeOptions` object (`undefined`/`null` give the defaults).
pub(crate) fn decode_options(value: Option<&JsValue>) -> Result<DecodeOptions, JsValue> {
    let mut options = DecodeOptions::new();
    let Some(r) = value.map(|v| Reader::optional(v, "options")).transpose()?.flatten() else {
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
            _ => return Err(invalid_argument(&r.path("role"), "\"client\" or \"server\"")),
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
        Ok(Status::Complete((packet, used))) => {
            let out = Obj::new();
            out.set("packet", &packet_to_js(&packet))
                .num("length", used as f64);
            Ok(out.into_js())
        }
        Ok(Status::Incomplete(needed)) => Err(incomplete_error(needed, bytes.len())),
        Err(e) => Err(decode_error(&e)),
    }
}
