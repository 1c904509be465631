//! Helpers shared by the codec's integration tests: hand-written wire vectors for every packet
//! kind and small assertion helpers around `decode` / `encode`.
//!
//! Every byte vector here was written by hand from the MQTT 3.1.1 text (OASIS `mqtt-v3.1.1-os`,
//! chapters 2 and 3), never produced by this crate's encoder.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use vcd_mqtt_codec::{DecodeError, DecodeOptions, Error, Packet, Status};

/// PINGREQ `C0 00` [§3.12].
pub const PINGREQ: &[u8] = &[0xC0, 0x00];
/// PINGRESP `D0 00` [§3.13].
pub const PINGRESP: &[u8] = &[0xD0, 0x00];
/// DISCONNECT `E0 00` [§3.14].
pub const DISCONNECT: &[u8] = &[0xE0, 0x00];
/// PUBACK, packet id 1.
pub const PUBACK_1: &[u8] = &[0x40, 0x02, 0x00, 0x01];
/// PUBREC, packet id 0x1234.
pub const PUBREC_1234: &[u8] = &[0x50, 0x02, 0x12, 0x34];
/// PUBREL (flags 0010), packet id 7.
pub const PUBREL_7: &[u8] = &[0x62, 0x02, 0x00, 0x07];
/// PUBCOMP, packet id 0xFFFE.
pub const PUBCOMP_FFFE: &[u8] = &[0x70, 0x02, 0xFF, 0xFE];
/// UNSUBACK, packet id 2.
pub const UNSUBACK_2: &[u8] = &[0xB0, 0x02, 0x00, 0x02];
/// CONNACK, session present, accepted.
pub const CONNACK_SP_ACCEPTED: &[u8] = &[0x20, 0x02, 0x01, 0x00];
/// CONNACK, no session, return code 5 (not authorized).
pub const CONNACK_NOT_AUTHORIZED: &[u8] = &[0x20, 0x02, 0x00, 0x05];

/// CONNECT: empty client id, clean session, keep alive 60, nothing else.
/// Remaining length = 10 (variable header) + 2 (empty client id) = 12.
pub const CONNECT_MINIMAL: &[u8] = &[
    0x10, 0x0C, // fixed header
    0x00, 0x04, b'M', b'Q', b'T', b'T', // protocol name
    0x04, // level
    0x02, // flags: clean session
    0x00, 0x3C, // keep alive 60
    0x00, 0x00, // client id ""
];

/// CONNECT: client id "vcd", clean session, keep alive 300, will (topic "w/t", message FF 00,
/// QoS 1, retain), user name "bob", password "pw".
/// Flags = 0x80 user | 0x40 password | 0x20 will retain | 0x08 will QoS 1 | 0x04 will | 0x02 clean
/// = 0xEE. Remaining length = 10 + 5 + 5 + 4 + 5 + 4 = 33 = 0x21.
pub const CONNECT_FULL: &[u8] = &[
    0x10, 0x21, // fixed header
    0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0xEE, 0x01, 0x2C, // variable header
    0x00, 0x03, b'v', b'c', b'd', // client id (offset 12)
    0x00, 0x03, b'w', b'/', b't', // will topic (offset 17)
    0x00, 0x02, 0xFF, 0x00, // will message (offset 22)
    0x00, 0x03, b'b', b'o', b'b', // user name (offset 26)
    0x00, 0x02, b'p', b'w', // password (offset 31)
];

/// PUBLISH QoS 0, topic "a/b", payload "hi". Remaining = 2 + 3 + 2 = 7.
pub const PUBLISH_QOS0: &[u8] = &[0x30, 0x07, 0x00, 0x03, b'a', b'/', b'b', b'h', b'i'];

/// PUBLISH DUP | QoS 1 | RETAIN (0x3B), topic "vcd/ü/日本" (13 bytes), id 10, payload "x".
/// ü = C3 BC, 日 = E6 97 A5, 本 = E6 9C AC. Remaining = 2 + 13 + 2 + 1 = 18 = 0x12.
pub const PUBLISH_QOS1_UTF8: &[u8] = &[
    0x3B, 0x12, 0x00, 0x0D, b'v', b'c', b'd', b'/', 0xC3, 0xBC, b'/', 0xE6, 0x97, 0xA5, 0xE6, 0x9C,
    0xAC, 0x00, 0x0A, b'x',
];

