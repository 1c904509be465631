//! SUBACK (§3.9).

use crate::list::{lazy_list, take_u8, Repr};
use crate::primitives::{encode_methods, packet_id, Encode, Fail, PResult, Sink};
use crate::{Error, PacketId, PacketType, QoS};

/// One SUBACK return code: the granted QoS or failure [MQTT-3.9.3-2].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubackReturnCode {
    /// 0x00, 0x01, 0x02: success with the granted QoS.
    Success(QoS),
    /// 0x80: failure.
    Failure,
}

impl SubackReturnCode {
    /// The code for a wire value 0x00, 0x01, 0x02 or 0x80; `None` for the others.
    #[inline]
    pub const fn from_u8(v: u8) -> Option<Self> {
        match v {
            0x80 => Some(SubackReturnCode::Failure),
            _ => match QoS::from_u8(v) {
                Some(q) => Some(SubackReturnCode::Success(q)),
                None => None,
            },
        }
    }

    /// The wire value.
    #[inline]
    pub const fn as_u8(self) -> u8 {
        match self {
            SubackReturnCode::Success(q) => q.as_u8(),
            SubackReturnCode::Failure => 0x80,
        }
    }
}

impl From<QoS> for SubackReturnCode {
    #[inline]
    fn from(q: QoS) -> Self {
        SubackReturnCode::Success(q)
    }
}

#[inline]
fn next_code(b: &mut &[u8]) -> Option<SubackReturnCode> {
    SubackReturnCode::from_u8(take_u8(b)?)
}

lazy_list!(
    /// The return codes of a SUBACK: a lazy list over the decoder's validated wire bytes or a
    /// caller's slice. Equality compares the items.
    SubackReturnCodes,
    SubackReturnCodesIter,
    SubackReturnCode,
    next_code
);

/// SUBACK: the server's answer to SUBSCRIBE (§3.9), one return code per requested filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Suback<'a> {
    /// Packet identifier of the SUBSCRIBE answered.
    pub packet_id: PacketId,
    /// Return codes, in the order of the SUBSCRIBE's filters.
    pub return_codes: SubackReturnCodes<'a>,
}

impl<'a> Suback<'a> {
    /// A SUBACK for the caller's codes.
    #[inline]
    pub const fn new(packet_id: PacketId, return_codes: &'a [SubackReturnCode]) -> Self {
        Suback {
            packet_id,
            return_codes: SubackReturnCodes::from_slice(return_codes),
        }
    }
}

/// Decodes and fully validates a SUBACK body.
pub(crate) fn decode(body: &[u8]) -> PResult<'_, Suback<'_>> {
    let (payload, packet_id) = packet_id(body)?;
    if let Some(k) = payload.iter().position(|&c| c > 2 && c != 0x80) {
        let at = payload.get(k..).unwrap_or_default();
        let code = at.first().copied().unwrap_or_default();
        return Fail::err(Error::InvalidSubackReturnCode(code), at);
    }
    let empty: &[u8] = &[];
    Ok((
        empty,
        Suback {
            packet_id,
            return_codes: SubackReturnCodes::from_wire(payload, payload.len()),
        },
    ))
}

impl Encode for Suback<'_> {
    #[inline]
    fn first_byte(&self) -> u8 {
        PacketType::Suback.as_u8() << 4
    }

    #[inline]
    fn remaining_len(&self) -> Result<usize, Error> {
        Ok(2usize.saturating_add(self.return_codes.len()))
    }

    fn write_body<S: Sink>(&self, w: &mut S) {
        w.u16(self.packet_id.get());
        match self.return_codes.0 {
            Repr::Wire { bytes, .. } => w.bytes(bytes),
            Repr::List(l) => {
                for c in l {
                    w.u8(c.as_u8());
                }
            }
        }
    }
}

encode_methods!(Suback<'_>);
