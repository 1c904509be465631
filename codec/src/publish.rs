//! PUBLISH (§3.3).

use crate::primitives::{encode_methods, packet_id, topic_name, Encode, PResult, Sink, StrOpts};
use crate::{Error, PacketType, QoS, QosPid, TopicName};

/// PUBLISH: an application message (§3.3). Topic and payload borrow from the decoded input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Publish<'a> {
    /// DUP flag: this may be a re-delivery. Must be 0 for QoS 0 [MQTT-3.3.1-2].
    pub dup: bool,
    /// QoS and, for QoS 1 and 2, the packet identifier.
    pub qos_pid: QosPid,
    /// RETAIN flag.
    pub retain: bool,
    /// Topic name (no wildcards [MQTT-3.3.2-2]).
    pub topic: TopicName<'a>,
    /// Application payload, possibly empty (§3.3.3).
    pub payload: &'a [u8],
}

impl<'a> Publish<'a> {
    /// A PUBLISH with DUP and RETAIN unset.
    #[inline]
    pub const fn new(topic: TopicName<'a>, qos_pid: QosPid, payload: &'a [u8]) -> Self {
        Publish {
            dup: false,
            qos_pid,
            retain: false,
            topic,
            payload,
        }
    }

    /// A PUBLISH from the flag nibble of its fixed header (DUP is bit 3, RETAIN bit 0; the QoS
    /// bits are carried by `qos_pid`) and its decoded fields. Shared by both decode paths.
    #[inline(always)]
    pub(crate) const fn from_flags(
        flags: u8,
        qos_pid: QosPid,
        topic: TopicName<'a>,
        payload: &'a [u8],
    ) -> Self {
        Publish {
            dup: flags & 0b1000 != 0,
            qos_pid,
            retain: flags & 1 != 0,
            topic,
            payload,
        }
    }

    /// The QoS level.
    #[inline]
    pub fn qos(&self) -> QoS {
        self.qos_pid.qos()
    }
}

/// Decodes a PUBLISH body; `flags` were validated by the fixed header (no QoS 3, no DUP with
/// QoS 0). Everything after the topic (and packet id) is payload [MQTT-2.3.1-5].
#[inline(always)]
pub(crate) fn decode(flags: u8, body: &[u8], opts: StrOpts) -> PResult<'_, Publish<'_>> {
    let (rest, topic) = topic_name(body, opts)?;
    let (payload, qos_pid) = match (flags >> 1) & 3 {
        0 => (rest, QosPid::AtMostOnce),
        1 => {
            let (p, id) = packet_id(rest)?;
            (p, QosPid::AtLeastOnce(id))
        }
        _ => {
            let (p, id) = packet_id(rest)?;
            (p, QosPid::ExactlyOnce(id))
        }
    };
    let empty: &[u8] = &[];
    Ok((empty, Publish::from_flags(flags, qos_pid, topic, payload)))
}

impl Encode for Publish<'_> {
    #[inline]
    fn first_byte(&self) -> u8 {
        (PacketType::Publish.as_u8() << 4)
            | (u8::from(self.dup) << 3)
            | (self.qos_pid.qos().as_u8() << 1)
            | u8::from(self.retain)
    }
    #[inline]
    fn remaining_len(&self) -> Result<usize, Error> {
        if self.dup && self.qos_pid == QosPid::AtMostOnce {
            return Err(Error::QoS0WithDup);
        }
        // TopicName guarantees 1..=65535 bytes and no wildcards or U+0000.
        let id = if self.qos_pid == QosPid::AtMostOnce {
            0
        } else {
            2
        };
        // No overflow: the topic has at most 65,535 bytes, the payload at most isize::MAX.
        Ok(2 + self.topic.len() + id + self.payload.len())
    }
    #[inline]
    fn write_body<S: Sink>(&self, w: &mut S) {
        match self.qos_pid.packet_id() {
            Some(id) => w.prefixed_then(self.topic.as_bytes(), id.get().to_be_bytes()),
            None => w.prefixed(self.topic.as_bytes()),
        }
        w.bytes(self.payload);
    }
}

encode_methods!(Publish<'_>);
