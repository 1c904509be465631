//! Streaming decoder tests: chunking at any point gives exactly the one-shot decode
//! ([MQTT-6.0.0-2]), bad packets are skipped or poison the stream, the buffer stays bounded.

use proptest::prelude::*;
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, DecodeError, DecodeOptions, Error, LastWill, Packet,
    PacketId, Puback, Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, StreamDecoder, Suback,
    SubackReturnCode, SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter,
    TopicName, Unsuback, Unsubscribe, UnsubscribeTopics,
};

// ------------------------------------------------------------------ packets described by owned data

/// An owned description of a valid packet, from which the borrowed `Packet` is built.
#[derive(Debug, Clone)]
enum Spec {
    Connect {
        client_id: String,
        clean_session: bool,
        keep_alive: u16,
        will: Option<(String, Vec<u8>, u8, bool)>,
        username: Option<String>,
        password: Option<Vec<u8>>,
    },
    Connack {
        session_present: bool,
        code: u8,
    },
    Publish {
        dup: bool,
        qos: u8,
        pid: u16,
        retain: bool,
        topic: String,
        payload: Vec<u8>,
    },
    Ack {
        kind: u8,
        pid: u16,
    },
    Subscribe {
        pid: u16,
        topics: Vec<(String, u8)>,
    },
    Suback {
        pid: u16,
        codes: Vec<u8>,
    },
    Unsubscribe {
        pid: u16,
        topics: Vec<String>,
    },
    Pingreq,
    Pingresp,
    Disconnect,
}

fn pid(v: u16) -> PacketId {
    PacketId::new(v.max(1)).expect("non-zero")
}

fn qos(v: u8) -> QoS {
    QoS::from_u8(v % 3).expect("0..=2")
}

/// Encodes the packet `spec` describes and appends it to `out`.
fn encode_spec(spec: &Spec, out: &mut Vec<u8>) {
    let result = match spec {
        Spec::Connect {
            client_id,
            clean_session,
            keep_alive,
            will,
            username,
            password,
        } => {
            let will = will.as_ref().map(|(topic, message, q, retain)| LastWill {
                topic: TopicName::new(topic).expect("valid topic"),
                message,
                qos: qos(*q),
                retain: *retain,
            });
            Packet::Connect(Connect {
                client_id,
                clean_session: *clean_session || client_id.is_empty(),
                keep_alive: *keep_alive,
                will,
                username: username.as_deref(),
                password: if username.is_some() {
                    password.as_deref()
                } else {
                    None
                },
            })
            .encode_to_vec(out)
        }
        Spec::Connack {
            session_present,
            code,
        } => {
            let code = ConnectReturnCode::from_u8(code % 6).expect("0..=5");
            Packet::Connack(Connack {
                session_present: *session_present && code == ConnectReturnCode::Accepted,
                code,
            })
            .encode_to_vec(out)
        }
        Spec::Publish {
            dup,
            qos: q,
            pid: id,
            retain,
            topic,
            payload,
        } => {
            let qos_pid = match q % 3 {
                0 => QosPid::AtMostOnce,
                1 => QosPid::AtLeastOnce(pid(*id)),
                _ => QosPid::ExactlyOnce(pid(*id)),
            };
            Packet::Publish(Publish {
                dup: *dup && qos_pid != QosPid::AtMostOnce,
                qos_pid,
                retain: *retain,
                topic: TopicName::new(topic).expect("valid topic"),
                payload,
            })
            .encode_to_vec(out)
        }
        Spec::Ack { kind, pid: id } => {
            let packet_id = pid(*id);
            match kind % 5 {
                0 => Packet::Puback(Puback { packet_id }),
                1 => Packet::Pubrec(Pubrec { packet_id }),
                2 => Packet::Pubrel(Pubrel { packet_id }),
                3 => Packet::Pubcomp(Pubcomp { packet_id }),
                _ => Packet::Unsuback(Unsuback { packet_id }),
            }
            .encode_to_vec(out)
        }
        Spec::Subscribe { pid: id, topics } => {
            let list: Vec<SubscribeTopic<'_>> = topics
                .iter()
                .map(|(f, q)| SubscribeTopic {
                    filter: TopicFilter::new(f).expect("valid filter"),
                    qos: qos(*q),
                })
                .collect();
            Packet::Subscribe(Subscribe {
                packet_id: pid(*id),
                topics: SubscribeTopics::from_slice(&list),
            })
            .encode_to_vec(out)
        }
        Spec::Suback { pid: id, codes } => {
            let list: Vec<SubackReturnCode> = codes
                .iter()
                .map(|c| match c % 4 {
                    3 => SubackReturnCode::Failure,
                    q => SubackReturnCode::Success(qos(q)),
                })
                .collect();
            Packet::Suback(Suback {
                packet_id: pid(*id),
                return_codes: SubackReturnCodes::from_slice(&list),
            })
            .encode_to_vec(out)
        }
        Spec::Unsubscribe { pid: id, topics } => {
            let list: Vec<TopicFilter<'_>> = topics
                .iter()
                .map(|f| TopicFilter::new(f).expect("valid filter"))
                .collect();
            Packet::Unsubscribe(Unsubscribe {
                packet_id: pid(*id),
                topics: UnsubscribeTopics::from_slice(&list),
            })
            .encode_to_vec(out)
        }
        Spec::Pingreq => Packet::Pingreq.encode_to_vec(out),
        Spec::Pingresp => Packet::Pingresp.encode_to_vec(out),
        Spec::Disconnect => Packet::Disconnect.encode_to_vec(out),
    };
    result.expect("a valid packet encodes");
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ü日\u{FEFF}]{0,12}"
}

