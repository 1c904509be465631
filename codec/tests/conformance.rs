//! MQTT 3.1.1 conformance: one test per codec-checkable statement of Table 1 of
//! `shared/spec/mqtt-3.1.1-codec-statements.md` and per unnumbered rule listed under it.
//! `codec/CONFORMANCE.md` maps every statement to its test here.
//!
//! Each test sends the violating bytes through `decode` (or the packet through the encoder for
//! encode rules) and asserts the specific [`Error`] variant, the byte offset and the packet
//! length, plus a valid near miss that is accepted.
//!
//! Offsets follow [`DecodeError::offset`]: the offending byte, or the start (length prefix) of
//! the offending field when the field as a whole is wrong or missing.

mod common;

use common::*;
use vcd_mqtt_codec::{
    decode, Connack, Connect, ConnectReturnCode, DecodeError, DecodeOptions, Error, LastWill,
    Needed, Packet, PacketId, PacketType, Publish, QoS, QosPid, Role, Status, Subscribe,
    SubscribeTopic, SubscribeTopics, TopicFilter, TopicName, Unsubscribe, UnsubscribeTopics,
};

fn pid(v: u16) -> PacketId {
    PacketId::new(v).unwrap()
}

fn base_connect() -> Connect<'static> {
    Connect {
        client_id: "id",
        clean_session: true,
        keep_alive: 60,
        will: None,
        username: None,
        password: None,
    }
}

fn publish0<'a>(topic: &'a str, payload: &'static [u8]) -> Publish<'a> {
    Publish {
        dup: false,
        qos_pid: QosPid::AtMostOnce,
        retain: false,
        topic: TopicName::new(topic).unwrap(),
        payload,
    }
}

/// Malformed UTF-8 sequences from §1.5.3 / RFC 3629, each with the index of the first invalid
/// byte inside the string.
const BAD_UTF8: &[(&[u8], usize)] = &[
    (&[b'a', 0xC0, 0xAF], 1),       // overlong '/'
    (&[0xE0, 0x80, 0xAF], 0),       // overlong 3-byte '/'
    (&[0xF0, 0x80, 0x80, 0xAF], 0), // overlong 4-byte '/'
    (&[b'x', 0xED, 0xA0, 0x80], 1), // U+D800 surrogate
    (&[0xED, 0xBF, 0xBF, b'y'], 0), // U+DFFF surrogate
    (&[b'a', b'b', 0xE6, 0x97], 2), // truncated 3-byte sequence at the end
    (&[0xE6, 0x97, b'/', b'b'], 0), // truncated sequence followed by ASCII
    (&[b'a', 0x80, b'b'], 1),       // stray continuation byte
    (&[0xBF], 0),                   // lone continuation byte
    (&[b'a', 0xFF], 1),             // never valid
    (&[0xF4, 0x90, 0x80, 0x80], 0), // > U+10FFFF
];

// =============================================================================================
// §1.5.3 UTF-8 strings
// =============================================================================================

/// [MQTT-1.5.3-1] Text fields must be well-formed UTF-8 (no overlong forms, no surrogates, no
/// truncated sequences, no stray continuation bytes), in every text field of every packet.
#[test]
fn mqtt_1_5_3_1_invalid_utf8_rejected() {
    for &(bad, at) in BAD_UTF8 {
        // PUBLISH topic: string starts at offset 4.
        let p = publish_raw_topic(bad, b"pl");
        assert_decode_err(&p, Error::InvalidUtf8, 4 + at, Some(p.len()));
        // CONNECT client id (string at 14), will topic, user name.
        let c = connect_raw(0x02, &field(bad));
        assert_decode_err(&c, Error::InvalidUtf8, 14 + at, Some(c.len()));
        let mut payload = field(b"id");
        payload.extend(field(bad));
        payload.extend(field(b"msg"));
        let c = connect_raw(0x06, &payload);
        assert_decode_err(&c, Error::InvalidUtf8, 18 + at, Some(c.len()));
        let mut payload = field(b"id");
        payload.extend(field(bad));
        let c = connect_raw(0x82, &payload);
        assert_decode_err(&c, Error::InvalidUtf8, 18 + at, Some(c.len()));
        // SUBSCRIBE / UNSUBSCRIBE filter (string at 6).
        let s = subscribe_raw(&[(bad, 0)]);
        assert_decode_err(&s, Error::InvalidUtf8, 6 + at, Some(s.len()));
        let u = unsubscribe_raw(&[b"ok", bad]);
        assert_decode_err(&u, Error::InvalidUtf8, 10 + at, Some(u.len()));
    }
    // Near miss: the same fields with valid multi-byte UTF-8 decode.
    let good = "ü/日本/😀".as_bytes();
    let wire = publish_raw_topic(good, b"pl");
    let Packet::Publish(p) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(p.topic.as_str(), "ü/日本/😀");
    let wire = connect_raw(0x02, &field(good));
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.client_id, "ü/日本/😀");
    // Encode side: a `&str` cannot hold a surrogate or malformed UTF-8, so the encoder can
    // only ever write well-formed UTF-8.
    let surrogate: Vec<u8> = vec![0xED, 0xA0, 0x80];
    assert!(core::str::from_utf8(&surrogate).is_err());
}

/// [MQTT-1.5.3-2] No text field contains U+0000: topic, ClientId, user name, will topic, filter.
#[test]
fn mqtt_1_5_3_2_null_character_rejected() {
    let p = publish_raw_topic(b"a\0b", b"");
    assert_decode_err(&p, Error::NullCharacter, 5, Some(p.len()));
    let c = connect_raw(0x02, &field(b"\0id"));
    assert_decode_err(&c, Error::NullCharacter, 14, Some(c.len()));
    let mut payload = field(b"id");
    payload.extend(field(b"us\0r"));
    let c = connect_raw(0x82, &payload);
    assert_decode_err(&c, Error::NullCharacter, 18 + 2, Some(c.len()));
    let mut payload = field(b"id");
    payload.extend(field(b"w\0"));
    payload.extend(field(b""));
    let c = connect_raw(0x06, &payload);
    assert_decode_err(&c, Error::NullCharacter, 18 + 1, Some(c.len()));
    let s = subscribe_raw(&[(b"a/\0", 1)]);
    assert_decode_err(&s, Error::NullCharacter, 8, Some(s.len()));
    let u = unsubscribe_raw(&[b"\0"]);
    assert_decode_err(&u, Error::NullCharacter, 6, Some(u.len()));
    // Encode side: a topic holding U+0000 cannot be built.
    assert_eq!(TopicName::new("a\0b"), Err(Error::NullCharacter));
    assert_eq!(TopicFilter::new("a/\0"), Err(Error::NullCharacter));
    // Near miss: U+0001 is allowed by default.
    let wire = publish_raw_topic(b"a\x01b", b"");
    let Packet::Publish(p) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(p.topic.as_str(), "a\u{1}b");
}

/// [MQTT-1.5.3-3] EF BB BF (U+FEFF) inside a string is kept, never stripped as a BOM.
#[test]
fn mqtt_1_5_3_3_bom_kept_byte_for_byte() {
    let Packet::Publish(p) = ok_all(PUBLISH_BOM) else {
        panic!()
    };
    assert_eq!(p.topic.as_str().as_bytes(), &PUBLISH_BOM[4..]);
    assert_eq!(encode_exact(&Packet::Publish(p)), PUBLISH_BOM);
    // Also in a client id and in a filter, and in the middle of a string.
    let c = connect_raw(0x02, &field("\u{FEFF}id".as_bytes()));
    let Packet::Connect(cc) = ok_all(&c) else {
        panic!()
    };
    assert_eq!(cc.client_id, "\u{FEFF}id");
    assert_eq!(encode_exact(&Packet::Connect(cc)), c);
    let s = subscribe_raw(&[("a/\u{FEFF}/#".as_bytes(), 0)]);
    let Packet::Subscribe(ss) = ok_all(&s) else {
        panic!()
    };
    assert_eq!(
        ss.topics.iter().next().unwrap().filter.as_str(),
        "a/\u{FEFF}/#"
    );
    assert_eq!(encode_exact(&Packet::Subscribe(ss)), s);
}

// =============================================================================================
// §2.2.2 fixed header flags
// =============================================================================================

/// [MQTT-2.2.2-1] The encoder writes flag nibble 0010 for PUBREL, SUBSCRIBE, UNSUBSCRIBE and
/// 0000 for every other non-PUBLISH type.
#[test]
fn mqtt_2_2_2_1_encoder_writes_fixed_flags() {
    for bytes in ONE_OF_EACH {
        let p = ok_all(bytes);
        let out = encode_exact(&p);
        let expected_nibble = match p.packet_type() {
            PacketType::Pubrel | PacketType::Subscribe | PacketType::Unsubscribe => 0b0010,
            PacketType::Publish => bytes[0] & 0x0F,
            _ => 0b0000,
        };
        assert_eq!(out[0] >> 4, p.packet_type() as u8);
        assert_eq!(out[0] & 0x0F, expected_nibble, "{:?}", p.packet_type());
        assert_eq!(out, *bytes);
    }
}

