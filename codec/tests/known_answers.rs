//! Known-answer tests: hand-checked byte vectors (written from the MQTT 3.1.1 text, see
//! `common/mod.rs`) for every one of the 14 packet types, decoded with every field asserted and
//! encoded back to exactly the same bytes with an exact `encoded_len`.

mod common;

use common::*;
use core::num::NonZeroUsize;
use vcd_mqtt_codec::{
    decode, Connack, Connect, ConnectReturnCode, DecodeOptions, Error, LastWill, Needed, Packet,
    PacketId, PacketType, Puback, Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, Status, Suback,
    SubackReturnCode, SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter,
    TopicName, Unsuback, Unsubscribe, UnsubscribeTopics,
};

fn pid(v: u16) -> PacketId {
    PacketId::new(v).expect("non-zero id")
}

fn topic(s: &str) -> TopicName<'_> {
    TopicName::new(s).expect("valid topic name")
}

fn filter(s: &str) -> TopicFilter<'_> {
    TopicFilter::new(s).expect("valid topic filter")
}

/// Encode `packet` and assert the exact bytes, `encoded_len`, and `encode_to_vec` appending.
#[track_caller]
fn assert_encodes_to(packet: Packet<'_>, expected: &[u8]) {
    assert_eq!(
        packet.encoded_len(),
        Ok(expected.len()),
        "encoded_len of {packet:?}"
    );
    let mut buf = vec![0xEEu8; expected.len() + 7];
    assert_eq!(packet.encode(&mut buf), Ok(expected.len()));
    assert_eq!(&buf[..expected.len()], expected, "encode of {packet:?}");
    assert!(
        buf[expected.len()..].iter().all(|&b| b == 0xEE),
        "encode wrote past its length"
    );
    #[cfg(feature = "alloc")]
    {
        let mut out = vec![0x55];
        assert_eq!(packet.encode_to_vec(&mut out), Ok(expected.len()));
        assert_eq!(out[0], 0x55, "encode_to_vec must append");
        assert_eq!(&out[1..], expected);
    }
}

// ---------------------------------------------------------------------------------------------
// CONNECT
// ---------------------------------------------------------------------------------------------

#[test]
fn connect_minimal_zero_length_client_id() {
    let p = ok_all(CONNECT_MINIMAL);
    assert_eq!(p.packet_type(), PacketType::Connect);
    let Packet::Connect(c) = p else {
        panic!("{p:?}")
    };
    assert_eq!(c.client_id, "");
    assert!(c.clean_session);
    assert_eq!(c.keep_alive, 60);
    assert_eq!(c.will, None);
    assert_eq!(c.username, None);
    assert_eq!(c.password, None);

    let built = Connect {
        client_id: "",
        clean_session: true,
        keep_alive: 60,
        will: None,
        username: None,
        password: None,
    };
    assert_eq!(c, built);
    assert_encodes_to(Packet::Connect(built), CONNECT_MINIMAL);
    assert_eq!(built.encoded_len(), Ok(CONNECT_MINIMAL.len()));
}

#[test]
fn connect_with_will_user_and_password() {
    let p = ok_all(CONNECT_FULL);
    let Packet::Connect(c) = p else {
        panic!("{p:?}")
    };
    assert_eq!(c.client_id, "vcd");
    assert!(c.clean_session);
    assert_eq!(c.keep_alive, 300);
    let will = c.will.expect("will present");
    assert_eq!(will.topic.as_str(), "w/t");
    assert_eq!(will.message, &[0xFF, 0x00]);
    assert_eq!(will.qos, QoS::AtLeastOnce);
    assert!(will.retain);
    assert_eq!(c.username, Some("bob"));
    assert_eq!(c.password, Some(&b"pw"[..]));

    let built = Connect {
        client_id: "vcd",
        clean_session: true,
        keep_alive: 300,
        will: Some(LastWill {
            topic: topic("w/t"),
            message: &[0xFF, 0x00],
            qos: QoS::AtLeastOnce,
            retain: true,
        }),
        username: Some("bob"),
        password: Some(b"pw"),
    };
    assert_eq!(c, built);
    assert_encodes_to(Packet::Connect(built), CONNECT_FULL);
}