fn topic_name() -> impl Strategy<Value = String> {
    "[a-z0-9ü/]{1,16}"
}

fn topic_filter() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop_oneof!["[a-z0-9ü]{0,5}", Just("+".to_owned())], 1..4),
        any::<bool>(),
    )
        .prop_map(|(levels, hash)| {
            let mut f = levels.join("/");
            if hash {
                f.push_str("/#");
            }
            if f.is_empty() {
                f.push('#');
            }
            f
        })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..40),
        1 => prop::collection::vec(any::<u8>(), 200..3000),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        1 => (
            text(),
            any::<bool>(),
            any::<u16>(),
            prop::option::of((topic_name(), payload(), any::<u8>(), any::<bool>())),
            prop::option::of(text()),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..20)),
        )
            .prop_map(
                |(client_id, clean_session, keep_alive, will, username, password)| Spec::Connect {
                    client_id,
                    clean_session,
                    keep_alive,
                    will,
                    username,
                    password,
                }
            ),
        1 => (any::<bool>(), any::<u8>()).prop_map(|(session_present, code)| Spec::Connack {
            session_present,
            code
        }),
        4 => (
            any::<bool>(),
            any::<u8>(),
            any::<u16>(),
            any::<bool>(),
            topic_name(),
            payload()
        )
            .prop_map(|(dup, qos, pid, retain, topic, payload)| Spec::Publish {
                dup,
                qos,
                pid,
                retain,
                topic,
                payload
            }),
        2 => (any::<u8>(), any::<u16>()).prop_map(|(kind, pid)| Spec::Ack { kind, pid }),
        1 => (
            any::<u16>(),
            prop::collection::vec((topic_filter(), any::<u8>()), 1..5)
        )
            .prop_map(|(pid, topics)| Spec::Subscribe { pid, topics }),
        1 => (any::<u16>(), prop::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(pid, codes)| Spec::Suback { pid, codes }),
        1 => (any::<u16>(), prop::collection::vec(topic_filter(), 1..5))
            .prop_map(|(pid, topics)| Spec::Unsubscribe { pid, topics }),
        1 => Just(Spec::Pingreq),
        1 => Just(Spec::Pingresp),
        1 => Just(Spec::Disconnect),
    ]
}

fn encode_all(specs: &[Spec]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in specs {
        encode_spec(s, &mut out);
    }
    out
}

/// One of each packet kind, several with bodies long enough to span many chunks.
fn mixed_stream() -> Vec<u8> {
    let specs = vec![
        Spec::Connect {
            client_id: "vcd-ext".into(),
            clean_session: true,
            keep_alive: 60,
            will: Some(("will/ü".into(), b"bye".to_vec(), 1, true)),
            username: Some("svc@System".into()),
            password: Some(b"secret".to_vec()),
        },
        Spec::Connack {
            session_present: false,
            code: 0,
        },
        Spec::Subscribe {
            pid: 1,
            topics: vec![("extensions/+/#".into(), 1), ("#".into(), 0)],
        },
        Spec::Suback {
            pid: 1,
            codes: vec![1, 3],
        },
        Spec::Publish {
            dup: false,
            qos: 1,
            pid: 2,
            retain: false,
            topic: "topic/extensions/vmware/x/1.0.0/ext".into(),
            payload: (0..=255u8).cycle().take(700).collect(),
        },
        Spec::Ack { kind: 0, pid: 2 },
        Spec::Publish {
            dup: true,
            qos: 2,
            pid: 3,
            retain: true,
            topic: "日本".into(),
            payload: Vec::new(),
        },
        Spec::Ack { kind: 1, pid: 3 },
        Spec::Ack { kind: 2, pid: 3 },
        Spec::Ack { kind: 3, pid: 3 },
        Spec::Unsubscribe {
            pid: 4,
            topics: vec!["a/+".into()],
        },
        Spec::Ack { kind: 4, pid: 4 },
        Spec::Pingreq,
        Spec::Pingresp,
        Spec::Publish {
            dup: false,
            qos: 0,
            pid: 0,
            retain: false,
            topic: "t".into(),
            payload: vec![0xAB; 300],
        },
        Spec::Disconnect,
    ];
    encode_all(&specs)
}

// ------------------------------------------------------------------ the comparison harness

