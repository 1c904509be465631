//! The packets that carry only a packet identifier (PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK)
//! and the ones that carry nothing (PINGREQ, PINGRESP, DISCONNECT): one implementation each.

use crate::primitives::{encode_methods, packet_id, Encode, PResult, Sink};
use crate::{Error, PacketId, PacketType};

/// Decodes the 2-byte body of an id-only packet (the header already checked the length).
#[inline]
pub(crate) fn decode_id(body: &[u8]) -> PResult<'_, PacketId> {
    packet_id(body)
}

macro_rules! id_packet {
    ($(#[$doc:meta])* $name:ident, $ptype:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name {
            /// The packet identifier of the packet this one answers.
            pub packet_id: PacketId,
        }

        impl $name {
            /// A packet answering `packet_id`.
            #[inline]
            pub const fn new(packet_id: PacketId) -> Self {
                $name { packet_id }
            }
        }

        impl Encode for $name {
            #[inline]
            fn first_byte(&self) -> u8 {
                let t: PacketType = $ptype;
                (t.as_u8() << 4) | match t.fixed_flags() {
                    Some(f) => f,
                    None => 0,
                }
            }
            #[inline]
            fn remaining_len(&self) -> Result<usize, Error> {
                Ok(2)
            }
            #[inline]
            fn write_body<S: Sink>(&self, w: &mut S) {
                w.u16(self.packet_id.get());
            }
        }

        encode_methods!($name);

        impl From<PacketId> for $name {
            #[inline]
            fn from(packet_id: PacketId) -> Self {
                $name { packet_id }
            }
        }
    };
}

id_packet!(
    /// PUBACK: acknowledges a QoS 1 PUBLISH (§3.4).
    Puback,
    PacketType::Puback
);
id_packet!(
    /// PUBREC: first answer to a QoS 2 PUBLISH (§3.5).
    Pubrec,
    PacketType::Pubrec
);
id_packet!(
    /// PUBREL: answer to PUBREC; its fixed header flags are `0010` [MQTT-3.6.1-1] (§3.6).
    Pubrel,
    PacketType::Pubrel
);
id_packet!(
    /// PUBCOMP: answer to PUBREL, completing QoS 2 (§3.7).
    Pubcomp,
    PacketType::Pubcomp
);
id_packet!(
    /// UNSUBACK: acknowledges an UNSUBSCRIBE (§3.11).
    Unsuback,
    PacketType::Unsuback
);

/// PINGREQ, PINGRESP and DISCONNECT: a fixed header with flags 0 and Remaining Length 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Empty(pub(crate) PacketType);

impl Encode for Empty {
    #[inline]
    fn first_byte(&self) -> u8 {
        self.0.as_u8() << 4
    }
    #[inline]
    fn remaining_len(&self) -> Result<usize, Error> {
        Ok(0)
    }
    #[inline]
    fn write_body<S: Sink>(&self, _w: &mut S) {}
}
