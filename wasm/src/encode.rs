//! Encoders: JavaScript option objects in, `Uint8Array` out, validated by the codec's own
//! encoder (the same rules as in Rust; a JavaScript value of the wrong type gives
//! `INVALID_ARGUMENT`, a value the Rust types cannot hold gives the codec's `MQTT_ENCODE` rule).

use js_sys::Array;
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, Error, LastWill, Packet, PacketId, Puback, Pubcomp,
    Publish, Pubrec, Pubrel, QoS, QosPid, Suback, SubackReturnCode, SubackReturnCodes, Subscribe,
    SubscribeTopic, SubscribeTopics, TopicFilter, TopicName, Unsuback, Unsubscribe,
    UnsubscribeTopics,
};
use wasm_bindgen::prelude::*;

use crate::error::{encode_error, invalid_argument};
use crate::js::{join, uint, Reader};
use crate::types::{
    ConnectOptionsArg, PacketInputArg, PublishOptionsArg, SubscribeOptionsArg,
    UnsubscribeOptionsArg,
};

type JsResult<T> = Result<T, JsValue>;

fn encode(packet: &Packet<'_>) -> JsResult<Vec<u8>> {
    let mut out = Vec::new();
    packet
        .encode_to_vec(&mut out)
        .map_err(|e| encode_error(&e))?;
    Ok(out)
}

fn codec(e: Error) -> JsValue {
    encode_error(&e)
}

/// A packet identifier: an integer 0..=65535 (JS type check), non-zero (MQTT rule).
fn packet_id_value(v: &JsValue, path: &str) -> JsResult<PacketId> {
    let n = uint(v, u32::from(u16::MAX))
        .ok_or_else(|| invalid_argument(path, "an integer from 1 to 65535"))?;
    PacketId::new(n as u16).ok_or_else(|| codec(Error::ZeroPacketId))
}

fn packet_id(r: &Reader<'_>, key: &str) -> JsResult<PacketId> {
    packet_id_value(&r.get(key), &r.path(key))
}

/// A QoS: an integer 0..=255 (JS type check), then 0, 1 or 2 (MQTT rule `invalid`).
fn qos_value(v: &JsValue, path: &str, invalid: fn(u8) -> Error) -> JsResult<QoS> {
    let n = uint(v, 255).ok_or_else(|| invalid_argument(path, "0, 1 or 2"))? as u8;
    QoS::from_u8(n).ok_or_else(|| codec(invalid(n)))
}

fn opt_qos(r: &Reader<'_>, key: &str, invalid: fn(u8) -> Error) -> JsResult<QoS> {
    let v = r.get(key);
    if v.is_undefined() || v.is_null() {
        Ok(QoS::AtMostOnce)
    } else {
        qos_value(&v, &r.path(key), invalid)
    }
}

fn topic_name(s: &str) -> JsResult<TopicName<'_>> {
    TopicName::new(s).map_err(codec)
}

fn topic_filter(s: &str) -> JsResult<TopicFilter<'_>> {
    TopicFilter::new(s).map_err(codec)
}

/// Strings of an array option, with per-element paths (`topicFilters[2]`).
fn strings(list: &Array, path: &str) -> JsResult<Vec<String>> {
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_string()
                .ok_or_else(|| invalid_argument(&format!("{path}[{i}]"), "a string"))
        })
        .collect()
}

// ---------------------------------------------------------------- CONNECT

struct WillData {
    topic: String,
    message: Vec<u8>,
    qos: QoS,
    retain: bool,
}

struct ConnectData {
    client_id: String,
    clean_session: bool,
    keep_alive: u16,
    will: Option<WillData>,
    username: Option<String>,
    password: Option<Vec<u8>>,
}

