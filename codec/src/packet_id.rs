//! Non-zero packet identifiers.

use core::num::NonZeroU16;

/// Non-zero 16-bit packet identifier [MQTT-2.3.1-1].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PacketId(NonZeroU16);

impl PacketId {
    /// A packet id for `v`, `None` for 0 (which MQTT forbids [MQTT-2.3.1-1]).
    ///
    /// ```
    /// use vcd_mqtt_codec::PacketId;
    /// assert_eq!(PacketId::new(10).map(PacketId::get), Some(10));
    /// assert_eq!(PacketId::new(0), None);
    /// ```
    #[inline]
    pub const fn new(v: u16) -> Option<PacketId> {
        match NonZeroU16::new(v) {
            Some(n) => Some(PacketId(n)),
            None => None,
        }
    }

    /// The numeric value (never 0).
    #[inline]
    pub const fn get(self) -> u16 {
        self.0.get()
    }
}

impl From<NonZeroU16> for PacketId {
    #[inline]
    fn from(v: NonZeroU16) -> Self {
        PacketId(v)
    }
}

impl From<PacketId> for u16 {
    #[inline]
    fn from(v: PacketId) -> u16 {
        v.get()
    }
}

impl core::fmt::Display for PacketId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(&self.0, f)
    }
}