#[test]
fn connect_user_only_will_qos2_no_clean_session() {
    // Flags: 0x80 user | 0x10 will QoS 2 | 0x04 will = 0x94; keep alive 0xFFFF; empty will
    // message; client id "c1". Remaining = 10 + 4 + 3 + 2 + 3 = 22 = 0x16.
    let bytes = [
        0x10, 0x16, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x94, 0xFF, 0xFF, // header
        0x00, 0x02, b'c', b'1', // client id
        0x00, 0x01, b'w', // will topic
        0x00, 0x00, // empty will message
        0x00, 0x01, b'u', // user name
    ];
    let Packet::Connect(c) = ok_all(&bytes) else {
        panic!()
    };
    assert_eq!(c.client_id, "c1");
    assert!(!c.clean_session);
    assert_eq!(c.keep_alive, 0xFFFF);
    let w = c.will.unwrap();
    assert_eq!(
        (w.topic.as_str(), w.message, w.qos, w.retain),
        ("w", &[][..], QoS::ExactlyOnce, false)
    );
    assert_eq!(c.username, Some("u"));
    assert_eq!(c.password, None);
    assert_encodes_to(Packet::Connect(c), &bytes);
}

// ---------------------------------------------------------------------------------------------
// CONNACK
// ---------------------------------------------------------------------------------------------

#[test]
fn connack_session_present_accepted() {
    let p = ok_all(CONNACK_SP_ACCEPTED);
    assert_eq!(p.packet_type(), PacketType::Connack);
    let expected = Connack {
        session_present: true,
        code: ConnectReturnCode::Accepted,
    };
    assert_eq!(p, Packet::Connack(expected));
    assert_encodes_to(Packet::Connack(expected), CONNACK_SP_ACCEPTED);
    assert_eq!(expected.encoded_len(), Ok(4));
}

#[test]
fn connack_every_return_code() {
    let codes = [
        (0u8, ConnectReturnCode::Accepted),
        (1, ConnectReturnCode::UnacceptableProtocolVersion),
        (2, ConnectReturnCode::IdentifierRejected),
        (3, ConnectReturnCode::ServerUnavailable),
        (4, ConnectReturnCode::BadUserNameOrPassword),
        (5, ConnectReturnCode::NotAuthorized),
    ];
    for (byte, code) in codes {
        assert_eq!(ConnectReturnCode::from_u8(byte), Some(code));
        let bytes = [0x20, 0x02, 0x00, byte];
        let expected = Connack {
            session_present: false,
            code,
        };
        assert_eq!(ok_all(&bytes), Packet::Connack(expected));
        assert_encodes_to(Packet::Connack(expected), &bytes);
    }
    assert_eq!(ConnectReturnCode::from_u8(6), None);
    assert_eq!(
        ok_all(CONNACK_NOT_AUTHORIZED),
        Packet::Connack(Connack {
            session_present: false,
            code: ConnectReturnCode::NotAuthorized
        })
    );
}

// ---------------------------------------------------------------------------------------------
// PUBLISH
// ---------------------------------------------------------------------------------------------

#[test]
fn publish_qos0() {
    let p = ok_all(PUBLISH_QOS0);
    assert_eq!(p.packet_type(), PacketType::Publish);
    let Packet::Publish(pb) = p else { panic!() };
    assert!(!pb.dup);
    assert_eq!(pb.qos_pid, QosPid::AtMostOnce);
    assert_eq!(pb.qos_pid.qos(), QoS::AtMostOnce);
    assert_eq!(pb.qos_pid.packet_id(), None);
    assert!(!pb.retain);
    assert_eq!(pb.topic.as_str(), "a/b");
    assert_eq!(pb.payload, b"hi");
    let built = Publish {
        dup: false,
        qos_pid: QosPid::AtMostOnce,
        retain: false,
        topic: topic("a/b"),
        payload: b"hi",
    };
    assert_eq!(pb, built);
    assert_encodes_to(Packet::Publish(built), PUBLISH_QOS0);
    assert_eq!(built.encoded_len(), Ok(9));
}