fn read_connect(r: &Reader<'_>) -> JsResult<ConnectData> {
    let will_value = r.get("will");
    let will_path = r.path("will");
    let will = match Reader::optional(&will_value, &will_path)? {
        Some(w) => Some(WillData {
            topic: w.string("topic")?,
            message: w.opt_bytes("message")?.unwrap_or_default(),
            qos: opt_qos(&w, "qos", Error::InvalidWillQoS)?,
            retain: w.bool_or("retain", false)?,
        }),
        None => None,
    };
    Ok(ConnectData {
        client_id: r.opt_string("clientId")?.unwrap_or_default(),
        clean_session: r.bool_or("cleanSession", true)?,
        keep_alive: r.opt_uint("keepAlive", u32::from(u16::MAX))?.unwrap_or(60) as u16,
        will,
        username: r.opt_string("username")?,
        password: r.opt_bytes("password")?,
    })
}

fn connect_packet(d: &ConnectData) -> JsResult<Packet<'_>> {
    let will = match &d.will {
        Some(w) => Some(LastWill {
            topic: topic_name(&w.topic)?,
            message: &w.message,
            qos: w.qos,
            retain: w.retain,
        }),
        None => None,
    };
    Ok(Packet::Connect(Connect {
        client_id: &d.client_id,
        clean_session: d.clean_session,
        keep_alive: d.keep_alive,
        will,
        username: d.username.as_deref(),
        password: d.password.as_deref(),
    }))
}

/// Encodes a CONNECT packet.
///
/// `cleanSession` defaults to `true` (the only mode Cloud Director supports), `keepAlive` to
/// 60 seconds and `clientId` to `""`; `password` and `will.message` take a `Uint8Array` or a
/// string (UTF-8). A password without a user name, an empty client id without clean session,
/// a will topic with wildcards and over-long strings are rejected with `MQTT_ENCODE`.
#[wasm_bindgen(js_name = encodeConnect)]
pub fn encode_connect(options: ConnectOptionsArg) -> JsResult<Vec<u8>> {
    let r = Reader::new(&options, "options")?;
    let data = read_connect(&r)?;
    encode(&connect_packet(&data)?)
}

// ---------------------------------------------------------------- PUBLISH

struct PublishData {
    dup: bool,
    qos: QoS,
    packet_id: Option<PacketId>,
    retain: bool,
    topic: String,
    payload: Vec<u8>,
}

fn read_publish(r: &Reader<'_>) -> JsResult<PublishData> {
    let qos = opt_qos(r, "qos", Error::InvalidQoS)?;
    let pid_value = r.get("packetId");
    let packet_id = if pid_value.is_undefined() || pid_value.is_null() {
        None
    } else {
        Some(packet_id(r, "packetId")?)
    };
    Ok(PublishData {
        dup: r.bool_or("dup", false)?,
        qos,
        packet_id,
        retain: r.bool_or("retain", false)?,
        topic: r.string("topic")?,
        payload: r.opt_bytes("payload")?.unwrap_or_default(),
    })
}

fn publish_packet<'a>(d: &'a PublishData, path: &str) -> JsResult<Packet<'a>> {
    let qos_pid = match (d.qos, d.packet_id) {
        (QoS::AtMostOnce, None) => QosPid::AtMostOnce,
        (QoS::AtMostOnce, Some(_)) => {
            return Err(invalid_argument(
                &join(path, "packetId"),
                "no packet id for QoS 0 [MQTT-2.3.1-5]",
            ))
        }
        (QoS::AtLeastOnce, Some(id)) => QosPid::AtLeastOnce(id),
        (QoS::ExactlyOnce, Some(id)) => QosPid::ExactlyOnce(id),
        (_, None) => {
            return Err(invalid_argument(
                &join(path, "packetId"),
                "a packet id (1 to 65535) for QoS 1 and 2 [MQTT-2.3.1-1]",
            ))
        }
    };
    Ok(Packet::Publish(Publish {
        dup: d.dup,
        qos_pid,
        retain: d.retain,
        topic: topic_name(&d.topic)?,
        payload: &d.payload,
    }))
}

/// Encodes a PUBLISH packet. `qos` defaults to 0; QoS 1 and 2 need a `packetId`, QoS 0 must
/// not have one. `payload` is a `Uint8Array` or a string (UTF-8); it defaults to empty.
#[wasm_bindgen(js_name = encodePublish)]
pub fn encode_publish(options: PublishOptionsArg) -> JsResult<Vec<u8>> {
    let r = Reader::new(&options, "options")?;
    let data = read_publish(&r)?;
    encode(&publish_packet(&data, "options")?)
}

// ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

fn read_subscriptions(r: &Reader<'_>) -> JsResult<Vec<(String, QoS)>> {
    let list = r.array("subscriptions")?;
    let path = r.path("subscriptions");
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let item_path = format!("{path}[{i}]");
            if let Some(filter) = item.as_string() {
                return Ok((filter, QoS::AtMostOnce));
            }
            let s = Reader::new(&item, &item_path)?;
            Ok((
                s.string("topicFilter")?,
                opt_qos(&s, "qos", Error::InvalidSubscribeQoS)?,
            ))
        })
        .collect()
}

fn encode_subscribe_data(packet_id: PacketId, subs: &[(String, QoS)]) -> JsResult<Vec<u8>> {
    let topics = subs
        .iter()
        .map(|(f, qos)| {
            Ok(SubscribeTopic {
                filter: topic_filter(f)?,
                qos: *qos,
            })
        })
        .collect::<JsResult<Vec<_>>>()?;
    encode(&Packet::Subscribe(Subscribe {
        packet_id,
        topics: SubscribeTopics::from_slice(&topics),
    }))
}

/// Encodes a SUBSCRIBE packet: `subscriptions` lists `{ topicFilter, qos }` objects (or bare
/// topic-filter strings for QoS 0). An empty list or an invalid filter gives `MQTT_ENCODE`.
#[wasm_bindgen(js_name = encodeSubscribe)]
pub fn encode_subscribe(options: SubscribeOptionsArg) -> JsResult<Vec<u8>> {
    let r = Reader::new(&options, "options")?;
    let id = packet_id(&r, "packetId")?;
    let subs = read_subscriptions(&r)?;
    encode_subscribe_data(id, &subs)
}

fn encode_unsubscribe_data(packet_id: PacketId, filters: &[String]) -> JsResult<Vec<u8>> {
    let filters = filters
        .iter()
        .map(|f| topic_filter(f))
        .collect::<JsResult<Vec<_>>>()?;
    encode(&Packet::Unsubscribe(Unsubscribe {
        packet_id,
        topics: UnsubscribeTopics::from_slice(&filters),
    }))
}

/// Encodes an UNSUBSCRIBE packet for `topicFilters`.
#[wasm_bindgen(js_name = encodeUnsubscribe)]
pub fn encode_unsubscribe(options: UnsubscribeOptionsArg) -> JsResult<Vec<u8>> {
    let r = Reader::new(&options, "options")?;
    let id = packet_id(&r, "packetId")?;
    let filters = strings(&r.array("topicFilters")?, &r.path("topicFilters"))?;
    encode_unsubscribe_data(id, &filters)
}

// ---------------------------------------------------------------- acknowledgements, no-body packets

fn pid_arg(packet_id: f64) -> JsResult<PacketId> {
    packet_id_value(&JsValue::from_f64(packet_id), "packetId")
}

/// Encodes a PUBACK (answer to a QoS 1 PUBLISH).
#[wasm_bindgen(js_name = encodePuback)]
pub fn encode_puback(packet_id: f64) -> JsResult<Vec<u8>> {
    encode(&Packet::Puback(Puback {
        packet_id: pid_arg(packet_id)?,
    }))
}

/// Encodes a PUBREC (first answer to a QoS 2 PUBLISH).
#[wasm_bindgen(js_name = encodePubrec)]
pub fn encode_pubrec(packet_id: f64) -> JsResult<Vec<u8>> {
    encode(&Packet::Pubrec(Pubrec {
        packet_id: pid_arg(packet_id)?,
    }))
}

/// Encodes a PUBREL (answer to a PUBREC).
#[wasm_bindgen(js_name = encodePubrel)]
pub fn encode_pubrel(packet_id: f64) -> JsResult<Vec<u8>> {
    encode(&Packet::Pubrel(Pubrel {
        packet_id: pid_arg(packet_id)?,
    }))
}

/// Encodes a PUBCOMP (answer to a PUBREL).
#[wasm_bindgen(js_name = encodePubcomp)]
pub fn encode_pubcomp(packet_id: f64) -> JsResult<Vec<u8>> {
    encode(&Packet::Pubcomp(Pubcomp {
        packet_id: pid_arg(packet_id)?,
    }))
}