/// [MQTT-2.2.2-2] Each bit of the reserved nibble of each non-PUBLISH type, flipped, is rejected.
#[test]
fn mqtt_2_2_2_2_each_reserved_flag_bit_rejected() {
    let mut checked = 0;
    for bytes in ONE_OF_EACH {
        let packet_type = ok_all(bytes).packet_type();
        if packet_type == PacketType::Publish {
            continue;
        }
        for bit in 0..4 {
            let mut bad = bytes.to_vec();
            bad[0] ^= 1 << bit;
            // The first byte decides: offset 0, reported once the Remaining Length is readable
            // and with the packet's length, so that the packet can be skipped.
            assert_decode_err(
                &bad,
                Error::InvalidFlags {
                    packet_type,
                    flags: bad[0] & 0x0F,
                },
                0,
                Some(bad.len()),
            );
            assert_eq!(
                decode(&bad[..1]),
                Ok(Status::Incomplete(Needed::Unknown)),
                "the length is still unknown"
            );
            assert_eq!(err(&bad[..2]), err(&bad), "rejected from the fixed header");
            checked += 1;
        }
        // All bits set, too.
        let mut bad = bytes.to_vec();
        bad[0] |= 0x0F;
        let e = err(&bad);
        assert_eq!(
            e.error,
            Error::InvalidFlags {
                packet_type,
                flags: 0x0F
            }
        );
    }
    assert_eq!(checked, 13 * 4);
}

// =============================================================================================
// §2.3.1 packet identifiers
// =============================================================================================

/// [MQTT-2.3.1-1] SUBSCRIBE, UNSUBSCRIBE and QoS 1/2 PUBLISH carry a non-zero packet id (and
/// the acknowledgements echo one, so 0 is rejected there too).
#[test]
fn mqtt_2_3_1_1_zero_packet_id_rejected() {
    let mut s = SUBSCRIBE_3.to_vec();
    s[2..4].copy_from_slice(&[0, 0]);
    assert_decode_err(&s, Error::ZeroPacketId, 2, Some(s.len()));
    let mut u = UNSUBSCRIBE_2.to_vec();
    u[2..4].copy_from_slice(&[0, 0]);
    assert_decode_err(&u, Error::ZeroPacketId, 2, Some(u.len()));
    // PUBLISH QoS 1 and QoS 2: id after the topic "t" at offset 5.
    for first in [0x32, 0x34] {
        let p = [first, 0x05, 0x00, 0x01, b't', 0x00, 0x00];
        assert_decode_err(&p, Error::ZeroPacketId, 5, Some(7));
        // Near miss: id 1.
        let ok = [first, 0x05, 0x00, 0x01, b't', 0x00, 0x01];
        let Packet::Publish(pb) = ok_all(&ok) else {
            panic!()
        };
        assert_eq!(pb.qos_pid.packet_id(), Some(pid(1)));
    }
    for first in [0x40, 0x50, 0x62, 0x70, 0x90, 0xB0] {
        let bytes: &[u8] = if first == 0x90 {
            &[first, 0x03, 0x00, 0x00, 0x00]
        } else {
            &[first, 0x02, 0x00, 0x00]
        };
        assert_decode_err(bytes, Error::ZeroPacketId, 2, Some(bytes.len()));
    }
    // Encode side: a zero id cannot be built.
    assert_eq!(PacketId::new(0), None);
    assert_eq!(PacketId::new(1).map(PacketId::get), Some(1));
}

/// [MQTT-2.3.1-5] A QoS 0 PUBLISH has no packet id: the bytes after the topic are payload, and
/// the encoder writes none.
#[test]
fn mqtt_2_3_1_5_qos0_publish_has_no_packet_id() {
    // 30 06 00 01 't' 00 00 07: the "00 00" that would be an id is payload.
    let bytes = [0x30, 0x06, 0x00, 0x01, b't', 0x00, 0x00, 0x07];
    let Packet::Publish(p) = ok_all(&bytes) else {
        panic!()
    };
    assert_eq!(p.qos_pid, QosPid::AtMostOnce);
    assert_eq!(p.qos_pid.packet_id(), None);
    assert_eq!(p.payload, &[0x00, 0x00, 0x07]);
    assert_eq!(encode_exact(&Packet::Publish(p)), bytes);
    // The encoder emits no id: QoS 0 "t" + "ab" is 2 + 1 + 2 bytes of remaining length.
    let out = encode_exact(&publish0("t", b"ab").into());
    assert_eq!(out, [0x30, 0x05, 0x00, 0x01, b't', b'a', b'b']);
}

// =============================================================================================
// §3.1 CONNECT
// =============================================================================================

/// [MQTT-3.1.2-1] A protocol name other than "MQTT" (case-sensitive) is its own error.
#[test]
fn mqtt_3_1_2_1_protocol_name_not_mqtt() {
    // MQTT 3.1 "MQIsdp", level 3.
    let mut body = field(b"MQIsdp");
    body.extend([0x03, 0x02, 0x00, 0x3C]);
    body.extend(field(b"id"));
    let b = with_header(0x10, &body);
    assert_decode_err(&b, Error::InvalidProtocolName, 2, Some(b.len()));
    for name in [&b"mqtt"[..], b"MQTS", b"MQT", b"MQTTT", b""] {
        let mut body = field(name);
        body.extend([0x04, 0x02, 0x00, 0x3C]);
        body.extend(field(b"id"));
        let b = with_header(0x10, &body);
        assert_decode_err(&b, Error::InvalidProtocolName, 2, Some(b.len()));
    }
    // Near miss: "MQTT".
    assert!(matches!(
        ok_all(&connect_raw(0x02, &field(b"id"))),
        Packet::Connect(_)
    ));
}

/// [MQTT-3.1.2-2] A protocol level other than 4 is reported as its own error (so the server can
/// answer CONNACK 0x01).
#[test]
fn mqtt_3_1_2_2_unsupported_protocol_level() {
    for level in [0u8, 3, 5, 0x84, 0xFF] {
        let mut b = connect_raw(0x02, &field(b"id"));
        b[8] = level;
        assert_decode_err(&b, Error::UnsupportedProtocolLevel(level), 8, Some(b.len()));
        assert_eq!(
            Error::UnsupportedProtocolLevel(level).statement_id(),
            Some("MQTT-3.1.2-2")
        );
    }
    // Near miss: level 4.
    let b = connect_raw(0x02, &field(b"id"));
    assert_eq!(b[8], 4);
    ok_all(&b);
}

/// [MQTT-3.1.2-3] CONNECT flags bit 0 is reserved and must be 0.
#[test]
fn mqtt_3_1_2_3_connect_reserved_flag() {
    let b = connect_raw(0x03, &field(b"id"));
    assert_decode_err(&b, Error::ConnectReservedFlag, 9, Some(b.len()));
    let b = connect_raw(0x01, &field(b"id"));
    assert_decode_err(&b, Error::ConnectReservedFlag, 9, Some(b.len()));
    ok_all(&connect_raw(0x02, &field(b"id")));
    ok_all(&connect_raw(0x00, &field(b"id")));
}