#[test]
fn publish_qos1_dup_retain_multibyte_utf8_topic() {
    let Packet::Publish(pb) = ok_all(PUBLISH_QOS1_UTF8) else {
        panic!()
    };
    assert!(pb.dup);
    assert!(pb.retain);
    assert_eq!(pb.qos_pid, QosPid::AtLeastOnce(pid(10)));
    assert_eq!(pb.qos_pid.packet_id().map(PacketId::get), Some(10));
    assert_eq!(pb.topic.as_str(), "vcd/ü/日本");
    assert_eq!(pb.topic.as_str().len(), 13);
    assert_eq!(pb.payload, b"x");
    let built = Publish {
        dup: true,
        qos_pid: QosPid::AtLeastOnce(pid(10)),
        retain: true,
        topic: topic("vcd/ü/日本"),
        payload: b"x",
    };
    assert_encodes_to(Packet::Publish(built), PUBLISH_QOS1_UTF8);
}

#[test]
fn publish_qos2_zero_length_payload_max_packet_id() {
    let Packet::Publish(pb) = ok_all(PUBLISH_QOS2_EMPTY) else {
        panic!()
    };
    assert_eq!(pb.qos_pid, QosPid::ExactlyOnce(pid(0xFFFF)));
    assert_eq!(pb.topic.as_str(), "t");
    assert!(pb.payload.is_empty());
    assert!(!pb.dup && !pb.retain);
    let built = Publish {
        dup: false,
        qos_pid: QosPid::ExactlyOnce(pid(0xFFFF)),
        retain: false,
        topic: topic("t"),
        payload: &[],
    };
    assert_encodes_to(Packet::Publish(built), PUBLISH_QOS2_EMPTY);
}

#[test]
fn publish_zero_length_payload_qos0() {
    // 30 03 00 01 'a': remaining 3, payload = 3 - 3 = 0 bytes.
    let bytes = [0x30, 0x03, 0x00, 0x01, b'a'];
    let Packet::Publish(pb) = ok_all(&bytes) else {
        panic!()
    };
    assert_eq!(pb.payload, &[] as &[u8]);
    assert_eq!(pb.topic.as_str(), "a");
    assert_encodes_to(Packet::Publish(pb), &bytes);
}

#[test]
fn publish_keeps_bom_byte_for_byte() {
    let Packet::Publish(pb) = ok_all(PUBLISH_BOM) else {
        panic!()
    };
    assert_eq!(pb.topic.as_str(), "\u{FEFF}a/b");
    assert_eq!(
        pb.topic.as_str().as_bytes(),
        &[0xEF, 0xBB, 0xBF, b'a', b'/', b'b']
    );
    assert!(pb.payload.is_empty());
    assert_encodes_to(Packet::Publish(pb), PUBLISH_BOM);
}

#[test]
fn publish_remaining_length_boundaries_encode_minimal_varint() {
    // Topic "a" QoS 0: remaining = 3 + payload. Hand-computed §2.2.3 encodings.
    let cases: [(usize, &[u8]); 7] = [
        (127, &[0x7F]),
        (128, &[0x80, 0x01]),
        (16_383, &[0xFF, 0x7F]),
        (16_384, &[0x80, 0x80, 0x01]),
        (2_097_151, &[0xFF, 0xFF, 0x7F]),
        (2_097_152, &[0x80, 0x80, 0x80, 0x01]),
        (3 + 1000, &[0xEB, 0x07]),
    ];
    for (remaining, varint_bytes) in cases {
        let payload = vec![0x5Au8; remaining - 3];
        let p = Publish {
            dup: false,
            qos_pid: QosPid::AtMostOnce,
            retain: false,
            topic: topic("a"),
            payload: &payload,
        };
        let mut expected = vec![0x30];
        expected.extend_from_slice(varint_bytes);
        expected.extend_from_slice(&[0x00, 0x01, b'a']);
        expected.extend_from_slice(&payload);
        assert_encodes_to(Packet::Publish(p), &expected);
        let Packet::Publish(back) = ok_all(&expected) else {
            panic!()
        };
        assert_eq!(back.payload.len(), remaining - 3);
    }
}

