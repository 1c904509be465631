//! [`tokio_util::codec`] support: [`MqttCodec`] frames a byte stream into [`OwnedPacket`]s whose
//! strings and payloads are [`Bytes`] slices of the read buffer (no copy), and encodes
//! [`Packet`]s and [`OwnedPacket`]s.
//!
//! ```
//! use bytes::BytesMut;
//! use tokio_util::codec::{Decoder, Encoder};
//! use vcd_mqtt_codec::tokio::{MqttCodec, OwnedPacket};
//! use vcd_mqtt_codec::{Packet, PacketId, Publish, QosPid, TopicName};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let mut codec = MqttCodec::default();
//! let mut wire = BytesMut::new();
//! let publish = Publish {
//!     dup: false,
//!     qos_pid: QosPid::AtLeastOnce(PacketId::new(1).ok_or("zero id")?),
//!     retain: false,
//!     topic: TopicName::new("a/b")?,
//!     payload: b"payload",
//! };
//! codec.encode(Packet::Publish(publish), &mut wire)?;
//!
//! let start = wire.as_ptr() as usize;
//! let Some(OwnedPacket::Publish(owned)) = codec.decode(&mut wire)? else {
//!     return Err("expected a PUBLISH".into());
//! };
//! assert_eq!(owned.topic(), "a/b");
//! assert_eq!(&owned.payload[..], b"payload");
//! // The payload still lives where the codec read it: no copy was made.
//! assert_eq!(owned.payload.as_ptr() as usize, start + 2 + 2 + 3 + 2);
//! assert!(wire.is_empty());
//! # Ok(())
//! # }
//! ```

use alloc::vec::Vec;
use core::fmt;
use std::io;

use bytes::{Buf, Bytes, BytesMut};
use bytestring::ByteString;
use tokio_util::codec::{Decoder, Encoder};

use crate::primitives::append_to_buffer;

use crate::{
    Connack, Connect, DecodeError, DecodeOptions, Error, LastWill, Needed, Packet, PacketId,
    PacketType, Puback, Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, Status, Suback,
    SubackReturnCode, SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter,
    TopicName, Unsuback, Unsubscribe, UnsubscribeTopics,
};

/// Longest possible fixed header: one type/flags byte and a four-byte Remaining Length.
const MAX_HEADER_LEN: usize = 5;

/// Most memory reserved ahead of the bytes actually received for one incomplete packet.
const MAX_RESERVE_AHEAD: usize = 64 * 1024;

/// An error from [`MqttCodec`].
#[derive(Debug)]
pub enum CodecError {
    /// Reading from or writing to the transport failed.
    Io(io::Error),
    /// A received packet is malformed or too large. The codec has already dropped it (including
    /// its bytes still to come) when [`DecodeError::packet_len`] is known, so decoding can go on
    /// with the next packet; otherwise the stream is unusable.
    Decode(DecodeError),
    /// A packet to send cannot be encoded (the rule it breaks); nothing was written.
    Encode(Error),
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodecError::Io(e) => write!(f, "I/O error: {e}"),
            CodecError::Decode(e) => write!(f, "cannot decode MQTT packet: {e}"),
            CodecError::Encode(e) => write!(f, "cannot encode MQTT packet: {e}"),
        }
    }
}

impl std::error::Error for CodecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CodecError::Io(e) => Some(e),
            CodecError::Decode(e) => Some(e),
            CodecError::Encode(e) => Some(e),
        }
    }
}

impl From<io::Error> for CodecError {
    fn from(e: io::Error) -> Self {
        CodecError::Io(e)
    }
}

impl From<DecodeError> for CodecError {
    fn from(e: DecodeError) -> Self {
        CodecError::Decode(e)
    }
}

impl From<Error> for CodecError {
    fn from(e: Error) -> Self {
        CodecError::Encode(e)
    }
}

/// [`Decoder`] and [`Encoder`] for MQTT 3.1.1 packets, for `tokio_util::codec::Framed`,
/// `FramedRead` and `FramedWrite`.
///
/// Decoding validates exactly like [`DecodeOptions::decode`] with the codec's options. A
/// complete packet is split off the read buffer with [`BytesMut::split_to`] and frozen; the
/// strings and binary fields of the resulting [`OwnedPacket`] are slices of that frozen frame,
/// so nothing is copied. An incomplete packet stays in the read buffer; at most 64 KiB beyond
/// the bytes received are reserved for it, and a packet longer than
/// [`DecodeOptions::max_packet_size`] is rejected as soon as its fixed header is read, before
/// its body is buffered.
///
/// An invalid packet is returned as [`CodecError::Decode`]. When its length is known the codec
/// drops the whole packet (also its bytes that arrive later), so a caller driving
/// [`Decoder::decode`] itself can go on with the next packet; when the length is unknown the
/// codec keeps returning the error. (`FramedRead` ends the stream after any error.)
#[derive(Debug, Clone, Default)]
pub struct MqttCodec {
    options: DecodeOptions,
    skip: usize,
    poisoned: Option<DecodeError>,
}