/// [MQTT-3.1.2-9] Will Flag 1: the payload must contain Will Topic and Will Message.
#[test]
fn mqtt_3_1_2_9_will_flag_without_will_fields() {
    // Payload ends after the client id: the will topic should start at 16.
    let b = connect_raw(0x06, &field(b"id"));
    assert_decode_err(&b, Error::MissingWill, 16, Some(b.len()));
    // Will topic present, will message missing (should start at 19).
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    let b = connect_raw(0x06, &payload);
    assert_decode_err(&b, Error::MissingWill, 19, Some(b.len()));
    // Near miss: both present (message may be empty).
    payload.extend(field(b""));
    let wire = connect_raw(0x06, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    let w = c.will.unwrap();
    assert_eq!((w.topic.as_str(), w.message), ("w", &b""[..]));
    // Encode side: a will always writes both fields.
    let out = encode_exact(&Packet::Connect(c));
    assert_eq!(out, connect_raw(0x06, &payload));
}

/// [MQTT-3.1.2-11] Will Flag 0: Will QoS and Will Retain are 0 and no will fields appear.
#[test]
fn mqtt_3_1_2_11_no_will_means_no_will_bits_or_fields() {
    for (flags, error) in [
        (0x0A, Error::WillQoSWithoutWill(1)),
        (0x12, Error::WillQoSWithoutWill(2)),
        (0x1A, Error::WillQoSWithoutWill(3)),
        (0x22, Error::WillRetainWithoutWill),
    ] {
        let b = connect_raw(flags, &field(b"id"));
        assert_decode_err(&b, error, 9, Some(b.len()));
    }
    // Will fields without the Will Flag: the extra strings sit where a user name would be.
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    payload.extend(field(b"m"));
    let b = connect_raw(0x02, &payload);
    assert_decode_err(&b, Error::UnexpectedUserName, 16, Some(b.len()));
    // Encode side: no will → flags carry no will bits.
    let out = encode_exact(&Packet::Connect(base_connect()));
    assert_eq!(out[9], 0x02);
}

/// [MQTT-3.1.2-13] Will Flag 0: Will QoS must be 0 (flags 0x08 / 0x10 without 0x04).
#[test]
fn mqtt_3_1_2_13_will_qos_without_will() {
    let b = connect_raw(0x08, &field(b"id"));
    assert_decode_err(&b, Error::WillQoSWithoutWill(1), 9, Some(b.len()));
    let b = connect_raw(0x10, &field(b"id"));
    assert_decode_err(&b, Error::WillQoSWithoutWill(2), 9, Some(b.len()));
    // Near miss: with the Will Flag (0x0C / 0x14) and both will fields.
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    payload.extend(field(b"m"));
    let wire = connect_raw(0x0C, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.will.unwrap().qos, QoS::AtLeastOnce);
    let wire = connect_raw(0x14, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.will.unwrap().qos, QoS::ExactlyOnce);
}

/// [MQTT-3.1.2-14] Will Flag 1: Will QoS 3 is rejected (flags 0x1C).
#[test]
fn mqtt_3_1_2_14_will_qos_3() {
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    payload.extend(field(b"m"));
    let b = connect_raw(0x1C, &payload);
    assert_decode_err(&b, Error::InvalidWillQoS(3), 9, Some(b.len()));
    let b = connect_raw(0x1E, &payload);
    assert_decode_err(&b, Error::InvalidWillQoS(3), 9, Some(b.len()));
    // Near miss: QoS 0 will.
    let wire = connect_raw(0x04, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.will.unwrap().qos, QoS::AtMostOnce);
}

/// [MQTT-3.1.2-15] Will Flag 0: Will Retain must be 0 (flags 0x20).
#[test]
fn mqtt_3_1_2_15_will_retain_without_will() {
    let b = connect_raw(0x20, &field(b"id"));
    assert_decode_err(&b, Error::WillRetainWithoutWill, 9, Some(b.len()));
    // Near miss: retain with the Will Flag.
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    payload.extend(field(b"m"));
    let wire = connect_raw(0x24, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert!(c.will.unwrap().retain);
}

/// [MQTT-3.1.2-18] User Name flag 0: no user name field (an extra string is rejected).
#[test]
fn mqtt_3_1_2_18_user_name_without_flag() {
    let mut payload = field(b"id");
    payload.extend(field(b"user"));
    let b = connect_raw(0x02, &payload);
    assert_decode_err(&b, Error::UnexpectedUserName, 16, Some(b.len()));
    // A single stray byte after the client id is rejected too.
    let mut payload = field(b"id");
    payload.push(0x00);
    let b = connect_raw(0x02, &payload);
    let e = err(&b);
    assert_eq!((e.offset, e.packet_len), (16, Some(b.len())));
    assert!(
        matches!(e.error, Error::UnexpectedUserName | Error::TrailingBytes),
        "{e:?}"
    );
    // Near miss: the same bytes with the flag.
    let mut payload = field(b"id");
    payload.extend(field(b"user"));
    let wire = connect_raw(0x82, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.username, Some("user"));
}

/// [MQTT-3.1.2-19] User Name flag 1: the user name field is present.
#[test]
fn mqtt_3_1_2_19_user_name_flag_without_field() {
    let b = connect_raw(0x82, &field(b"id"));
    assert_decode_err(&b, Error::MissingUserName, 16, Some(b.len()));
    let b = connect_raw(0xC2, &field(b"id"));
    assert_decode_err(&b, Error::MissingUserName, 16, Some(b.len()));
    // Empty user name is present (zero-length), so accepted.
    let mut payload = field(b"id");
    payload.extend(field(b""));
    let wire = connect_raw(0x82, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.username, Some(""));
}

/// [MQTT-3.1.2-20] Password flag 0: no password field.
#[test]
fn mqtt_3_1_2_20_password_without_flag() {
    let mut payload = field(b"id");
    payload.extend(field(b"user"));
    payload.extend(field(b"pw"));
    let b = connect_raw(0x82, &payload);
    assert_decode_err(&b, Error::UnexpectedPassword, 22, Some(b.len()));
    // Near miss: with the flag.
    let wire = connect_raw(0xC2, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.password, Some(&b"pw"[..]));
}

/// [MQTT-3.1.2-21] Password flag 1: the password field is present.
#[test]
fn mqtt_3_1_2_21_password_flag_without_field() {
    let mut payload = field(b"id");
    payload.extend(field(b"user"));
    let b = connect_raw(0xC2, &payload);
    assert_decode_err(&b, Error::MissingPassword, 22, Some(b.len()));
    // Near miss: a zero-length password is present.
    payload.extend(field(b""));
    let wire = connect_raw(0xC2, &payload);
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.password, Some(&b""[..]));
}

/// [MQTT-3.1.2-22] Password flag only with the User Name flag (decode 0x40 without 0x80;
/// encode refuses a password without a user name).
#[test]
fn mqtt_3_1_2_22_password_without_user_name() {
    let mut payload = field(b"id");
    payload.extend(field(b"pw"));
    let b = connect_raw(0x42, &payload);
    assert_decode_err(&b, Error::PasswordWithoutUserName, 9, Some(b.len()));
    let c = Connect {
        password: Some(b"pw"),
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(c), Error::PasswordWithoutUserName);
    // Near miss: both.
    let c = Connect {
        username: Some("u"),
        password: Some(b"pw"),
        ..base_connect()
    };
    let out = encode_exact(&Packet::Connect(c));
    assert_eq!(out[9], 0xC2);
    assert_eq!(ok_all(&out), Packet::Connect(c));
}

/// [MQTT-3.1.3-1] Payload order: ClientId, Will Topic, Will Message, User Name, Password (the
/// decoder reads in this order and the encoder writes it).
#[test]
fn mqtt_3_1_3_1_payload_field_order() {
    let Packet::Connect(c) = ok_all(CONNECT_FULL) else {
        panic!()
    };
    assert_eq!(c.client_id, "vcd");
    let w = c.will.unwrap();
    assert_eq!(w.topic.as_str(), "w/t");
    assert_eq!(w.message, &[0xFF, 0x00]);
    assert_eq!(c.username, Some("bob"));
    assert_eq!(c.password, Some(&b"pw"[..]));
    // Each field borrows the input at the position the order dictates.
    assert_eq!(c.client_id.as_ptr(), CONNECT_FULL[14..].as_ptr());
    assert_eq!(w.topic.as_str().as_ptr(), CONNECT_FULL[19..].as_ptr());
    assert_eq!(w.message.as_ptr(), CONNECT_FULL[24..].as_ptr());
    assert_eq!(c.username.unwrap().as_ptr(), CONNECT_FULL[28..].as_ptr());
    assert_eq!(c.password.unwrap().as_ptr(), CONNECT_FULL[33..].as_ptr());
    assert_eq!(encode_exact(&Packet::Connect(c)), CONNECT_FULL);
}

/// [MQTT-3.1.3-3] The ClientId is always present: an empty payload is rejected.
#[test]
fn mqtt_3_1_3_3_missing_client_id() {
    let b = connect_raw(0x02, &[]);
    assert_eq!(b.len(), 12);
    assert_decode_err(&b, Error::MissingClientId, 12, Some(12));
    // A single byte cannot be a length prefix either.
    let b = connect_raw(0x02, &[0x00]);
    let e = err(&b);
    assert_eq!((e.offset, e.packet_len), (12, Some(13)));
    assert!(
        matches!(e.error, Error::MissingClientId | Error::UnexpectedEnd),
        "{e:?}"
    );
    // Near miss: zero-length ClientId.
    let Packet::Connect(c) = ok_all(CONNECT_MINIMAL) else {
        panic!()
    };
    assert_eq!(c.client_id, "");
}

/// [MQTT-3.1.3-4] The ClientId is a §1.5.3 UTF-8 string.
#[test]
fn mqtt_3_1_3_4_client_id_utf8() {
    let b = connect_raw(0x02, &field(&[b'i', 0xED, 0xA0, 0x80]));
    assert_decode_err(&b, Error::InvalidUtf8, 15, Some(b.len()));
    let b = connect_raw(0x02, &field(&[0xC1, 0x81]));
    assert_decode_err(&b, Error::InvalidUtf8, 14, Some(b.len()));
    let wire = connect_raw(0x02, &field("日本".as_bytes()));
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.client_id, "日本");
}

/// [MQTT-3.1.3-5] The decoder accepts ClientIds of 1–23 `[0-9a-zA-Z]` bytes and imposes no
/// tighter limit (longer ids and other characters are accepted too).
#[test]
fn mqtt_3_1_3_5_client_ids_accepted() {
    const CHARS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for len in 1..=23 {
        let id: Vec<u8> = (0..len)
            .map(|i| CHARS[(i * 7 + len) % CHARS.len()])
            .collect();
        let b = connect_raw(0x02, &field(&id));
        let Packet::Connect(c) = ok_all(&b) else {
            panic!()
        };
        assert_eq!(c.client_id.as_bytes(), &id[..]);
    }
    let all = connect_raw(0x02, &field(CHARS));
    let Packet::Connect(c) = ok_all(&all) else {
        panic!()
    };
    assert_eq!(c.client_id.len(), 62);
    let long = vec![b'x'; 65_535];
    let wire = connect_raw(0x02, &field(&long));
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.client_id.len(), 65_535);
    let wire = connect_raw(0x02, &field(b"a-b_c/d e+#"));
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.client_id, "a-b_c/d e+#");
}

/// [MQTT-3.1.3-7] An empty ClientId requires CleanSession=1: the encoder refuses it, the
/// decoder accepts it (the server answers CONNACK 0x02 under [MQTT-3.1.3-8]).
#[test]
fn mqtt_3_1_3_7_empty_client_id_needs_clean_session() {
    let c = Connect {
        client_id: "",
        clean_session: false,
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(c), Error::EmptyClientIdWithoutCleanSession);
    assert_eq!(
        c.encoded_len(),
        Err(Error::EmptyClientIdWithoutCleanSession)
    );
    // Decode side: accepted as-is.
    let b = connect_raw(0x00, &field(b""));
    let Packet::Connect(d) = ok_all(&b) else {
        panic!()
    };
    assert_eq!((d.client_id, d.clean_session), ("", false));
    // Near miss: empty id with clean session encodes.
    let ok = Connect {
        client_id: "",
        clean_session: true,
        ..base_connect()
    };
    assert_eq!(
        encode_exact(&Packet::Connect(ok)),
        connect_raw(0x02, &field(b""))
    );
}

