//! One-shot decoding: the fixed header (§2.2) and the dispatch to the packet bodies.

use core::fmt;
use core::num::NonZeroUsize;

use crate::ack::decode_id;
use crate::primitives::{expect_end, into_fail, utf8, Fail, StrOpts, MAX_REMAINING_LENGTH};
use crate::topic::has_special;
use crate::{connack, connect, publish, suback, subscribe, unsubscribe};
use crate::{DecodeError, Error, Packet, PacketId, PacketType, Publish, QosPid, TopicName};

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
    /// readable) the packet's total length, so that the caller can skip the packet.
    ///
    /// Errors of the fixed header (a reserved packet type, invalid flags, PUBLISH QoS 3 or DUP
    /// with QoS 0, a Remaining Length that is not minimal under
    /// [`strict_remaining_length`](Self::strict_remaining_length), a wrong fixed Remaining
    /// Length, a packet not allowed towards [`role`](Self::role), a packet over
    /// [`max_packet_size`](Self::max_packet_size)) are reported as soon as the fixed header is
    /// complete, without waiting for the body, and always with `packet_len`; while the header is
    /// incomplete the answer is `Incomplete(Needed::Unknown)`. So every prefix of an input
    /// decodes to `Incomplete` or to exactly the answer for the whole input. When several header
    /// rules are broken, the first one in the order above is reported. Only a Remaining Length
    /// that runs past four bytes leaves the length unknown (`packet_len` is `None`; a bad first
    /// byte is then still the error reported).
    ///
    /// ```
    /// use vcd_mqtt_codec::{decode, DecodeError, Error, Needed, Packet, Status};
    ///
    /// // Reserved packet type 15 with a Remaining Length of 2, then a PINGREQ.
    /// let input = [0xF0, 0x02, 0xAA, 0xBB, 0xC0, 0x00];
    /// assert_eq!(decode(&input[..1]), Ok(Status::Incomplete(Needed::Unknown)));
    /// let e = decode(&input).unwrap_err();
    /// assert_eq!(e, DecodeError::new(Error::ReservedPacketType(15), 0, Some(4)));
    /// // Skip the bad packet and go on.
    /// let next = &input[e.packet_len.unwrap()..];
    /// assert_eq!(decode(next), Ok(Status::Complete((Packet::Pingreq, 2))));
    /// ```
    #[inline]
    pub fn decode<'a>(&self, input: &'a [u8]) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
        if let Some((publish, total)) = self.publish_fast(input) {
            return Ok(Status::Complete((Packet::Publish(publish), total)));
        }
        if let Some(ack) = self.ack_fast(input) {
            return Ok(Status::Complete((ack, ACK_LEN)));
        }
        self.decode_general(input)
    }

    /// The other common case, a valid and complete 4-byte acknowledgement (PUBACK, PUBREC,
    /// PUBREL, PUBCOMP, UNSUBACK: the fixed first byte, Remaining Length 2, a non-zero packet
    /// id). `None` for anything else, which the general path then decodes and reports; whenever
    /// this returns a packet, the general path returns the same one. Kept apart from the general
    /// path so that the small result is not merged with the large packets' (measured: +33
    /// instructions per PUBACK without it).
    #[inline(always)]
    fn ack_fast<'a>(&self, input: &'a [u8]) -> Option<Packet<'a>> {
        let [first, 2, hi, lo, ..] = *input else {
            return None;
        };
        let id = PacketId::new(u16::from_be_bytes([hi, lo]))?;
        if ACK_LEN > self.max_packet_size {
            return None;
        }
        Some(match first {
            0x40 => Packet::Puback(id.into()),
            0x50 => Packet::Pubrec(id.into()),
            0x62 => Packet::Pubrel(id.into()),
            0x70 => Packet::Pubcomp(id.into()),
            // UNSUBACK travels towards clients only.
            0xB0 if self.role != Some(Role::Server) => Packet::Unsuback(id.into()),
            _ => return None,
        })
    }

    /// The common case, a valid and complete PUBLISH with a minimal Remaining Length of 1-3
    /// bytes and default text options, decoded straight from the bytes. `None` for anything
    /// else (other types, errors, incomplete input, rarer encodings), which the general path
    /// [`decode_general`](Self::decode_general) then decodes and reports: whenever this returns
    /// a packet, the general path returns the same one.
    #[inline(always)]
    fn publish_fast<'a>(&self, input: &'a [u8]) -> Option<(Publish<'a>, usize)> {
        let (&first, rest) = input.split_first()?;
        let flags = first & 0x0F;
        // Type 3 with valid flags (no QoS 3, no DUP with QoS 0); PUBLISH travels towards either
        // role, so `role` cannot reject it.
        if first >> 4 != PacketType::Publish.as_u8()
            || (PUBLISH_FLAGS_OK >> flags) & 1 == 0
            || self.reject_control_characters
        {
            return None;
        }
        // A Remaining Length of 1-3 bytes (up to 2 MiB); a zero last byte would be
        // non-minimal, which only the general path knows how to treat.
        let (remaining, header_len) = match *rest {
            [b1, ..] if b1 < 0x80 => (usize::from(b1), 2),
            [b1, b2, ..] if b2 < 0x80 => {
                if b2 == 0 {
                    return None;
                }
                (usize::from(b1 & 0x7F) | usize::from(b2) << 7, 3)
            }
            [b1, b2, b3, ..] if b3 < 0x80 && b3 != 0 => (
                usize::from(b1 & 0x7F) | usize::from(b2 & 0x7F) << 7 | usize::from(b3) << 14,
                4,
            ),
            _ => return None,
        };
        let total = header_len + remaining;
        if total > self.max_packet_size {
            return None;
        }
        let body = input.get(header_len..total)?;
        let (len, body) = body.split_first_chunk::<2>()?;
        let (topic, after) = body.split_at_checked(usize::from(u16::from_be_bytes(*len)))?;
        let (qos_pid, payload) = match (flags >> 1) & 3 {
            0 => (QosPid::AtMostOnce, after),
            qos => {
                let (id, payload) = after.split_first_chunk::<2>()?;
                let id = PacketId::new(u16::from_be_bytes(*id))?;
                let qos_pid = if qos == 1 {
                    QosPid::AtLeastOnce(id)
                } else {
                    QosPid::ExactlyOnce(id)
                };
                (qos_pid, payload)
            }
        };
        // Topic rules: not empty, no U+0000, `+` or `#` (at most 16,383 bytes here), UTF-8.
        if topic.is_empty() || has_special::<true>(topic) {
            return None;
        }
        let topic = TopicName::new_unchecked(utf8(topic).ok()?);
        Some((Publish::from_flags(flags, qos_pid, topic, payload), total))
    }

    /// [`decode`](Self::decode) without the fast paths: every packet type, every error.
    #[inline]
    fn decode_general<'a>(
        &self,
        input: &'a [u8],
    ) -> Result<Status<(Packet<'a>, usize)>, DecodeError> {
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
        let info = TYPE_INFO[usize::from(first >> 4)];
        let flags = first & 0x0F;
        let first_ok = (info.flags_ok >> flags) & 1 != 0;

        // Remaining Length: 1..=4 bytes of base-128 varint (§2.2.3).
        let Some(&b1) = input.get(1) else {
            return Ok(None);
        };
        let (remaining, header_len) = if b1 & 0x80 == 0 {
            (usize::from(b1), 2)
        } else {
            match self.long_remaining_length(first, first_ok, input)? {
                Some(rl) => rl,
                None => return Ok(None),
            }
        };
        let total = header_len + remaining;
        let packet_type = match info.packet_type {
            Some(t) if first_ok => t,
            _ => return Err(first_byte_error(first, Some(total))),
        };
        if let Some(role) = self.role {
            let rejected = match role {
                Role::Client => REJECTED_BY_CLIENT,
                Role::Server => REJECTED_BY_SERVER,
            };
            if info.rejected_by & rejected != 0 {
                return Err(role_error(packet_type, role, total));
            }
        }
        // `fixed_mask` is all ones for types with a fixed Remaining Length, zero otherwise.
        if (remaining ^ usize::from(info.fixed_len)) & info.fixed_mask != 0 {
            return Err(DecodeError::new(
                Error::InvalidRemainingLength {
                    packet_type,
                    expected: usize::from(info.fixed_len),
                    actual: remaining,
                },
                1,
                Some(total),
            ));
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

    /// A Remaining Length of two to four bytes (`input[1]` has its continuation bit set):
    /// `(remaining, header_len)`, `Ok(None)` while incomplete. Errors: a bad first byte (which
    /// wins over any varint error), the varint running past four bytes (length unknown), and a
    /// non-minimal varint when strict.
    #[inline]
    fn long_remaining_length(
        &self,
        first: u8,
        first_ok: bool,
        input: &[u8],
    ) -> Result<Option<(usize, usize)>, DecodeError> {
        let mut remaining = 0usize;
        for k in 0..4usize {
            let Some(&b) = input.get(1 + k) else {
                return Ok(None);
            };
            remaining |= usize::from(b & 0x7F) << (7 * k);
            if b & 0x80 == 0 {
                let header_len = 2 + k;
                let total = header_len + remaining;
                if !first_ok {
                    return Err(first_byte_error(first, Some(total)));
                }
                if b == 0 && self.strict_remaining_length {
                    // The length itself is readable, so the packet can still be skipped.
                    return Err(DecodeError::new(
                        Error::NonMinimalRemainingLength,
                        1 + k,
                        Some(total),
                    ));
                }
                return Ok(Some((remaining, header_len)));
            }
        }
        if !first_ok {
            return Err(first_byte_error(first, None));
        }
        Err(DecodeError::new(Error::RemainingLengthTooLong, 4, None))
    }

    /// Decodes the body of a complete packet.
    #[inline]
    fn body<'a>(&self, t: PacketType, flags: u8, body: &'a [u8]) -> Result<Packet<'a>, Fail> {
        let so = self.str_opts();
        let (rest, packet) = match t {
            PacketType::Publish => {
                publish::decode(flags, body, so).map(|(r, p)| (r, Packet::Publish(p)))
            }
            PacketType::Puback => decode_id(body).map(|(r, id)| (r, Packet::Puback(id.into()))),
            PacketType::Pubrec => decode_id(body).map(|(r, id)| (r, Packet::Pubrec(id.into()))),
            PacketType::Pubrel => decode_id(body).map(|(r, id)| (r, Packet::Pubrel(id.into()))),
            PacketType::Pubcomp => decode_id(body).map(|(r, id)| (r, Packet::Pubcomp(id.into()))),
            PacketType::Unsuback => decode_id(body).map(|(r, id)| (r, Packet::Unsuback(id.into()))),
            PacketType::Pingreq => Ok((body, Packet::Pingreq)),
            PacketType::Pingresp => Ok((body, Packet::Pingresp)),
            PacketType::Disconnect => Ok((body, Packet::Disconnect)),
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

/// The length of the packets [`DecodeOptions::ack_fast`] decodes.
const ACK_LEN: usize = 4;

// The ack fast path's first bytes, its role rule and its length, checked against the
// definitions.
const _: () = {
    let acks = [
        (0x40, PacketType::Puback),
        (0x50, PacketType::Pubrec),
        (0x62, PacketType::Pubrel),
        (0x70, PacketType::Pubcomp),
        (0xB0, PacketType::Unsuback),
    ];
    let mut k = 0;
    while k < acks.len() {
        let (first, t) = acks[k];
        assert!(matches!(t.fixed_flags(), Some(f) if first == (t.as_u8() << 4) | f));
        assert!(matches!(t.fixed_remaining_length(), Some(n) if 2 + n == ACK_LEN));
        assert!(Role::Client.accepts(t));
        assert!(Role::Server.accepts(t) != matches!(t, PacketType::Unsuback));
        k += 1;
    }
};

/// The valid flag nibbles of PUBLISH, as a bit set (see [`TypeInfo::flags_ok`]).
const PUBLISH_FLAGS_OK: u16 = TYPE_INFO[PacketType::Publish as usize].flags_ok;

// The PUBLISH fast path relies on no role rejecting PUBLISH.
const _: () =
    assert!(Role::Client.accepts(PacketType::Publish) && Role::Server.accepts(PacketType::Publish));

/// `TypeInfo::rejected_by` bit: a client does not accept this type.
const REJECTED_BY_CLIENT: u8 = 1;
/// `TypeInfo::rejected_by` bit: a server does not accept this type.
const REJECTED_BY_SERVER: u8 = 2;

/// What the fixed header may hold for one value of the packet type nibble.
#[derive(Debug, Clone, Copy)]
struct TypeInfo {
    /// The type; `None` for the reserved 0 and 15.
    packet_type: Option<PacketType>,
    /// Bit `f` is set iff the flag nibble `f` is valid for this type (none for reserved types;
    /// the fixed value [MQTT-2.2.2-2]; for PUBLISH all but QoS 3 [MQTT-3.3.1-4] and DUP with
    /// QoS 0 [MQTT-3.3.1-2]).
    flags_ok: u16,
    /// The fixed Remaining Length (0 when there is none).
    fixed_len: u8,
    /// `usize::MAX` when the type has a fixed Remaining Length, else 0.
    fixed_mask: usize,
    /// [`REJECTED_BY_CLIENT`] / [`REJECTED_BY_SERVER`] bits.
    rejected_by: u8,
}

/// The first-byte and fixed-header rules of each packet type as one table, indexed by the type
/// nibble, so that the header check is a table load and a few compares rather than a branch per
/// type. Derived from [`PacketType::from_u8`], [`PacketType::fixed_flags`],
/// [`PacketType::fixed_remaining_length`] and [`Role::accepts`], which stay the definitions.
const TYPE_INFO: [TypeInfo; 16] = {
    let mut table = [TypeInfo {
        packet_type: None,
        flags_ok: 0,
        fixed_len: 0,
        fixed_mask: 0,
        rejected_by: 0,
    }; 16];
    let mut t = 0u8;
    while t < 16 {
        if let Some(packet_type) = PacketType::from_u8(t) {
            let flags_ok = match packet_type.fixed_flags() {
                Some(fixed) => 1u16 << fixed,
                None => {
                    let mut ok = 0u16;
                    let mut f = 0u8;
                    while f < 16 {
                        let qos = (f >> 1) & 3;
                        if qos != 3 && !(qos == 0 && f & 0b1000 != 0) {
                            ok |= 1 << f;
                        }
                        f += 1;
                    }
                    ok
                }
            };
            let (fixed_len, fixed_mask) = match packet_type.fixed_remaining_length() {
                Some(len) => (len as u8, usize::MAX),
                None => (0, 0),
            };
            let mut rejected_by = 0;
            if !Role::Client.accepts(packet_type) {
                rejected_by |= REJECTED_BY_CLIENT;
            }
            if !Role::Server.accepts(packet_type) {
                rejected_by |= REJECTED_BY_SERVER;
            }
            table[t as usize] = TypeInfo {
                packet_type: Some(packet_type),
                flags_ok,
                fixed_len,
                fixed_mask,
                rejected_by,
            };
        }
        t += 1;
    }
    table
};

/// The error for an invalid first byte: packet type reserved (§2.2.1), flags
/// [MQTT-2.2.2-1] [MQTT-2.2.2-2], PUBLISH QoS 3 [MQTT-3.3.1-4], DUP with QoS 0
/// [MQTT-3.3.1-2]. Reported at offset 0, with the packet's length when the Remaining Length was
/// readable.
#[cold]
#[inline(never)]
fn first_byte_error(b: u8, packet_len: Option<usize>) -> DecodeError {
    let t = b >> 4;
    let flags = b & 0x0F;
    let error = match PacketType::from_u8(t) {
        None => Error::ReservedPacketType(t),
        Some(packet_type) => match packet_type.fixed_flags() {
            Some(_) => Error::InvalidFlags { packet_type, flags },
            None if (flags >> 1) & 3 == 3 => Error::InvalidQoS(3),
            None => Error::QoS0WithDup,
        },
    };
    DecodeError::new(error, 0, packet_len)
}

/// The error for a packet that may not travel towards the receiving role.
#[cold]
#[inline(never)]
fn role_error(packet_type: PacketType, role: Role, total: usize) -> DecodeError {
    DecodeError::new(
        Error::UnexpectedPacketForRole { packet_type, role },
        0,
        Some(total),
    )
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
        // A bad first byte is reported once the Remaining Length is readable, with the length.
        assert_eq!(decode(&[0x00]), Ok(Status::Incomplete(Needed::Unknown)));
        assert_eq!(
            err(&[0x00, 0x00]),
            DecodeError::new(Error::ReservedPacketType(0), 0, Some(2))
        );
        assert_eq!(
            err(&[0xF0, 0x80, 0x01]),
            DecodeError::new(Error::ReservedPacketType(15), 0, Some(131))
        );
        assert_eq!(
            err(&[0x60, 0x02]),
            DecodeError::new(
                Error::InvalidFlags {
                    packet_type: PacketType::Pubrel,
                    flags: 0
                },
                0,
                Some(4)
            )
        );
        assert_eq!(
            err(&[0x36, 0x00]),
            DecodeError::new(Error::InvalidQoS(3), 0, Some(2))
        );
        assert_eq!(
            err(&[0x38, 0x03]),
            DecodeError::new(Error::QoS0WithDup, 0, Some(5))
        );
        // The varint itself malformed: the first-byte error, length unknown.
        assert_eq!(
            err(&[0x38, 0x80, 0x80, 0x80, 0x80]),
            DecodeError::new(Error::QoS0WithDup, 0, None)
        );
        // A bad first byte wins over the other header rules.
        assert_eq!(
            DecodeOptions::new()
                .strict(true)
                .role(Role::Server)
                .max_packet_size(2)
                .decode(&[0xE1, 0x80, 0x00]),
            Err(DecodeError::new(
                Error::InvalidFlags {
                    packet_type: PacketType::Disconnect,
                    flags: 1
                },
                0,
                Some(3)
            ))
        );
        assert_eq!(
            err(&[0xE1, 0x00]).error.statement_id(),
            Some("MQTT-3.14.1-1")
        );
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

    /// Valid topic text (ASCII, the separator, the wildcards' neighbours, a control character,
    /// two- and three-byte UTF-8) and the bytes that break a topic (U+0000, the wildcards, a
    /// lone continuation byte, an invalid byte, a truncated sequence).
    const TOPIC_TEXT: &[&str] = &["a", "/", "*", ",", "\u{3}", "\u{e9}", "\u{20ac}"];
    const TOPIC_BREAKERS: &[u8] = &[0, b'+', b'#', 0x80, 0xFF, 0xC3];

    /// A topic, valid or broken at one byte.
    fn topic() -> impl Strategy<Value = std::vec::Vec<u8>> {
        (
            proptest::collection::vec(proptest::sample::select(TOPIC_TEXT), 0..40),
            prop_oneof![
                3 => Just(None),
                1 => (any::<usize>(), proptest::sample::select(TOPIC_BREAKERS)).prop_map(Some)
            ],
        )
            .prop_map(|(parts, breaker)| {
                let mut t: std::vec::Vec<u8> = parts.concat().into_bytes();
                if let Some((at, b)) = breaker {
                    t.insert(at % (t.len() + 1), b);
                }
                t
            })
    }

    /// A PUBLISH built field by field, possibly broken: any flags, any topic, any packet id,
    /// a Remaining Length that may be off by a few bytes or not minimal, cut anywhere.
    fn publish_wire() -> impl Strategy<Value = std::vec::Vec<u8>> {
        (
            0u8..16,
            topic(),
            any::<u16>(),
            prop_oneof![
                6 => 0usize..300,
                2 => 16_000usize..17_000,
                1 => Just(2_100_000usize)
            ],
            prop_oneof![3 => Just(0i64), 1 => -3i64..4],
            prop_oneof![3 => Just(0usize), 1 => Just(1usize)],
            prop_oneof![3 => Just(None), 1 => any::<usize>().prop_map(Some)],
        )
            .prop_map(|(flags, topic, pid, payload_len, delta, extra, cut)| {
                let mut body = std::vec::Vec::new();
                body.extend_from_slice(&(topic.len() as u16).to_be_bytes());
                body.extend_from_slice(&topic);
                if (flags >> 1) & 3 != 0 {
                    body.extend_from_slice(&pid.to_be_bytes());
                }
                body.resize(body.len() + payload_len, b'p');
                let mut rl = (body.len() as i64 + delta).max(0) as usize;
                let mut wire = std::vec![0x30 | flags];
                loop {
                    let more = rl >= 0x80 || (rl == 0 && extra > 0 && wire.len() < 4);
                    wire.push((rl & 0x7F) as u8 | if more { 0x80 } else { 0 });
                    rl >>= 7;
                    if !more {
                        break;
                    }
                }
                if extra > 0 && wire.len() < 5 {
                    // Not minimal: one more continuation byte before a zero.
                    let last = wire.len() - 1;
                    wire[last] |= 0x80;
                    wire.push(0);
                }
                wire.extend_from_slice(&body);
                if let Some(cut) = cut {
                    wire.truncate(cut % (wire.len() + 1));
                }
                wire
            })
    }

    fn options() -> impl Strategy<Value = DecodeOptions> {
        (
            any::<bool>(),
            proptest::bool::weighted(0.2),
            prop_oneof![
                Just(None),
                Just(Some(Role::Client)),
                Just(Some(Role::Server))
            ],
            prop_oneof![
                3 => Just(DEFAULT_MAX_PACKET_SIZE),
                1 => 0usize..300,
                1 => 16_000usize..17_000
            ],
        )
            .prop_map(|(strict, ctl, role, max)| DecodeOptions {
                max_packet_size: max,
                strict_remaining_length: strict,
                role,
                reject_control_characters: ctl,
            })
    }

    /// The fast paths and the general path give the same answer.
    fn same_as_general(opts: &DecodeOptions, bytes: &[u8]) -> Result<(), TestCaseError> {
        let general = opts.decode_general(bytes);
        prop_assert_eq!(opts.decode(bytes), general);
        if let Some((p, n)) = opts.publish_fast(bytes) {
            prop_assert_eq!(general, Ok(Status::Complete((Packet::Publish(p), n))));
        }
        if let Some(p) = opts.ack_fast(bytes) {
            prop_assert_eq!(general, Ok(Status::Complete((p, ACK_LEN))));
        }
        Ok(())
    }

    #[test]
    fn fast_paths_taken_for_common_packets() {
        let opts = DecodeOptions::new();
        for wire in [
            &b"\x30\x03\x00\x01a"[..],
            b"\x3b\x09\x00\x03a/b\x00\x0ahi",
            b"\x34\x07\x00\x03\xc3\xa9/\xff\xff",
        ] {
            assert!(opts.publish_fast(wire).is_some(), "{wire:02x?}");
            same_as_general(&opts, wire).unwrap();
        }
        for wire in [
            &b"\x40\x02\x00\x01"[..],
            b"\x50\x02\x01\x00",
            b"\x62\x02\xff\xff",
            b"\x70\x02\x12\x34\x40",
            b"\xb0\x02\x00\x07",
        ] {
            assert!(opts.ack_fast(wire).is_some(), "{wire:02x?}");
            same_as_general(&opts, wire).unwrap();
        }
        let mut big = std::vec![0x32, 0x80, 0x80, 0x01, 0x00, 0x01, b't', 0x00, 0x01];
        big.resize(4 + 16_384, 0);
        assert_eq!(opts.publish_fast(&big).map(|(_, n)| n), Some(big.len()));
    }

    proptest! {
        // 16× the default cases (`PROPTEST_CASES` scales it; 256 unless set).
        #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases * 16))]

        /// Fast path against general path on PUBLISHes, valid or broken in every field.
        #[test]
        fn fast_path_agrees_on_publishes(
            wire in publish_wire(),
            edits in prop_oneof![
                3 => Just(std::vec::Vec::new()),
                1 => proptest::collection::vec((any::<usize>(), any::<u8>()), 1..3)
            ],
            opts in options(),
        ) {
            let mut bytes = wire;
            for (pos, val) in edits {
                if !bytes.is_empty() {
                    let at = pos % bytes.len().min(80);
                    bytes[at] = val;
                }
            }
            same_as_general(&opts, &bytes)?;
        }

        /// Fast path against general path on arbitrary bytes (mostly PUBLISH first bytes).
        #[test]
        fn fast_path_agrees_on_any_bytes(
            first in prop_oneof![0x30u8..0x40, any::<u8>()],
            rest in proptest::collection::vec(any::<u8>(), 0..80),
            opts in options(),
        ) {
            let mut bytes = std::vec![first];
            bytes.extend_from_slice(&rest);
            same_as_general(&opts, &bytes)?;
        }

        /// Fast paths against general path on 4-byte acknowledgements and their neighbours:
        /// every type, valid or wrong flags, Remaining Length 2 or not, zero or non-zero ids,
        /// cut short or followed by more bytes.
        #[test]
        fn fast_path_agrees_on_acks(
            first in prop_oneof![
                3 => proptest::sample::select(&[0x40u8, 0x50, 0x62, 0x70, 0xB0][..]),
                1 => any::<u8>()
            ],
            len in prop_oneof![3 => Just(2u8), 1 => any::<u8>()],
            id in prop_oneof![3 => 1u16.., 1 => Just(0u16)],
            extra in proptest::collection::vec(any::<u8>(), 0..4),
            cut in prop_oneof![3 => Just(None), 1 => (0usize..4).prop_map(Some)],
            opts in options(),
        ) {
            let mut bytes = std::vec![first, len];
            bytes.extend_from_slice(&id.to_be_bytes());
            bytes.extend_from_slice(&extra);
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            same_as_general(&opts, &bytes)?;
        }

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