impl MqttCodec {
    /// A codec that decodes with `options`.
    pub fn new(options: DecodeOptions) -> Self {
        MqttCodec {
            options,
            skip: 0,
            poisoned: None,
        }
    }

    /// The options packets are decoded with.
    pub fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// Records how to recover from `e` and drops what belongs to the rejected packet from `src`.
    fn fail(&mut self, e: DecodeError, src: &mut BytesMut) -> CodecError {
        match e.packet_len {
            Some(len) => {
                let n = len.min(src.len());
                src.advance(n);
                self.skip = len - n;
            }
            None => {
                self.poisoned = Some(e);
                src.clear();
            }
        }
        CodecError::Decode(e)
    }
}

impl Decoder for MqttCodec {
    type Item = OwnedPacket;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<OwnedPacket>, CodecError> {
        if let Some(e) = self.poisoned {
            src.clear();
            return Err(CodecError::Decode(e));
        }
        if self.skip > 0 {
            let n = self.skip.min(src.len());
            src.advance(n);
            self.skip -= n;
        }
        if src.is_empty() {
            return Ok(None);
        }
        // Read the fixed header only, to learn the packet's length.
        let probe = &src[..src.len().min(MAX_HEADER_LEN)];
        let total = match self.options.decode(probe) {
            Ok(Status::Complete((_, n))) => n,
            Ok(Status::Incomplete(Needed::Size(missing))) => probe.len() + missing.get(),
            Ok(Status::Incomplete(Needed::Unknown)) if probe.len() < MAX_HEADER_LEN => {
                return Ok(None)
            }
            Ok(Status::Incomplete(Needed::Unknown)) => {
                let e = DecodeError {
                    error: Error::RemainingLengthTooLong,
                    offset: MAX_HEADER_LEN - 1,
                    packet_len: None,
                };
                return Err(self.fail(e, src));
            }
            Err(e) => return Err(self.fail(e, src)),
        };
        if total == 0 {
            let e = DecodeError {
                error: Error::UnexpectedEnd,
                offset: 0,
                packet_len: None,
            };
            return Err(self.fail(e, src));
        }
        if src.len() < total {
            src.reserve((total - src.len()).min(MAX_RESERVE_AHEAD));
            return Ok(None);
        }
        let frame = src.split_to(total).freeze();
        match self.options.decode(&frame) {
            Ok(Status::Complete((packet, _))) => Ok(Some(OwnedPacket::from_frame(&frame, packet))),
            Ok(Status::Incomplete(_)) => Err(CodecError::Decode(DecodeError {
                // The fixed header announced `total` bytes and they are all here: cannot happen.
                error: Error::UnexpectedEnd,
                offset: total,
                packet_len: Some(total),
            })),
            Err(e) => {
                // The frame is already gone from `src`; skip whatever the error says is beyond.
                if let Some(len) = e.packet_len {
                    let beyond = len.saturating_sub(total);
                    let n = beyond.min(src.len());
                    src.advance(n);
                    self.skip = beyond - n;
                }
                Err(CodecError::Decode(e))
            }
        }
    }
}

impl<'a> Encoder<Packet<'a>> for MqttCodec {
    type Error = CodecError;

    /// Appends the encoded packet to `dst`; on error `dst` is unchanged.
    fn encode(&mut self, item: Packet<'a>, dst: &mut BytesMut) -> Result<(), CodecError> {
        item.append_to(dst)?;
        Ok(())
    }
}

// The encoder appends to the `BytesMut` as `encode_to_vec` does to a `Vec`: one validation,
// then the fields, without zero-filling the room first.
append_to_buffer!(BytesMut);

impl Encoder<&OwnedPacket> for MqttCodec {
    type Error = CodecError;

    /// Appends the encoded packet to `dst`; on error (e.g. a topic name with a wildcard) `dst`
    /// is unchanged.
    fn encode(&mut self, item: &OwnedPacket, dst: &mut BytesMut) -> Result<(), CodecError> {
        item.with_packet(|packet| self.encode(packet, dst))?
    }
}