/// [MQTT-3.1.3-10] The Will Topic is a UTF-8 string and a topic name (no wildcards).
#[test]
fn mqtt_3_1_3_10_will_topic_utf8_and_topic_name() {
    let will = |topic: &[u8]| {
        let mut payload = field(b"id");
        payload.extend(field(topic));
        payload.extend(field(b"m"));
        connect_raw(0x06, &payload)
    };
    // Will topic string starts at 18.
    let b = will(&[b'w', 0xC0, 0x80]);
    assert_decode_err(&b, Error::InvalidUtf8, 19, Some(b.len()));
    let b = will(b"w/#");
    assert_decode_err(&b, Error::WildcardInTopicName, 20, Some(b.len()));
    let b = will(b"+");
    assert_decode_err(&b, Error::WildcardInTopicName, 18, Some(b.len()));
    let b = will(b"");
    assert_decode_err(&b, Error::EmptyTopic, 16, Some(b.len()));
    let wire = will("w/ü".as_bytes());
    let Packet::Connect(c) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(c.will.unwrap().topic.as_str(), "w/ü");
}

/// [MQTT-3.1.3-11] The User Name is a UTF-8 string; the password is binary (not validated).
#[test]
fn mqtt_3_1_3_11_user_name_utf8_password_binary() {
    let mut payload = field(b"id");
    payload.extend(field(&[b'u', 0xFF]));
    let b = connect_raw(0x82, &payload);
    assert_decode_err(&b, Error::InvalidUtf8, 19, Some(b.len()));
    // Password with invalid UTF-8 and a NUL is accepted.
    let mut payload = field(b"id");
    payload.extend(field(b"u"));
    payload.extend(field(&[0xFF, 0x00, 0xED, 0xA0, 0x80]));
    let b = connect_raw(0xC2, &payload);
    let Packet::Connect(c) = ok_all(&b) else {
        panic!()
    };
    assert_eq!(c.password, Some(&[0xFF, 0x00, 0xED, 0xA0, 0x80][..]));
    assert_eq!(encode_exact(&Packet::Connect(c)), b);
}

/// [MQTT-3.1.4-1] The whole CONNECT is validated: every malformation is an error (carrying the
/// packet length, "close without CONNACK"), the fully valid packet decodes.
#[test]
fn mqtt_3_1_4_1_full_connect_validation() {
    let mut cases: Vec<(Vec<u8>, Error)> = Vec::new();
    let mut bad_name = CONNECT_FULL.to_vec();
    bad_name[7] = b't';
    cases.push((bad_name, Error::InvalidProtocolName));
    let mut bad_level = CONNECT_FULL.to_vec();
    bad_level[8] = 3;
    cases.push((bad_level, Error::UnsupportedProtocolLevel(3)));
    let mut bad_flags = CONNECT_FULL.to_vec();
    bad_flags[9] |= 1;
    cases.push((bad_flags, Error::ConnectReservedFlag));
    let mut bad_topic = CONNECT_FULL.to_vec();
    bad_topic[20] = b'#';
    cases.push((bad_topic, Error::WildcardInTopicName));
    let mut bad_user = CONNECT_FULL.to_vec();
    bad_user[28] = 0xFF;
    cases.push((bad_user, Error::InvalidUtf8));
    let mut bad_header = CONNECT_FULL.to_vec();
    bad_header[0] = 0x11;
    cases.push((
        bad_header,
        Error::InvalidFlags {
            packet_type: PacketType::Connect,
            flags: 1,
        },
    ));
    let mut long_password = CONNECT_FULL.to_vec();
    long_password[32] = 3; // password length 3 runs past the end
    cases.push((long_password, Error::UnexpectedEnd));
    let mut trailing = CONNECT_FULL.to_vec();
    trailing[1] += 1;
    trailing.push(0);
    cases.push((trailing, Error::TrailingBytes));
    for (bytes, error) in &cases {
        let e = err(bytes);
        assert_eq!(e.error, *error, "{bytes:02X?}");
        // Every error carries the packet's length, fixed-header flag errors included.
        assert_eq!(e.packet_len, Some(bytes.len()), "{bytes:02X?}");
        assert!(e.offset < bytes.len());
    }
    ok_all(CONNECT_FULL);
}

// =============================================================================================
// §3.2 CONNACK
// =============================================================================================

/// [MQTT-3.2.2-4] A non-zero return code requires Session Present 0 (`20 02 01 05`).
#[test]
fn mqtt_3_2_2_4_session_present_with_error_code() {
    assert_decode_err(
        &[0x20, 0x02, 0x01, 0x05],
        Error::SessionPresentWithError,
        2,
        Some(4),
    );
    for code in 1..=5u8 {
        assert_decode_err(
            &[0x20, 0x02, 0x01, code],
            Error::SessionPresentWithError,
            2,
            Some(4),
        );
    }
    let bad = Connack {
        session_present: true,
        code: ConnectReturnCode::NotAuthorized,
    };
    assert_encode_err(&Packet::Connack(bad), Error::SessionPresentWithError);
    // Near misses.
    ok_all(&[0x20, 0x02, 0x00, 0x05]);
    ok_all(&[0x20, 0x02, 0x01, 0x00]);
}

// =============================================================================================
// §3.3 PUBLISH
// =============================================================================================

/// [MQTT-3.3.1-2] A QoS 0 PUBLISH has DUP 0 (byte 1 `0x38`).
#[test]
fn mqtt_3_3_1_2_qos0_with_dup() {
    let b = [0x38, 0x03, 0x00, 0x01, b'a'];
    assert_decode_err(&b, Error::QoS0WithDup, 0, Some(5));
    // Known from the fixed header, before the body arrives; not before the length is known.
    assert_decode_err(&b[..2], Error::QoS0WithDup, 0, Some(5));
    assert_eq!(decode(&b[..1]), Ok(Status::Incomplete(Needed::Unknown)));
    let b = [0x39, 0x03, 0x00, 0x01, b'a'];
    assert_decode_err(&b, Error::QoS0WithDup, 0, Some(5));
    // Near miss: DUP with QoS 1.
    let Packet::Publish(p) = ok_all(&[0x3A, 0x05, 0x00, 0x01, b'a', 0x00, 0x01]) else {
        panic!()
    };
    assert!(p.dup);
}

/// [MQTT-3.3.1-4] PUBLISH QoS bits must not both be 1 (byte 1 `0x36`).
#[test]
fn mqtt_3_3_1_4_publish_qos_3() {
    for first in [0x36, 0x37, 0x3E, 0x3F] {
        let b = [first, 0x05, 0x00, 0x01, b'a', 0x00, 0x01];
        assert_decode_err(&b, Error::InvalidQoS(3), 0, Some(7));
        assert_decode_err(&b[..2], Error::InvalidQoS(3), 0, Some(7));
        assert_eq!(decode(&b[..1]), Ok(Status::Incomplete(Needed::Unknown)));
    }
    // Near miss: QoS 2.
    let Packet::Publish(p) = ok_all(&[0x34, 0x05, 0x00, 0x01, b'a', 0x00, 0x01]) else {
        panic!()
    };
    assert_eq!(p.qos_pid, QosPid::ExactlyOnce(pid(1)));
}

/// [MQTT-3.3.2-1] The PUBLISH variable header starts with the topic: a truncated or over-long
/// topic length is rejected.
#[test]
fn mqtt_3_3_2_1_publish_topic_length() {
    // Topic length 5 but only 1 byte left.
    assert_decode_err(
        &[0x30, 0x03, 0x00, 0x05, b'a'],
        Error::UnexpectedEnd,
        2,
        Some(5),
    );
    // Remaining length 1: not even a length prefix.
    assert_decode_err(&[0x30, 0x01, 0x00], Error::UnexpectedEnd, 2, Some(3));
    // Remaining length 0.
    assert_decode_err(&[0x30, 0x00], Error::UnexpectedEnd, 2, Some(2));
    // QoS 1: topic fits but the packet id does not.
    assert_decode_err(
        &[0x32, 0x04, 0x00, 0x01, b'a', 0x00],
        Error::UnexpectedEnd,
        5,
        Some(6),
    );
    // The topic length is inside the packet, the decoder never reads the following packet.
    let mut two = vec![0x30, 0x03, 0x00, 0x03, b'a'];
    two.extend_from_slice(PUBLISH_QOS0);
    assert_decode_err(&two, Error::UnexpectedEnd, 2, Some(5));
    // Near miss.
    let Packet::Publish(p) = ok_all(&[0x30, 0x03, 0x00, 0x01, b'a']) else {
        panic!()
    };
    assert_eq!(p.topic.as_str(), "a");
}

/// [MQTT-3.3.2-2] A PUBLISH topic name contains neither `+` nor `#`.
#[test]
fn mqtt_3_3_2_2_wildcard_in_publish_topic() {
    for (topic, at) in [
        (&b"a/#"[..], 2),
        (b"+", 0),
        (b"#", 0),
        (b"a/+/b", 2),
        (b"a+", 1),
    ] {
        let b = publish_raw_topic(topic, b"x");
        assert_decode_err(&b, Error::WildcardInTopicName, 4 + at, Some(b.len()));
        let s = core::str::from_utf8(topic).unwrap();
        assert_eq!(TopicName::new(s), Err(Error::WildcardInTopicName));
    }
    let wire = publish_raw_topic(b"a/b/c", b"x");
    let Packet::Publish(p) = ok_all(&wire) else {
        panic!()
    };
    assert_eq!(p.topic.as_str(), "a/b/c");
}

// =============================================================================================
// §3.6 / §3.8 / §3.9 / §3.10 / §3.14
// =============================================================================================

/// [MQTT-3.6.1-1] PUBREL flags must be 0010 (`0x60`, `0x63` rejected).
#[test]
fn mqtt_3_6_1_1_pubrel_flags() {
    for first in [0x60u8, 0x63, 0x61, 0x66, 0x6A] {
        let b = [first, 0x02, 0x00, 0x07];
        let error = Error::InvalidFlags {
            packet_type: PacketType::Pubrel,
            flags: first & 0x0F,
        };
        assert_decode_err(&b, error, 0, Some(4));
        assert_eq!(error.statement_id(), Some("MQTT-3.6.1-1"));
    }
    ok_all(PUBREL_7);
}

