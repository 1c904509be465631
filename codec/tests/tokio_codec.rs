//! `tokio_util::codec` integration: `MqttCodec` over real async I/O, zero-copy payloads,
//! encoder round trips and error reporting.
#![cfg(feature = "tokio")]

use bytes::{BufMut, Bytes, BytesMut};
use futures_util::{SinkExt, StreamExt};
use proptest::prelude::*;
use proptest::sample::Index;
use tokio::io::AsyncWriteExt;
use tokio_util::codec::{Decoder, Encoder, FramedRead, FramedWrite};
use vcd_mqtt_codec::tokio::{
    CodecError, MqttCodec, OwnedConnect, OwnedLastWill, OwnedPacket, OwnedPublish, OwnedSubscribe,
    OwnedSubscribeTopic, OwnedUnsubscribe,
};
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, DecodeOptions, Error, LastWill, Packet, PacketId, Puback,
    Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, StreamDecoder, Suback, SubackReturnCode,
    SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter, TopicName,
    Unsuback, Unsubscribe, UnsubscribeTopics,
};

fn pid(v: u16) -> PacketId {
    PacketId::new(v).expect("non-zero")
}

/// Every packet kind, encoded back to back.
fn mixed_wire() -> Vec<u8> {
    let filters = [
        SubscribeTopic {
            filter: TopicFilter::new("extensions/+/#").unwrap(),
            qos: QoS::AtLeastOnce,
        },
        SubscribeTopic {
            filter: TopicFilter::new("#").unwrap(),
            qos: QoS::AtMostOnce,
        },
    ];
    let codes = [
        SubackReturnCode::Success(QoS::AtLeastOnce),
        SubackReturnCode::Failure,
    ];
    let unsub = [TopicFilter::new("a/+").unwrap()];
    let big: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let packets = [
        Packet::Connect(Connect {
            client_id: "vcd-ext",
            clean_session: true,
            keep_alive: 30,
            will: Some(LastWill {
                topic: TopicName::new("will/ü").unwrap(),
                message: b"gone",
                qos: QoS::ExactlyOnce,
                retain: false,
            }),
            username: Some("svc@System"),
            password: Some(b"pw"),
        }),
        Packet::Connack(Connack {
            session_present: true,
            code: ConnectReturnCode::Accepted,
        }),
        Packet::Subscribe(Subscribe {
            packet_id: pid(1),
            topics: SubscribeTopics::from_slice(&filters),
        }),
        Packet::Suback(Suback {
            packet_id: pid(1),
            return_codes: SubackReturnCodes::from_slice(&codes),
        }),
        Packet::Publish(Publish {
            dup: false,
            qos_pid: QosPid::AtLeastOnce(pid(2)),
            retain: false,
            topic: TopicName::new("topic/extensions/vmware/x/1.0.0/ext").unwrap(),
            payload: &big,
        }),
        Packet::Puback(Puback { packet_id: pid(2) }),
        Packet::Publish(Publish {
            dup: false,
            qos_pid: QosPid::ExactlyOnce(pid(3)),
            retain: true,
            topic: TopicName::new("日本").unwrap(),
            payload: b"",
        }),
        Packet::Pubrec(Pubrec { packet_id: pid(3) }),
        Packet::Pubrel(Pubrel { packet_id: pid(3) }),
        Packet::Pubcomp(Pubcomp { packet_id: pid(3) }),
        Packet::Unsubscribe(Unsubscribe {
            packet_id: pid(4),
            topics: UnsubscribeTopics::from_slice(&unsub),
        }),
        Packet::Unsuback(Unsuback { packet_id: pid(4) }),
        Packet::Pingreq,
        Packet::Pingresp,
        Packet::Disconnect,
    ];
    let mut wire = Vec::new();
    for p in packets {
        p.encode_to_vec(&mut wire).unwrap();
    }
    wire
}