impl Encoder<OwnedPacket> for MqttCodec {
    type Error = CodecError;

    /// Same as encoding `&item`.
    fn encode(&mut self, item: OwnedPacket, dst: &mut BytesMut) -> Result<(), CodecError> {
        self.encode(&item, dst)
    }
}

/// An owned MQTT packet: the owned counterpart of [`Packet`].
///
/// Strings are [`ByteString`]s (UTF-8 checked `Bytes`) and binary fields are [`Bytes`]; when
/// decoded by [`MqttCodec`] they are slices of the frame read from the transport, not copies.
/// The fields are public so packets can be built to send; [`MqttCodec`] validates them when
/// encoding (e.g. a wildcard in a topic name is an encode error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedPacket {
    /// CONNECT: client request to connect to the server.
    Connect(OwnedConnect),
    /// CONNACK: connect acknowledgement.
    Connack(Connack),
    /// PUBLISH: an application message.
    Publish(OwnedPublish),
    /// PUBACK: QoS 1 publish acknowledgement.
    Puback(Puback),
    /// PUBREC: QoS 2 publish received.
    Pubrec(Pubrec),
    /// PUBREL: QoS 2 publish release.
    Pubrel(Pubrel),
    /// PUBCOMP: QoS 2 publish complete.
    Pubcomp(Pubcomp),
    /// SUBSCRIBE: client subscribe request.
    Subscribe(OwnedSubscribe),
    /// SUBACK: subscribe acknowledgement.
    Suback(OwnedSuback),
    /// UNSUBSCRIBE: client unsubscribe request.
    Unsubscribe(OwnedUnsubscribe),
    /// UNSUBACK: unsubscribe acknowledgement.
    Unsuback(Unsuback),
    /// PINGREQ: ping request.
    Pingreq,
    /// PINGRESP: ping response.
    Pingresp,
    /// DISCONNECT: the client is disconnecting cleanly.
    Disconnect,
}

/// Owned [`Connect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedConnect {
    /// Client identifier (may be empty).
    pub client_id: ByteString,
    /// CleanSession flag.
    pub clean_session: bool,
    /// Keep alive interval in seconds (0 = off).
    pub keep_alive: u16,
    /// The Will message, if any.
    pub will: Option<OwnedLastWill>,
    /// User name, if any.
    pub username: Option<ByteString>,
    /// Password, if any.
    pub password: Option<Bytes>,
}

impl OwnedConnect {
    /// The client identifier.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// Owned [`LastWill`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedLastWill {
    /// Will topic (a topic name: no wildcards).
    pub topic: ByteString,
    /// Will message.
    pub message: Bytes,
    /// Will QoS.
    pub qos: QoS,
    /// Will retain flag.
    pub retain: bool,
}

impl OwnedLastWill {
    /// The will topic.
    pub fn topic(&self) -> &str {
        &self.topic
    }
}

/// Owned [`Publish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedPublish {
    /// DUP flag.
    pub dup: bool,
    /// QoS and, for QoS 1 and 2, the packet identifier.
    pub qos_pid: QosPid,
    /// RETAIN flag.
    pub retain: bool,
    /// Topic name (no wildcards).
    pub topic: ByteString,
    /// Application message.
    pub payload: Bytes,
}

impl OwnedPublish {
    /// The topic name.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The application message.
    pub fn payload(&self) -> &Bytes {
        &self.payload
    }
}

/// One topic filter of an [`OwnedSubscribe`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OwnedSubscribeTopic {
    /// Topic filter (wildcards allowed).
    pub filter: ByteString,
    /// Requested maximum QoS.
    pub qos: QoS,
}

/// Owned [`Subscribe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedSubscribe {
    /// Packet identifier.
    pub packet_id: PacketId,
    /// Topic filters with their requested QoS (at least one to encode).
    pub topics: Vec<OwnedSubscribeTopic>,
}

/// Owned [`Suback`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedSuback {
    /// Packet identifier of the SUBSCRIBE being acknowledged.
    pub packet_id: PacketId,
    /// One return code per topic filter of the SUBSCRIBE.
    pub return_codes: Vec<SubackReturnCode>,
}

/// Owned [`Unsubscribe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedUnsubscribe {
    /// Packet identifier.
    pub packet_id: PacketId,
    /// Topic filters to unsubscribe from (at least one to encode).
    pub topics: Vec<ByteString>,
}

