//! Arbitrary-driven packet descriptions.
//!
//! A [`PacketSpec`] is built from fuzzer bytes without any validation: strings may contain
//! wildcards or U+0000, packet ids may be 0, QoS values may be 3, lists may be empty and text or
//! binary fields may be longer than 65,535 bytes. From one spec the fuzz crate derives two things:
//!
//! * [`PacketSpec::wire`]: the bytes a peer would send for it, assembled by the independent
//!   [`crate::wire`] writer (`None` when a field cannot be represented on the wire at all);
//! * [`PacketSpec::with_packet`]: the codec's typed [`Packet`], or the reason the codec's checked
//!   constructors (`TopicName::new`, `PacketId::new`, `QoS::from_u8`, ...) refused a field.

use crate::wire;
use arbitrary::{Arbitrary, Result as ArbResult, Unstructured};
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, Error, LastWill, Packet, PacketId, Puback, Pubcomp,
    Publish, Pubrec, Pubrel, QoS, QosPid, Suback, SubackReturnCode, SubackReturnCodes, Subscribe,
    SubscribeTopic, SubscribeTopics, TopicFilter, TopicName, Unsuback, Unsubscribe,
    UnsubscribeTopics,
};

/// Length a "long" text or binary field gets: one more than a 16-bit length prefix can express.
pub const LONG_FIELD: usize = 65_536;

/// A text field: any UTF-8 string, and with probability 1/64 one blown up past 65,535 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> ArbResult<Self> {
        let s = String::arbitrary(u)?;
        if u.ratio(1u8, 64u8)? {
            let unit = if s.is_empty() { "a".to_owned() } else { s };
            let times = LONG_FIELD / unit.len() + 1;
            return Ok(Text(unit.repeat(times)));
        }
        Ok(Text(s))
    }
}

/// A binary field: any bytes, and with probability 1/64 more than 65,535 of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bin(pub Vec<u8>);

impl<'a> Arbitrary<'a> for Bin {
    fn arbitrary(u: &mut Unstructured<'a>) -> ArbResult<Self> {
        let mut v = Vec::<u8>::arbitrary(u)?;
        if u.ratio(1u8, 64u8)? {
            let fill = v.first().copied().unwrap_or(0x5A);
            v.resize(LONG_FIELD + usize::from(fill), fill);
        }
        Ok(Bin(v))
    }
}

/// A byte that is usually in its valid range (`valid` picks `raw % modulus`) and sometimes raw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct Byte {
    /// Whether to fold `raw` into the valid range.
    pub valid: bool,
    /// The fuzzer's byte.
    pub raw: u8,
}

impl Byte {
    /// The value: `raw % modulus` when `valid`, else `raw`.
    pub fn get(self, modulus: u8) -> u8 {
        if self.valid {
            self.raw % modulus
        } else {
            self.raw
        }
    }
}

/// A SUBACK return code byte: usually one of 0x00, 0x01, 0x02, 0x80.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary)]
pub struct SubackByte(pub Byte);

impl SubackByte {
    /// The wire byte.
    pub fn get(self) -> u8 {
        match self.0.get(4) {
            3 if self.0.valid => 0x80,
            v => v,
        }
    }
}

/// A will message.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct WillSpec {
    /// Will topic (a topic name: no wildcards).
    pub topic: Text,
    /// Will message (binary).
    pub message: Bin,
    /// Will QoS bits (only the low two bits reach the flags byte).
    pub qos: Byte,
    /// Will retain.
    pub retain: bool,
}

impl WillSpec {
    fn qos_bits(&self) -> u8 {
        self.qos.get(3) & 0x03
    }
}

/// A CONNECT.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct ConnectSpec {
    /// Client identifier.
    pub client_id: Text,
    /// Clean session flag.
    pub clean_session: bool,
    /// Keep alive in seconds.
    pub keep_alive: u16,
    /// Optional will.
    pub will: Option<WillSpec>,
    /// Optional user name.
    pub username: Option<Text>,
    /// Optional password (also without user name, which 3.1.2-22 forbids).
    pub password: Option<Bin>,
}