#[tokio::test]
async fn framed_read_over_small_pieces_matches_borrowed_decode() {
    let wire = mixed_wire();
    let (expected, tail) = StreamDecoder::decode_all(&DecodeOptions::new(), &wire);
    assert_eq!(expected.len(), 15);
    assert!(tail.is_empty());
    for piece in [1usize, 3, 7, 100, 1500] {
        let (mut tx, rx) = tokio::io::duplex(64);
        let data = wire.clone();
        let writer = tokio::spawn(async move {
            for chunk in data.chunks(piece) {
                tx.write_all(chunk).await.unwrap();
                tx.flush().await.unwrap();
            }
            tx.shutdown().await.unwrap();
        });
        let mut framed = FramedRead::new(rx, MqttCodec::default());
        let mut got = Vec::new();
        while let Some(item) = framed.next().await {
            got.push(item.unwrap());
        }
        writer.await.unwrap();
        assert_eq!(got.len(), expected.len(), "piece {piece}");
        for (owned, borrowed) in got.iter().zip(&expected) {
            let borrowed = borrowed.unwrap();
            assert_eq!(*owned, borrowed, "piece {piece}");
            assert_eq!(owned.packet_type(), borrowed.packet_type());
        }
    }
}

#[tokio::test]
async fn framed_write_and_read_over_loopback_tcp() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let mut framed = FramedRead::new(socket, MqttCodec::default());
        let mut got = Vec::new();
        while let Some(item) = framed.next().await {
            got.push(item.unwrap());
        }
        got
    });
    let socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut sink = FramedWrite::new(socket, MqttCodec::default());
    let payload = vec![7u8; 100_000];
    let publish = Packet::Publish(Publish {
        dup: false,
        qos_pid: QosPid::AtLeastOnce(pid(9)),
        retain: false,
        topic: TopicName::new("vcd/loopback").unwrap(),
        payload: &payload,
    });
    sink.send(publish).await.unwrap();
    sink.send(Packet::Pingreq).await.unwrap();
    let owned = OwnedPacket::Unsubscribe(OwnedUnsubscribe {
        packet_id: pid(5),
        topics: vec!["x/#".into(), "+/y".into()],
    });
    sink.send(&owned).await.unwrap();
    SinkExt::<OwnedPacket>::close(&mut sink).await.unwrap();
    drop(sink);
    let got = server.await.unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0], publish);
    assert_eq!(got[1], OwnedPacket::Pingreq);
    assert_eq!(got[2], owned);
}

#[test]
fn decoded_bytes_point_into_the_read_buffer() {
    let wire = mixed_wire();
    let mut buf = BytesMut::with_capacity(wire.len());
    buf.put_slice(&wire);
    let base = buf.as_ptr() as usize;
    let inside = |p: *const u8, len: usize| {
        let p = p as usize;
        len == 0 || (p >= base && p + len <= base + wire.len())
    };
    let mut codec = MqttCodec::default();
    let mut publishes = 0;
    let mut offset = 0;
    while let Some(packet) = codec.decode(&mut buf).unwrap() {
        let len = packet.with_packet(|p| p.encoded_len()).unwrap().unwrap();
        match &packet {
            OwnedPacket::Publish(p) => {
                assert!(inside(p.payload.as_ptr(), p.payload.len()));
                assert!(inside(p.topic().as_ptr(), p.topic().len()));
                // The payload is exactly where it was in the wire bytes.
                if !p.payload.is_empty() {
                    let at = p.payload.as_ptr() as usize - base;
                    assert_eq!(&wire[at..at + p.payload.len()], &p.payload[..]);
                    assert!(at > offset && at < offset + len);
                }
                publishes += 1;
            }
            OwnedPacket::Connect(c) => {
                assert!(inside(c.client_id().as_ptr(), c.client_id().len()));
                let will = c.will.as_ref().unwrap();
                assert!(inside(will.message.as_ptr(), will.message.len()));
                let password = c.password.as_ref().unwrap();
                assert!(inside(password.as_ptr(), password.len()));
            }
            OwnedPacket::Subscribe(s) => {
                for t in &s.topics {
                    assert!(inside(t.filter.as_ptr(), t.filter.len()));
                }
            }
            _ => {}
        }
        offset += len;
    }
    assert_eq!(publishes, 2);
    assert_eq!(offset, wire.len());
    assert!(buf.is_empty());

    // Bytes::slice_ref semantics: the payload is a view of the frame, so re-slicing the frame
    // Bytes by the payload's address works without copying.
    let mut buf = BytesMut::from(&wire[..]);
    let mut codec = MqttCodec::default();
    for _ in 0..4 {
        codec.decode(&mut buf).unwrap();
    }
    let Some(OwnedPacket::Publish(p)) = codec.decode(&mut buf).unwrap() else {
        panic!("fifth packet is the big PUBLISH")
    };
    let clone: Bytes = p.payload.clone();
    assert_eq!(
        clone.as_ptr(),
        p.payload.as_ptr(),
        "cloning Bytes shares, never copies"
    );
    assert_eq!(
        p.payload.slice_ref(&p.payload[10..20]).as_ptr(),
        p.payload[10..].as_ptr()
    );
}