/// [MQTT-3.8.1-1] SUBSCRIBE flags must be 0010 (`0x80` rejected).
#[test]
fn mqtt_3_8_1_1_subscribe_flags() {
    let mut b = SUBSCRIBE_3.to_vec();
    b[0] = 0x80;
    let error = Error::InvalidFlags {
        packet_type: PacketType::Subscribe,
        flags: 0,
    };
    assert_decode_err(&b, error, 0, Some(b.len()));
    assert_eq!(error.statement_id(), Some("MQTT-3.8.1-1"));
    ok_all(SUBSCRIBE_3);
}

/// [MQTT-3.8.3-1] SUBSCRIBE topic filters are UTF-8 strings.
#[test]
fn mqtt_3_8_3_1_subscribe_filter_utf8() {
    let s = subscribe_raw(&[(b"ok", 0), (&[b'a', 0xED, 0xA0, 0x80], 1)]);
    // Second filter string starts at 4 + 5 + 2 = 11.
    assert_decode_err(&s, Error::InvalidUtf8, 12, Some(s.len()));
    let s = subscribe_raw(&[("ok/日本/+".as_bytes(), 0)]);
    let Packet::Subscribe(sub) = ok_all(&s) else {
        panic!()
    };
    assert_eq!(
        sub.topics.iter().next().unwrap().filter.as_str(),
        "ok/日本/+"
    );
}

/// [MQTT-3.8.3-3] A SUBSCRIBE carries at least one filter (`82 02 00 01` rejected; the encoder
/// refuses an empty list).
#[test]
fn mqtt_3_8_3_3_subscribe_without_filters() {
    assert_decode_err(
        &[0x82, 0x02, 0x00, 0x01],
        Error::EmptySubscription,
        4,
        Some(4),
    );
    let empty = Subscribe {
        packet_id: pid(1),
        topics: SubscribeTopics::from_slice(&[]),
    };
    assert_encode_err(&Packet::Subscribe(empty), Error::EmptySubscription);
    // Near miss: one filter.
    let one = [0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x00];
    let Packet::Subscribe(s) = ok_all(&one) else {
        panic!()
    };
    assert_eq!(s.topics.len(), 1);
}

/// [MQTT-3.8.3-4] Requested QoS: upper 6 bits 0 and QoS 0..=2 (`0x03`, `0x04`, `0x81` rejected).
#[test]
fn mqtt_3_8_3_4_subscribe_requested_qos() {
    for q in [0x03u8, 0x04, 0x81, 0x80, 0x40, 0xFF] {
        let s = subscribe_raw(&[(b"a", 1), (b"b", q)]);
        // Second QoS byte at 4 + 4 + 3 = 11.
        assert_decode_err(&s, Error::InvalidSubscribeQoS(q), 11, Some(s.len()));
    }
    for q in 0..=2u8 {
        let s = subscribe_raw(&[(b"a", q)]);
        let Packet::Subscribe(sub) = ok_all(&s) else {
            panic!()
        };
        assert_eq!(sub.topics.iter().next().unwrap().qos.as_u8(), q);
    }
    // A filter whose QoS byte is missing.
    let mut body = vec![0x00, 0x01];
    body.extend(field(b"a"));
    let b = with_header(0x82, &body);
    assert_decode_err(&b, Error::UnexpectedEnd, 7, Some(7));
}

/// [MQTT-3.9.3-2] SUBACK return codes are 0x00, 0x01, 0x02 or 0x80 (`0x03`, `0x7F` rejected).
#[test]
fn mqtt_3_9_3_2_suback_return_codes() {
    for code in [0x03u8, 0x7F, 0x81, 0xFF, 0x04] {
        let b = [0x90, 0x04, 0x00, 0x01, 0x00, code];
        assert_decode_err(&b, Error::InvalidSubackReturnCode(code), 5, Some(6));
    }
    ok_all(SUBACK_4);
}

/// [MQTT-3.10.1-1] UNSUBSCRIBE flags must be 0010 (`0xA0` rejected).
#[test]
fn mqtt_3_10_1_1_unsubscribe_flags() {
    let mut b = UNSUBSCRIBE_2.to_vec();
    b[0] = 0xA0;
    let error = Error::InvalidFlags {
        packet_type: PacketType::Unsubscribe,
        flags: 0,
    };
    assert_decode_err(&b, error, 0, Some(b.len()));
    assert_eq!(error.statement_id(), Some("MQTT-3.10.1-1"));
    ok_all(UNSUBSCRIBE_2);
}

/// [MQTT-3.10.3-1] The UNSUBSCRIBE payload is filters back to back, without QoS bytes.
#[test]
fn mqtt_3_10_3_1_unsubscribe_filters_without_qos() {
    let Packet::Unsubscribe(u) = ok_all(UNSUBSCRIBE_2) else {
        panic!()
    };
    let filters: Vec<&str> = u.topics.iter().map(|f| f.as_str()).collect();
    assert_eq!(filters, ["a/+", "#"]);
    // A SUBSCRIBE-style QoS byte after a filter is read as the start of a next filter and runs
    // past the end.
    let mut body = vec![0x00, 0x01];
    body.extend(field(b"a"));
    body.push(0x01);
    let b = with_header(0xA2, &body);
    assert_decode_err(&b, Error::UnexpectedEnd, 7, Some(8));
    // Filters are UTF-8 and valid filters.
    let b = unsubscribe_raw(&[&[0xC0, 0x80]]);
    assert_decode_err(&b, Error::InvalidUtf8, 6, Some(b.len()));
    let b = unsubscribe_raw(&[b"a/#/b"]);
    assert_decode_err(&b, Error::InvalidMultiLevelWildcard, 8, Some(b.len()));
    // Encoder writes no QoS bytes.
    let list = [
        TopicFilter::new("a/+").unwrap(),
        TopicFilter::new("#").unwrap(),
    ];
    let p = Unsubscribe {
        packet_id: pid(2),
        topics: UnsubscribeTopics::from_slice(&list),
    };
    assert_eq!(encode_exact(&Packet::Unsubscribe(p)), UNSUBSCRIBE_2);
}

/// [MQTT-3.10.3-2] An UNSUBSCRIBE carries at least one filter (`A2 02 00 01` rejected).
#[test]
fn mqtt_3_10_3_2_unsubscribe_without_filters() {
    assert_decode_err(
        &[0xA2, 0x02, 0x00, 0x01],
        Error::EmptyUnsubscribe,
        4,
        Some(4),
    );
    let empty = Unsubscribe {
        packet_id: pid(1),
        topics: UnsubscribeTopics::from_slice(&[]),
    };
    assert_encode_err(&Packet::Unsubscribe(empty), Error::EmptyUnsubscribe);
    let Packet::Unsubscribe(u) = ok_all(&[0xA2, 0x05, 0x00, 0x01, 0x00, 0x01, b'a']) else {
        panic!()
    };
    assert_eq!(u.topics.len(), 1);
}

/// [MQTT-3.14.1-1] DISCONNECT flags must be 0 (`0xE1` rejected).
#[test]
fn mqtt_3_14_1_1_disconnect_flags() {
    for first in [0xE1u8, 0xE2, 0xE4, 0xE8] {
        let error = Error::InvalidFlags {
            packet_type: PacketType::Disconnect,
            flags: first & 0xF,
        };
        assert_decode_err(&[first, 0x00], error, 0, Some(2));
        assert_eq!(error.statement_id(), Some("MQTT-3.14.1-1"));
    }
    assert_eq!(ok_all(DISCONNECT), Packet::Disconnect);
}

// =============================================================================================
// §4.3 / §4.7 topics
// =============================================================================================

/// [MQTT-4.3.1-1] A QoS 0 PUBLISH is sent with DUP 0: the encoder refuses DUP on QoS 0.
#[test]
fn mqtt_4_3_1_1_encoder_refuses_qos0_dup() {
    let p = Publish {
        dup: true,
        ..publish0("a", b"x")
    };
    assert_encode_err(&Packet::Publish(p), Error::QoS0WithDup);
    assert_eq!(p.encoded_len(), Err(Error::QoS0WithDup));
    let out = encode_exact(&publish0("a", b"x").into());
    assert_eq!(out[0], 0x30);
    // DUP is fine with QoS 1.
    let p = Publish {
        dup: true,
        qos_pid: QosPid::AtLeastOnce(pid(1)),
        ..publish0("a", b"x")
    };
    assert_eq!(encode_exact(&p.into())[0], 0x3A);
}

/// [MQTT-4.7.1-1] Wildcards only in topic filters, never in topic names (PUBLISH topic, Will
/// Topic); the same strings are valid filters.
#[test]
fn mqtt_4_7_1_1_wildcards_only_in_filters() {
    for s in ["#", "+", "a/+", "a/#", "+/+/#"] {
        assert_eq!(TopicName::new(s), Err(Error::WildcardInTopicName), "{s}");
        assert!(TopicFilter::new(s).is_ok(), "{s}");
        let b = publish_raw_topic(s.as_bytes(), b"");
        assert_eq!(err(&b).error, Error::WildcardInTopicName);
        let sub = subscribe_raw(&[(s.as_bytes(), 0)]);
        let Packet::Subscribe(d) = ok_all(&sub) else {
            panic!()
        };
        assert_eq!(d.topics.iter().next().unwrap().filter.as_str(), s);
    }
    let mut payload = field(b"id");
    payload.extend(field(b"a/+"));
    payload.extend(field(b""));
    let b = connect_raw(0x06, &payload);
    assert_decode_err(&b, Error::WildcardInTopicName, 20, Some(b.len()));
}

