//! One-shot decoding: the fixed header (§2.2) and the dispatch to the packet bodies.

use core::fmt;
use core::num::NonZeroUsize;

use crate::ack::{decode_id, empty_packet, id_packet};
use crate::primitives::{expect_end, into_fail, Fail, StrOpts, MAX_REMAINING_LENGTH};
use crate::{connack, connect, publish, suback, subscribe, unsubscribe};
use crate::{DecodeError, Error, Packet, PacketType};

/// The role of the receiver, i.e. the owner of the decoder (§2.2.1 direction column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The receiver is a client: CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ and DISCONNECT are
    /// rejected.
    Client,
    /// The receiver is a server: CONNACK, SUBACK, UNSUBACK and PINGRESP are rejected.
    Server,
}

impl Role {
    /// Whether a packet of type `t` may travel towards this role.
    #[inline]
    pub const fn accepts(self, t: PacketType) -> bool {
        match self {
            Role::Client => !matches!(
                t,
                PacketType::Connect
                    | PacketType::Subscribe
                    | PacketType::Unsubscribe
                    | PacketType::Pingreq
                    | PacketType::Disconnect
            ),
            Role::Server => !matches!(
                t,
                PacketType::Connack
                    | PacketType::Suback
                    | PacketType::Unsuback
                    | PacketType::Pingresp
            ),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Client => "client",
            Role::Server => "server",
        })
    }
}

/// Default maximum packet size: the largest packet MQTT 3.1.1 can express (a 4-byte Remaining
/// Length of 268,435,455 plus the 5-byte fixed header).
pub const DEFAULT_MAX_PACKET_SIZE: usize = MAX_REMAINING_LENGTH + 5;

/// Decoder configuration.
///
/// ```
/// use vcd_mqtt_codec::{DecodeOptions, Role};
/// let opts = DecodeOptions::new().max_packet_size(64 * 1024).role(Role::Client).strict(true);
/// assert_eq!(opts.max_packet_size, 65_536);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Largest accepted packet, fixed header included; default 268,435,460 (anything 3.1.1 can
    /// express). Checked as soon as the fixed header is readable.
    pub max_packet_size: usize,
    /// Reject Remaining Lengths that are not minimally encoded (3.1.1 allows them, §2.2.3);
    /// default false.
    pub strict_remaining_length: bool,
    /// The receiving role; packets that may not travel towards it are rejected. Default `None`
    /// (both directions accepted).
    pub role: Option<Role>,
    /// Reject the §1.5.3 SHOULD-NOTs in text fields: control characters U+0001..=U+001F,
    /// U+007F..=U+009F and Unicode non-characters; default false.
    pub reject_control_characters: bool,
}

impl Default for DecodeOptions {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl DecodeOptions {
    /// The defaults: maximum packet size [`DEFAULT_MAX_PACKET_SIZE`], non-minimal Remaining
    /// Lengths accepted, no role, control characters accepted.
    #[inline]
    pub const fn new() -> Self {
        DecodeOptions {
            max_packet_size: DEFAULT_MAX_PACKET_SIZE,
            strict_remaining_length: false,
            role: None,
            reject_control_characters: false,
        }
    }

    /// Sets [`max_packet_size`](Self::max_packet_size).
    #[inline]
    #[must_use]
    pub const fn max_packet_size(mut self, n: usize) -> Self {
        self.max_packet_size = n;
        self
    }

    /// Sets [`strict_remaining_length`](Self::strict_remaining_length).
    #[inline]
    #[must_use]
    pub const fn strict(mut self, strict: bool) -> Self {
        self.strict_remaining_length = strict;
        self
    }

    /// Sets [`role`](Self::role).
    #[inline]
    #[must_use]
    pub const fn role(mut self, role: Role) -> Self {
        self.role = Some(role);
        self
    }

    /// Sets [`reject_control_characters`](Self::reject_control_characters).
    #[inline]
    #[must_use]
    pub const fn reject_control_characters(mut self, reject: bool) -> Self {
        self.reject_control_characters = reject;
        self
    }

    #[inline]
    fn str_opts(&self) -> StrOpts {
        StrOpts {
            reject_control: self.reject_control_characters,
        }
    }