/// The maximum remaining length 268,435,455 (`FF FF FF 7F`), decoded and encoded.
#[test]
fn publish_maximum_remaining_length() {
    const MAX_REMAINING: usize = 268_435_455;
    let payload_len = MAX_REMAINING - 3; // topic "a" = 00 01 61
                                         // One spare byte of capacity so the "one byte more" case below does not reallocate.
    let mut bytes = Vec::with_capacity(MAX_REMAINING + 6);
    bytes.extend_from_slice(&[0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, b'a']);
    bytes.resize(5 + MAX_REMAINING, 0xA7);
    bytes[5 + MAX_REMAINING - 1] = 0x01; // mark the last payload byte
    assert_eq!(bytes.len(), 268_435_460);

    // One byte short: exactly one byte missing.
    assert_eq!(
        decode(&bytes[..bytes.len() - 1]),
        Ok(Status::Incomplete(Needed::Size(
            NonZeroUsize::new(1).unwrap()
        )))
    );
    // Header only: the whole remaining length is missing.
    assert_eq!(
        decode(&bytes[..5]),
        Ok(Status::Incomplete(Needed::Size(
            NonZeroUsize::new(MAX_REMAINING).unwrap()
        )))
    );

    let Packet::Publish(pb) = ok_all(&bytes) else {
        panic!()
    };
    assert_eq!(pb.topic.as_str(), "a");
    assert_eq!(pb.payload.len(), payload_len);
    assert_eq!(pb.payload[0], 0xA7);
    assert_eq!(pb.payload[payload_len - 1], 0x01);
    assert_eq!(
        pb.payload.as_ptr(),
        bytes[8..].as_ptr(),
        "payload must borrow the input"
    );

    assert_eq!(Packet::Publish(pb).encoded_len(), Ok(268_435_460));
    let mut out = vec![0u8; 268_435_460];
    assert_eq!(Packet::Publish(pb).encode(&mut out), Ok(268_435_460));
    assert!(out == bytes, "re-encoded maximum PUBLISH differs");
    drop(out);

    // One payload byte more no longer fits in four remaining-length bytes: refused, and a
    // buffer big enough for it is left untouched.
    let mut bigger = bytes;
    bigger.push(0x02);
    let too_big = Publish {
        dup: false,
        qos_pid: QosPid::AtMostOnce,
        retain: false,
        topic: topic("a"),
        payload: &bigger[8..],
    };
    assert!(Packet::Publish(too_big).encoded_len().is_err());
    let mut small = [0xEEu8; 16];
    assert!(Packet::Publish(too_big).encode(&mut small).is_err());
    assert_eq!(small, [0xEE; 16]);
}

// ---------------------------------------------------------------------------------------------
// PUBACK / PUBREC / PUBREL / PUBCOMP / UNSUBACK
// ---------------------------------------------------------------------------------------------

#[test]
fn puback() {
    let p = ok_all(PUBACK_1);
    assert_eq!(p.packet_type(), PacketType::Puback);
    assert_eq!(p, Packet::Puback(Puback { packet_id: pid(1) }));
    assert_encodes_to(Packet::Puback(Puback { packet_id: pid(1) }), PUBACK_1);
    assert_eq!(Puback { packet_id: pid(1) }.encoded_len(), Ok(4));
}

#[test]
fn pubrec() {
    let p = ok_all(PUBREC_1234);
    assert_eq!(p.packet_type(), PacketType::Pubrec);
    assert_eq!(
        p,
        Packet::Pubrec(Pubrec {
            packet_id: pid(0x1234)
        })
    );
    assert_encodes_to(
        Pubrec {
            packet_id: pid(0x1234),
        }
        .into(),
        PUBREC_1234,
    );
}