/// [MQTT-4.7.1-2] `#` is the whole filter or follows `/`, and is last (`a#`, `a/#/b`, `#/`
/// rejected; `#`, `a/#`, `/#` accepted), in SUBSCRIBE and UNSUBSCRIBE.
#[test]
fn mqtt_4_7_1_2_multi_level_wildcard_position() {
    for (bad, at) in [
        ("a#", 1),
        ("a/#/b", 2),
        ("#/", 0),
        ("##", 0),
        ("a/b#", 3),
        ("#a", 0),
    ] {
        assert_eq!(
            TopicFilter::new(bad),
            Err(Error::InvalidMultiLevelWildcard),
            "{bad}"
        );
        let s = subscribe_raw(&[(bad.as_bytes(), 0)]);
        assert_decode_err(&s, Error::InvalidMultiLevelWildcard, 6 + at, Some(s.len()));
        let u = unsubscribe_raw(&[bad.as_bytes()]);
        assert_decode_err(&u, Error::InvalidMultiLevelWildcard, 6 + at, Some(u.len()));
    }
    for good in ["#", "a/#", "/#", "+/#", "a/b/c/#"] {
        assert!(TopicFilter::new(good).is_ok(), "{good}");
        ok_all(&subscribe_raw(&[(good.as_bytes(), 2)]));
        ok_all(&unsubscribe_raw(&[good.as_bytes()]));
    }
}

/// [MQTT-4.7.1-3] `+` fills a whole level (`a+`, `+a/b` rejected; `+`, `+/+`, `/+` accepted).
#[test]
fn mqtt_4_7_1_3_single_level_wildcard_position() {
    for (bad, at) in [
        ("a+", 1),
        ("+a/b", 0),
        ("a/b+", 3),
        ("a/+b/c", 2),
        ("++", 0),
    ] {
        assert_eq!(
            TopicFilter::new(bad),
            Err(Error::InvalidSingleLevelWildcard),
            "{bad}"
        );
        let s = subscribe_raw(&[(bad.as_bytes(), 0)]);
        assert_decode_err(&s, Error::InvalidSingleLevelWildcard, 6 + at, Some(s.len()));
        let u = unsubscribe_raw(&[bad.as_bytes()]);
        assert_decode_err(&u, Error::InvalidSingleLevelWildcard, 6 + at, Some(u.len()));
    }
    for good in ["+", "+/+", "/+", "a/+/b", "+/", "sport/+/player1"] {
        assert!(TopicFilter::new(good).is_ok(), "{good}");
        ok_all(&subscribe_raw(&[(good.as_bytes(), 1)]));
        ok_all(&unsubscribe_raw(&[good.as_bytes()]));
    }
}

/// [MQTT-4.7.3-1] Topic names and filters are at least one character long.
#[test]
fn mqtt_4_7_3_1_empty_topic_rejected() {
    let b = publish_raw_topic(b"", b"payload");
    assert_decode_err(&b, Error::EmptyTopic, 2, Some(b.len()));
    let s = subscribe_raw(&[(b"a", 0), (b"", 0)]);
    assert_decode_err(&s, Error::EmptyTopic, 8, Some(s.len()));
    let u = unsubscribe_raw(&[b""]);
    assert_decode_err(&u, Error::EmptyTopic, 4, Some(u.len()));
    assert_eq!(TopicName::new(""), Err(Error::EmptyTopic));
    assert_eq!(TopicFilter::new(""), Err(Error::EmptyTopic));
    // Near miss: one character, "/" included.
    ok_all(&publish_raw_topic(b"/", b""));
    ok_all(&subscribe_raw(&[(b"/", 0)]));
}

/// [MQTT-4.7.3-2] Topic names and filters contain no U+0000.
#[test]
fn mqtt_4_7_3_2_null_in_topic_rejected() {
    let b = publish_raw_topic(b"\0", b"");
    assert_decode_err(&b, Error::NullCharacter, 4, Some(b.len()));
    let s = subscribe_raw(&[(b"a/\0/#", 0)]);
    assert_decode_err(&s, Error::NullCharacter, 8, Some(s.len()));
    let u = unsubscribe_raw(&[b"+/\0"]);
    assert_decode_err(&u, Error::NullCharacter, 8, Some(u.len()));
    assert_eq!(TopicName::new("\0"), Err(Error::NullCharacter));
    assert_eq!(TopicFilter::new("+/\0"), Err(Error::NullCharacter));
}

/// [MQTT-4.7.3-3] A topic name or filter (and any string) encodes to at most 65,535 bytes.
#[test]
fn mqtt_4_7_3_3_strings_at_most_65535_bytes() {
    let long = "a".repeat(65_536);
    assert_eq!(TopicName::new(&long), Err(Error::StringTooLong(65_536)));
    assert_eq!(TopicFilter::new(&long), Err(Error::StringTooLong(65_536)));
    let c = Connect {
        client_id: &long,
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(c), Error::StringTooLong(65_536));
    let c = Connect {
        username: Some(&long),
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(c), Error::StringTooLong(65_536));
    // Near miss: exactly 65,535 bytes encodes and decodes back.
    let max = &long[..65_535];
    let p = publish0(max, b"x");
    let out = encode_exact(&Packet::Publish(p));
    assert_eq!(&out[..6], &[0x30, 0x82, 0x80, 0x04, 0xFF, 0xFF]); // remaining 65_538
    assert_eq!(ok_all(&out), Packet::Publish(p));
    let f = TopicFilter::new(max).unwrap();
    assert_eq!(f.len(), 65_535);
}

// =============================================================================================
// §6.0.0-2 (streaming) lives in codec/tests/stream.rs
// (split_at_every_point_matches_one_shot). The one-shot side is checked here.
// =============================================================================================

/// One-shot half of [MQTT-6.0.0-2]: packets need not line up with reads; concatenated packets are
/// decoded one at a time and a prefix reports exactly what is missing.
#[test]
fn mqtt_6_0_0_2_one_shot_concatenated_packets() {
    let stream: Vec<u8> = ONE_OF_EACH.concat();
    let mut rest = &stream[..];
    let mut n = 0;
    while !rest.is_empty() {
        let (p, used) = ok(rest);
        assert_eq!(&rest[..used], ONE_OF_EACH[n], "packet {n}");
        assert_eq!(p.packet_type() as usize, n + 1);
        rest = &rest[used..];
        n += 1;
    }
    assert_eq!(n, 14);
}

// =============================================================================================
// Unnumbered rules under Table 1
// =============================================================================================

/// §2.2.1: packet types 0 and 15 are reserved.
#[test]
fn reserved_packet_types_0_and_15() {
    for first in [0x00u8, 0x0F, 0xF0, 0xFF] {
        let error = Error::ReservedPacketType(first >> 4);
        assert_decode_err(&[first, 0x00], error, 0, Some(2));
        // Rejected as soon as the Remaining Length is readable, with the packet's length, so
        // that a caller can skip it; before that the answer is "incomplete".
        assert_eq!(decode(&[first]), Ok(Status::Incomplete(Needed::Unknown)));
        assert_decode_err(&[first, 0x81, 0x01], error, 0, Some(132));
        assert_decode_err(&[first, 0x03, 0xAA, 0xBB, 0xCC], error, 0, Some(5));
        assert_decode_err(&[first, 0x03], error, 0, Some(5));
        // Only a Remaining Length that is itself malformed leaves the length unknown.
        assert_decode_err(&[first, 0x80, 0x80, 0x80, 0x80], error, 0, None);
        // Skipping the bad packet reaches the next one.
        let mut stream = vec![first, 0x03, 0x00, 0x01, b'a'];
        stream.extend_from_slice(PINGREQ);
        let len = err(&stream).packet_len.unwrap();
        assert_eq!(ok_all(&stream[len..]), Packet::Pingreq);
    }
    // Near misses: types 1 and 14.
    ok_all(DISCONNECT);
    ok_all(CONNECT_MINIMAL);
}

/// §2.2.1 direction column with [MQTT-4.8.0-1]: a client rejects CONNECT, SUBSCRIBE,
/// UNSUBSCRIBE, PINGREQ, DISCONNECT; a server rejects CONNACK, SUBACK, UNSUBACK, PINGRESP;
/// both accept PUBLISH and the PUBLISH acknowledgements; without a role everything is accepted.
#[test]
fn role_filtering_by_direction() {
    let client = DecodeOptions::new().role(Role::Client);
    let server = DecodeOptions::new().role(Role::Server);
    let none = DecodeOptions::new();
    for bytes in ONE_OF_EACH.iter().chain([&PUBLISH_QOS0, &CONNECT_MINIMAL]) {
        let packet_type = ok_all(bytes).packet_type();
        let (to_client, to_server) = match packet_type {
            PacketType::Connect
            | PacketType::Subscribe
            | PacketType::Unsubscribe
            | PacketType::Pingreq
            | PacketType::Disconnect => (false, true),
            PacketType::Connack
            | PacketType::Suback
            | PacketType::Unsuback
            | PacketType::Pingresp => (true, false),
            _ => (true, true),
        };
        for (opts, role, allowed) in [
            (&client, Role::Client, to_client),
            (&server, Role::Server, to_server),
        ] {
            if allowed {
                let (p, used) = ok_with(opts, bytes);
                assert_eq!((p.packet_type(), used), (packet_type, bytes.len()));
            } else {
                assert_decode_err_with(
                    opts,
                    bytes,
                    Error::UnexpectedPacketForRole { packet_type, role },
                    0,
                    Some(bytes.len()),
                );
            }
        }
        ok_with(&none, bytes);
    }
    assert_eq!(
        Error::UnexpectedPacketForRole {
            packet_type: PacketType::Connect,
            role: Role::Client
        }
        .statement_id(),
        Some("MQTT-4.8.0-1")
    );
}