/// Feeds `data` to a fresh decoder in chunks whose sizes cycle through `sizes` and checks that
/// the packets and errors are exactly those of `StreamDecoder::decode_all` (the one-shot loop
/// with skip-by-`packet_len`), that the buffer never exceeds `max_packet_size`, and that what is
/// left buffered is the one-shot loop's incomplete tail.
fn check_chunked(options: DecodeOptions, data: &[u8], sizes: &[usize]) -> Result<(), String> {
    let (expected, tail) = StreamDecoder::decode_all(&options, data);
    let mut decoder = StreamDecoder::new(options);
    let mut check = Checker {
        expected: &expected,
        seen: 0,
        poisoned_by: None,
        problem: None,
    };
    let mut pos = 0usize;
    let mut i = 0usize;
    while pos < data.len() {
        let size = sizes
            .get(i % sizes.len().max(1))
            .copied()
            .unwrap_or(1)
            .max(1);
        let end = data.len().min(pos + size);
        let chunk = &data[pos..end];
        // Every other chunk first through `feed_complete`, the rest through `feed`: the same
        // items as `feed` of the whole chunk.
        let used = if i % 2 == 1 {
            decoder.feed_complete(chunk, |packet| check.item(Ok(packet)))
        } else {
            0
        };
        i += 1;
        decoder.feed(&chunk[used..], |item| check.item(item));
        if let Some(p) = check.problem {
            return Err(format!("chunk {pos}..{end}: {p}"));
        }
        if decoder.capacity() > options.max_packet_size {
            return Err(format!(
                "capacity {} > max_packet_size {}",
                decoder.capacity(),
                options.max_packet_size
            ));
        }
        pos = end;
    }
    if check.seen != expected.len() {
        return Err(format!("got {} items, want {}", check.seen, expected.len()));
    }
    if decoder.is_poisoned() != check.poisoned_by.is_some() {
        return Err("poisoned state differs from the errors seen".into());
    }
    if !decoder.is_poisoned() && decoder.buffered() != tail.len() {
        return Err(format!(
            "buffered {} bytes, one-shot tail is {}",
            decoder.buffered(),
            tail.len()
        ));
    }
    Ok(())
}

/// Compares the items a stream decoder hands out with the one-shot loop's, in order.
struct Checker<'e, 'a> {
    expected: &'e [Result<Packet<'a>, DecodeError>],
    seen: usize,
    poisoned_by: Option<DecodeError>,
    problem: Option<String>,
}

impl Checker<'_, '_> {
    fn item(&mut self, item: Result<Packet<'_>, DecodeError>) {
        if self.problem.is_some() {
            return;
        }
        if let Some(e) = self.poisoned_by {
            // A poisoned decoder repeats its error for every later chunk.
            if item != Err(e) {
                self.problem = Some(format!("after poisoning got {item:?}"));
            }
            return;
        }
        match self.expected.get(self.seen) {
            Some(want) if *want == item => {}
            want => self.problem = Some(format!("item {}: got {item:?}, want {want:?}", self.seen)),
        }
        if let Err(e) = item {
            if e.packet_len.is_none() {
                self.poisoned_by = Some(e);
            }
        }
        self.seen += 1;
    }
}

/// Feeds `data` in the given chunks and returns the items rendered with `Debug`.
fn collect_debug(decoder: &mut StreamDecoder, chunks: &[&[u8]]) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.feed(chunk, |item| out.push(format!("{item:?}")));
    }
    out
}

// ------------------------------------------------------------------ deterministic tests

#[test]
fn split_at_every_point_matches_one_shot() {
    // [MQTT-6.0.0-2]: a packet may be split across WebSocket frames (or TCP reads) anywhere.
    let data = mixed_stream();
    let options = DecodeOptions::new();
    let (expected, tail) = StreamDecoder::decode_all(&options, &data);
    assert_eq!(expected.len(), 16);
    assert!(expected.iter().all(Result::is_ok));
    assert!(tail.is_empty());
    for split in 0..=data.len() {
        let mut decoder = StreamDecoder::new(options);
        let mut got = Vec::new();
        for chunk in [&data[..split], &data[split..]] {
            decoder.feed(chunk, |item| got.push(item == expected[got.len()]));
        }
        assert_eq!(got.len(), expected.len(), "split at {split}");
        assert!(got.iter().all(|&same| same), "split at {split}: {got:?}");
        assert_eq!(decoder.buffered(), 0);
    }
    // Two split points, every pair within the first 120 bytes (CONNECT, CONNACK, SUBSCRIBE...).
    for a in 0..120 {
        for b in a..120 {
            check_chunked(options, &data, &[a, b - a, data.len()])
                .unwrap_or_else(|e| panic!("splits {a}/{b}: {e}"));
        }
    }
    check_chunked(options, &data, &[1]).unwrap();
}

