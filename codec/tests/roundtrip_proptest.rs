//! Property tests:
//! - every valid packet (all 14 kinds, multi-byte UTF-8 topics, wildcard filters, optional will
//!   and credentials, all QoS, ids 1..=65535, payloads up to ~2 KiB, lists of 1..N) encodes and
//!   decodes back to itself, using exactly `encoded_len` bytes;
//! - any byte string decodes without panicking (and a complete packet never claims more bytes
//!   than the input has);
//! - re-encoding a decoded input reproduces its bytes whenever its Remaining Length was minimal.

mod common;

use proptest::prelude::*;
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, DecodeOptions, Error, LastWill, Packet, PacketId, Puback,
    Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, Role, Status, Suback, SubackReturnCode,
    SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter, TopicName,
    Unsuback, Unsubscribe, UnsubscribeTopics,
};

// ---------------------------------------------------------------------------------------------
// Owned model of a packet (strategies produce owned data; packets borrow from it)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Will {
    topic: String,
    message: Vec<u8>,
    qos: QoS,
    retain: bool,
}

#[derive(Debug, Clone)]
enum Model {
    Connect {
        client_id: String,
        clean_session: bool,
        keep_alive: u16,
        will: Option<Will>,
        username: Option<String>,
        password: Option<Vec<u8>>,
    },
    Connack(bool, ConnectReturnCode),
    Publish {
        dup: bool,
        qos: QoS,
        id: u16,
        retain: bool,
        topic: String,
        payload: Vec<u8>,
    },
    /// PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK (kind 0..5) with an id.
    Ack(u8, u16),
    Subscribe(u16, Vec<(String, QoS)>),
    Suback(u16, Vec<SubackReturnCode>),
    Unsubscribe(u16, Vec<String>),
    Pingreq,
    Pingresp,
    Disconnect,
}

fn pid(v: u16) -> PacketId {
    PacketId::new(v).expect("strategies generate non-zero ids")
}