/// §2.2.3: the Remaining Length is at most four bytes; a fifth continuation byte is malformed.
#[test]
fn remaining_length_five_bytes_rejected() {
    let e = err(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]);
    assert_eq!(e, DecodeError::new(Error::RemainingLengthTooLong, 4, None));
    // Known from the header alone, without the fifth byte.
    assert_eq!(
        err(&[0x30, 0x80, 0x80, 0x80, 0x80]),
        DecodeError::new(Error::RemainingLengthTooLong, 4, None)
    );
    assert_eq!(
        err(&[0xC0, 0x80, 0x80, 0x80, 0x80, 0x00]).error,
        Error::RemainingLengthTooLong
    );
    // Near miss: four bytes (maximum value) is a valid header, still incomplete.
    assert!(matches!(
        vcd_mqtt_codec::decode(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F]),
        Ok(vcd_mqtt_codec::Status::Incomplete(vcd_mqtt_codec::Needed::Size(n))) if n.get() == 268_435_455
    ));
}

/// §2.2.3: non-minimal Remaining Length is accepted by default (3.1.1 allows it) and rejected by
/// the strict option; the encoder always writes the minimal form.
#[test]
fn remaining_length_non_minimal_strict_vs_lenient() {
    let strict = DecodeOptions::new().strict(true);
    let cases: [&[u8]; 4] = [
        &[0x40, 0x82, 0x00, 0x00, 0x01],             // 2 as 82 00
        &[0xC0, 0x80, 0x00],                         // 0 as 80 00
        &[0xE0, 0x80, 0x80, 0x80, 0x00],             // 0 as four bytes
        &[0x30, 0x83, 0x80, 0x00, 0x00, 0x01, b'a'], // 3 as 83 80 00
    ];
    for bytes in cases {
        let (p, used) = ok(bytes);
        assert_eq!(used, bytes.len());
        let e = err_with(&strict, bytes);
        assert_eq!(e.error, Error::NonMinimalRemainingLength, "{bytes:02X?}");
        assert_eq!(e.packet_len, Some(bytes.len()));
        assert!((1..5).contains(&e.offset), "{e:?}");
        // Minimal re-encoding.
        let out = encode_exact(&p);
        assert_eq!(out.len(), 2 + out[1] as usize);
    }
    // Near miss: minimal forms pass the strict option.
    for bytes in ONE_OF_EACH {
        ok_with(&strict, bytes);
    }
    ok_with(
        &strict,
        &[0x30, 0x80, 0x01, 0x00, 0x01, b'a']
            .iter()
            .copied()
            .chain(core::iter::repeat_n(0, 125))
            .collect::<Vec<u8>>(),
    );
}

/// Fixed Remaining Length: CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK are 2;
/// PINGREQ, PINGRESP, DISCONNECT are 0.
#[test]
fn fixed_remaining_lengths() {
    let fixed: [(u8, PacketType, usize); 9] = [
        (0x20, PacketType::Connack, 2),
        (0x40, PacketType::Puback, 2),
        (0x50, PacketType::Pubrec, 2),
        (0x62, PacketType::Pubrel, 2),
        (0x70, PacketType::Pubcomp, 2),
        (0xB0, PacketType::Unsuback, 2),
        (0xC0, PacketType::Pingreq, 0),
        (0xD0, PacketType::Pingresp, 0),
        (0xE0, PacketType::Disconnect, 0),
    ];
    for (first, packet_type, expected) in fixed {
        for actual in [0usize, 1, 3, 4, 200] {
            if actual == expected {
                continue;
            }
            let b = with_header(first, &vec![0x01; actual]);
            assert_decode_err(
                &b,
                Error::InvalidRemainingLength {
                    packet_type,
                    expected,
                    actual,
                },
                1,
                Some(b.len()),
            );
        }
        // Near miss: the fixed length with a valid body (id 1 / CONNACK accepted).
        let body: &[u8] = if expected == 2 { &[0x00, 0x01] } else { &[] };
        let b = with_header(first, body);
        ok_all(&b);
    }
}

/// Inner lengths must add up to exactly the Remaining Length: bytes after the last field are
/// rejected as trailing bytes.
#[test]
fn trailing_bytes_inside_packet_rejected() {
    // CONNECT with all fields, then one extra byte (offset 35).
    let mut b = CONNECT_FULL.to_vec();
    b[1] += 1;
    b.push(0x00);
    assert_decode_err(&b, Error::TrailingBytes, 35, Some(36));
    // Bytes after the packet (outside its remaining length) are not part of it.
    let mut after = CONNECT_FULL.to_vec();
    after.push(0x00);
    let (_, used) = ok(&after);
    assert_eq!(used, CONNECT_FULL.len());
}

/// §3.1.2.1/.2: protocol name is case-sensitive "MQTT", level 4, and Keep Alive is a
/// big-endian u16 (the CONNECT variable header is 10 bytes).
#[test]
fn connect_protocol_name_case_and_keep_alive_big_endian() {
    let mut b = connect_raw(0x02, &field(b"id"));
    b[4] = b'q';
    assert_decode_err(&b, Error::InvalidProtocolName, 2, Some(b.len()));
    let mut b = connect_raw(0x02, &field(b"id"));
    b[10] = 0x01;
    b[11] = 0x02;
    let Packet::Connect(c) = ok_all(&b) else {
        panic!()
    };
    assert_eq!(c.keep_alive, 0x0102);
    assert_eq!(
        c.client_id.as_ptr(),
        b[14..].as_ptr(),
        "payload starts after 10 header bytes"
    );
    // Encoder always writes 00 04 M Q T T 04.
    let out = encode_exact(&Packet::Connect(Connect {
        keep_alive: 0xABCD,
        ..base_connect()
    }));
    assert_eq!(&out[2..9], &[0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04]);
    assert_eq!(&out[10..12], &[0xAB, 0xCD]);
}

/// §3.1.3.3/.5: Will Message and Password are binary (0..=65535 bytes, any bytes); longer ones
/// are refused by the encoder.
#[test]
fn will_message_and_password_are_binary() {
    let mut payload = field(b"id");
    payload.extend(field(b"w"));
    payload.extend(field(&[0x00, 0xFF, 0xC0, 0x80]));
    payload.extend(field(b"u"));
    payload.extend(field(&[]));
    let b = connect_raw(0xC6, &payload);
    let Packet::Connect(c) = ok_all(&b) else {
        panic!()
    };
    assert_eq!(c.will.unwrap().message, &[0x00, 0xFF, 0xC0, 0x80]);
    assert_eq!(c.password, Some(&[][..]));
    assert_eq!(encode_exact(&Packet::Connect(c)), b);

    let big = vec![0u8; 65_536];
    let with_will = Connect {
        will: Some(LastWill {
            topic: TopicName::new("w").unwrap(),
            message: &big,
            qos: QoS::AtMostOnce,
            retain: false,
        }),
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(with_will), Error::BinaryTooLong(65_536));
    let with_pw = Connect {
        username: Some("u"),
        password: Some(&big),
        ..base_connect()
    };
    assert_encode_err(&Packet::Connect(with_pw), Error::BinaryTooLong(65_536));
    // Near miss: 65,535 bytes.
    let ok_pw = Connect {
        username: Some("u"),
        password: Some(&big[..65_535]),
        ..base_connect()
    };
    let out = encode_exact(&Packet::Connect(ok_pw));
    assert_eq!(ok_all(&out), Packet::Connect(ok_pw));
}

/// §3.2.2.1: CONNACK acknowledge flags bits 7..1 must be 0.
#[test]
fn connack_reserved_flag_bits() {
    for flags in [0x02u8, 0x03, 0x80, 0xFE, 0xFF] {
        assert_decode_err(
            &[0x20, 0x02, flags, 0x00],
            Error::ConnackReservedFlags(flags),
            2,
            Some(4),
        );
    }
    ok_all(&[0x20, 0x02, 0x01, 0x00]);
    ok_all(&[0x20, 0x02, 0x00, 0x00]);
}

/// §3.2.2.3: CONNACK return codes 6..=255 are reserved.
#[test]
fn connack_reserved_return_codes() {
    for code in [6u8, 7, 0x80, 0xFF] {
        assert_decode_err(
            &[0x20, 0x02, 0x00, code],
            Error::InvalidConnectReturnCode(code),
            3,
            Some(4),
        );
    }
    for code in 0..=5u8 {
        ok_all(&[0x20, 0x02, 0x00, code]);
    }
}

/// §3.3.3: a zero-length PUBLISH payload is valid; payload length = Remaining Length − variable
/// header length.
#[test]
fn publish_zero_length_payload_accepted() {
    for bytes in [
        &[0x30, 0x03, 0x00, 0x01, b'a'][..],
        &[0x32, 0x05, 0x00, 0x01, b'a', 0x00, 0x01],
        PUBLISH_QOS2_EMPTY,
    ] {
        let Packet::Publish(p) = ok_all(bytes) else {
            panic!()
        };
        assert!(p.payload.is_empty());
        assert_eq!(encode_exact(&Packet::Publish(p)), bytes);
    }
    // Payload length follows the remaining length exactly.
    let Packet::Publish(p) = ok_all(PUBLISH_QOS1_UTF8) else {
        panic!()
    };
    assert_eq!(p.payload.len(), 0x12 - 2 - 13 - 2);
}