#[test]
fn several_packets_in_one_chunk_are_decoded_in_place() {
    let data = mixed_stream();
    let range = data.as_ptr_range();
    let mut decoder = StreamDecoder::default();
    let mut rest = &data[..];
    let mut count = 0;
    while !rest.is_empty() {
        let (used, result) = decoder.decode(rest);
        let packet = result.unwrap().expect("a complete packet");
        if let Packet::Publish(p) = packet {
            // Zero copy: the payload is a slice of the caller's chunk.
            assert!(range.contains(&p.payload.as_ptr()) || p.payload.is_empty());
            assert!(range.contains(&p.topic.as_str().as_ptr()));
        }
        assert_eq!(used, packet.encoded_len().unwrap());
        rest = &rest[used..];
        count += 1;
    }
    assert_eq!(count, 16);
    // Nothing was ever buffered, so nothing was allocated.
    assert_eq!(decoder.capacity(), 0);
    assert_eq!(decoder.buffered(), 0);

    // `feed` over the same chunk gives the same packets.
    let mut types = Vec::new();
    decoder.feed(&data, |item| types.push(item.unwrap().packet_type()));
    assert_eq!(types.len(), 16);
    assert_eq!(decoder.capacity(), 0);
}

#[test]
fn decode_reports_consumed_bytes_and_buffers_only_one_packet() {
    // PINGREQ split after its first byte, followed by a whole PUBACK in the same chunk.
    let mut decoder = StreamDecoder::default();
    assert_eq!(decoder.decode(&[0xC0]), (1, Ok(None)));
    assert_eq!(decoder.buffered(), 1);
    let chunk = [0x00, 0x40, 0x02, 0x00, 0x05];
    // Only the byte that completes the PINGREQ is taken from the chunk.
    assert_eq!(decoder.decode(&chunk), (1, Ok(Some(Packet::Pingreq))));
    assert_eq!(decoder.buffered(), 0);
    let (used, result) = decoder.decode(&chunk[1..]);
    assert_eq!(used, 4);
    assert_eq!(
        result,
        Ok(Some(Packet::Puback(Puback { packet_id: pid(5) })))
    );
    // An empty chunk changes nothing.
    assert_eq!(decoder.decode(&[]), (0, Ok(None)));

    // A PUBLISH whose header is split: 0x30 | then remaining length 5 | then the body.
    let publish = [0x30, 0x05, 0x00, 0x01, b't', b'h', b'i'];
    assert_eq!(decoder.decode(&publish[..1]), (1, Ok(None)));
    assert_eq!(decoder.decode(&publish[1..3]), (2, Ok(None)));
    assert_eq!(decoder.buffered(), 3);
    let mut next = publish[3..].to_vec();
    next.extend_from_slice(&[0xD0, 0x00]);
    let (used, result) = decoder.decode(&next);
    assert_eq!(used, 4, "stops at the end of the PUBLISH");
    match result {
        Ok(Some(Packet::Publish(p))) => {
            assert_eq!(p.topic.as_str(), "t");
            assert_eq!(p.payload, b"hi");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        decoder.capacity() <= publish.len(),
        "{}",
        decoder.capacity()
    );
    assert_eq!(decoder.decode(&next[4..]), (2, Ok(Some(Packet::Pingresp))));
}

#[test]
fn oversized_packet_in_the_middle_is_skipped_across_chunks() {
    let specs = [
        Spec::Publish {
            dup: false,
            qos: 1,
            pid: 1,
            retain: false,
            topic: "small".into(),
            payload: vec![1; 10],
        },
        Spec::Publish {
            dup: false,
            qos: 0,
            pid: 0,
            retain: false,
            topic: "big".into(),
            payload: vec![2; 1000],
        },
        Spec::Pingreq,
        Spec::Publish {
            dup: false,
            qos: 0,
            pid: 0,
            retain: false,
            topic: "after".into(),
            payload: vec![3; 50],
        },
    ];
    let data = encode_all(&specs);
    let max = 100;
    let big_len = 1 + 2 + 2 + 3 + 1000; // type byte, 2-byte remaining length, topic, payload
    let big_start = 2 + 2 + 5 + 2 + 10;
    let options = DecodeOptions::new().max_packet_size(max);
    for size in [1, 2, 3, 7, 64, 99, 100, 101, 500, data.len()] {
        let mut decoder = StreamDecoder::new(options);
        let mut items = Vec::new();
        let mut skipping_seen = false;
        for chunk in data.chunks(size) {
            decoder.feed(chunk, |item| items.push(item.map(|p| p.packet_type())));
            assert!(decoder.capacity() <= max, "chunk size {size}");
            skipping_seen |= decoder.skipping() > 0;
        }
        assert_eq!(items.len(), 4, "chunk size {size}: {items:?}");
        assert!(items[0].is_ok());
        let e = items[1].unwrap_err();
        assert_eq!(e.error, Error::PacketTooLarge { len: big_len, max });
        assert_eq!(e.packet_len, Some(big_len));
        assert_eq!(items[2], Ok(vcd_mqtt_codec::PacketType::Pingreq));
        assert_eq!(items[3], Ok(vcd_mqtt_codec::PacketType::Publish));
        assert_eq!(decoder.buffered(), 0);
        assert_eq!(decoder.skipping(), 0);
        // Unless the big packet arrived in one chunk, part of it was skipped in later chunks.
        if size < big_len {
            assert!(skipping_seen, "chunk size {size}");
        }
        check_chunked(options, &data, &[size]).unwrap();
    }
    // The oversized packet is reported as soon as its header is there, not after its body.
    let mut decoder = StreamDecoder::new(options);
    let mut items = Vec::new();
    decoder.feed(&data[..big_start + 3], |item| items.push(item.is_ok()));
    assert_eq!(items, [true, false]);
    assert_eq!(decoder.buffered(), 0);
    assert_eq!(decoder.skipping(), big_len - 3);
}

#[test]
fn malformed_packet_with_known_length_is_skipped() {
    // PUBLISH QoS 0 whose topic has a wildcard [MQTT-3.3.2-2], then a PUBACK with packet id 0
    // [MQTT-2.3.1-1], then PINGREQ.
    let mut data = vec![0x30, 0x07, 0x00, 0x03, b'a', b'/', b'#', b'h', b'i'];
    data.extend_from_slice(&[0x40, 0x02, 0x00, 0x00]);
    data.extend_from_slice(&[0xC0, 0x00]);
    let (expected, _) = StreamDecoder::decode_all(&DecodeOptions::new(), &data);
    assert_eq!(expected.len(), 3);
    let first = expected[0].unwrap_err();
    assert_eq!(first.error, Error::WildcardInTopicName);
    assert_eq!(first.packet_len, Some(9));
    let second = expected[1].unwrap_err();
    assert_eq!(second.error, Error::ZeroPacketId);
    assert_eq!(second.packet_len, Some(4));
    assert_eq!(expected[2], Ok(Packet::Pingreq));
    for size in 1..=data.len() {
        check_chunked(DecodeOptions::new(), &data, &[size]).unwrap();
    }
    // One byte at a time, the errors carry the same offsets as the one-shot decode.
    let mut decoder = StreamDecoder::default();
    let mut same = Vec::new();
    for b in &data {
        decoder.feed(std::slice::from_ref(b), |item| {
            same.push(expected.get(same.len()) == Some(&item));
        });
    }
    assert_eq!(same, [true, true, true]);
}

#[test]
fn bad_first_byte_in_the_middle_is_skipped() {
    // PINGREQ; reserved type 0 with a 2-byte Remaining Length of 130; reserved type 15;
    // PUBREL with flags 0000 [MQTT-2.2.2-2]; PUBLISH QoS 3 [MQTT-3.3.1-4]; PUBLISH DUP with
    // QoS 0 [MQTT-3.3.1-2]; then a valid PUBACK and PINGRESP.
    let mut data = vec![0xC0, 0x00];
    data.extend_from_slice(&[0x00, 0x82, 0x01]);
    data.extend((0..130u8).map(|i| i.wrapping_mul(37)));
    data.extend_from_slice(&[0xF0, 0x03, 0x30, 0x00, 0xC0]);
    data.extend_from_slice(&[0x60, 0x02, 0x00, 0x07]);
    data.extend_from_slice(&[0x36, 0x05, 0x00, 0x01, b'a', 0x00, 0x01]);
    data.extend_from_slice(&[0x38, 0x03, 0x00, 0x01, b'a']);
    data.extend_from_slice(&[0x40, 0x02, 0x00, 0x09, 0xD0, 0x00]);
    let expected: Vec<Result<Packet<'_>, DecodeError>> = vec![
        Ok(Packet::Pingreq),
        Err(DecodeError::new(Error::ReservedPacketType(0), 0, Some(133))),
        Err(DecodeError::new(Error::ReservedPacketType(15), 0, Some(5))),
        Err(DecodeError::new(
            Error::InvalidFlags {
                packet_type: vcd_mqtt_codec::PacketType::Pubrel,
                flags: 0,
            },
            0,
            Some(4),
        )),
        Err(DecodeError::new(Error::InvalidQoS(3), 0, Some(7))),
        Err(DecodeError::new(Error::QoS0WithDup, 0, Some(5))),
        Ok(Packet::Puback(Puback::new(pid(9)))),
        Ok(Packet::Pingresp),
    ];
    let (one_shot, tail) = StreamDecoder::decode_all(&DecodeOptions::new(), &data);
    assert_eq!(one_shot, expected);
    assert!(tail.is_empty());
    for size in 1..=data.len() {
        check_chunked(DecodeOptions::new(), &data, &[size]).unwrap();
    }
    // One byte at a time: same items, never poisoned, nothing left over.
    let mut decoder = StreamDecoder::default();
    let mut got = Vec::new();
    for b in &data {
        decoder.feed(std::slice::from_ref(b), |item| {
            got.push(format!("{item:?}"));
        });
        assert!(!decoder.is_poisoned());
    }
    let want: Vec<String> = expected.iter().map(|i| format!("{i:?}")).collect();
    assert_eq!(got, want);
    assert_eq!((decoder.buffered(), decoder.skipping()), (0, 0));
    // With the decoder's own `decode`: the bad packet's bytes are consumed, the next decodes.
    let mut decoder = StreamDecoder::default();
    let (used, result) = decoder.decode(&data[2..]);
    assert_eq!(result, Err(expected[1].unwrap_err()));
    assert_eq!(used, 133);
    assert_eq!(
        decoder.decode(&data[2 + 133..]).1,
        Err(expected[2].unwrap_err())
    );
    // A bad first byte whose Remaining Length is malformed still poisons (length unknown).
    let mut decoder = StreamDecoder::default();
    let (_, result) = decoder.decode(&[0xF0, 0x80, 0x80, 0x80, 0x80, 0xC0, 0x00]);
    assert_eq!(
        result,
        Err(DecodeError::new(Error::ReservedPacketType(15), 0, None))
    );
    assert!(decoder.is_poisoned());
}