/// A PUBLISH.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub struct PublishSpec {
    /// DUP flag.
    pub dup: bool,
    /// QoS bits (only the low two bits reach the first byte).
    pub qos: Byte,
    /// Packet identifier (ignored for QoS 0).
    pub packet_id: u16,
    /// RETAIN flag.
    pub retain: bool,
    /// Topic name.
    pub topic: Text,
    /// Payload.
    pub payload: Vec<u8>,
}

impl PublishSpec {
    fn qos_bits(&self) -> u8 {
        self.qos.get(3) & 0x03
    }
}

/// Any MQTT 3.1.1 control packet, described without validation.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary)]
pub enum PacketSpec {
    /// CONNECT.
    Connect(ConnectSpec),
    /// CONNACK (`code` is the raw return code byte).
    Connack {
        /// Session present.
        session_present: bool,
        /// Return code.
        code: Byte,
    },
    /// PUBLISH.
    Publish(PublishSpec),
    /// PUBACK.
    Puback(u16),
    /// PUBREC.
    Pubrec(u16),
    /// PUBREL.
    Pubrel(u16),
    /// PUBCOMP.
    Pubcomp(u16),
    /// SUBSCRIBE with (filter, requested QoS byte) pairs.
    Subscribe {
        /// Packet identifier.
        packet_id: u16,
        /// Filters and requested QoS bytes.
        topics: Vec<(Text, Byte)>,
    },
    /// SUBACK.
    Suback {
        /// Packet identifier.
        packet_id: u16,
        /// Return code bytes.
        codes: Vec<SubackByte>,
    },
    /// UNSUBSCRIBE.
    Unsubscribe {
        /// Packet identifier.
        packet_id: u16,
        /// Filters.
        topics: Vec<Text>,
    },
    /// UNSUBACK.
    Unsuback(u16),
    /// PINGREQ.
    Pingreq,
    /// PINGRESP.
    Pingresp,
    /// DISCONNECT.
    Disconnect,
}

/// Why the codec's checked constructors refused a field of a [`PacketSpec`] before any encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `TopicName::new` or `TopicFilter::new` returned this error.
    Topic(Error),
    /// `PacketId::new(0)`.
    ZeroPacketId,
    /// `QoS::from_u8` refused this value.
    QoS(u8),
    /// `ConnectReturnCode::from_u8` refused this value.
    ReturnCode(u8),
    /// This byte is not a SUBACK return code.
    SubackCode(u8),
}

fn ack(first_byte: u8, packet_id: u16) -> Option<Vec<u8>> {
    wire::packet(first_byte, &packet_id.to_be_bytes())
}

fn suback_code(byte: u8) -> Result<SubackReturnCode, Refusal> {
    match byte {
        0x80 => Ok(SubackReturnCode::Failure),
        b => QoS::from_u8(b)
            .map(SubackReturnCode::Success)
            .ok_or(Refusal::SubackCode(b)),
    }
}

fn pid(v: u16) -> Result<PacketId, Refusal> {
    PacketId::new(v).ok_or(Refusal::ZeroPacketId)
}