    /// Decodes one packet from the front of `input` with these options.
    ///
    /// Returns `Complete((packet, bytes_used))`, or `Incomplete(Needed::Size(n))` with the exact
    /// number of bytes still missing once the Remaining Length is known, or
    /// `Incomplete(Needed::Unknown)` while the fixed header itself is incomplete. Strings and
    /// payloads of the packet borrow from `input`. Bytes after the packet are not looked at.
    ///
    /// # Errors
    /// A [`DecodeError`] naming the rule, the byte offset and (when the fixed header was
    /// readable) the packet's total length. A first byte with a reserved type or invalid flags
    /// fails at once, before the Remaining Length arrives (then `packet_len` is `None`).
    pub fn decode<'a>(&self, input: &'a [u8]) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        let h = match self.header(input)? {
            Some(h) => h,
            None => return Ok(Status::Incomplete(Needed::Unknown)),
        };
        let Some(packet) = input.get(..h.total) else {
            return Ok(Status::Incomplete(
                NonZeroUsize::new(h.total.saturating_sub(input.len()))
                    .map_or(Needed::Unknown, Needed::Size),
            ));
        };
        let body = packet.get(h.header_len..).unwrap_or_default();
        match self.body(h.packet_type, h.flags, body) {
            Ok(p) => Ok(Status::Complete((p, h.total))),
            Err(f) => Err(DecodeError {
                error: f.error,
                offset: h.total.saturating_sub(f.remaining),
                packet_len: Some(h.total),
            }),
        }
    }

    /// Parses and checks the fixed header; `Ok(None)` while it is incomplete.
    #[inline]
    fn header(&self, input: &[u8]) -> Result<Option<Header>, DecodeError> {
        let Some(&first) = input.first() else {
            return Ok(None);
        };
        let packet_type = first_byte(first)?;
        let flags = first & 0x0F;

        // Remaining Length: 1..=4 bytes of base-128 varint (§2.2.3).
        let mut remaining = 0usize;
        let mut header_len = 0usize;
        for k in 0..4usize {
            let Some(&b) = input.get(1 + k) else {
                return Ok(None);
            };
            remaining |= usize::from(b & 0x7F) << (7 * k);
            if b & 0x80 == 0 {
                if k > 0 && b == 0 && self.strict_remaining_length {
                    // The length itself is readable, so the packet can still be skipped.
                    return Err(DecodeError::new(
                        Error::NonMinimalRemainingLength,
                        1 + k,
                        Some(2 + k + remaining),
                    ));
                }
                header_len = 2 + k;
                break;
            }
        }
        if header_len == 0 {
            return Err(DecodeError::new(Error::RemainingLengthTooLong, 4, None));
        }
        let total = header_len + remaining;
        if let Some(role) = self.role {
            if !role.accepts(packet_type) {
                return Err(DecodeError::new(
                    Error::UnexpectedPacketForRole { packet_type, role },
                    0,
                    Some(total),
                ));
            }
        }
        if let Some(expected) = packet_type.fixed_remaining_length() {
            if remaining != expected {
                return Err(DecodeError::new(
                    Error::InvalidRemainingLength {
                        packet_type,
                        expected,
                        actual: remaining,
                    },
                    1,
                    Some(total),
                ));
            }
        }
        if total > self.max_packet_size {
            return Err(DecodeError::new(
                Error::PacketTooLarge {
                    len: total,
                    max: self.max_packet_size,
                },
                0,
                Some(total),
            ));
        }
        Ok(Some(Header {
            packet_type,
            flags,
            header_len,
            total,
        }))
    }

    /// Decodes the body of a complete packet.
    #[inline]
    fn body<'a>(&self, t: PacketType, flags: u8, body: &'a [u8]) -> Result<Packet<'a>, Fail> {
        let so = self.str_opts();
        let (rest, packet) = match t {
            PacketType::Publish => {
                publish::decode(flags, body, so).map(|(r, p)| (r, Packet::Publish(p)))
            }
            PacketType::Puback
            | PacketType::Pubrec
            | PacketType::Pubrel
            | PacketType::Pubcomp
            | PacketType::Unsuback => decode_id(body).map(|(r, id)| (r, id_packet(t, id))),
            PacketType::Pingreq | PacketType::Pingresp | PacketType::Disconnect => {
                Ok((body, empty_packet(t)))
            }
            PacketType::Connect => connect::decode(body, so).map(|(r, p)| (r, Packet::Connect(p))),
            PacketType::Connack => connack::decode(body).map(|(r, p)| (r, Packet::Connack(p))),
            PacketType::Subscribe => {
                subscribe::decode(body, so).map(|(r, p)| (r, Packet::Subscribe(p)))
            }
            PacketType::Suback => suback::decode(body).map(|(r, p)| (r, Packet::Suback(p))),
            PacketType::Unsubscribe => {
                unsubscribe::decode(body, so).map(|(r, p)| (r, Packet::Unsubscribe(p)))
            }
        }
        .map_err(into_fail)?;
        expect_end(rest)?;
        Ok(packet)
    }
}

