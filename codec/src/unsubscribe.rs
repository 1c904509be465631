//! UNSUBSCRIBE (§3.10).

use crate::list::{decode_filter_list, lazy_list, take_str, Repr};
use crate::primitives::{encode_methods, Encode, PResult, Sink, StrOpts};
use crate::{Error, PacketId, PacketType, TopicFilter};

#[inline]
fn next_filter<'a>(b: &mut &'a [u8]) -> Option<TopicFilter<'a>> {
    Some(TopicFilter::new_unchecked(take_str(b)?))
}

lazy_list!(
    /// The topic filters of an UNSUBSCRIBE: a lazy list over the decoder's validated wire bytes
    /// or a caller's slice. Equality compares the items.
    UnsubscribeTopics,
    UnsubscribeTopicsIter,
    TopicFilter<'a>,
    next_filter
);

/// UNSUBSCRIBE: the client's request to remove subscriptions (§3.10); flags `0010`
/// [MQTT-3.10.1-1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unsubscribe<'a> {
    /// Packet identifier.
    pub packet_id: PacketId,
    /// At least one topic filter [MQTT-3.10.3-2].
    pub topics: UnsubscribeTopics<'a>,
}

impl<'a> Unsubscribe<'a> {
    /// An UNSUBSCRIBE for the caller's filters.
    #[inline]
    pub const fn new(packet_id: PacketId, topics: &'a [TopicFilter<'a>]) -> Self {
        Unsubscribe {
            packet_id,
            topics: UnsubscribeTopics::from_slice(topics),
        }
    }
}

/// Decodes and fully validates an UNSUBSCRIBE body.
pub(crate) fn decode(body: &[u8], opts: StrOpts) -> PResult<'_, Unsubscribe<'_>> {
    let (rest, (packet_id, payload, count)) =
        decode_filter_list(body, opts, Error::EmptyUnsubscribe, |i| Ok((i, ())))?;
    Ok((
        rest,
        Unsubscribe {
            packet_id,
            topics: UnsubscribeTopics::from_wire(payload, count),
        },
    ))
}

impl Encode for Unsubscribe<'_> {
    #[inline]
    fn first_byte(&self) -> u8 {
        (PacketType::Unsubscribe.as_u8() << 4) | 0b0010
    }

    fn remaining_len(&self) -> Result<usize, Error> {
        self.topics
            .0
            .body_len(Error::EmptyUnsubscribe, |t| 2 + t.len())
    }

    fn write_body<S: Sink>(&self, w: &mut S) {
        w.u16(self.packet_id.get());
        match self.topics.0 {
            Repr::Wire { bytes, .. } => w.bytes(bytes),
            Repr::List(l) => {
                for t in l {
                    w.prefixed(t.as_bytes());
                }
            }
        }
    }
}

encode_methods!(Unsubscribe<'_>);
