//! The one error enum for decoding and encoding, and the decode error with its position.

use core::fmt;

use crate::{PacketType, Role};

/// The rule a packet breaks.
///
/// One enum for decoding and encoding. Each variant's documentation names the MQTT 3.1.1
/// statement(s) it enforces, and [`Error::statement_id`] returns the primary one (or `None` for
/// rules that the standard states without a number). Variants marked *(encode)* are only produced
/// by the encoder or by the checked constructors; variants marked *(decode)* only by the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    // ---------------------------------------------------------------- fixed header
    /// Packet type 0 or 15 is reserved (§2.2.1, unnumbered). *(decode)*
    ReservedPacketType(u8),
    /// The flag nibble of a packet other than PUBLISH is not its fixed value: `0010` for PUBREL,
    /// SUBSCRIBE and UNSUBSCRIBE, `0000` for all others [MQTT-2.2.2-1] [MQTT-2.2.2-2]; see also
    /// [MQTT-3.6.1-1] (PUBREL), [MQTT-3.8.1-1] (SUBSCRIBE), [MQTT-3.10.1-1] (UNSUBSCRIBE) and
    /// [MQTT-3.14.1-1] (DISCONNECT), which [`Error::statement_id`] returns for those types.
    /// *(decode)*
    InvalidFlags {
        /// The packet type whose flags are wrong.
        packet_type: PacketType,
        /// The flag nibble received.
        flags: u8,
    },
    /// The Remaining Length varint has a continuation bit set on its fourth byte, i.e. it would
    /// need a fifth byte (§2.2.3, unnumbered). *(decode)*
    RemainingLengthTooLong,
    /// The Remaining Length is not in its minimal encoding (only with
    /// [`DecodeOptions::strict_remaining_length`](crate::DecodeOptions::strict_remaining_length);
    /// 3.1.1 itself allows it, §2.2.3). *(decode)*
    NonMinimalRemainingLength,
    /// A packet type with a fixed Remaining Length (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP,
    /// UNSUBACK: 2; PINGREQ, PINGRESP, DISCONNECT: 0) has another one (unnumbered). *(decode)*
    InvalidRemainingLength {
        /// The packet type.
        packet_type: PacketType,
        /// Its fixed Remaining Length.
        expected: usize,
        /// The Remaining Length received.
        actual: usize,
    },
    /// The whole packet (fixed header included) is longer than
    /// [`DecodeOptions::max_packet_size`](crate::DecodeOptions::max_packet_size). *(decode)*
    PacketTooLarge {
        /// Total packet length announced by the fixed header.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The packet may not travel towards the receiving role (§2.2.1 direction column, and
    /// [MQTT-4.8.0-1] protocol violation). Only with
    /// [`DecodeOptions::role`](crate::DecodeOptions::role). *(decode)*
    UnexpectedPacketForRole {
        /// The packet type received.
        packet_type: PacketType,
        /// The receiving role.
        role: Role,
    },
    // ---------------------------------------------------------------- structure
    /// A field (or its length prefix) runs past the end of the packet's Remaining Length:
    /// the inner lengths do not add up (unnumbered; e.g. a truncated topic length [MQTT-3.3.2-1]).
    /// *(decode)*
    UnexpectedEnd,
    /// Bytes are left inside the packet after its last field: the inner lengths do not add up to
    /// the Remaining Length (unnumbered). *(decode)*
    TrailingBytes,
    // ---------------------------------------------------------------- strings
    /// A text field is not well-formed UTF-8 (overlong forms, surrogates, truncated sequences)
    /// [MQTT-1.5.3-1]; this covers ClientId [MQTT-3.1.3-4], Will Topic [MQTT-3.1.3-10], User Name
    /// [MQTT-3.1.3-11], topic names [MQTT-3.3.2-1] and filters [MQTT-3.8.3-1] [MQTT-3.10.3-1].
    /// *(decode)*
    InvalidUtf8,
    /// A text field contains U+0000 [MQTT-1.5.3-2]; for topics also [MQTT-4.7.3-2].
    NullCharacter,
    /// A text field contains a control character U+0001..=U+001F or U+007F..=U+009F (§1.5.3
    /// SHOULD NOT; only with
    /// [`DecodeOptions::reject_control_characters`](crate::DecodeOptions::reject_control_characters)).
    /// *(decode)*
    ControlCharacter,
    /// A text field contains a Unicode non-character (U+FDD0..=U+FDEF or U+xFFFE/U+xFFFF;
    /// §1.5.3 SHOULD NOT; only with
    /// [`DecodeOptions::reject_control_characters`](crate::DecodeOptions::reject_control_characters)).
    /// *(decode)*
    NonCharacter,
    /// A text field is longer than 65,535 bytes; for topic names and filters [MQTT-4.7.3-3],
    /// for the other strings §1.5.3. Carries the length. *(encode)*
    StringTooLong(usize),
    /// A binary field (Will Message, Password) is longer than 65,535 bytes (§3.1.3.3, §3.1.3.5).
    /// Carries the length. *(encode)*
    BinaryTooLong(usize),
    // ---------------------------------------------------------------- CONNECT
    /// The CONNECT protocol name is not `"MQTT"` [MQTT-3.1.2-1]. *(decode)*
    InvalidProtocolName,
    /// The CONNECT protocol level is not 4 (3.1.1) [MQTT-3.1.2-2]; the server should answer
    /// CONNACK 0x01. Carries the level received. *(decode)*
    UnsupportedProtocolLevel(u8),
    /// The reserved bit 0 of the CONNECT flags is set [MQTT-3.1.2-3]. *(decode)*
    ConnectReservedFlag,
    /// Will QoS bits are non-zero while the Will Flag is 0 [MQTT-3.1.2-13] [MQTT-3.1.2-11].
    /// Carries the Will QoS bits. *(decode)*
    WillQoSWithoutWill(u8),
    /// Will Retain is 1 while the Will Flag is 0 [MQTT-3.1.2-15] [MQTT-3.1.2-11]. *(decode)*
    WillRetainWithoutWill,
    /// Will QoS is 3 [MQTT-3.1.2-14]. *(decode)*
    InvalidWillQoS(u8),
    /// The Will Flag is 1 but the payload ends before the Will Topic or Will Message
    /// [MQTT-3.1.2-9]. *(decode)*
    MissingWill,
    /// The CONNECT payload is empty: the ClientId is always present [MQTT-3.1.3-3]. *(decode)*
    MissingClientId,
    /// The User Name flag is 1 but the payload has no User Name [MQTT-3.1.2-19]. *(decode)*
    MissingUserName,
    /// The Password flag is 1 but the payload has no Password [MQTT-3.1.2-21]. *(decode)*
    MissingPassword,
    /// The User Name flag is 0 but more fields follow where a User Name would be
    /// [MQTT-3.1.2-18] (also a Will field without the Will Flag, [MQTT-3.1.2-11]). *(decode)*
    UnexpectedUserName,
    /// The Password flag is 0 but a field follows the User Name [MQTT-3.1.2-20]. *(decode)*
    UnexpectedPassword,
    /// The Password flag is 1 without the User Name flag [MQTT-3.1.2-22].
    PasswordWithoutUserName,
    /// An empty ClientId with CleanSession = 0 [MQTT-3.1.3-7]. *(encode)* A decoder accepts it
    /// (the server answers CONNACK 0x02, [MQTT-3.1.3-8]).
    EmptyClientIdWithoutCleanSession,
    // ---------------------------------------------------------------- CONNACK
    /// CONNACK acknowledge flags bits 7..1 are not 0 (§3.2.2.1, unnumbered). Carries the byte.
    /// *(decode)*
    ConnackReservedFlags(u8),
    /// CONNACK return code 6..=255 is reserved (§3.2.2.3, unnumbered). Carries the code.
    /// *(decode)*
    InvalidConnectReturnCode(u8),
    /// Session Present is 1 with a non-zero return code [MQTT-3.2.2-4].
    SessionPresentWithError,
    // ---------------------------------------------------------------- PUBLISH
    /// PUBLISH QoS bits are both 1 [MQTT-3.3.1-4]. Carries the value (3). *(decode)*
    InvalidQoS(u8),
    /// A QoS 0 PUBLISH has DUP = 1 [MQTT-3.3.1-2] [MQTT-4.3.1-1].
    QoS0WithDup,
    /// A packet identifier is 0 in SUBSCRIBE, UNSUBSCRIBE, a QoS 1/2 PUBLISH or an
    /// acknowledgement [MQTT-2.3.1-1]. *(decode)*
    ZeroPacketId,
    // ---------------------------------------------------------------- topics
    /// A topic name or filter is empty [MQTT-4.7.3-1].
    EmptyTopic,
    /// A topic name (PUBLISH topic, Will Topic) contains `+` or `#` [MQTT-3.3.2-2]
    /// [MQTT-4.7.1-1].
    WildcardInTopicName,
    /// `#` in a topic filter is not alone in the last level [MQTT-4.7.1-2].
    InvalidMultiLevelWildcard,
    /// `+` in a topic filter does not fill its whole level [MQTT-4.7.1-3].
    InvalidSingleLevelWildcard,
    // ---------------------------------------------------------------- SUBSCRIBE / SUBACK / UNSUBSCRIBE
    /// A SUBSCRIBE without any topic filter [MQTT-3.8.3-3].
    EmptySubscription,
    /// A SUBSCRIBE requested-QoS byte has non-zero upper bits or QoS 3 [MQTT-3.8.3-4].
    /// Carries the byte. *(decode)*
    InvalidSubscribeQoS(u8),
    /// A SUBACK return code other than 0x00, 0x01, 0x02, 0x80 [MQTT-3.9.3-2]. Carries the code.
    /// *(decode)*
    InvalidSubackReturnCode(u8),
    /// An UNSUBSCRIBE without any topic filter [MQTT-3.10.3-2].
    EmptyUnsubscribe,
    // ---------------------------------------------------------------- encoding
    /// The packet's Remaining Length would exceed 268,435,455 (§2.2.3). Carries the length.
    /// *(encode)*
    RemainingLengthTooLarge(usize),
    /// The output buffer is too small for the packet; nothing was written. *(encode)*
    BufferTooSmall {
        /// Bytes the packet needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
}

impl Error {
    /// The MQTT 3.1.1 statement ID this rule comes from, e.g. `Some("MQTT-3.8.3-3")`; `None` for
    /// rules the standard states without a number (and for [`Error::BufferTooSmall`]).
    ///
    /// ```
    /// use vcd_mqtt_codec::Error;
    /// assert_eq!(Error::EmptySubscription.statement_id(), Some("MQTT-3.8.3-3"));
    /// assert_eq!(Error::TrailingBytes.statement_id(), None);
    /// ```
    pub const fn statement_id(&self) -> Option<&'static str> {
        Some(match self {
            Error::InvalidFlags { packet_type, .. } => match packet_type {
                PacketType::Pubrel => "MQTT-3.6.1-1",
                PacketType::Subscribe => "MQTT-3.8.1-1",
                PacketType::Unsubscribe => "MQTT-3.10.1-1",
                PacketType::Disconnect => "MQTT-3.14.1-1",
                _ => "MQTT-2.2.2-2",
            },
            Error::UnexpectedPacketForRole { .. } => "MQTT-4.8.0-1",
            Error::InvalidUtf8 => "MQTT-1.5.3-1",
            Error::NullCharacter => "MQTT-1.5.3-2",
            Error::StringTooLong(_) => "MQTT-4.7.3-3",
            Error::InvalidProtocolName => "MQTT-3.1.2-1",
            Error::UnsupportedProtocolLevel(_) => "MQTT-3.1.2-2",
            Error::ConnectReservedFlag => "MQTT-3.1.2-3",
            Error::WillQoSWithoutWill(_) => "MQTT-3.1.2-13",
            Error::WillRetainWithoutWill => "MQTT-3.1.2-15",
            Error::InvalidWillQoS(_) => "MQTT-3.1.2-14",
            Error::MissingWill => "MQTT-3.1.2-9",
            Error::MissingClientId => "MQTT-3.1.3-3",
            Error::MissingUserName => "MQTT-3.1.2-19",
            Error::MissingPassword => "MQTT-3.1.2-21",
            Error::UnexpectedUserName => "MQTT-3.1.2-18",
            Error::UnexpectedPassword => "MQTT-3.1.2-20",
            Error::PasswordWithoutUserName => "MQTT-3.1.2-22",
            Error::EmptyClientIdWithoutCleanSession => "MQTT-3.1.3-7",
            Error::SessionPresentWithError => "MQTT-3.2.2-4",
            Error::InvalidQoS(_) => "MQTT-3.3.1-4",
            Error::QoS0WithDup => "MQTT-3.3.1-2",
            Error::ZeroPacketId => "MQTT-2.3.1-1",
            Error::EmptyTopic => "MQTT-4.7.3-1",
            Error::WildcardInTopicName => "MQTT-3.3.2-2",
            Error::InvalidMultiLevelWildcard => "MQTT-4.7.1-2",
            Error::InvalidSingleLevelWildcard => "MQTT-4.7.1-3",
            Error::EmptySubscription => "MQTT-3.8.3-3",
            Error::InvalidSubscribeQoS(_) => "MQTT-3.8.3-4",
            Error::InvalidSubackReturnCode(_) => "MQTT-3.9.3-2",
            Error::EmptyUnsubscribe => "MQTT-3.10.3-2",
            Error::ReservedPacketType(_)
            | Error::RemainingLengthTooLong
            | Error::NonMinimalRemainingLength
            | Error::InvalidRemainingLength { .. }
            | Error::PacketTooLarge { .. }
            | Error::UnexpectedEnd
            | Error::TrailingBytes
            | Error::ControlCharacter
            | Error::NonCharacter
            | Error::BinaryTooLong(_)
            | Error::ConnackReservedFlags(_)
            | Error::InvalidConnectReturnCode(_)
            | Error::RemainingLengthTooLarge(_)
            | Error::BufferTooSmall { .. } => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::ReservedPacketType(t) => write!(f, "reserved packet type {t}"),
            Error::InvalidFlags { packet_type, flags } => {
                write!(
                    f,
                    "invalid fixed header flags {flags:#06b} for {packet_type}"
                )
            }
            Error::RemainingLengthTooLong => {
                f.write_str("remaining length needs more than 4 bytes")
            }
            Error::NonMinimalRemainingLength => {
                f.write_str("remaining length is not minimally encoded")
            }
            Error::InvalidRemainingLength {
                packet_type,
                expected,
                actual,
            } => write!(
                f,
                "{packet_type} must have remaining length {expected}, got {actual}"
            ),
            Error::PacketTooLarge { len, max } => {
                write!(
                    f,
                    "packet of {len} bytes exceeds the maximum of {max} bytes"
                )
            }
            Error::UnexpectedPacketForRole { packet_type, role } => {
                write!(f, "a {role} must not receive {packet_type}")
            }
            Error::UnexpectedEnd => f.write_str("field runs past the end of the packet"),
            Error::TrailingBytes => f.write_str("unexpected bytes after the last field"),
            Error::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            Error::NullCharacter => f.write_str("string contains U+0000"),
            Error::ControlCharacter => f.write_str("string contains a control character"),
            Error::NonCharacter => f.write_str("string contains a Unicode non-character"),
            Error::StringTooLong(n) => write!(f, "string of {n} bytes exceeds 65535 bytes"),
            Error::BinaryTooLong(n) => {
                write!(f, "binary field of {n} bytes exceeds 65535 bytes")
            }
            Error::InvalidProtocolName => f.write_str("protocol name is not \"MQTT\""),
            Error::UnsupportedProtocolLevel(l) => {
                write!(f, "unsupported protocol level {l} (expected 4)")
            }
            Error::ConnectReservedFlag => f.write_str("CONNECT reserved flag is set"),
            Error::WillQoSWithoutWill(q) => write!(f, "will QoS {q} without will flag"),
            Error::WillRetainWithoutWill => f.write_str("will retain without will flag"),
            Error::InvalidWillQoS(q) => write!(f, "invalid will QoS {q}"),
            Error::MissingWill => f.write_str("will flag set but will topic/message missing"),
            Error::MissingClientId => f.write_str("CONNECT payload has no client identifier"),
            Error::MissingUserName => f.write_str("user name flag set but user name missing"),
            Error::MissingPassword => f.write_str("password flag set but password missing"),
            Error::UnexpectedUserName => {
                f.write_str("user name flag not set but payload continues")
            }
            Error::UnexpectedPassword => f.write_str("password flag not set but payload continues"),
            Error::PasswordWithoutUserName => f.write_str("password without user name"),
            Error::EmptyClientIdWithoutCleanSession => {
                f.write_str("empty client identifier requires clean session")
            }
            Error::ConnackReservedFlags(b) => {
                write!(f, "CONNACK reserved acknowledge flags set ({b:#04x})")
            }
            Error::InvalidConnectReturnCode(c) => write!(f, "reserved CONNACK return code {c}"),
            Error::SessionPresentWithError => {
                f.write_str("session present with a non-zero CONNACK return code")
            }
            Error::InvalidQoS(q) => write!(f, "invalid PUBLISH QoS {q}"),
            Error::QoS0WithDup => f.write_str("QoS 0 PUBLISH with DUP flag"),
            Error::ZeroPacketId => f.write_str("packet identifier is 0"),
            Error::EmptyTopic => f.write_str("topic is empty"),
            Error::WildcardInTopicName => f.write_str("wildcard in topic name"),
            Error::InvalidMultiLevelWildcard => {
                f.write_str("'#' must be alone in the last topic level")
            }
            Error::InvalidSingleLevelWildcard => f.write_str("'+' must fill a whole topic level"),
            Error::EmptySubscription => f.write_str("SUBSCRIBE without topic filters"),
            Error::InvalidSubscribeQoS(b) => write!(f, "invalid requested QoS byte {b:#04x}"),
            Error::InvalidSubackReturnCode(c) => write!(f, "invalid SUBACK return code {c:#04x}"),
            Error::EmptyUnsubscribe => f.write_str("UNSUBSCRIBE without topic filters"),
            Error::RemainingLengthTooLarge(n) => {
                write!(f, "remaining length {n} exceeds 268435455")
            }
            Error::BufferTooSmall { needed, available } => write!(
                f,
                "buffer too small: packet needs {needed} bytes, {available} available"
            ),
        }?;
        if let Some(id) = self.statement_id() {
            write!(f, " [{id}]")?;
        }
        Ok(())
    }
}

impl core::error::Error for Error {}

/// A decode failure: which rule, where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// The rule broken.
    pub error: Error,
    /// Byte offset from the start of the packet (= start of the input given to `decode`) of the
    /// offending byte, or of the start of the offending field (its length prefix) when the field
    /// as a whole is wrong (runs past the end, empty, missing: then the offset where it should
    /// start).
    pub offset: usize,
    /// Total length of the offending packet (fixed header + remaining length) when the fixed header
    /// was readable, so a caller can skip it: `input = &input[len..]`.
    pub packet_len: Option<usize>,
}

impl DecodeError {
    /// A decode error.
    #[inline]
    pub const fn new(error: Error, offset: usize, packet_len: Option<usize>) -> Self {
        DecodeError {
            error,
            offset,
            packet_len,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "packet rejected at byte {}: {}", self.offset, self.error)?;
        if let Some(len) = self.packet_len {
            write!(f, " (packet length {len})")?;
        }
        Ok(())
    }
}

impl core::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<DecodeError> for Error {
    #[inline]
    fn from(e: DecodeError) -> Error {
        e.error
    }
}