#[test]
fn invalid_remaining_length_poisons_until_reset() {
    // A remaining length with a continuation bit on its fourth byte: the packet's end is unknown.
    let bad = [0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xC0, 0x00];
    for size in [1, 2, 5, 8] {
        let mut decoder = StreamDecoder::default();
        let mut got = Vec::new();
        for chunk in bad.chunks(size) {
            decoder.feed(chunk, |item| got.push(item.map(|p| p.packet_type())));
        }
        assert!(decoder.is_poisoned());
        let e = got[0].unwrap_err();
        assert_eq!(e.error, Error::RemainingLengthTooLong);
        assert_eq!(e.packet_len, None);
        // Never a packet after the error, only the same error again for later chunks.
        assert!(got.iter().all(|g| *g == Err(e)), "{got:?}");
        // Poisoned: whatever comes is swallowed and the error repeated.
        let (used, result) = decoder.decode(&[0xC0, 0x00]);
        assert_eq!((used, result), (2, Err(e)));
        let again = collect_debug(&mut decoder, &[&[0xD0, 0x00]]);
        assert_eq!(again, [format!("{:?}", Err::<(), _>(e))]);
        decoder.reset();
        assert!(!decoder.is_poisoned());
        assert_eq!(
            decoder.decode(&[0xC0, 0x00]),
            (2, Ok(Some(Packet::Pingreq)))
        );
    }
}

