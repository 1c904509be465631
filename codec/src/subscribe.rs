//! SUBSCRIBE (§3.8).

use crate::list::{decode_filter_list, lazy_list, take_str, take_u8, Repr};
use crate::primitives::{encode_methods, u8_, Encode, Fail, PResult, Sink, StrOpts};
use crate::{Error, PacketId, PacketType, QoS, TopicFilter};

/// One topic filter with its requested QoS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscribeTopic<'a> {
    /// The topic filter.
    pub filter: TopicFilter<'a>,
    /// The requested (maximum) QoS.
    pub qos: QoS,
}

impl<'a> SubscribeTopic<'a> {
    /// A filter with its requested QoS.
    #[inline]
    pub const fn new(filter: TopicFilter<'a>, qos: QoS) -> Self {
        SubscribeTopic { filter, qos }
    }
}

#[inline]
fn next_topic<'a>(b: &mut &'a [u8]) -> Option<SubscribeTopic<'a>> {
    let filter = TopicFilter::new_unchecked(take_str(b)?);
    let qos = QoS::from_u8(take_u8(b)?)?;
    Some(SubscribeTopic { filter, qos })
}

lazy_list!(
    /// The filter/QoS pairs of a SUBSCRIBE: a lazy list that is either the decoder's validated
    /// wire bytes (no allocation) or a caller's slice (to encode). Equality compares the items.
    ///
    /// ```
    /// use vcd_mqtt_codec::{QoS, SubscribeTopic, SubscribeTopics, TopicFilter};
    /// let list = [SubscribeTopic::new(TopicFilter::new("a/#").unwrap(), QoS::AtLeastOnce)];
    /// let topics = SubscribeTopics::from_slice(&list);
    /// assert_eq!(topics.len(), 1);
    /// assert_eq!(topics.iter().next().unwrap().filter.as_str(), "a/#");
    /// ```
    SubscribeTopics,
    SubscribeTopicsIter,
    SubscribeTopic<'a>,
    next_topic
);

/// SUBSCRIBE: the client's subscription request (§3.8); flags `0010` [MQTT-3.8.1-1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Subscribe<'a> {
    /// Packet identifier.
    pub packet_id: PacketId,
    /// At least one filter/QoS pair [MQTT-3.8.3-3].
    pub topics: SubscribeTopics<'a>,
}

impl<'a> Subscribe<'a> {
    /// A SUBSCRIBE for the caller's list.
    #[inline]
    pub const fn new(packet_id: PacketId, topics: &'a [SubscribeTopic<'a>]) -> Self {
        Subscribe {
            packet_id,
            topics: SubscribeTopics::from_slice(topics),
        }
    }
}

/// Decodes and fully validates a SUBSCRIBE body.
pub(crate) fn decode(body: &[u8], opts: StrOpts) -> PResult<'_, Subscribe<'_>> {
    let (rest, (packet_id, payload, count)) =
        decode_filter_list(body, opts, Error::EmptySubscription, |i| {
            let (rest, q) = u8_(i)?;
            if q > 2 {
                return Fail::err(Error::InvalidSubscribeQoS(q), i);
            }
            Ok((rest, ()))
        })?;
    Ok((
        rest,
        Subscribe {
            packet_id,
            topics: SubscribeTopics::from_wire(payload, count),
        },
    ))
}

impl Encode for Subscribe<'_> {
    #[inline]
    fn first_byte(&self) -> u8 {
        (PacketType::Subscribe.as_u8() << 4) | 0b0010
    }

    fn remaining_len(&self) -> Result<usize, Error> {
        // TopicFilter guarantees 1..=65535 bytes and valid wildcards.
        self.topics
            .0
            .body_len(Error::EmptySubscription, |t| 3 + t.filter.len())
    }

    fn write_body<S: Sink>(&self, w: &mut S) {
        w.u16(self.packet_id.get());
        match self.topics.0 {
            Repr::Wire { bytes, .. } => w.bytes(bytes),
            Repr::List(l) => {
                for t in l {
                    w.prefixed_then(t.filter.as_bytes(), [t.qos.as_u8()]);
                }
            }
        }
    }
}

encode_methods!(Subscribe<'_>);