#[test]
fn pubrel() {
    let p = ok_all(PUBREL_7);
    assert_eq!(p.packet_type(), PacketType::Pubrel);
    assert_eq!(p, Packet::Pubrel(Pubrel { packet_id: pid(7) }));
    assert_encodes_to(Pubrel { packet_id: pid(7) }.into(), PUBREL_7);
}

#[test]
fn pubcomp() {
    let p = ok_all(PUBCOMP_FFFE);
    assert_eq!(p.packet_type(), PacketType::Pubcomp);
    assert_eq!(
        p,
        Packet::Pubcomp(Pubcomp {
            packet_id: pid(0xFFFE)
        })
    );
    assert_encodes_to(
        Pubcomp {
            packet_id: pid(0xFFFE),
        }
        .into(),
        PUBCOMP_FFFE,
    );
}

#[test]
fn unsuback() {
    let p = ok_all(UNSUBACK_2);
    assert_eq!(p.packet_type(), PacketType::Unsuback);
    assert_eq!(p, Packet::Unsuback(Unsuback { packet_id: pid(2) }));
    assert_encodes_to(Unsuback { packet_id: pid(2) }.into(), UNSUBACK_2);
}

// ---------------------------------------------------------------------------------------------
// SUBSCRIBE / SUBACK / UNSUBSCRIBE
// ---------------------------------------------------------------------------------------------

#[test]
fn subscribe_three_filters_iterated_lazily() {
    let p = ok_all(SUBSCRIBE_3);
    assert_eq!(p.packet_type(), PacketType::Subscribe);
    let Packet::Subscribe(s) = p else { panic!() };
    assert_eq!(s.packet_id, pid(1));
    assert_eq!(s.topics.len(), 3);
    assert!(!s.topics.is_empty());
    let mut it = s.topics.iter();
    let first = it.next().unwrap();
    assert_eq!(
        (first.filter.as_str(), first.qos),
        ("a/+", QoS::AtLeastOnce)
    );
    // The filter borrows the packet bytes (zero copy).
    assert_eq!(first.filter.as_str().as_ptr(), SUBSCRIBE_3[6..].as_ptr());
    let second = it.next().unwrap();
    assert_eq!((second.filter.as_str(), second.qos), ("#", QoS::AtMostOnce));
    let third = it.next().unwrap();
    assert_eq!(
        (third.filter.as_str(), third.qos),
        ("vcd/ü/#", QoS::ExactlyOnce)
    );
    assert_eq!(it.next(), None);
    assert_eq!(it.next(), None);
    // The iterator can be restarted; IntoIterator works for & and by value.
    assert_eq!((&s.topics).into_iter().count(), 3);
    assert_eq!(
        s.topics
            .into_iter()
            .map(|t| t.qos.as_u8())
            .collect::<Vec<_>>(),
        [1, 0, 2]
    );

    let list = [
        SubscribeTopic {
            filter: filter("a/+"),
            qos: QoS::AtLeastOnce,
        },
        SubscribeTopic {
            filter: filter("#"),
            qos: QoS::AtMostOnce,
        },
        SubscribeTopic {
            filter: filter("vcd/ü/#"),
            qos: QoS::ExactlyOnce,
        },
    ];
    let built = Subscribe {
        packet_id: pid(1),
        topics: SubscribeTopics::from_slice(&list),
    };
    // A decoded list equals the slice it came from.
    assert_eq!(s, built);
    assert_eq!(s.topics, SubscribeTopics::from_slice(&list));
    assert_encodes_to(Packet::Subscribe(built), SUBSCRIBE_3);
    assert_eq!(built.encoded_len(), Ok(SUBSCRIBE_3.len()));
}