#[test]
fn reset_drops_partial_packet_and_pending_skip() {
    let mut decoder = StreamDecoder::new(DecodeOptions::new().max_packet_size(10));
    assert_eq!(decoder.decode(&[0x30, 0x05, 0x00]), (3, Ok(None)));
    assert_eq!(decoder.buffered(), 3);
    decoder.reset();
    assert_eq!(decoder.buffered(), 0);
    // Oversized: 0x30 remaining 100 -> skipping the rest.
    let (used, result) = decoder.decode(&[0x30, 100, 0, 1]);
    assert_eq!(used, 4);
    assert_eq!(result.unwrap_err().packet_len, Some(102));
    assert_eq!(decoder.skipping(), 98);
    decoder.reset();
    assert_eq!(decoder.skipping(), 0);
    assert_eq!(
        decoder.decode(&[0xE0, 0x00]),
        (2, Ok(Some(Packet::Disconnect)))
    );
}

#[test]
fn buffer_capacity_never_exceeds_max_packet_size() {
    // Many packets up to the limit, some over it, fed in large and odd chunks.
    let max = 2048;
    let mut specs = Vec::new();
    for i in 0..200u16 {
        specs.push(Spec::Publish {
            dup: false,
            qos: (i % 3) as u8,
            pid: i + 1,
            retain: false,
            topic: format!("vcd/{i}"),
            payload: vec![i as u8; (usize::from(i) * 37) % 2600],
        });
        if i % 7 == 0 {
            specs.push(Spec::Pingreq);
        }
    }
    let data = encode_all(&specs);
    let options = DecodeOptions::new().max_packet_size(max);
    let (expected, _) = StreamDecoder::decode_all(&options, &data);
    let too_large = expected.iter().filter(|e| e.is_err()).count();
    assert!(too_large > 10, "the stream must contain oversized packets");
    for size in [1, 3, 1500, 4096, 9000, 65536] {
        let mut decoder = StreamDecoder::new(options);
        let mut peak = 0;
        let mut count = 0;
        for chunk in data.chunks(size) {
            decoder.feed(chunk, |_| count += 1);
            peak = peak.max(decoder.capacity());
            assert!(decoder.buffered() <= max);
        }
        assert_eq!(count, expected.len());
        assert!(peak <= max, "chunk size {size}: capacity {peak} > {max}");
        check_chunked(options, &data, &[size]).unwrap();
    }
}