/// Checks the first byte: packet type not reserved (§2.2.1), flags [MQTT-2.2.2-1]
/// [MQTT-2.2.2-2], PUBLISH QoS not 3 [MQTT-3.3.1-4], no DUP with QoS 0 [MQTT-3.3.1-2].
#[inline]
fn first_byte(b: u8) -> Result<PacketType, DecodeError> {
    let t = b >> 4;
    let flags = b & 0x0F;
    let err = |e| Err(DecodeError::new(e, 0, None));
    let Some(packet_type) = PacketType::from_u8(t) else {
        return err(Error::ReservedPacketType(t));
    };
    match packet_type.fixed_flags() {
        None => {
            let qos = (flags >> 1) & 3;
            if qos == 3 {
                return err(Error::InvalidQoS(qos));
            }
            if qos == 0 && flags & 0b1000 != 0 {
                return err(Error::QoS0WithDup);
            }
        }
        Some(fixed) => {
            if flags != fixed {
                return err(Error::InvalidFlags { packet_type, flags });
            }
        }
    }
    Ok(packet_type)
}

/// A parsed and checked fixed header.
#[derive(Debug, Clone, Copy)]
struct Header {
    packet_type: PacketType,
    flags: u8,
    header_len: usize,
    total: usize,
}

/// How many more bytes an incomplete packet needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Needed {
    /// Exactly this many more bytes complete the packet (the Remaining Length is known).
    Size(NonZeroUsize),
    /// The fixed header is still incomplete; at least one more byte is needed.
    Unknown,
}

/// Outcome of a successful decode call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A complete packet (with the bytes it used).
    Complete(T),
    /// More input is needed.
    Incomplete(Needed),
}

impl<T> Status<T> {
    /// The completed value, if any.
    #[inline]
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(t) => Some(t),
            Status::Incomplete(_) => None,
        }
    }

    /// Whether more input is needed.
    #[inline]
    pub fn is_incomplete(&self) -> bool {
        matches!(self, Status::Incomplete(_))
    }
}