#[test]
fn partial_frames_wait_for_the_rest() {
    let wire = mixed_wire();
    let mut codec = MqttCodec::default();
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    for b in &wire {
        buf.put_u8(*b);
        while let Some(p) = codec.decode(&mut buf).unwrap() {
            got.push(p);
        }
    }
    assert_eq!(got.len(), 15);
    assert!(buf.is_empty());
    let (expected, _) = StreamDecoder::decode_all(&DecodeOptions::new(), &wire);
    for (owned, borrowed) in got.iter().zip(&expected) {
        assert_eq!(*owned, borrowed.unwrap());
    }
}

#[test]
fn encoder_round_trip() {
    let wire = mixed_wire();
    let (expected, _) = StreamDecoder::decode_all(&DecodeOptions::new(), &wire);
    let mut codec = MqttCodec::default();
    let mut from_borrowed = BytesMut::new();
    let mut from_owned = BytesMut::new();
    let mut owned_copies = Vec::new();
    for packet in &expected {
        let packet = packet.unwrap();
        codec.encode(packet, &mut from_borrowed).unwrap();
        let owned = OwnedPacket::from(packet);
        assert_eq!(owned, packet);
        codec.encode(&owned, &mut from_owned).unwrap();
        owned_copies.push(owned);
    }
    assert_eq!(&from_borrowed[..], &wire[..]);
    assert_eq!(&from_owned[..], &wire[..]);
    // Decoding what was encoded gives the same owned packets back.
    let mut decoded = Vec::new();
    while let Some(p) = codec.decode(&mut from_owned).unwrap() {
        decoded.push(p);
    }
    assert_eq!(decoded, owned_copies);

    // Owned packets built by hand encode like their borrowed counterparts.
    let owned = OwnedPacket::Connect(OwnedConnect {
        client_id: "c".into(),
        clean_session: false,
        keep_alive: 5,
        will: Some(OwnedLastWill {
            topic: "w".into(),
            message: Bytes::from_static(b"m"),
            qos: QoS::AtLeastOnce,
            retain: true,
        }),
        username: None,
        password: None,
    });
    let mut a = BytesMut::new();
    codec.encode(owned.clone(), &mut a).unwrap();
    let mut b = Vec::new();
    owned
        .with_packet(|p| p.encode_to_vec(&mut b))
        .unwrap()
        .unwrap();
    assert_eq!(&a[..], &b[..]);
    let subscribe = OwnedPacket::Subscribe(OwnedSubscribe {
        packet_id: pid(3),
        topics: vec![OwnedSubscribeTopic {
            filter: "a/#".into(),
            qos: QoS::ExactlyOnce,
        }],
    });
    let mut c = BytesMut::new();
    codec.encode(&subscribe, &mut c).unwrap();
    assert_eq!(
        &c[..],
        &[0x82, 0x08, 0x00, 0x03, 0x00, 0x03, b'a', b'/', b'#', 0x02]
    );
}