#[test]
fn an_announced_huge_packet_does_not_allocate_ahead() {
    // A PUBLISH announcing 1 MiB but delivering 10 bytes: memory follows what arrived.
    let mut decoder = StreamDecoder::default();
    let header = [0x30, 0x80, 0x80, 0x40]; // remaining length 1,048,576
    let mut chunk = header.to_vec();
    chunk.extend_from_slice(&[0x00, 0x01, b't', 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(decoder.decode(&chunk), (chunk.len(), Ok(None)));
    assert!(decoder.capacity() <= 256, "{}", decoder.capacity());
    // Feeding the rest completes it, and the buffer never went past the packet's length.
    let total = 4 + 1_048_576;
    let body = vec![9u8; total - chunk.len()];
    let mut got = 0;
    for piece in body.chunks(10_000) {
        decoder.feed(piece, |item| {
            let Ok(Packet::Publish(p)) = item else {
                panic!("{item:?}")
            };
            assert_eq!(p.payload.len(), 1_048_576 - 3);
            got += 1;
        });
        assert!(decoder.capacity() <= total);
    }
    assert_eq!(got, 1);
}

#[test]
fn max_packet_size_smaller_than_a_header_holds() {
    // Even a limit of 2 bytes (only PINGREQ-sized packets) is respected.
    let options = DecodeOptions::new().max_packet_size(2);
    let data = [0xC0, 0x00, 0x30, 0x80, 0x01, 0x00, 0xD0, 0x00];
    for size in 1..=data.len() {
        check_chunked(options, &data, &[size]).unwrap();
    }
}

// ------------------------------------------------------------------ property tests

/// Building blocks of an arbitrary stream: valid packets, corrupted packets and noise.
#[derive(Debug, Clone)]
enum Piece {
    Valid(Spec),
    Corrupted(Spec, usize, u8),
    Noise(Vec<u8>),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        6 => spec().prop_map(Piece::Valid),
        3 => (spec(), any::<usize>(), any::<u8>()).prop_map(|(s, at, x)| Piece::Corrupted(s, at, x)),
        1 => prop::collection::vec(any::<u8>(), 1..8).prop_map(Piece::Noise),
    ]
}

fn build(pieces: &[Piece]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pieces {
        match p {
            Piece::Valid(s) => encode_spec(s, &mut out),
            Piece::Corrupted(s, at, x) => {
                let start = out.len();
                encode_spec(s, &mut out);
                let i = start + at % (out.len() - start);
                out[i] ^= x | 1;
            }
            Piece::Noise(n) => out.extend_from_slice(n),
        }
    }
    out
}

fn options() -> impl Strategy<Value = DecodeOptions> {
    (
        prop_oneof![Just(268_435_460usize), 2usize..600],
        any::<bool>(),
        any::<bool>(),
        prop_oneof![
            Just(None),
            Just(Some(vcd_mqtt_codec::Role::Client)),
            Just(Some(vcd_mqtt_codec::Role::Server)),
        ],
    )
        .prop_map(|(max, strict, control, role)| DecodeOptions {
            role,
            ..DecodeOptions::new()
                .max_packet_size(max)
                .strict(strict)
                .reject_control_characters(control)
        })
}

proptest! {
    /// A valid stream split at arbitrary points yields exactly the one-shot packets.
    #[test]
    fn valid_stream_split_anywhere_matches_one_shot(
        specs in prop::collection::vec(spec(), 1..20),
        sizes in prop::collection::vec(1usize..300, 1..20),
    ) {
        let data = encode_all(&specs);
        let options = DecodeOptions::new();
        let (expected, tail) = StreamDecoder::decode_all(&options, &data);
        prop_assert_eq!(expected.len(), specs.len());
        prop_assert!(expected.iter().all(Result::is_ok));
        prop_assert!(tail.is_empty());
        check_chunked(options, &data, &sizes).map_err(TestCaseError::fail)?;
    }

    /// ... and one byte at a time.
    #[test]
    fn valid_stream_one_byte_at_a_time_matches_one_shot(
        specs in prop::collection::vec(spec(), 1..10),
    ) {
        let data = encode_all(&specs);
        check_chunked(DecodeOptions::new(), &data, &[1]).map_err(TestCaseError::fail)?;
    }

    /// Arbitrary bytes (valid, corrupted and random pieces) in arbitrary chunks, under
    /// arbitrary options, give the same packets and errors as the one-shot loop that skips
    /// by `packet_len`, with the buffer within `max_packet_size`.
    #[test]
    fn arbitrary_chunks_match_one_shot(
        pieces in prop::collection::vec(piece(), 1..12),
        sizes in prop::collection::vec(1usize..64, 1..12),
        options in options(),
    ) {
        let data = build(&pieces);
        check_chunked(options, &data, &sizes).map_err(TestCaseError::fail)?;
    }

    /// Completely random bytes never panic and match the one-shot loop too.
    #[test]
    fn random_bytes_match_one_shot(
        data in prop::collection::vec(any::<u8>(), 0..300),
        sizes in prop::collection::vec(1usize..16, 1..8),
        max in 2usize..400,
    ) {
        let options = DecodeOptions::new().max_packet_size(max);
        check_chunked(options, &data, &sizes).map_err(TestCaseError::fail)?;
    }

    /// The one-shot decoder is prefix-consistent, which the stream decoder relies on: a prefix
    /// of the input is either incomplete or decodes exactly like the whole input.
    #[test]
    fn one_shot_decode_is_prefix_consistent(
        pieces in prop::collection::vec(piece(), 1..3),
        options in options(),
    ) {
        let data = build(&pieces);
        let full = options.decode(&data);
        for k in 0..data.len() {
            match options.decode(&data[..k]) {
                Ok(vcd_mqtt_codec::Status::Incomplete(_)) => {}
                prefix => prop_assert_eq!(prefix, full, "prefix of {} bytes", k),
            }
        }
    }
}

/// Feeds `data` in chunks of the given sizes, each chunk either through `feed` or through a
/// loop of `decode` calls (`modes`), and compares with the one-shot reference. Packets that lie
/// completely inside their chunk while nothing was buffered must borrow the chunk (zero copy).
fn check_mixed_api(
    options: DecodeOptions,
    data: &[u8],
    sizes: &[usize],
    modes: &[bool],
) -> Result<(), String> {
    let (expected, tail) = StreamDecoder::decode_all(&options, data);
    let mut decoder = StreamDecoder::new(options);
    let mut got: Vec<String> = Vec::new();
    let mut in_place = 0usize;
    let (mut pos, mut i) = (0usize, 0usize);
    while pos < data.len() {
        let size = sizes[i % sizes.len()].max(1);
        let use_feed = modes[i % modes.len()];
        i += 1;
        let end = data.len().min(pos + size);
        let chunk = &data[pos..end];
        let range = chunk.as_ptr_range();
        let mut note = |item: Result<Packet<'_>, DecodeError>| {
            if let Ok(Packet::Publish(p)) = &item {
                if !p.payload.is_empty() && range.contains(&p.payload.as_ptr()) {
                    in_place += 1;
                }
            }
            got.push(format!("{item:?}"));
        };
        if use_feed {
            decoder.feed(chunk, &mut note);
        } else {
            let mut rest = chunk;
            while !rest.is_empty() {
                let (used, result) = decoder.decode(rest);
                match result {
                    Ok(Some(p)) => note(Ok(p)),
                    Ok(None) => {}
                    Err(e) => note(Err(e)),
                }
                if used == 0 {
                    break;
                }
                rest = &rest[used..];
            }
        }
        pos = end;
    }
    let want: Vec<String> = expected.iter().map(|item| format!("{item:?}")).collect();
    let poisoned = expected
        .last()
        .is_some_and(|e| matches!(e, Err(e) if e.packet_len.is_none()));
    if poisoned {
        // A poisoned decoder repeats its error once per later chunk.
        if got.len() < want.len() || got[..want.len()] != want[..] {
            return Err(format!("got {got:?}, want {want:?} then repeats"));
        }
        if got[want.len()..].iter().any(|g| *g != want[want.len() - 1]) {
            return Err(format!("after poisoning got {:?}", &got[want.len()..]));
        }
        if !decoder.is_poisoned() {
            return Err("not poisoned".into());
        }
    } else {
        if got != want {
            return Err(format!("got {got:?}, want {want:?}"));
        }
        if decoder.buffered() != tail.len() {
            return Err(format!(
                "buffered {} != tail {}",
                decoder.buffered(),
                tail.len()
            ));
        }
    }
    if sizes.iter().all(|&s| s >= data.len()) && !poisoned {
        // One chunk: every PUBLISH with a payload was decoded in place.
        let publishes = expected
            .iter()
            .filter(|e| matches!(e, Ok(Packet::Publish(p)) if !p.payload.is_empty()))
            .count();
        if in_place != publishes {
            return Err(format!(
                "{in_place} of {publishes} PUBLISH decoded in place"
            ));
        }
    }
    Ok(())
}

proptest! {
    /// `feed` and `decode` calls interleaved on one decoder (a packet left in the buffer by
    /// `decode`, then `feed`, and the reverse) give the one-shot packets and errors in order.
    #[test]
    fn interleaved_feed_and_decode_match_one_shot(
        pieces in prop::collection::vec(piece(), 1..12),
        sizes in prop::collection::vec(1usize..80, 1..12),
        modes in prop::collection::vec(any::<bool>(), 1..8),
        options in options(),
    ) {
        let data = build(&pieces);
        check_mixed_api(options, &data, &sizes, &modes).map_err(TestCaseError::fail)?;
    }

    /// A whole valid stream in one chunk is decoded in place by `feed`.
    #[test]
    fn one_chunk_is_decoded_in_place(specs in prop::collection::vec(spec(), 1..20)) {
        let data = encode_all(&specs);
        check_mixed_api(DecodeOptions::new(), &data, &[usize::MAX], &[true])
            .map_err(TestCaseError::fail)?;
    }
}