/// Decodes one packet from the front of `input` with the default [`DecodeOptions`].
///
/// See [`DecodeOptions::decode`].
///
/// ```
/// use vcd_mqtt_codec::{decode, Needed, Packet, Status};
/// let bytes = [0xC0, 0x00, 0xD0, 0x00]; // PINGREQ, PINGRESP
/// assert_eq!(decode(&bytes).unwrap(), Status::Complete((Packet::Pingreq, 2)));
/// assert_eq!(decode(&[0x30]).unwrap(), Status::Incomplete(Needed::Unknown));
/// ```
///
/// # Errors
/// See [`DecodeOptions::decode`].
#[inline]
pub fn decode(input: &[u8]) -> Result<Status<(Packet<'_>, usize)>, DecodeError> {
    DecodeOptions::new().decode(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Connack, Connect, ConnectReturnCode, LastWill, PacketId, Puback, Pubcomp, Publish, Pubrec,
        Pubrel, QoS, QosPid, Suback, SubackReturnCode, Subscribe, SubscribeTopic, TopicFilter,
        TopicName, Unsuback, Unsubscribe,
    };

    fn pid(v: u16) -> PacketId {
        PacketId::new(v).unwrap()
    }

    fn err(input: &[u8]) -> DecodeError {
        decode(input).unwrap_err()
    }

    fn roundtrip(p: Packet<'_>) {
        let mut buf = [0u8; 256];
        let n = p.encode(&mut buf).unwrap();
        assert_eq!(p.encoded_len(), Ok(n));
        assert_eq!(decode(&buf[..n]), Ok(Status::Complete((p, n))), "{p:?}");
        // Every strict prefix is incomplete, with the exact count once the header is known.
        for k in 0..n {
            match decode(&buf[..k]).unwrap() {
                Status::Incomplete(Needed::Size(m)) => assert_eq!(m.get(), n - k),
                Status::Incomplete(Needed::Unknown) => assert!(k < 2),
                Status::Complete(_) => panic!("complete at {k} of {n}"),
            }
        }
        // Too small a buffer writes nothing.
        let mut small = [0xAAu8; 256];
        assert_eq!(
            p.encode(&mut small[..n - 1]),
            Err(Error::BufferTooSmall {
                needed: n,
                available: n - 1
            })
        );
        assert!(small.iter().all(|&b| b == 0xAA));
    }

    #[test]
    fn roundtrips() {
        let subs = [
            SubscribeTopic::new(TopicFilter::new("a/+").unwrap(), QoS::AtMostOnce),
            SubscribeTopic::new(TopicFilter::new("#").unwrap(), QoS::ExactlyOnce),
        ];
        let codes = [
            SubackReturnCode::Success(QoS::AtLeastOnce),
            SubackReturnCode::Failure,
        ];
        let filters = [
            TopicFilter::new("x").unwrap(),
            TopicFilter::new("y/#").unwrap(),
        ];
        let will = LastWill {
            topic: TopicName::new("will/\u{feff}").unwrap(),
            message: b"",
            qos: QoS::ExactlyOnce,
            retain: true,
        };
        let packets = [
            Packet::Connect(Connect::new("", 60)),
            Packet::Connect(Connect {
                client_id: "c\u{e9}",
                clean_session: false,
                keep_alive: 0,
                will: Some(will),
                username: Some("u"),
                password: Some(&[0xFF, 0x00]),
            }),
            Packet::Connack(Connack::new(true, ConnectReturnCode::Accepted)),
            Packet::Connack(Connack::new(false, ConnectReturnCode::NotAuthorized)),
            Packet::Publish(Publish::new(
                TopicName::new("t").unwrap(),
                QosPid::AtMostOnce,
                b"",
            )),
            Packet::Publish(Publish {
                dup: true,
                qos_pid: QosPid::ExactlyOnce(pid(65535)),
                retain: true,
                topic: TopicName::new("a/b").unwrap(),
                payload: b"payload",
            }),
            Packet::Puback(Puback::new(pid(1))),
            Packet::Pubrec(Pubrec::new(pid(2))),
            Packet::Pubrel(Pubrel::new(pid(3))),
            Packet::Pubcomp(Pubcomp::new(pid(4))),
            Packet::Subscribe(Subscribe::new(pid(5), &subs)),
            Packet::Suback(Suback::new(pid(6), &codes)),
            Packet::Suback(Suback::new(pid(6), &[])),
            Packet::Unsubscribe(Unsubscribe::new(pid(7), &filters)),
            Packet::Unsuback(Unsuback::new(pid(8))),
            Packet::Pingreq,
            Packet::Pingresp,
            Packet::Disconnect,
        ];
        for p in packets {
            roundtrip(p);
        }
    }

    #[test]
    fn lazy_lists_iterate_decoded_bytes() {
        let bytes = [
            0x82, 0x0B, 0x00, 0x05, 0x00, 0x01, b'a', 0x01, 0x00, 0x02, b'b', b'/', 0x02,
        ];
        let Ok(Status::Complete((Packet::Subscribe(s), 13))) = decode(&bytes) else {
            panic!()
        };
        assert_eq!(s.topics.len(), 2);
        let v: [_; 2] = [
            s.topics.iter().next().unwrap(),
            s.topics.iter().nth(1).unwrap(),
        ];
        assert_eq!(v[0].filter, "a");
        assert_eq!(v[1].filter.as_str(), "b/");
        assert_eq!(v[1].qos, QoS::ExactlyOnce);
        assert_eq!(s.topics.iter().len(), 2);
    }

    #[test]
    fn header_errors() {
        assert_eq!(
            err(&[0x00]),
            DecodeError::new(Error::ReservedPacketType(0), 0, None)
        );
        assert_eq!(
            err(&[0xF0]),
            DecodeError::new(Error::ReservedPacketType(15), 0, None)
        );
        assert_eq!(
            err(&[0x60]),
            DecodeError::new(
                Error::InvalidFlags {
                    packet_type: PacketType::Pubrel,
                    flags: 0
                },
                0,
                None
            )
        );
        assert_eq!(err(&[0x36]).error, Error::InvalidQoS(3));
        assert_eq!(err(&[0x38]).error, Error::QoS0WithDup);
        assert_eq!(err(&[0xE1]).error.statement_id(), Some("MQTT-3.14.1-1"));
        assert_eq!(
            err(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF]),
            DecodeError::new(Error::RemainingLengthTooLong, 4, None)
        );
        assert_eq!(
            decode(&[0x30, 0xFF, 0xFF, 0xFF]),
            Ok(Status::Incomplete(Needed::Unknown))
        );
        // Non-minimal remaining length: accepted by default, rejected when strict.
        let nm = [0xC0, 0x80, 0x00];
        assert_eq!(decode(&nm), Ok(Status::Complete((Packet::Pingreq, 3))));
        assert_eq!(
            DecodeOptions::new().strict(true).decode(&nm),
            Err(DecodeError::new(
                Error::NonMinimalRemainingLength,
                2,
                Some(3)
            ))
        );
        assert_eq!(
            err(&[0x40, 0x03]),
            DecodeError::new(
                Error::InvalidRemainingLength {
                    packet_type: PacketType::Puback,
                    expected: 2,
                    actual: 3
                },
                1,
                Some(5)
            )
        );
        assert_eq!(
            DecodeOptions::new()
                .max_packet_size(10)
                .decode(&[0x30, 0x09]),
            Err(DecodeError::new(
                Error::PacketTooLarge { len: 11, max: 10 },
                0,
                Some(11)
            ))
        );
        assert!(DecodeOptions::new()
            .max_packet_size(11)
            .decode(&[0x30, 0x09])
            .is_ok());
        let client = DecodeOptions::new().role(Role::Client);
        assert_eq!(
            client.decode(&[0xC0, 0x00]),
            Err(DecodeError::new(
                Error::UnexpectedPacketForRole {
                    packet_type: PacketType::Pingreq,
                    role: Role::Client
                },
                0,
                Some(2)
            ))
        );
        assert!(client.decode(&[0xD0, 0x00]).is_ok());
        assert!(DecodeOptions::new()
            .role(Role::Server)
            .decode(&[0xD0, 0x00])
            .is_err());
    }

    #[test]
    fn body_errors_and_offsets() {
        // PUBLISH topic runs past the packet.
        assert_eq!(
            err(&[0x30, 0x03, 0x00, 0x05, b'a']),
            DecodeError::new(Error::UnexpectedEnd, 2, Some(5))
        );
        // Wildcard in topic name, at the byte.
        assert_eq!(err(&[0x30, 0x04, 0x00, 0x02, b'a', b'+']).offset, 5);
        // Empty topic.
        assert_eq!(
            err(&[0x30, 0x02, 0x00, 0x00]),
            DecodeError::new(Error::EmptyTopic, 2, Some(4))
        );
        // Invalid UTF-8 (surrogate) at the byte.
        let e = err(&[0x30, 0x06, 0x00, 0x04, b'a', 0xED, 0xA0, 0x80]);
        assert_eq!((e.error, e.offset), (Error::InvalidUtf8, 5));
        // Zero packet id in QoS 1 PUBLISH.
        assert_eq!(err(&[0x32, 0x05, 0x00, 0x01, b'a', 0x00, 0x00]).offset, 5);
        assert_eq!(err(&[0x40, 0x02, 0x00, 0x00]).error, Error::ZeroPacketId);
        // CONNACK.
        assert_eq!(
            err(&[0x20, 0x02, 0x02, 0x00]).error,
            Error::ConnackReservedFlags(2)
        );
        assert_eq!(
            err(&[0x20, 0x02, 0x00, 0x06]),
            DecodeError::new(Error::InvalidConnectReturnCode(6), 3, Some(4))
        );
        assert_eq!(
            err(&[0x20, 0x02, 0x01, 0x05]).error,
            Error::SessionPresentWithError
        );
        // SUBSCRIBE / SUBACK / UNSUBSCRIBE.
        assert_eq!(
            err(&[0x82, 0x02, 0x00, 0x01]),
            DecodeError::new(Error::EmptySubscription, 4, Some(4))
        );
        assert_eq!(
            err(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'a', 0x81]),
            DecodeError::new(Error::InvalidSubscribeQoS(0x81), 7, Some(8))
        );
        assert_eq!(
            err(&[0x82, 0x05, 0x00, 0x01, 0x00, 0x01, b'a']).error,
            Error::UnexpectedEnd
        );
        assert_eq!(
            decode(&[0x82, 0x06, 0x00, 0x01, 0x00, 0x01, b'#', 0x00, 0x00])
                .unwrap()
                .complete()
                .unwrap()
                .1,
            8
        );
        assert_eq!(
            err(&[0x90, 0x04, 0x00, 0x01, 0x00, 0x03]),
            DecodeError::new(Error::InvalidSubackReturnCode(3), 5, Some(6))
        );
        assert_eq!(
            err(&[0xA2, 0x02, 0x00, 0x01]).error,
            Error::EmptyUnsubscribe
        );
        assert_eq!(
            err(&[0xA2, 0x05, 0x00, 0x01, 0x00, 0x02, b'#']),
            DecodeError::new(Error::UnexpectedEnd, 4, Some(7))
        );
        assert_eq!(
            err(&[0xA2, 0x06, 0x00, 0x01, 0x00, 0x02, b'a', b'#']),
            DecodeError::new(Error::InvalidMultiLevelWildcard, 7, Some(8))
        );
    }
}