impl PacketSpec {
    /// The bytes a peer would send for this description, written without any validation by
    /// [`crate::wire`]. `None` when a field is too long for its length prefix or the body too long
    /// for a remaining length, i.e. when no equivalent bytes exist.
    pub fn wire(&self) -> Option<Vec<u8>> {
        let mut b = Vec::new();
        match self {
            PacketSpec::Connect(c) => {
                b.extend_from_slice(b"\x00\x04MQTT\x04");
                let mut flags = 0u8;
                if c.clean_session {
                    flags |= 0x02;
                }
                if let Some(w) = &c.will {
                    flags |= 0x04 | (w.qos_bits() << 3);
                    if w.retain {
                        flags |= 0x20;
                    }
                }
                if c.password.is_some() {
                    flags |= 0x40;
                }
                if c.username.is_some() {
                    flags |= 0x80;
                }
                b.push(flags);
                wire::put_u16(c.keep_alive, &mut b);
                wire::put_prefixed(c.client_id.0.as_bytes(), &mut b)?;
                if let Some(w) = &c.will {
                    wire::put_prefixed(w.topic.0.as_bytes(), &mut b)?;
                    wire::put_prefixed(&w.message.0, &mut b)?;
                }
                if let Some(u) = &c.username {
                    wire::put_prefixed(u.0.as_bytes(), &mut b)?;
                }
                if let Some(p) = &c.password {
                    wire::put_prefixed(&p.0, &mut b)?;
                }
                wire::packet(0x10, &b)
            }
            PacketSpec::Connack {
                session_present,
                code,
            } => wire::packet(0x20, &[u8::from(*session_present), code.get(6)]),
            PacketSpec::Publish(p) => {
                let qos = p.qos_bits();
                let first = 0x30 | (u8::from(p.dup) << 3) | (qos << 1) | u8::from(p.retain);
                wire::put_prefixed(p.topic.0.as_bytes(), &mut b)?;
                if qos != 0 {
                    wire::put_u16(p.packet_id, &mut b);
                }
                b.extend_from_slice(&p.payload);
                wire::packet(first, &b)
            }
            PacketSpec::Puback(id) => ack(0x40, *id),
            PacketSpec::Pubrec(id) => ack(0x50, *id),
            PacketSpec::Pubrel(id) => ack(0x62, *id),
            PacketSpec::Pubcomp(id) => ack(0x70, *id),
            PacketSpec::Unsuback(id) => ack(0xB0, *id),
            PacketSpec::Subscribe { packet_id, topics } => {
                wire::put_u16(*packet_id, &mut b);
                for (filter, qos) in topics {
                    wire::put_prefixed(filter.0.as_bytes(), &mut b)?;
                    b.push(qos.get(3));
                }
                wire::packet(0x82, &b)
            }
            PacketSpec::Suback { packet_id, codes } => {
                wire::put_u16(*packet_id, &mut b);
                b.extend(codes.iter().map(|c| c.get()));
                wire::packet(0x90, &b)
            }
            PacketSpec::Unsubscribe { packet_id, topics } => {
                wire::put_u16(*packet_id, &mut b);
                for filter in topics {
                    wire::put_prefixed(filter.0.as_bytes(), &mut b)?;
                }
                wire::packet(0xA2, &b)
            }
            PacketSpec::Pingreq => wire::packet(0xC0, &[]),
            PacketSpec::Pingresp => wire::packet(0xD0, &[]),
            PacketSpec::Disconnect => wire::packet(0xE0, &[]),
        }
    }

