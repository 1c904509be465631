//! Packet types and the [`Packet`] enum over all fourteen control packets.

use core::fmt;

use crate::ack::Empty;
use crate::primitives;
use crate::{
    Connack, Connect, Error, Puback, Pubcomp, Publish, Pubrec, Pubrel, Suback, Subscribe, Unsuback,
    Unsubscribe,
};

/// MQTT control packet type (§2.2.1). Types 0 and 15 are reserved and cannot be represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PacketType {
    /// CONNECT: client request to connect to a server.
    Connect = 1,
    /// CONNACK: connect acknowledgement.
    Connack = 2,
    /// PUBLISH: publish message.
    Publish = 3,
    /// PUBACK: QoS 1 publish acknowledgement.
    Puback = 4,
    /// PUBREC: QoS 2 publish received (part 1).
    Pubrec = 5,
    /// PUBREL: QoS 2 publish release (part 2).
    Pubrel = 6,
    /// PUBCOMP: QoS 2 publish complete (part 3).
    Pubcomp = 7,
    /// SUBSCRIBE: client subscribe request.
    Subscribe = 8,
    /// SUBACK: subscribe acknowledgement.
    Suback = 9,
    /// UNSUBSCRIBE: client unsubscribe request.
    Unsubscribe = 10,
    /// UNSUBACK: unsubscribe acknowledgement.
    Unsuback = 11,
    /// PINGREQ: ping request.
    Pingreq = 12,
    /// PINGRESP: ping response.
    Pingresp = 13,
    /// DISCONNECT: client is disconnecting.
    Disconnect = 14,
}

impl PacketType {
    /// The packet type for a wire value 1..=14; `None` for the reserved 0 and 15 (and others).
    #[inline]
    pub const fn from_u8(v: u8) -> Option<PacketType> {
        Some(match v {
            1 => PacketType::Connect,
            2 => PacketType::Connack,
            3 => PacketType::Publish,
            4 => PacketType::Puback,
            5 => PacketType::Pubrec,
            6 => PacketType::Pubrel,
            7 => PacketType::Pubcomp,
            8 => PacketType::Subscribe,
            9 => PacketType::Suback,
            10 => PacketType::Unsubscribe,
            11 => PacketType::Unsuback,
            12 => PacketType::Pingreq,
            13 => PacketType::Pingresp,
            14 => PacketType::Disconnect,
            _ => return None,
        })
    }

    /// The wire value 1..=14.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The fixed flag nibble of this type [MQTT-2.2.2-1]: `0b0010` for PUBREL, SUBSCRIBE and
    /// UNSUBSCRIBE, `0b0000` for the others; `None` for PUBLISH, whose flags carry DUP, QoS and
    /// RETAIN.
    #[inline]
    pub const fn fixed_flags(self) -> Option<u8> {
        match self {
            PacketType::Publish => None,
            PacketType::Pubrel | PacketType::Subscribe | PacketType::Unsubscribe => Some(0b0010),
            _ => Some(0),
        }
    }

    /// The fixed Remaining Length of this type, if it has one: 2 for CONNACK, PUBACK, PUBREC,
    /// PUBREL, PUBCOMP and UNSUBACK, 0 for PINGREQ, PINGRESP and DISCONNECT.
    #[inline]
    pub const fn fixed_remaining_length(self) -> Option<usize> {
        match self {
            PacketType::Connack
            | PacketType::Puback
            | PacketType::Pubrec
            | PacketType::Pubrel
            | PacketType::Pubcomp
            | PacketType::Unsuback => Some(2),
            PacketType::Pingreq | PacketType::Pingresp | PacketType::Disconnect => Some(0),
            _ => None,
        }
    }

    /// The upper-case name used by the standard, e.g. `"PUBLISH"`.
    pub const fn name(self) -> &'static str {
        match self {
            PacketType::Connect => "CONNECT",
            PacketType::Connack => "CONNACK",
            PacketType::Publish => "PUBLISH",
            PacketType::Puback => "PUBACK",
            PacketType::Pubrec => "PUBREC",
            PacketType::Pubrel => "PUBREL",
            PacketType::Pubcomp => "PUBCOMP",
            PacketType::Subscribe => "SUBSCRIBE",
            PacketType::Suback => "SUBACK",
            PacketType::Unsubscribe => "UNSUBSCRIBE",
            PacketType::Unsuback => "UNSUBACK",
            PacketType::Pingreq => "PINGREQ",
            PacketType::Pingresp => "PINGRESP",
            PacketType::Disconnect => "DISCONNECT",
        }
    }
}