#[cfg(test)]
mod mutation_tests {
    use super::*;
    use proptest::prelude::*;

    /// One valid packet of each kind (minimal Remaining Length).
    const SEEDS: &[&[u8]] = &[
        b"\x10\x1c\x00\x04MQTT\x04\xee\x00\x3c\x00\x01c\x00\x03w/x\x00\x01m\x00\x01u\x00\x02\xff\x00",
        b"\x20\x02\x01\x00",
        b"\x3b\x09\x00\x03a/b\x00\x0ahi",
        b"\x30\x03\x00\x01a",
        b"\x40\x02\x00\x01",
        b"\x50\x02\x00\x01",
        b"\x62\x02\x00\x01",
        b"\x70\x02\x00\x01",
        b"\x82\x0c\x00\x05\x00\x03a/+\x01\x00\x01#\x02",
        b"\x90\x05\x00\x05\x00\x80\x02",
        b"\xa2\x0a\x00\x07\x00\x01a\x00\x03b/#",
        b"\xb0\x02\x00\x07",
        b"\xc0\x00",
        b"\xd0\x00",
        b"\xe0\x00",
    ];

    #[test]
    fn seeds_are_valid_and_canonical() {
        for seed in SEEDS {
            let Ok(Status::Complete((p, n))) = decode(seed) else {
                panic!("{seed:02x?}")
            };
            assert_eq!(n, seed.len());
            let mut out = [0u8; 64];
            let m = p.encode(&mut out).unwrap();
            assert_eq!(&out[..m], *seed);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Mutated valid packets: decoding never panics, errors lie inside the input, and
        /// whatever decodes (with a minimal Remaining Length) re-encodes to the same bytes.
        #[test]
        fn mutations(
            seed in 0..SEEDS.len(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0..3u8), 1..4),
            strict in any::<bool>(),
            ctl in any::<bool>(),
        ) {
            let mut bytes: std::vec::Vec<u8> = SEEDS[seed].to_vec();
            for (pos, val, kind) in edits {
                let at = pos % (bytes.len() + 1);
                match kind {
                    0 if at < bytes.len() => bytes[at] = val,
                    1 => bytes.insert(at, val),
                    _ if at < bytes.len() => { bytes.remove(at); }
                    _ => {}
                }
            }
            let opts = DecodeOptions::new().strict(true).reject_control_characters(ctl);
            let opts = if strict { opts } else { opts.strict(false) };
            match opts.decode(&bytes) {
                Ok(Status::Complete((p, n))) => {
                    prop_assert!(n <= bytes.len());
                    let mut out = std::vec![0u8; n + 8];
                    let m = p.encode(&mut out).unwrap();
                    if strict {
                        prop_assert_eq!(&out[..m], &bytes[..n]);
                    }
                    prop_assert_eq!(opts.decode(&out), Ok(Status::Complete((p, m))));
                }
                Ok(Status::Incomplete(Needed::Size(k))) => {
                    let mut more = bytes.clone();
                    more.resize(bytes.len() + k.get(), 0);
                    prop_assert!(!matches!(opts.decode(&more), Ok(Status::Incomplete(_))));
                }
                Ok(Status::Incomplete(Needed::Unknown)) => prop_assert!(bytes.len() < 5),
                Err(e) => {
                    prop_assert!(e.offset <= e.packet_len.unwrap_or(5));
                    if let Some(len) = e.packet_len {
                        prop_assert!(len >= 2);
                    }
                }
            }
        }
    }
}