impl Model {
    /// Builds the borrowed packet and hands it to `f`.
    fn with<R>(&self, f: impl FnOnce(Packet<'_>) -> R) -> R {
        match self {
            Model::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => f(Packet::Connect(Connect {
                client_id,
                clean_session: *clean_session,
                keep_alive: *keep_alive,
                will: will.as_ref().map(|w| LastWill {
                    topic: TopicName::new(&w.topic).expect("valid will topic"),
                    message: &w.message,
                    qos: w.qos,
                    retain: w.retain,
                }),
                username: username.as_deref(),
                password: password.as_deref(),
            })),
            Model::Connack(sp, code) => f(Packet::Connack(Connack {
                session_present: *sp,
                code: *code,
            })),
            Model::Publish {
                dup,
                qos,
                id,
                retain,
                topic,
                payload,
            } => {
                let qos_pid = match qos {
                    QoS::AtMostOnce => QosPid::AtMostOnce,
                    QoS::AtLeastOnce => QosPid::AtLeastOnce(pid(*id)),
                    QoS::ExactlyOnce => QosPid::ExactlyOnce(pid(*id)),
                };
                f(Packet::Publish(Publish {
                    dup: *dup,
                    qos_pid,
                    retain: *retain,
                    topic: TopicName::new(topic).expect("valid topic"),
                    payload,
                }))
            }
            Model::Ack(kind, id) => {
                let packet_id = pid(*id);
                f(match kind {
                    0 => Packet::Puback(Puback { packet_id }),
                    1 => Packet::Pubrec(Pubrec { packet_id }),
                    2 => Packet::Pubrel(Pubrel { packet_id }),
                    3 => Packet::Pubcomp(Pubcomp { packet_id }),
                    _ => Packet::Unsuback(Unsuback { packet_id }),
                })
            }
            Model::Subscribe(id, topics) => {
                let list: Vec<SubscribeTopic<'_>> = topics
                    .iter()
                    .map(|(t, qos)| SubscribeTopic {
                        filter: TopicFilter::new(t).expect("valid filter"),
                        qos: *qos,
                    })
                    .collect();
                f(Packet::Subscribe(Subscribe {
                    packet_id: pid(*id),
                    topics: SubscribeTopics::from_slice(&list),
                }))
            }
            Model::Suback(id, codes) => f(Packet::Suback(Suback {
                packet_id: pid(*id),
                return_codes: SubackReturnCodes::from_slice(codes),
            })),
            Model::Unsubscribe(id, filters) => {
                let list: Vec<TopicFilter<'_>> = filters
                    .iter()
                    .map(|t| TopicFilter::new(t).expect("valid filter"))
                    .collect();
                f(Packet::Unsubscribe(Unsubscribe {
                    packet_id: pid(*id),
                    topics: UnsubscribeTopics::from_slice(&list),
                }))
            }
            Model::Pingreq => f(Packet::Pingreq),
            Model::Pingresp => f(Packet::Pingresp),
            Model::Disconnect => f(Packet::Disconnect),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// One topic level: ASCII, multi-byte UTF-8 (2, 3 and 4 bytes), U+FEFF, `$`, a control char.
fn level() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _.$\u{1}\u{7f}\u{e9}\u{fc}\u{65e5}\u{672c}\u{feff}\u{1f600}-]{0,6}"
}

fn topic_name() -> impl Strategy<Value = String> {
    prop::collection::vec(level(), 1..6)
        .prop_map(|levels| levels.join("/"))
        .prop_filter("topic names are non-empty", |s| !s.is_empty())
}

fn topic_filter() -> impl Strategy<Value = String> {
    let lvl = prop_oneof![3 => level(), 1 => Just("+".to_string())];
    (prop::collection::vec(lvl, 0..6), any::<bool>())
        .prop_map(|(mut levels, multi)| {
            if multi || levels.is_empty() {
                levels.push("#".to_string());
            }
            levels.join("/")
        })
        .prop_filter("topic filters are non-empty", |s| !s.is_empty())
}

fn qos() -> impl Strategy<Value = QoS> {
    prop_oneof![
        Just(QoS::AtMostOnce),
        Just(QoS::AtLeastOnce),
        Just(QoS::ExactlyOnce)
    ]
}

fn id() -> impl Strategy<Value = u16> {
    prop_oneof![1 => Just(1u16), 1 => Just(u16::MAX), 6 => 1u16..=u16::MAX]
}

fn payload(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..max)
}

fn return_code() -> impl Strategy<Value = ConnectReturnCode> {
    prop_oneof![
        Just(ConnectReturnCode::Accepted),
        Just(ConnectReturnCode::UnacceptableProtocolVersion),
        Just(ConnectReturnCode::IdentifierRejected),
        Just(ConnectReturnCode::ServerUnavailable),
        Just(ConnectReturnCode::BadUserNameOrPassword),
        Just(ConnectReturnCode::NotAuthorized),
    ]
}

fn suback_code() -> impl Strategy<Value = SubackReturnCode> {
    prop_oneof![
        qos().prop_map(SubackReturnCode::Success),
        Just(SubackReturnCode::Failure)
    ]
}

fn connect() -> impl Strategy<Value = Model> {
    let will = (topic_name(), payload(300), qos(), any::<bool>()).prop_map(
        |(topic, message, qos, retain)| Will {
            topic,
            message,
            qos,
            retain,
        },
    );
    let credentials = prop_oneof![
        Just((None, None)),
        "[a-zA-Z0-9@.ü]{0,12}".prop_map(|u| (Some(u), None)),
        ("[a-zA-Z0-9@.ü]{0,12}", payload(64)).prop_map(|(u, p)| (Some(u), Some(p))),
    ];
    (
        "[0-9a-zA-Z]{0,23}|[a-z\u{fc}\u{65e5}/ _-]{0,40}",
        any::<bool>(),
        any::<u16>(),
        prop::option::of(will),
        credentials,
    )
        .prop_map(
            |(client_id, clean, keep_alive, will, (username, password))| Model::Connect {
                // An empty ClientId requires CleanSession = 1 [MQTT-3.1.3-7].
                clean_session: clean || client_id.is_empty(),
                client_id,
                keep_alive,
                will,
                username,
                password,
            },
        )
}

fn publish() -> impl Strategy<Value = Model> {
    (
        any::<bool>(),
        qos(),
        id(),
        any::<bool>(),
        topic_name(),
        payload(2048),
    )
        .prop_map(|(dup, qos, id, retain, topic, payload)| Model::Publish {
            // DUP only with QoS 1/2 [MQTT-3.3.1-2].
            dup: dup && qos != QoS::AtMostOnce,
            qos,
            id,
            retain,
            topic,
            payload,
        })
}

fn model() -> impl Strategy<Value = Model> {
    prop_oneof![
        3 => connect(),
        1 => (any::<bool>(), return_code())
            .prop_map(|(sp, code)| Model::Connack(sp && code == ConnectReturnCode::Accepted, code)),
        4 => publish(),
        2 => (0u8..5, id()).prop_map(|(k, i)| Model::Ack(k, i)),
        2 => (id(), prop::collection::vec((topic_filter(), qos()), 1..8))
            .prop_map(|(i, t)| Model::Subscribe(i, t)),
        2 => (id(), prop::collection::vec(suback_code(), 1..20))
            .prop_map(|(i, c)| Model::Suback(i, c)),
        2 => (id(), prop::collection::vec(topic_filter(), 1..8))
            .prop_map(|(i, t)| Model::Unsubscribe(i, t)),
        1 => Just(Model::Pingreq),
        1 => Just(Model::Pingresp),
        1 => Just(Model::Disconnect),
    ]
}

fn options() -> impl Strategy<Value = DecodeOptions> {
    (
        any::<bool>(),
        any::<bool>(),
        0u8..3,
        prop_oneof![Just(usize::MAX), 0usize..600],
    )
        .prop_map(|(strict, ctl, role, max)| {
            let mut o = DecodeOptions::new()
                .strict(strict)
                .reject_control_characters(ctl)
                .max_packet_size(max);
            o = match role {
                0 => o,
                1 => o.role(Role::Client),
                _ => o.role(Role::Server),
            };
            o
        })
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Parses the Remaining Length of `input` (which starts with a complete fixed header) and
/// returns (varint byte count, value).
fn remaining_length(input: &[u8]) -> (usize, usize) {
    let mut value = 0usize;
    for (k, &b) in input[1..].iter().take(4).enumerate() {
        value |= usize::from(b & 0x7F) << (7 * k);
        if b & 0x80 == 0 {
            return (k + 1, value);
        }
    }
    panic!(
        "no complete remaining length in {:02X?}",
        &input[..input.len().min(6)]
    );
}

fn minimal_varint_len(v: usize) -> usize {
    match v {
        0..=127 => 1,
        128..=16_383 => 2,
        16_384..=2_097_151 => 3,
        _ => 4,
    }
}

/// Decoding must never panic; a complete packet uses at most the input; an incomplete answer
/// asks for bytes beyond the input; re-encoding a minimal-length input reproduces it.
fn check_arbitrary(options: &DecodeOptions, input: &[u8]) -> Result<(), TestCaseError> {
    match options.decode(input) {
        Ok(Status::Complete((packet, used))) => {
            prop_assert!(used <= input.len());
            prop_assert!(used >= 2);
            prop_assert!(used <= options.max_packet_size);
            let (varint_len, remaining) = remaining_length(input);
            prop_assert_eq!(used, 1 + varint_len + remaining);
            if varint_len == minimal_varint_len(remaining) {
                match packet.encoded_len() {
                    Ok(len) => {
                        prop_assert_eq!(len, used);
                        let mut buf = vec![0u8; len];
                        prop_assert_eq!(packet.encode(&mut buf), Ok(len));
                        prop_assert_eq!(&buf[..], &input[..used]);
                    }
                    // The one packet a decoder accepts but an encoder refuses: an empty
                    // ClientId with CleanSession 0 ([MQTT-3.1.3-7] vs [MQTT-3.1.3-8]).
                    Err(Error::EmptyClientIdWithoutCleanSession) => {
                        let refused_connect = matches!(
                            packet,
                            Packet::Connect(Connect {
                                client_id: "",
                                clean_session: false,
                                ..
                            })
                        );
                        prop_assert!(refused_connect, "unexpected refusal of {:?}", packet);
                    }
                    Err(e) => {
                        prop_assert!(false, "decoded {:?} does not re-encode: {:?}", packet, e)
                    }
                }
            } else {
                prop_assert!(
                    !options.strict_remaining_length,
                    "strict accepted a non-minimal length"
                );
                // The re-encoding is the minimal form: shorter by the extra varint bytes.
                if let Ok(len) = packet.encoded_len() {
                    prop_assert_eq!(len, used - (varint_len - minimal_varint_len(remaining)));
                }
            }
            // Decoding only the packet's own bytes gives the same packet.
            let again = options.decode(&input[..used]);
            prop_assert_eq!(again, Ok(Status::Complete((packet, used))));
        }
        Ok(Status::Incomplete(needed)) => {
            if let vcd_mqtt_codec::Needed::Size(n) = needed {
                // Exactly n more bytes would complete the packet.
                let (varint_len, remaining) = remaining_length(input);
                prop_assert_eq!(input.len() + n.get(), 1 + varint_len + remaining);
            }
        }
        Err(e) => {
            prop_assert!(e.offset <= input.len().max(e.packet_len.unwrap_or(0)));
            if let Some(len) = e.packet_len {
                prop_assert!(len >= 2);
                // A missing field is reported where it should start: at most the packet end.
                prop_assert!(
                    e.offset <= len,
                    "offset {} outside packet of {}",
                    e.offset,
                    len
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

proptest! {
    // Twice the default cases (`PROPTEST_CASES` scales it; 256 unless set).
    #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases * 2))]

    /// decode(encode(p)) == p, with bytes_used == encoded_len, for every valid packet.
    #[test]
    fn valid_packets_round_trip(m in model()) {
        m.with(|p| -> Result<(), TestCaseError> {
            let len = p.encoded_len().map_err(|e| TestCaseError::fail(format!("{p:?}: {e:?}")))?;
            let mut buf = vec![0u8; len];
            prop_assert_eq!(p.encode(&mut buf), Ok(len));
            #[cfg(feature = "alloc")]
            {
                let mut v = Vec::new();
                prop_assert_eq!(p.encode_to_vec(&mut v), Ok(len));
                prop_assert_eq!(&v, &buf);
            }
            // The encoder always writes the minimal Remaining Length: strict decoding agrees.
            let strict = DecodeOptions::new().strict(true);
            for options in [DecodeOptions::new(), strict] {
                let decoded = options.decode(&buf);
                prop_assert_eq!(decoded, Ok(Status::Complete((p, len))));
            }
            // Lists decode lazily to the same items in the same order.
            match (options_decode(&buf), p) {
                (Packet::Subscribe(d), Packet::Subscribe(o)) => {
                    prop_assert_eq!(d.topics.len(), o.topics.len());
                    prop_assert!(d.topics.iter().eq(o.topics.iter()));
                }
                (Packet::Suback(d), Packet::Suback(o)) => {
                    prop_assert!(d.return_codes.iter().eq(o.return_codes.iter()));
                }
                (Packet::Unsubscribe(d), Packet::Unsubscribe(o)) => {
                    prop_assert!(d.topics.iter().eq(o.topics.iter()));
                }
                _ => {}
            }
            // Every strict prefix is incomplete with the exact missing count (or Unknown while
            // the fixed header is cut).
            let header_len = 1 + remaining_length(&buf).0;
            for cut in [0, 1, header_len - 1, header_len, len / 2, len - 1].into_iter().filter(|&c| c < len) {
                match vcd_mqtt_codec::decode(&buf[..cut]) {
                    Ok(Status::Incomplete(vcd_mqtt_codec::Needed::Size(n))) => prop_assert_eq!(n.get(), len - cut),
                    Ok(Status::Incomplete(vcd_mqtt_codec::Needed::Unknown)) => prop_assert!(cut < header_len),
                    other => prop_assert!(false, "prefix {} of {:?}: {:?}", cut, p, other),
                }
            }
            // A buffer one byte short is refused and left untouched.
            let mut short = vec![0x77u8; len - 1];
            prop_assert_eq!(p.encode(&mut short), Err(Error::BufferTooSmall { needed: len, available: len - 1 }));
            prop_assert!(short.iter().all(|&b| b == 0x77));
            Ok(())
        })?;
    }

    /// Any byte string decodes without panicking, under any options.
    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..600), o in options()) {
        check_arbitrary(&o, &input)?;
        check_arbitrary(&DecodeOptions::new(), &input)?;
    }

    /// Random bodies behind a well-formed fixed header, so the body parsers are exercised.
    #[test]
    fn random_bodies_never_panic(first in any::<u8>(), body in prop::collection::vec(any::<u8>(), 0..300), extra in 0usize..3) {
        let mut input = vec![first];
        input.extend(common::varint(body.len()));
        input.extend(&body);
        input.extend(std::iter::repeat_n(0xEE, extra));
        check_arbitrary(&DecodeOptions::new(), &input)?;
        check_arbitrary(&DecodeOptions::new().reject_control_characters(true), &input)?;
    }

    /// Valid packets with a few bytes flipped: never panic; whatever still decodes re-encodes to
    /// the same bytes.
    #[test]
    fn mutated_valid_packets(m in model(), flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4), o in options()) {
        let mut wire = m.with(|p| common::encode_exact(&p));
        for (at, x) in &flips {
            let i = at.index(wire.len());
            wire[i] ^= x;
        }
        check_arbitrary(&DecodeOptions::new(), &wire)?;
        check_arbitrary(&o, &wire)?;
    }

    /// Concatenated valid packets decode one after another, each using exactly its own bytes.
    #[test]
    fn concatenated_packets_decode_in_order(models in prop::collection::vec(model(), 1..6)) {
        let encoded: Vec<Vec<u8>> = models.iter().map(|m| m.with(|p| common::encode_exact(&p))).collect();
        let stream = encoded.concat();
        let mut rest = &stream[..];
        for (m, bytes) in models.iter().zip(&encoded) {
            let (p, used) = match vcd_mqtt_codec::decode(rest) {
                Ok(Status::Complete(done)) => done,
                other => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            prop_assert_eq!(used, bytes.len());
            m.with(|orig| {
                prop_assert_eq!(p, orig);
                Ok(())
            })?;
            rest = &rest[used..];
        }
        prop_assert!(rest.is_empty());
    }
}

/// Default-options decode of a buffer holding exactly one valid packet.
fn options_decode(buf: &[u8]) -> Packet<'_> {
    match vcd_mqtt_codec::decode(buf) {
        Ok(Status::Complete((p, _))) => p,
        other => panic!("{other:?}"),
    }
}

/// Generated topics really are valid and exercise multi-byte UTF-8 and wildcards.
#[test]
fn strategies_cover_interesting_inputs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut multibyte, mut plus, mut hash) = (false, false, false);
    for _ in 0..500 {
        let n = topic_name().new_tree(&mut runner).unwrap().current();
        assert!(TopicName::new(&n).is_ok(), "{n:?}");
        multibyte |= n.len() != n.chars().count();
        let f = topic_filter().new_tree(&mut runner).unwrap().current();
        assert!(TopicFilter::new(&f).is_ok(), "{f:?}");
        plus |= f.contains('+');
        hash |= f.contains('#');
    }
    assert!(multibyte && plus && hash);
}