impl fmt::Display for PacketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Any MQTT 3.1.1 control packet. Decoded packets borrow their strings and payloads from the
/// input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet<'a> {
    /// CONNECT.
    Connect(Connect<'a>),
    /// CONNACK.
    Connack(Connack),
    /// PUBLISH.
    Publish(Publish<'a>),
    /// PUBACK.
    Puback(Puback),
    /// PUBREC.
    Pubrec(Pubrec),
    /// PUBREL.
    Pubrel(Pubrel),
    /// PUBCOMP.
    Pubcomp(Pubcomp),
    /// SUBSCRIBE.
    Subscribe(Subscribe<'a>),
    /// SUBACK.
    Suback(Suback<'a>),
    /// UNSUBSCRIBE.
    Unsubscribe(Unsubscribe<'a>),
    /// UNSUBACK.
    Unsuback(Unsuback),
    /// PINGREQ.
    Pingreq,
    /// PINGRESP.
    Pingresp,
    /// DISCONNECT.
    Disconnect,
}

impl Packet<'_> {
    /// The packet's type.
    #[inline]
    pub fn packet_type(&self) -> PacketType {
        match self {
            Packet::Connect(_) => PacketType::Connect,
            Packet::Connack(_) => PacketType::Connack,
            Packet::Publish(_) => PacketType::Publish,
            Packet::Puback(_) => PacketType::Puback,
            Packet::Pubrec(_) => PacketType::Pubrec,
            Packet::Pubrel(_) => PacketType::Pubrel,
            Packet::Pubcomp(_) => PacketType::Pubcomp,
            Packet::Subscribe(_) => PacketType::Subscribe,
            Packet::Suback(_) => PacketType::Suback,
            Packet::Unsubscribe(_) => PacketType::Unsubscribe,
            Packet::Unsuback(_) => PacketType::Unsuback,
            Packet::Pingreq => PacketType::Pingreq,
            Packet::Pingresp => PacketType::Pingresp,
            Packet::Disconnect => PacketType::Disconnect,
        }
    }
}

/// Runs `$e` with `$p` bound to the packet's body (a type implementing `Encode`), statically
/// dispatched.
macro_rules! with_body {
    ($self:expr, $p:ident => $e:expr) => {
        match $self {
            Packet::Connect($p) => $e,
            Packet::Connack($p) => $e,
            Packet::Publish($p) => $e,
            Packet::Puback($p) => $e,
            Packet::Pubrec($p) => $e,
            Packet::Pubrel($p) => $e,
            Packet::Pubcomp($p) => $e,
            Packet::Subscribe($p) => $e,
            Packet::Suback($p) => $e,
            Packet::Unsubscribe($p) => $e,
            Packet::Unsuback($p) => $e,
            Packet::Pingreq => {
                let $p = &Empty(PacketType::Pingreq);
                $e
            }
            Packet::Pingresp => {
                let $p = &Empty(PacketType::Pingresp);
                $e
            }
            Packet::Disconnect => {
                let $p = &Empty(PacketType::Disconnect);
                $e
            }
        }
    };
}

impl Packet<'_> {
    /// Exact number of bytes [`encode`](Self::encode) writes (minimal Remaining Length).
    ///
    /// # Errors
    /// The rule the packet breaks, so that it cannot be encoded (e.g. an empty SUBSCRIBE list,
    /// a Remaining Length over 268,435,455).
    #[inline]
    pub fn encoded_len(&self) -> Result<usize, Error> {
        with_body!(self, p => primitives::encoded_len(p))
    }

    /// Writes the whole packet at the start of `buf` and returns its length.
    ///
    /// # Errors
    /// [`Error::BufferTooSmall`] or the rule the packet breaks; in both cases nothing is
    /// written.
    #[inline]
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, Error> {
        // The packets with variable-length fields each through a function of their own: the
        // registers they need are then saved only for them, not for the fixed-size packets.
        use primitives::{encode_into as inline, encode_into_outlined as outlined};
        match self {
            Packet::Connect(p) => outlined(p, buf),
            Packet::Publish(p) => outlined(p, buf),
            Packet::Subscribe(p) => outlined(p, buf),
            Packet::Suback(p) => outlined(p, buf),
            Packet::Unsubscribe(p) => outlined(p, buf),
            _ => with_body!(self, p => inline(p, buf)),
        }
    }

    /// Appends the encoded packet to `out` and returns its length.
    ///
    /// # Errors
    /// The rule the packet breaks; `out` is then unchanged.
    #[cfg(feature = "alloc")]
    #[inline]
    pub fn encode_to_vec(&self, out: &mut alloc::vec::Vec<u8>) -> Result<usize, Error> {
        self.append_to(out)
    }

    /// Appends the encoded packet to `out` (validated once, then written), as
    /// [`encode_to_vec`](Self::encode_to_vec) does for a `Vec<u8>`.
    #[cfg(feature = "alloc")]
    #[inline]
    pub(crate) fn append_to<A: primitives::Append>(&self, out: &mut A) -> Result<usize, Error> {
        with_body!(self, p => primitives::encode_appending(p, out))
    }
}

macro_rules! from_packet {
    ($($var:ident($ty:ty)),* $(,)?) => {$(
        impl<'a> From<$ty> for Packet<'a> {
            #[inline]
            fn from(p: $ty) -> Packet<'a> {
                Packet::$var(p)
            }
        }
    )*};
}

from_packet!(
    Connect(Connect<'a>),
    Connack(Connack),
    Publish(Publish<'a>),
    Puback(Puback),
    Pubrec(Pubrec),
    Pubrel(Pubrel),
    Pubcomp(Pubcomp),
    Subscribe(Subscribe<'a>),
    Suback(Suback<'a>),
    Unsubscribe(Unsubscribe<'a>),
    Unsuback(Unsuback),
);