/// Encodes a PINGREQ (`[0xC0, 0x00]`).
#[wasm_bindgen(js_name = encodePingreq)]
pub fn encode_pingreq() -> JsResult<Vec<u8>> {
    encode(&Packet::Pingreq)
}

/// Encodes a DISCONNECT (`[0xE0, 0x00]`).
#[wasm_bindgen(js_name = encodeDisconnect)]
pub fn encode_disconnect() -> JsResult<Vec<u8>> {
    encode(&Packet::Disconnect)
}

// ---------------------------------------------------------------- any packet

/// Encodes any of the 14 packet types from an object shaped like the ones `decodePacket`
/// returns (`{ type: "connack", sessionPresent, returnCode }`, ...), so a decoded packet
/// encodes back to the same bytes. Missing optional fields take the defaults of the dedicated
/// encoders.
#[wasm_bindgen(js_name = encodePacket)]
pub fn encode_packet(packet: PacketInputArg) -> JsResult<Vec<u8>> {
    let r = Reader::new(&packet, "packet")?;
    let kind = r.string("type")?;
    match kind.as_str() {
        "connect" => {
            let d = read_connect(&r)?;
            encode(&connect_packet(&d)?)
        }
        "connack" => {
            let session_present = r.bool_or("sessionPresent", false)?;
            let code = r.uint("returnCode", 255)? as u8;
            let code = ConnectReturnCode::from_u8(code)
                .ok_or_else(|| codec(Error::InvalidConnectReturnCode(code)))?;
            encode(&Packet::Connack(Connack {
                session_present,
                code,
            }))
        }
        "publish" => {
            let d = read_publish(&r)?;
            encode(&publish_packet(&d, "packet")?)
        }
        "puback" => encode(&Packet::Puback(Puback {
            packet_id: packet_id(&r, "packetId")?,
        })),
        "pubrec" => encode(&Packet::Pubrec(Pubrec {
            packet_id: packet_id(&r, "packetId")?,
        })),
        "pubrel" => encode(&Packet::Pubrel(Pubrel {
            packet_id: packet_id(&r, "packetId")?,
        })),
        "pubcomp" => encode(&Packet::Pubcomp(Pubcomp {
            packet_id: packet_id(&r, "packetId")?,
        })),
        "unsuback" => encode(&Packet::Unsuback(Unsuback {
            packet_id: packet_id(&r, "packetId")?,
        })),
        "subscribe" => {
            let id = packet_id(&r, "packetId")?;
            let subs = read_subscriptions(&r)?;
            encode_subscribe_data(id, &subs)
        }
        "suback" => {
            let id = packet_id(&r, "packetId")?;
            let path = r.path("returnCodes");
            let codes = r
                .array("returnCodes")?
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let n = uint(&v, 255).ok_or_else(|| {
                        invalid_argument(&format!("{path}[{i}]"), "0, 1, 2 or 128")
                    })? as u8;
                    match n {
                        0x80 => Ok(SubackReturnCode::Failure),
                        _ => QoS::from_u8(n)
                            .map(SubackReturnCode::Success)
                            .ok_or_else(|| codec(Error::InvalidSubackReturnCode(n))),
                    }
                })
                .collect::<JsResult<Vec<_>>>()?;
            encode(&Packet::Suback(Suback {
                packet_id: id,
                return_codes: SubackReturnCodes::from_slice(&codes),
            }))
        }
        "unsubscribe" => {
            let id = packet_id(&r, "packetId")?;
            let filters = strings(&r.array("topicFilters")?, &r.path("topicFilters"))?;
            encode_unsubscribe_data(id, &filters)
        }
        "pingreq" => encode(&Packet::Pingreq),
        "pingresp" => encode(&Packet::Pingresp),
        "disconnect" => encode(&Packet::Disconnect),
        _ => Err(invalid_argument(
            &r.path("type"),
            "one of the 14 MQTT packet type names (\"connect\" ... \"disconnect\")",
        )),
    }
}