#[test]
fn suback_with_failure_code() {
    let p = ok_all(SUBACK_4);
    assert_eq!(p.packet_type(), PacketType::Suback);
    let Packet::Suback(s) = p else { panic!() };
    assert_eq!(s.packet_id, pid(1));
    assert_eq!(s.return_codes.len(), 4);
    let codes: Vec<SubackReturnCode> = s.return_codes.iter().collect();
    assert_eq!(
        codes,
        [
            SubackReturnCode::Success(QoS::AtLeastOnce),
            SubackReturnCode::Failure,
            SubackReturnCode::Success(QoS::ExactlyOnce),
            SubackReturnCode::Success(QoS::AtMostOnce),
        ]
    );
    let built = Suback {
        packet_id: pid(1),
        return_codes: SubackReturnCodes::from_slice(&codes),
    };
    assert_eq!(s, built);
    assert_encodes_to(Packet::Suback(built), SUBACK_4);
}

#[test]
fn unsubscribe_two_filters() {
    let p = ok_all(UNSUBSCRIBE_2);
    assert_eq!(p.packet_type(), PacketType::Unsubscribe);
    let Packet::Unsubscribe(u) = p else { panic!() };
    assert_eq!(u.packet_id, pid(2));
    assert_eq!(u.topics.len(), 2);
    let got: Vec<&str> = u.topics.iter().map(|f| f.as_str()).collect();
    assert_eq!(got, ["a/+", "#"]);
    let list = [filter("a/+"), filter("#")];
    let built = Unsubscribe {
        packet_id: pid(2),
        topics: UnsubscribeTopics::from_slice(&list),
    };
    assert_eq!(u, built);
    assert_encodes_to(Packet::Unsubscribe(built), UNSUBSCRIBE_2);
}

// ---------------------------------------------------------------------------------------------
// PINGREQ / PINGRESP / DISCONNECT
// ---------------------------------------------------------------------------------------------

#[test]
fn pingreq_pingresp_disconnect() {
    for (bytes, packet, ty) in [
        (PINGREQ, Packet::Pingreq, PacketType::Pingreq),
        (PINGRESP, Packet::Pingresp, PacketType::Pingresp),
        (DISCONNECT, Packet::Disconnect, PacketType::Disconnect),
    ] {
        let p = ok_all(bytes);
        assert_eq!(p, packet);
        assert_eq!(p.packet_type(), ty);
        assert_encodes_to(packet, bytes);
    }
}

#[test]
fn packet_type_numbers() {
    let types = [
        PacketType::Connect,
        PacketType::Connack,
        PacketType::Publish,
        PacketType::Puback,
        PacketType::Pubrec,
        PacketType::Pubrel,
        PacketType::Pubcomp,
        PacketType::Subscribe,
        PacketType::Suback,
        PacketType::Unsubscribe,
        PacketType::Unsuback,
        PacketType::Pingreq,
        PacketType::Pingresp,
        PacketType::Disconnect,
    ];
    for (i, (ty, bytes)) in types.iter().zip(ONE_OF_EACH).enumerate() {
        assert_eq!(*ty as u8, i as u8 + 1);
        assert_eq!(bytes[0] >> 4, i as u8 + 1);
        assert_eq!(ok_all(bytes).packet_type(), *ty);
    }
}

// ---------------------------------------------------------------------------------------------
// Incomplete input, trailing input, too-small buffers
// ---------------------------------------------------------------------------------------------

fn size(n: usize) -> Status<(Packet<'static>, usize)> {
    Status::Incomplete(Needed::Size(NonZeroUsize::new(n).unwrap()))
}

#[test]
fn truncated_header_needs_unknown() {
    assert_eq!(decode(&[]), Ok(Status::Incomplete(Needed::Unknown)));
    assert_eq!(decode(&[0x30]), Ok(Status::Incomplete(Needed::Unknown)));
    assert_eq!(decode(&[0xC0]), Ok(Status::Incomplete(Needed::Unknown)));
    assert_eq!(
        decode(&[0x30, 0x80]),
        Ok(Status::Incomplete(Needed::Unknown))
    );
    assert_eq!(
        decode(&[0x30, 0xFF, 0xFF]),
        Ok(Status::Incomplete(Needed::Unknown))
    );
    assert_eq!(
        decode(&[0x30, 0xFF, 0xFF, 0xFF]),
        Ok(Status::Incomplete(Needed::Unknown))
    );
}