#[test]
fn encode_errors_leave_the_buffer_unchanged() {
    let mut codec = MqttCodec::default();
    let mut dst = BytesMut::from(&b"keep"[..]);
    let bad = OwnedPacket::Publish(OwnedPublish {
        dup: false,
        qos_pid: QosPid::AtMostOnce,
        retain: false,
        topic: "a/+".into(),
        payload: Bytes::new(),
    });
    match codec.encode(&bad, &mut dst) {
        Err(CodecError::Encode(Error::WildcardInTopicName)) => {}
        other => panic!("{other:?}"),
    }
    let bad = OwnedPacket::Unsubscribe(OwnedUnsubscribe {
        packet_id: pid(1),
        topics: Vec::new(),
    });
    match codec.encode(&bad, &mut dst) {
        Err(CodecError::Encode(Error::EmptyUnsubscribe)) => {}
        other => panic!("{other:?}"),
    }
    let bad = Packet::Connect(Connect {
        client_id: "",
        clean_session: false,
        keep_alive: 0,
        will: None,
        username: None,
        password: None,
    });
    match codec.encode(bad, &mut dst) {
        Err(CodecError::Encode(Error::EmptyClientIdWithoutCleanSession)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(&dst[..], b"keep");
}

#[test]
fn decode_errors_carry_offsets_and_the_codec_goes_on() {
    // PUBLISH with a wildcard in its topic (byte 6 is '#'), then a PINGREQ.
    let bad = [0x30, 0x07, 0x00, 0x03, b'a', b'/', b'#', b'h', b'i'];
    let mut data = bad.to_vec();
    data.extend_from_slice(&[0xC0, 0x00]);
    let want = vcd_mqtt_codec::decode(&bad).unwrap_err();
    assert_eq!(want.error, Error::WildcardInTopicName);
    assert_eq!(want.packet_len, Some(bad.len()));

    let mut codec = MqttCodec::default();
    let mut buf = BytesMut::from(&data[..]);
    match codec.decode(&mut buf) {
        Err(CodecError::Decode(e)) => assert_eq!(e, want),
        other => panic!("{other:?}"),
    }
    assert_eq!(codec.decode(&mut buf).unwrap(), Some(OwnedPacket::Pingreq));
    assert!(buf.is_empty());

    // An oversized packet is rejected from its header and its body skipped as it arrives.
    let mut codec = MqttCodec::new(DecodeOptions::new().max_packet_size(50));
    let mut wire = Vec::new();
    Packet::Publish(Publish {
        dup: false,
        qos_pid: QosPid::AtMostOnce,
        retain: false,
        topic: TopicName::new("t").unwrap(),
        payload: &[0; 200],
    })
    .encode_to_vec(&mut wire)
    .unwrap();
    Packet::Pingresp.encode_to_vec(&mut wire).unwrap();
    let mut buf = BytesMut::new();
    let mut items = Vec::new();
    for chunk in wire.chunks(16) {
        buf.extend_from_slice(chunk);
        loop {
            match codec.decode(&mut buf) {
                Ok(Some(p)) => items.push(Ok(p)),
                Ok(None) => break,
                Err(CodecError::Decode(e)) => items.push(Err(e)),
                Err(other) => panic!("{other}"),
            }
        }
        assert!(buf.capacity() <= 64, "the oversized body is never buffered");
    }
    assert_eq!(items.len(), 2, "{items:?}");
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(
        e.error,
        Error::PacketTooLarge {
            len: wire.len() - 2,
            max: 50
        }
    );
    assert_eq!(e.packet_len, Some(wire.len() - 2));
    assert_eq!(items[1].as_ref().unwrap(), &OwnedPacket::Pingresp);

    // An unknown length poisons the codec; the error is repeated and mentions the offset.
    let mut codec = MqttCodec::default();
    let mut buf = BytesMut::from(&[0x30u8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][..]);
    for _ in 0..2 {
        match codec.decode(&mut buf) {
            Err(CodecError::Decode(e)) => {
                assert_eq!(e.error, Error::RemainingLengthTooLong);
                assert_eq!(e.packet_len, None);
                let text = CodecError::Decode(e).to_string();
                assert!(text.contains(&format!("byte {}", e.offset)), "{text}");
            }
            other => panic!("{other:?}"),
        }
        buf.extend_from_slice(&[0xC0, 0x00]);
    }
}

#[tokio::test]
async fn framed_read_surfaces_decode_errors() {
    let mut data = vec![0xC0, 0x00];
    data.extend_from_slice(&[0x40, 0x02, 0x00, 0x00]); // PUBACK with packet id 0
    let mut framed = FramedRead::new(&data[..], MqttCodec::default());
    assert_eq!(framed.next().await.unwrap().unwrap(), OwnedPacket::Pingreq);
    match framed.next().await {
        Some(Err(CodecError::Decode(e))) => {
            assert_eq!(e.error, Error::ZeroPacketId);
            assert_eq!(e.offset, 2);
            assert_eq!(e.packet_len, Some(4));
        }
        other => panic!("{other:?}"),
    }
}

/// Decodes `data` delivered in chunks cycling through `sizes` with `MqttCodec` and returns the
/// items as they compare to the borrowed one-shot loop: `Ok(true)` for a packet equal to the
/// expected one, the error otherwise; stops at the first error whose length is unknown.
fn codec_matches_one_shot(
    options: DecodeOptions,
    data: &[u8],
    sizes: &[usize],
) -> Result<(), String> {
    let (expected, tail) = StreamDecoder::decode_all(&options, data);
    let mut codec = MqttCodec::new(options);
    let mut buf = BytesMut::new();
    let mut seen = 0;
    let mut pos = 0;
    let mut i = 0;
    'feed: while pos < data.len() {
        let end = data.len().min(pos + sizes[i % sizes.len()].max(1));
        i += 1;
        buf.extend_from_slice(&data[pos..end]);
        pos = end;
        loop {
            let item = match codec.decode(&mut buf) {
                Ok(None) => break,
                Ok(Some(p)) => Ok(p),
                Err(CodecError::Decode(e)) => Err(e),
                Err(other) => return Err(format!("unexpected {other}")),
            };
            let same = match (&item, expected.get(seen)) {
                (Ok(owned), Some(Ok(borrowed))) => owned == borrowed,
                (Err(e), Some(Err(want))) => e == want,
                _ => false,
            };
            if !same {
                return Err(format!(
                    "item {seen}: got {item:?}, want {:?}",
                    expected.get(seen)
                ));
            }
            seen += 1;
            if matches!(item, Err(e) if e.packet_len.is_none()) {
                break 'feed;
            }
        }
    }
    if seen != expected.len() {
        return Err(format!("got {seen} items, want {}", expected.len()));
    }
    if !matches!(expected.last(), Some(Err(e)) if e.packet_len.is_none()) && buf.len() != tail.len()
    {
        return Err(format!(
            "{} bytes left in the buffer, one-shot tail {}",
            buf.len(),
            tail.len()
        ));
    }
    Ok(())
}

proptest! {
    /// Valid packets with random corruptions and noise, in random chunks: the codec yields the
    /// same packets and errors as the one-shot decode loop (skipping by `packet_len`).
    #[test]
    fn codec_on_corrupted_streams_matches_one_shot(
        flips in prop::collection::vec((any::<Index>(), 1u8..=255), 0..4),
        noise in prop::collection::vec(any::<u8>(), 0..16),
        sizes in prop::collection::vec(1usize..700, 1..10),
        max in prop_oneof![Just(268_435_460usize), 2usize..6000],
    ) {
        let mut data = mixed_wire();
        for (at, x) in &flips {
            let i = at.index(data.len());
            data[i] ^= x;
        }
        data.extend_from_slice(&noise);
        let options = DecodeOptions::new().max_packet_size(max);
        codec_matches_one_shot(options, &data, &sizes).map_err(TestCaseError::fail)?;
    }
}