/// Shares `sub`, a slice of `frame`, as a `Bytes` without copying (copies only if `sub` is not
/// inside `frame`, which decoding never produces).
fn share(frame: &Bytes, sub: &[u8]) -> Bytes {
    let start = (sub.as_ptr() as usize).wrapping_sub(frame.as_ptr() as usize);
    match start.checked_add(sub.len()) {
        Some(end) if !sub.is_empty() && end <= frame.len() => frame.slice(start..end),
        _ if sub.is_empty() => Bytes::new(),
        _ => Bytes::copy_from_slice(sub),
    }
}

/// Shares `s`, a slice of `frame`, as a `ByteString`.
fn share_str(frame: &Bytes, s: &str) -> ByteString {
    ByteString::try_from(share(frame, s.as_bytes())).unwrap_or_else(|_| ByteString::from(s))
}

impl OwnedPacket {
    /// Makes an owned packet from a packet decoded out of `frame`, sharing its bytes.
    fn from_frame(frame: &Bytes, packet: Packet<'_>) -> OwnedPacket {
        Self::convert(packet, |b| share(frame, b), |s| share_str(frame, s))
    }

    /// Converts a borrowed packet with the given constructors for binary and text fields.
    fn convert(
        packet: Packet<'_>,
        bin: impl Fn(&[u8]) -> Bytes,
        text: impl Fn(&str) -> ByteString,
    ) -> OwnedPacket {
        match packet {
            Packet::Connect(c) => OwnedPacket::Connect(OwnedConnect {
                client_id: text(c.client_id),
                clean_session: c.clean_session,
                keep_alive: c.keep_alive,
                will: c.will.map(|w| OwnedLastWill {
                    topic: text(w.topic.as_str()),
                    message: bin(w.message),
                    qos: w.qos,
                    retain: w.retain,
                }),
                username: c.username.map(&text),
                password: c.password.map(&bin),
            }),
            Packet::Connack(c) => OwnedPacket::Connack(c),
            Packet::Publish(p) => OwnedPacket::Publish(OwnedPublish {
                dup: p.dup,
                qos_pid: p.qos_pid,
                retain: p.retain,
                topic: text(p.topic.as_str()),
                payload: bin(p.payload),
            }),
            Packet::Puback(a) => OwnedPacket::Puback(a),
            Packet::Pubrec(a) => OwnedPacket::Pubrec(a),
            Packet::Pubrel(a) => OwnedPacket::Pubrel(a),
            Packet::Pubcomp(a) => OwnedPacket::Pubcomp(a),
            Packet::Subscribe(s) => OwnedPacket::Subscribe(OwnedSubscribe {
                packet_id: s.packet_id,
                topics: s
                    .topics
                    .iter()
                    .map(|t| OwnedSubscribeTopic {
                        filter: text(t.filter.as_str()),
                        qos: t.qos,
                    })
                    .collect(),
            }),
            Packet::Suback(s) => OwnedPacket::Suback(OwnedSuback {
                packet_id: s.packet_id,
                return_codes: s.return_codes.iter().collect(),
            }),
            Packet::Unsubscribe(u) => OwnedPacket::Unsubscribe(OwnedUnsubscribe {
                packet_id: u.packet_id,
                topics: u.topics.iter().map(|t| text(t.as_str())).collect(),
            }),
            Packet::Unsuback(a) => OwnedPacket::Unsuback(a),
            Packet::Pingreq => OwnedPacket::Pingreq,
            Packet::Pingresp => OwnedPacket::Pingresp,
            Packet::Disconnect => OwnedPacket::Disconnect,
        }
    }

    /// The packet's type.
    pub fn packet_type(&self) -> PacketType {
        match self {
            OwnedPacket::Connect(_) => PacketType::Connect,
            OwnedPacket::Connack(_) => PacketType::Connack,
            OwnedPacket::Publish(_) => PacketType::Publish,
            OwnedPacket::Puback(_) => PacketType::Puback,
            OwnedPacket::Pubrec(_) => PacketType::Pubrec,
            OwnedPacket::Pubrel(_) => PacketType::Pubrel,
            OwnedPacket::Pubcomp(_) => PacketType::Pubcomp,
            OwnedPacket::Subscribe(_) => PacketType::Subscribe,
            OwnedPacket::Suback(_) => PacketType::Suback,
            OwnedPacket::Unsubscribe(_) => PacketType::Unsubscribe,
            OwnedPacket::Unsuback(_) => PacketType::Unsuback,
            OwnedPacket::Pingreq => PacketType::Pingreq,
            OwnedPacket::Pingresp => PacketType::Pingresp,
            OwnedPacket::Disconnect => PacketType::Disconnect,
        }
    }