/// §1.5.3 SHOULD NOT: control characters (U+0001..=U+001F, U+007F..=U+009F) and
/// non-characters are accepted by default and rejected with `reject_control_characters`.
#[test]
fn control_characters_option() {
    let strict = DecodeOptions::new().reject_control_characters(true);
    for (topic, at) in [
        (&b"a\x01"[..], 1),
        (b"\x1F", 0),
        (b"a/\x7F", 2),
        (&[b'a', 0xC2, 0x80][..], 1), // U+0080
        (&[0xC2, 0x9F][..], 0),       // U+009F
    ] {
        let b = publish_raw_topic(topic, b"");
        ok_all(&b);
        assert_decode_err_with(&strict, &b, Error::ControlCharacter, 4 + at, Some(b.len()));
    }
    // In the client id too.
    let c = connect_raw(0x02, &field(b"i\td"));
    ok_all(&c);
    assert_decode_err_with(&strict, &c, Error::ControlCharacter, 15, Some(c.len()));
    // Non-characters U+FFFE (EF BF BE) and U+FDD0 (EF B7 90).
    for nc in [&[0xEF, 0xBF, 0xBE][..], &[0xEF, 0xB7, 0x90]] {
        let b = publish_raw_topic(nc, b"");
        ok_all(&b);
        assert_decode_err_with(&strict, &b, Error::NonCharacter, 4, Some(b.len()));
    }
    // Near misses: U+00A0 and U+FEFF are not control characters; payloads are never checked.
    ok_with(&strict, &publish_raw_topic(&[0xC2, 0xA0], b""));
    ok_with(&strict, PUBLISH_BOM);
    ok_with(&strict, &publish_raw_topic(b"a", b"\x01\x02\x7F"));
    ok_with(&strict, CONNECT_FULL);
}

/// The configurable maximum packet size is enforced as soon as the fixed header is known, with
/// the packet length so the caller can skip it.
#[test]
fn max_packet_size_enforced_from_header() {
    let opts = DecodeOptions::new().max_packet_size(8);
    let too_large = Error::PacketTooLarge { len: 9, max: 8 };
    // The whole packet, and only its fixed header.
    for input in [PUBLISH_QOS0, &PUBLISH_QOS0[..2], &PUBLISH_QOS0[..5]] {
        let e = err_with(&opts, input);
        assert_eq!(
            (e.error, e.packet_len),
            (too_large, Some(9)),
            "{input:02X?}"
        );
        assert!(e.offset <= 1, "{e:?}");
    }
    // Near miss: exactly at the limit.
    ok_with(&DecodeOptions::new().max_packet_size(9), PUBLISH_QOS0);
    ok_with(&opts, PUBACK_1);
    // A maximum-size header with a small limit is an error without any body byte.
    let e = err_with(
        &DecodeOptions::new().max_packet_size(1024),
        &[0x30, 0xFF, 0xFF, 0xFF, 0x7F],
    );
    assert_eq!(
        e.error,
        Error::PacketTooLarge {
            len: 268_435_460,
            max: 1024
        }
    );
    assert_eq!(e.packet_len, Some(268_435_460));
    // Skipping it by packet_len lands on the next packet.
    let mut two = PUBLISH_QOS0.to_vec();
    two.extend_from_slice(PINGREQ);
    let e = err_with(&opts, &two);
    let (p, _) = ok_with(&opts, &two[e.packet_len.unwrap()..]);
    assert_eq!(p, Packet::Pingreq);
}

/// Every error the decoder reports for a Table 1 statement names that statement, and the encode
/// errors are the same enum (one error type for both directions).
#[test]
fn errors_name_their_statements() {
    let numbered = [
        (Error::InvalidUtf8, "MQTT-1.5.3-1"),
        (Error::NullCharacter, "MQTT-1.5.3-2"),
        (Error::ZeroPacketId, "MQTT-2.3.1-1"),
        (Error::InvalidProtocolName, "MQTT-3.1.2-1"),
        (Error::ConnectReservedFlag, "MQTT-3.1.2-3"),
        (Error::MissingWill, "MQTT-3.1.2-9"),
        (Error::InvalidWillQoS(3), "MQTT-3.1.2-14"),
        (Error::WillRetainWithoutWill, "MQTT-3.1.2-15"),
        (Error::UnexpectedUserName, "MQTT-3.1.2-18"),
        (Error::MissingUserName, "MQTT-3.1.2-19"),
        (Error::UnexpectedPassword, "MQTT-3.1.2-20"),
        (Error::MissingPassword, "MQTT-3.1.2-21"),
        (Error::PasswordWithoutUserName, "MQTT-3.1.2-22"),
        (Error::MissingClientId, "MQTT-3.1.3-3"),
        (Error::EmptyClientIdWithoutCleanSession, "MQTT-3.1.3-7"),
        (Error::SessionPresentWithError, "MQTT-3.2.2-4"),
        (Error::QoS0WithDup, "MQTT-3.3.1-2"),
        (Error::InvalidQoS(3), "MQTT-3.3.1-4"),
        (Error::WildcardInTopicName, "MQTT-3.3.2-2"),
        (Error::EmptySubscription, "MQTT-3.8.3-3"),
        (Error::InvalidSubscribeQoS(3), "MQTT-3.8.3-4"),
        (Error::InvalidSubackReturnCode(3), "MQTT-3.9.3-2"),
        (Error::EmptyUnsubscribe, "MQTT-3.10.3-2"),
        (Error::InvalidMultiLevelWildcard, "MQTT-4.7.1-2"),
        (Error::InvalidSingleLevelWildcard, "MQTT-4.7.1-3"),
        (Error::EmptyTopic, "MQTT-4.7.3-1"),
        (Error::StringTooLong(65_536), "MQTT-4.7.3-3"),
    ];
    for (e, id) in numbered {
        assert_eq!(e.statement_id(), Some(id), "{e:?}");
        let shown = e.to_string();
        assert!(
            shown.contains(id),
            "Display of {e:?} should name {id}: {shown}"
        );
    }
    for e in [
        Error::TrailingBytes,
        Error::RemainingLengthTooLong,
        Error::ReservedPacketType(0),
    ] {
        assert_eq!(e.statement_id(), None);
    }
    let d = DecodeError::new(Error::EmptySubscription, 4, Some(4));
    let shown = d.to_string();
    assert!(
        shown.contains('4') && shown.contains("MQTT-3.8.3-3"),
        "{shown}"
    );
    let source = std::error::Error::source(&d).map(|s| s.to_string());
    assert_eq!(source, Some(Error::EmptySubscription.to_string()));
}

/// Helper sanity check: a subscribe built from a slice matches the hand-written vector.
#[test]
fn subscribe_slice_encodes_hand_vector() {
    let list = [
        SubscribeTopic {
            filter: TopicFilter::new("a/+").unwrap(),
            qos: QoS::AtLeastOnce,
        },
        SubscribeTopic {
            filter: TopicFilter::new("#").unwrap(),
            qos: QoS::AtMostOnce,
        },
        SubscribeTopic {
            filter: TopicFilter::new("vcd/ü/#").unwrap(),
            qos: QoS::ExactlyOnce,
        },
    ];
    let s = Subscribe {
        packet_id: pid(1),
        topics: SubscribeTopics::from_slice(&list),
    };
    assert_eq!(encode_exact(&Packet::Subscribe(s)), SUBSCRIBE_3);
}

/// `codec/CONFORMANCE.md` lists all 51 Table 1 statements and every test it names exists.
#[test]
fn conformance_md_names_existing_tests() {
    const TABLE_1: [&str; 51] = [
        "1.5.3-1", "1.5.3-2", "1.5.3-3", "2.2.2-1", "2.2.2-2", "2.3.1-1", "2.3.1-5", "3.1.2-1",
        "3.1.2-2", "3.1.2-3", "3.1.2-9", "3.1.2-11", "3.1.2-13", "3.1.2-14", "3.1.2-15",
        "3.1.2-18", "3.1.2-19", "3.1.2-20", "3.1.2-21", "3.1.2-22", "3.1.3-1", "3.1.3-3",
        "3.1.3-4", "3.1.3-5", "3.1.3-7", "3.1.3-10", "3.1.3-11", "3.1.4-1", "3.2.2-4", "3.3.1-2",
        "3.3.1-4", "3.3.2-1", "3.3.2-2", "3.6.1-1", "3.8.1-1", "3.8.3-1", "3.8.3-3", "3.8.3-4",
        "3.9.3-2", "3.10.1-1", "3.10.3-1", "3.10.3-2", "3.14.1-1", "4.3.1-1", "4.7.1-1", "4.7.1-2",
        "4.7.1-3", "4.7.3-1", "4.7.3-2", "4.7.3-3", "6.0.0-2",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("CONFORMANCE.md")).expect("CONFORMANCE.md");
    for id in TABLE_1 {
        let row = format!("| MQTT-{id} |");
        assert_eq!(
            doc.matches(&row).count(),
            1,
            "CONFORMANCE.md must have one row for {id}"
        );
    }
    // Every `codec/tests/<file>.rs::<name>` (and short `<file>.rs::<name>`) must exist as a fn.
    let mut named = 0;
    for (pos, _) in doc.match_indices(".rs::") {
        let start = doc[..pos].rfind(['`', ' ']).map_or(0, |i| i + 1);
        let file = doc[start..pos].trim_start_matches("codec/tests/");
        let rest = &doc[pos + 5..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        let source = std::fs::read_to_string(root.join("tests").join(format!("{file}.rs")))
            .unwrap_or_else(|e| panic!("CONFORMANCE.md names tests/{file}.rs: {e}"));
        assert!(
            source.contains(&format!("fn {name}(")),
            "tests/{file}.rs has no fn {name}"
        );
        named += 1;
    }
    assert!(named >= 51 + 14, "only {named} test references found");
}