/// PUBLISH QoS 2, topic "t", id 0xFFFF, zero-length payload. Remaining = 2 + 1 + 2 = 5.
pub const PUBLISH_QOS2_EMPTY: &[u8] = &[0x34, 0x05, 0x00, 0x01, b't', 0xFF, 0xFF];

/// PUBLISH QoS 0, topic "\u{FEFF}a/b" (EF BB BF 61 2F 62), empty payload. Remaining = 8.
pub const PUBLISH_BOM: &[u8] = &[0x30, 0x08, 0x00, 0x06, 0xEF, 0xBB, 0xBF, b'a', b'/', b'b'];

/// SUBSCRIBE id 1: "a/+" QoS 1, "#" QoS 0, "vcd/ü/#" QoS 2. Remaining = 2 + 6 + 4 + 11 = 23.
pub const SUBSCRIBE_3: &[u8] = &[
    0x82, 0x17, 0x00, 0x01, // header, id
    0x00, 0x03, b'a', b'/', b'+', 0x01, // "a/+" QoS 1
    0x00, 0x01, b'#', 0x00, // "#" QoS 0
    0x00, 0x08, b'v', b'c', b'd', b'/', 0xC3, 0xBC, b'/', b'#', 0x02, // "vcd/ü/#" QoS 2
];

/// SUBACK id 1: granted QoS 1, failure 0x80, granted QoS 2, granted QoS 0.
pub const SUBACK_4: &[u8] = &[0x90, 0x06, 0x00, 0x01, 0x01, 0x80, 0x02, 0x00];

/// UNSUBSCRIBE id 2: "a/+", "#". Remaining = 2 + 5 + 3 = 10.
pub const UNSUBSCRIBE_2: &[u8] = &[
    0xA2, 0x0A, 0x00, 0x02, 0x00, 0x03, b'a', b'/', b'+', 0x00, 0x01, b'#',
];

/// One valid vector per packet kind (14 kinds), in packet-type order.
pub const ONE_OF_EACH: &[&[u8]] = &[
    CONNECT_FULL,
    CONNACK_SP_ACCEPTED,
    PUBLISH_QOS1_UTF8,
    PUBACK_1,
    PUBREC_1234,
    PUBREL_7,
    PUBCOMP_FFFE,
    SUBSCRIBE_3,
    SUBACK_4,
    UNSUBSCRIBE_2,
    UNSUBACK_2,
    PINGREQ,
    PINGRESP,
    DISCONNECT,
];

/// Decode with default options and expect a complete packet.
#[track_caller]
pub fn ok(bytes: &[u8]) -> (Packet<'_>, usize) {
    ok_with(&DecodeOptions::new(), bytes)
}

/// Decode with `options` and expect a complete packet.
#[track_caller]
pub fn ok_with<'a>(options: &DecodeOptions, bytes: &'a [u8]) -> (Packet<'a>, usize) {
    match options.decode(bytes) {
        Ok(Status::Complete(done)) => done,
        other => panic!("expected a complete packet from {bytes:02X?}, got {other:?}"),
    }
}

/// Decode with default options, expect a complete packet that uses the whole input.
#[track_caller]
pub fn ok_all(bytes: &[u8]) -> Packet<'_> {
    let (packet, used) = ok(bytes);
    assert_eq!(used, bytes.len(), "bytes used for {bytes:02X?}");
    packet
}

/// Decode with default options and expect an error.
#[track_caller]
pub fn err(bytes: &[u8]) -> DecodeError {
    err_with(&DecodeOptions::new(), bytes)
}

/// Decode with `options` and expect an error.
#[track_caller]
pub fn err_with(options: &DecodeOptions, bytes: &[u8]) -> DecodeError {
    match options.decode(bytes) {
        Err(e) => e,
        Ok(other) => panic!("expected a decode error from {bytes:02X?}, got {other:?}"),
    }
}

/// Assert that decoding `bytes` (default options) fails with exactly this error, offset and
/// packet length.
#[track_caller]
pub fn assert_decode_err(bytes: &[u8], error: Error, offset: usize, packet_len: Option<usize>) {
    assert_decode_err_with(&DecodeOptions::new(), bytes, error, offset, packet_len);
}