    /// Builds the codec's [`Packet`] for this description with the codec's checked constructors
    /// and hands it (or the first constructor refusal) to `f`.
    pub fn with_packet<R>(&self, f: impl FnOnce(Result<Packet<'_>, Refusal>) -> R) -> R {
        match self {
            PacketSpec::Subscribe { packet_id, topics } => {
                let list: Result<Vec<SubscribeTopic<'_>>, Refusal> = topics
                    .iter()
                    .map(|(filter, qos)| {
                        let filter = TopicFilter::new(&filter.0).map_err(Refusal::Topic)?;
                        let raw = qos.get(3);
                        let qos = QoS::from_u8(raw).ok_or(Refusal::QoS(raw))?;
                        Ok(SubscribeTopic { filter, qos })
                    })
                    .collect();
                match (pid(*packet_id), list) {
                    (Ok(packet_id), Ok(list)) => f(Ok(Packet::Subscribe(Subscribe {
                        packet_id,
                        topics: SubscribeTopics::from_slice(&list),
                    }))),
                    (Err(e), _) | (_, Err(e)) => f(Err(e)),
                }
            }
            PacketSpec::Suback { packet_id, codes } => {
                let list: Result<Vec<SubackReturnCode>, Refusal> =
                    codes.iter().map(|c| suback_code(c.get())).collect();
                match (pid(*packet_id), list) {
                    (Ok(packet_id), Ok(list)) => f(Ok(Packet::Suback(Suback {
                        packet_id,
                        return_codes: SubackReturnCodes::from_slice(&list),
                    }))),
                    (Err(e), _) | (_, Err(e)) => f(Err(e)),
                }
            }
            PacketSpec::Unsubscribe { packet_id, topics } => {
                let list: Result<Vec<TopicFilter<'_>>, Refusal> = topics
                    .iter()
                    .map(|t| TopicFilter::new(&t.0).map_err(Refusal::Topic))
                    .collect();
                match (pid(*packet_id), list) {
                    (Ok(packet_id), Ok(list)) => f(Ok(Packet::Unsubscribe(Unsubscribe {
                        packet_id,
                        topics: UnsubscribeTopics::from_slice(&list),
                    }))),
                    (Err(e), _) | (_, Err(e)) => f(Err(e)),
                }
            }
            _ => f(self.simple_packet()),
        }
    }

    fn simple_packet(&self) -> Result<Packet<'_>, Refusal> {
        Ok(match self {
            PacketSpec::Connect(c) => {
                let will = match &c.will {
                    None => None,
                    Some(w) => {
                        let bits = w.qos_bits();
                        Some(LastWill {
                            topic: TopicName::new(&w.topic.0).map_err(Refusal::Topic)?,
                            message: &w.message.0,
                            qos: QoS::from_u8(bits).ok_or(Refusal::QoS(bits))?,
                            retain: w.retain,
                        })
                    }
                };
                Packet::Connect(Connect {
                    client_id: &c.client_id.0,
                    clean_session: c.clean_session,
                    keep_alive: c.keep_alive,
                    will,
                    username: c.username.as_ref().map(|u| u.0.as_str()),
                    password: c.password.as_ref().map(|p| p.0.as_slice()),
                })
            }
            PacketSpec::Connack {
                session_present,
                code,
            } => {
                let raw = code.get(6);
                Packet::Connack(Connack {
                    session_present: *session_present,
                    code: ConnectReturnCode::from_u8(raw).ok_or(Refusal::ReturnCode(raw))?,
                })
            }
            PacketSpec::Publish(p) => {
                let qos_pid = match p.qos_bits() {
                    0 => QosPid::AtMostOnce,
                    1 => QosPid::AtLeastOnce(pid(p.packet_id)?),
                    2 => QosPid::ExactlyOnce(pid(p.packet_id)?),
                    bits => return Err(Refusal::QoS(bits)),
                };
                Packet::Publish(Publish {
                    dup: p.dup,
                    qos_pid,
                    retain: p.retain,
                    topic: TopicName::new(&p.topic.0).map_err(Refusal::Topic)?,
                    payload: &p.payload,
                })
            }
            PacketSpec::Puback(id) => Packet::Puback(Puback {
                packet_id: pid(*id)?,
            }),
            PacketSpec::Pubrec(id) => Packet::Pubrec(Pubrec {
                packet_id: pid(*id)?,
            }),
            PacketSpec::Pubrel(id) => Packet::Pubrel(Pubrel {
                packet_id: pid(*id)?,
            }),
            PacketSpec::Pubcomp(id) => Packet::Pubcomp(Pubcomp {
                packet_id: pid(*id)?,
            }),
            PacketSpec::Unsuback(id) => Packet::Unsuback(Unsuback {
                packet_id: pid(*id)?,
            }),
            PacketSpec::Pingreq => Packet::Pingreq,
            PacketSpec::Pingresp => Packet::Pingresp,
            PacketSpec::Disconnect => Packet::Disconnect,
            PacketSpec::Subscribe { .. }
            | PacketSpec::Suback { .. }
            | PacketSpec::Unsubscribe { .. } => {
                unreachable!("list packets are built by with_packet")
            }
        })
    }
}