#[test]
fn truncated_packets_need_exact_size() {
    for whole in ONE_OF_EACH
        .iter()
        .chain([&PUBLISH_QOS0, &CONNECT_MINIMAL, &PUBLISH_BOM])
    {
        // Every prefix that still holds the whole fixed header (2 bytes here) must report
        // exactly the missing byte count.
        for cut in 2..whole.len() {
            assert_eq!(
                decode(&whole[..cut]),
                Ok(size(whole.len() - cut)),
                "{whole:02X?} cut at {cut}"
            );
        }
    }
    // Two-byte remaining length: PUBLISH of remaining 200 = C8 01.
    assert_eq!(decode(&[0x30, 0xC8, 0x01]), Ok(size(200)));
    assert_eq!(decode(&[0x30, 0xC8, 0x01, 0x00, 0x01, b'a']), Ok(size(197)));
    // Non-minimal header (accepted by default): 00 encoded as 80 00.
    assert_eq!(decode(&[0x30, 0x83, 0x00, 0x00]), Ok(size(2)));
}

#[test]
fn decode_uses_only_one_packet() {
    let mut two = PUBLISH_QOS0.to_vec();
    two.extend_from_slice(PINGREQ);
    let (p, used) = ok(&two);
    assert_eq!(used, PUBLISH_QOS0.len());
    let Packet::Publish(pb) = p else { panic!() };
    assert_eq!(
        pb.payload, b"hi",
        "payload must stop at the remaining length"
    );
    let (p2, used2) = ok(&two[used..]);
    assert_eq!((p2, used2), (Packet::Pingreq, 2));
}

#[test]
fn non_minimal_remaining_length_accepted_by_default() {
    // PUBACK with remaining length 2 written as 82 00 (two bytes).
    let bytes = [0x40, 0x82, 0x00, 0x00, 0x01];
    let (p, used) = ok(&bytes);
    assert_eq!(used, 5);
    assert_eq!(p, Packet::Puback(Puback { packet_id: pid(1) }));
    // Re-encoding always uses the minimal form.
    assert_eq!(encode_exact(&p), PUBACK_1);
}

#[test]
fn encode_into_too_small_buffer_writes_nothing() {
    let packets: Vec<(Packet<'static>, &[u8])> = vec![
        (Packet::Pingreq, PINGREQ),
        (Packet::Puback(Puback { packet_id: pid(1) }), PUBACK_1),
        (
            Packet::Publish(Publish {
                dup: false,
                qos_pid: QosPid::AtMostOnce,
                retain: false,
                topic: TopicName::new("a/b").unwrap(),
                payload: b"hi",
            }),
            PUBLISH_QOS0,
        ),
        (
            Packet::Connect(Connect {
                client_id: "",
                clean_session: true,
                keep_alive: 60,
                will: None,
                username: None,
                password: None,
            }),
            CONNECT_MINIMAL,
        ),
    ];
    for (packet, bytes) in packets {
        let n = bytes.len();
        for available in 0..n {
            let mut buf = vec![0xC3u8; available];
            assert_eq!(
                packet.encode(&mut buf),
                Err(Error::BufferTooSmall {
                    needed: n,
                    available
                }),
                "{packet:?} into {available} bytes"
            );
            assert!(buf.iter().all(|&b| b == 0xC3), "{packet:?}: buffer changed");
        }
        let mut buf = vec![0u8; n];
        assert_eq!(packet.encode(&mut buf), Ok(n));
        assert_eq!(buf, bytes);
    }
}

#[test]
fn decode_options_default_values() {
    let d = DecodeOptions::default();
    assert_eq!(d, DecodeOptions::new());
    assert_eq!(d.max_packet_size, 268_435_455 + 5);
    assert!(!d.strict_remaining_length);
    assert_eq!(d.role, None);
    assert!(!d.reject_control_characters);
}