/// As [`assert_decode_err`] with explicit options.
#[track_caller]
pub fn assert_decode_err_with(
    options: &DecodeOptions,
    bytes: &[u8],
    error: Error,
    offset: usize,
    packet_len: Option<usize>,
) {
    let e = err_with(options, bytes);
    assert_eq!(
        e,
        DecodeError {
            error,
            offset,
            packet_len
        },
        "decoding {bytes:02X?}"
    );
}

/// Encode through `encode` into an exactly sized buffer, checking `encoded_len` agrees.
#[track_caller]
pub fn encode_exact(packet: &Packet<'_>) -> Vec<u8> {
    let len = packet
        .encoded_len()
        .unwrap_or_else(|e| panic!("encoded_len of {packet:?}: {e:?}"));
    let mut buf = vec![0u8; len];
    let written = packet
        .encode(&mut buf)
        .unwrap_or_else(|e| panic!("encode of {packet:?}: {e:?}"));
    assert_eq!(
        written, len,
        "encode wrote a different length than encoded_len"
    );
    buf
}

/// Assert that `packet` refuses to encode with `error`: `encoded_len`, `encode` (which must leave
/// the buffer untouched) and `encode_to_vec` (which must leave the vector untouched) all agree.
#[track_caller]
pub fn assert_encode_err(packet: &Packet<'_>, error: Error) {
    assert_eq!(
        packet.encoded_len(),
        Err(error),
        "encoded_len of {packet:?}"
    );
    let mut buf = [0xA5u8; 512];
    assert_eq!(packet.encode(&mut buf), Err(error), "encode of {packet:?}");
    assert!(
        buf.iter().all(|&b| b == 0xA5),
        "a refused encode wrote bytes"
    );
    #[cfg(feature = "alloc")]
    {
        let mut out = vec![1, 2, 3];
        assert_eq!(
            packet.encode_to_vec(&mut out),
            Err(error),
            "encode_to_vec of {packet:?}"
        );
        assert_eq!(out, [1, 2, 3], "a refused encode_to_vec changed the vector");
    }
}

/// Build a PUBLISH QoS 0 from a raw topic byte string (length-prefixed) and payload.
pub fn publish_raw_topic(topic: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&(topic.len() as u16).to_be_bytes());
    body.extend_from_slice(topic);
    body.extend_from_slice(payload);
    with_header(0x30, &body)
}

/// Prefix `body` with a fixed header (first byte + minimal remaining length).
pub fn with_header(first: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    out.extend_from_slice(&varint(body.len()));
    out.extend_from_slice(body);
    out
}

/// Minimal MQTT remaining-length encoding (hand implementation of §2.2.3's algorithm).
pub fn varint(mut n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let mut byte = (n % 128) as u8;
        n /= 128;
        if n > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if n == 0 {
            return out;
        }
    }
}

/// Length-prefixed string / binary field.
pub fn field(bytes: &[u8]) -> Vec<u8> {
    let mut out = (bytes.len() as u16).to_be_bytes().to_vec();
    out.extend_from_slice(bytes);
    out
}

/// A CONNECT with the given flags byte and raw payload (protocol "MQTT", level 4, keep alive 60).
pub fn connect_raw(flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut body = vec![0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, flags, 0x00, 0x3C];
    body.extend_from_slice(payload);
    with_header(0x10, &body)
}

/// A SUBSCRIBE (id 1) with raw (filter, qos byte) entries.
pub fn subscribe_raw(entries: &[(&[u8], u8)]) -> Vec<u8> {
    let mut body = vec![0x00, 0x01];
    for (filter, qos) in entries {
        body.extend_from_slice(&field(filter));
        body.push(*qos);
    }
    with_header(0x82, &body)
}

/// An UNSUBSCRIBE (id 1) with raw filters.
pub fn unsubscribe_raw(filters: &[&[u8]]) -> Vec<u8> {
    let mut body = vec![0x00, 0x01];
    for filter in filters {
        body.extend_from_slice(&field(filter));
    }
    with_header(0xA2, &body)
}