    /// Calls `f` with the borrowed [`Packet`] view of this packet (for encoding or comparing).
    ///
    /// Fails with the rule broken when a field cannot be represented by the borrowed types: a
    /// topic name with a wildcard or an invalid topic filter.
    ///
    /// ```
    /// use vcd_mqtt_codec::tokio::{OwnedPacket, OwnedPublish};
    /// use vcd_mqtt_codec::{Error, Packet, QosPid};
    ///
    /// let mut publish = OwnedPublish {
    ///     dup: false,
    ///     qos_pid: QosPid::AtMostOnce,
    ///     retain: false,
    ///     topic: "vcd/a".into(),
    ///     payload: "hi".into(),
    /// };
    /// let len = OwnedPacket::Publish(publish.clone()).with_packet(|p| p.encoded_len());
    /// assert_eq!(len, Ok(Ok(2 + 2 + 5 + 2)));
    /// publish.topic = "vcd/#".into();
    /// let err = OwnedPacket::Publish(publish).with_packet(|p: Packet<'_>| p.packet_type());
    /// assert_eq!(err, Err(Error::WildcardInTopicName));
    /// ```
    pub fn with_packet<R>(&self, f: impl FnOnce(Packet<'_>) -> R) -> Result<R, Error> {
        Ok(match self {
            OwnedPacket::Connect(c) => {
                let will = match &c.will {
                    Some(w) => Some(LastWill {
                        topic: TopicName::new(&w.topic)?,
                        message: &w.message,
                        qos: w.qos,
                        retain: w.retain,
                    }),
                    None => None,
                };
                f(Packet::Connect(Connect {
                    client_id: &c.client_id,
                    clean_session: c.clean_session,
                    keep_alive: c.keep_alive,
                    will,
                    username: c.username.as_deref(),
                    password: c.password.as_deref(),
                }))
            }
            OwnedPacket::Connack(c) => f(Packet::Connack(*c)),
            OwnedPacket::Publish(p) => f(Packet::Publish(Publish {
                dup: p.dup,
                qos_pid: p.qos_pid,
                retain: p.retain,
                topic: TopicName::new(&p.topic)?,
                payload: &p.payload,
            })),
            OwnedPacket::Puback(a) => f(Packet::Puback(*a)),
            OwnedPacket::Pubrec(a) => f(Packet::Pubrec(*a)),
            OwnedPacket::Pubrel(a) => f(Packet::Pubrel(*a)),
            OwnedPacket::Pubcomp(a) => f(Packet::Pubcomp(*a)),
            OwnedPacket::Subscribe(s) => {
                let list = s
                    .topics
                    .iter()
                    .map(|t| {
                        Ok(SubscribeTopic {
                            filter: TopicFilter::new(&t.filter)?,
                            qos: t.qos,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                f(Packet::Subscribe(Subscribe {
                    packet_id: s.packet_id,
                    topics: SubscribeTopics::from_slice(&list),
                }))
            }
            OwnedPacket::Suback(s) => f(Packet::Suback(Suback {
                packet_id: s.packet_id,
                return_codes: SubackReturnCodes::from_slice(&s.return_codes),
            })),
            OwnedPacket::Unsubscribe(u) => {
                let list = u
                    .topics
                    .iter()
                    .map(|t| TopicFilter::new(t))
                    .collect::<Result<Vec<_>, Error>>()?;
                f(Packet::Unsubscribe(Unsubscribe {
                    packet_id: u.packet_id,
                    topics: UnsubscribeTopics::from_slice(&list),
                }))
            }
            OwnedPacket::Unsuback(a) => f(Packet::Unsuback(*a)),
            OwnedPacket::Pingreq => f(Packet::Pingreq),
            OwnedPacket::Pingresp => f(Packet::Pingresp),
            OwnedPacket::Disconnect => f(Packet::Disconnect),
        })
    }
}

impl From<Packet<'_>> for OwnedPacket {
    /// Copies a borrowed packet into an owned one (each field into its own allocation; use
    /// [`MqttCodec`] to get packets that share the read buffer instead).
    fn from(packet: Packet<'_>) -> Self {
        Self::convert(packet, Bytes::copy_from_slice, |s| ByteString::from(s))
    }
}

impl PartialEq<Packet<'_>> for OwnedPacket {
    /// Field-by-field equality with a borrowed packet (lists compared item by item).
    fn eq(&self, other: &Packet<'_>) -> bool {
        self.with_packet(|p| p == *other).unwrap_or(false)
    }
}

impl PartialEq<OwnedPacket> for Packet<'_> {
    fn eq(&self, other: &OwnedPacket) -> bool {
        other == self
    }
}
