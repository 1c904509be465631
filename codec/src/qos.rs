//! Quality of service levels and the QoS/packet-id pair of a PUBLISH.

use crate::PacketId;

/// MQTT quality of service level (§4.3). Only the three valid values can exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum QoS {
    /// QoS 0: at most once delivery, fire and forget.
    AtMostOnce = 0,
    /// QoS 1: at least once delivery (PUBACK).
    AtLeastOnce = 1,
    /// QoS 2: exactly once delivery (PUBREC/PUBREL/PUBCOMP).
    ExactlyOnce = 2,
}

impl QoS {
    /// The QoS for a wire value 0, 1 or 2; `None` for anything else.
    ///
    /// ```
    /// use vcd_mqtt_codec::QoS;
    /// assert_eq!(QoS::from_u8(1), Some(QoS::AtLeastOnce));
    /// assert_eq!(QoS::from_u8(3), None);
    /// ```
    #[inline]
    pub const fn from_u8(v: u8) -> Option<QoS> {
        match v {
            0 => Some(QoS::AtMostOnce),
            1 => Some(QoS::AtLeastOnce),
            2 => Some(QoS::ExactlyOnce),
            _ => None,
        }
    }

    /// The wire value (0, 1 or 2).
    #[inline]
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl core::fmt::Display for QoS {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "QoS {}", self.as_u8())
    }
}

/// QoS of a PUBLISH together with its packet id: QoS 0 has no id by construction [MQTT-2.3.1-5],
/// QoS 1 and 2 always have a non-zero one [MQTT-2.3.1-1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QosPid {
    /// QoS 0, no packet identifier on the wire.
    AtMostOnce,
    /// QoS 1 with its packet identifier.
    AtLeastOnce(PacketId),
    /// QoS 2 with its packet identifier.
    ExactlyOnce(PacketId),
}

impl QosPid {
    /// The QoS level.
    #[inline]
    pub fn qos(self) -> QoS {
        match self {
            QosPid::AtMostOnce => QoS::AtMostOnce,
            QosPid::AtLeastOnce(_) => QoS::AtLeastOnce,
            QosPid::ExactlyOnce(_) => QoS::ExactlyOnce,
        }
    }

    /// The packet identifier, `None` for QoS 0.
    #[inline]
    pub fn packet_id(self) -> Option<PacketId> {
        match self {
            QosPid::AtMostOnce => None,
            QosPid::AtLeastOnce(id) | QosPid::ExactlyOnce(id) => Some(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qos_values() {
        for v in 0..=255u8 {
            match QoS::from_u8(v) {
                Some(q) => assert_eq!(q.as_u8(), v),
                None => assert!(v > 2),
            }
        }
        let id = PacketId::new(7).unwrap();
        assert_eq!(QosPid::ExactlyOnce(id).qos(), QoS::ExactlyOnce);
        assert_eq!(QosPid::AtLeastOnce(id).packet_id(), Some(id));
        assert_eq!(QosPid::AtMostOnce.packet_id(), None);
    }
}
