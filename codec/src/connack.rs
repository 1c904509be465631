//! CONNACK (§3.2).

use core::fmt;

use crate::primitives::{encode_methods, u8_, Encode, Fail, PResult, Sink};
use crate::{Error, PacketType};

/// CONNACK return code (§3.2.2.3). The reserved values 6..=255 cannot be represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ConnectReturnCode {
    /// 0x00: connection accepted.
    Accepted = 0,
    /// 0x01: the server does not support the requested protocol level.
    UnacceptableProtocolVersion = 1,
    /// 0x02: the client identifier is not allowed.
    IdentifierRejected = 2,
    /// 0x03: the MQTT service is unavailable.
    ServerUnavailable = 3,
    /// 0x04: malformed user name or password.
    BadUserNameOrPassword = 4,
    /// 0x05: the client is not authorised to connect.
    NotAuthorized = 5,
}

impl ConnectReturnCode {
    /// The code for a wire value 0..=5; `None` for the reserved 6..=255.
    #[inline]
    pub const fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            0 => ConnectReturnCode::Accepted,
            1 => ConnectReturnCode::UnacceptableProtocolVersion,
            2 => ConnectReturnCode::IdentifierRejected,
            3 => ConnectReturnCode::ServerUnavailable,
            4 => ConnectReturnCode::BadUserNameOrPassword,
            5 => ConnectReturnCode::NotAuthorized,
            _ => return None,
        })
    }

    /// The wire value.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl fmt::Display for ConnectReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnectReturnCode::Accepted => "connection accepted",
            ConnectReturnCode::UnacceptableProtocolVersion => "unacceptable protocol version",
            ConnectReturnCode::IdentifierRejected => "identifier rejected",
            ConnectReturnCode::ServerUnavailable => "server unavailable",
            ConnectReturnCode::BadUserNameOrPassword => "bad user name or password",
            ConnectReturnCode::NotAuthorized => "not authorized",
        })
    }
}

/// CONNACK: the server's answer to CONNECT (§3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connack {
    /// Session Present flag; must be 0 with a non-zero return code [MQTT-3.2.2-4].
    pub session_present: bool,
    /// The return code.
    pub code: ConnectReturnCode,
}

impl Connack {
    /// A CONNACK.
    #[inline]
    pub const fn new(session_present: bool, code: ConnectReturnCode) -> Self {
        Connack {
            session_present,
            code,
        }
    }
}

/// Decodes the 2-byte CONNACK body (the header already checked the length).
#[inline]
pub(crate) fn decode(body: &[u8]) -> PResult<'_, Connack> {
    let (rest, flags) = u8_(body)?;
    if flags & 0xFE != 0 {
        return Fail::err(Error::ConnackReservedFlags(flags), body);
    }
    let (end, code) = u8_(rest)?;
    let Some(code) = ConnectReturnCode::from_u8(code) else {
        return Fail::err(Error::InvalidConnectReturnCode(code), rest);
    };
    let session_present = flags == 1;
    if session_present && code != ConnectReturnCode::Accepted {
        return Fail::err(Error::SessionPresentWithError, body);
    }
    Ok((end, Connack::new(session_present, code)))
}

impl Encode for Connack {
    #[inline]
    fn first_byte(&self) -> u8 {
        PacketType::Connack.as_u8() << 4
    }
    #[inline]
    fn remaining_len(&self) -> Result<usize, Error> {
        if self.session_present && self.code != ConnectReturnCode::Accepted {
            return Err(Error::SessionPresentWithError);
        }
        Ok(2)
    }
    #[inline]
    fn write_body<S: Sink>(&self, w: &mut S) {
        w.u8(u8::from(self.session_present));
        w.u8(self.code.as_u8());
    }
}

encode_methods!(Connack);
