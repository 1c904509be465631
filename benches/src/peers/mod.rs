//! One adapter per library under test, all behind the same [`Library`] trait.
//!
//! An adapter only translates: it calls the library's own decode / encode / streaming API the way
//! its documentation shows, and converts results into [`Msg`] for verification (outside timing).

use std::fmt::Debug;

use crate::msg::Msg;

pub mod mqtt_proto;
pub mod mqtt_protocol;
pub mod mqttbytes;
pub mod mqttrs;
pub mod ours;
mod rumqtt_family;
pub mod rumqttc;

/// Largest packet any adapter is configured to accept (the MQTT maximum).
pub const MAX_PACKET: usize = 268_435_455 + 5;

/// Why a single-packet decode produced no packet.
#[derive(Debug)]
pub enum DecodeFailure<E> {
    /// The library asked for more bytes although the input holds a whole packet.
    Incomplete,
    /// The library's own error.
    Library(E),
}

/// A library under test.
pub trait Library {
    /// Crate name as in `Cargo.lock` and as the criterion benchmark id.
    const CRATE: &'static str;
    /// How the library is used, for the report (API entry points).
    const API: &'static str;

    /// The input a single-packet decode starts from: the library's native buffer type
    /// (`Vec<u8>` read as a slice, or `BytesMut` for the read-and-split APIs).
    type Input;
    /// What a decode produces.
    type Packet<'a>
    where
        Self: 'a;
    /// What a failed decode reports.
    type DecodeError: Debug;

    /// Copies `wire` into a fresh [`Self::Input`] (not timed).
    fn input(wire: &[u8]) -> Self::Input;
    /// Decodes exactly one packet from the front of `input` (timed).
    fn decode(input: &mut Self::Input) -> Result<Self::Packet<'_>, Self::DecodeError>;
    /// Converts a decoded packet into field values (verification only, not timed).
    fn to_msg(packet: &Self::Packet<'_>) -> Msg;
    /// The PUBLISH payload length of a decoded packet, 0 for other packets: the cheap
    /// per-packet work the streaming benchmark does so no library's result is optimised away.
    fn payload_len(packet: &Self::Packet<'_>) -> usize;

    /// The library's own packet value, built once from field values (not timed).
    type Owned;
    /// The buffer encodes write into, reused across iterations.
    type Output;
    /// Builds the library's packet value, or says why the library cannot express it.
    fn build(msg: &'static Msg) -> Result<Self::Owned, String>;
    /// A fresh output buffer with room for `capacity` bytes.
    fn output(capacity: usize) -> Self::Output;
    /// Encodes `packet` into `out`, replacing its previous contents (timed).
    fn encode(packet: &Self::Owned, out: &mut Self::Output) -> Result<(), String>;
    /// The bytes the last [`Library::encode`] wrote.
    fn written(out: &Self::Output) -> &[u8];

    /// State of the library's streaming decoder.
    type Stream;
    /// A fresh streaming decoder.
    fn stream() -> Self::Stream;
    /// Feeds one chunk and calls `on_packet` for every packet that completes (timed).
    fn feed<F: FnMut(&Self::Packet<'_>)>(
        stream: &mut Self::Stream,
        chunk: &[u8],
        on_packet: F,
    ) -> Result<(), String>;
}

/// Frame length (fixed header + remaining length) of the packet at the front of `buf`, `None`
/// while the fixed header is incomplete or malformed. Used by the read loops of libraries whose
/// decode functions do not report how many bytes they used (`mqttrs`, `mqtt-proto`).
pub fn frame_len(buf: &[u8]) -> Option<usize> {
    let mut len = 0usize;
    for i in 0..4 {
        let byte = *buf.get(1 + i)?;
        len |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return Some(1 + i + 1 + len);
        }
    }
    None
}

/// Calls `f` with the generic type of every library, ours first, so a caller can run the same
/// code for each: `for_each_library!(my_generic_fn(args))` expands to
/// `my_generic_fn::<Ours>(args); my_generic_fn::<Mqttrs>(args); ...`.
#[macro_export]
macro_rules! for_each_library {
    ($f:ident ( $($arg:expr),* $(,)? )) => {{
        $f::<$crate::peers::ours::Ours>($($arg),*);
        $f::<$crate::peers::mqttrs::Mqttrs>($($arg),*);
        $f::<$crate::peers::rumqttc::Rumqttc>($($arg),*);
        $f::<$crate::peers::mqttbytes::Mqttbytes>($($arg),*);
        $f::<$crate::peers::mqtt_proto::MqttProto>($($arg),*);
        $f::<$crate::peers::mqtt_protocol::MqttProtocol>($($arg),*);
    }};
}

/// Crate names of all libraries, ours first, in the order [`for_each_library!`] visits them.
pub const LIBRARIES: [&str; 6] = [
    ours::Ours::CRATE,
    mqttrs::Mqttrs::CRATE,
    rumqttc::Rumqttc::CRATE,
    mqttbytes::Mqttbytes::CRATE,
    mqtt_proto::MqttProto::CRATE,
    mqtt_protocol::MqttProtocol::CRATE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_len_reads_the_fixed_header() {
        assert_eq!(frame_len(&[0x40, 2, 0, 1]), Some(4));
        assert_eq!(frame_len(&[0x30, 0xC8, 0x01]), Some(3 + 200));
        assert_eq!(frame_len(&[0x30]), None);
        assert_eq!(frame_len(&[0x30, 0x80]), None);
        assert_eq!(frame_len(&[0x30, 0x80, 0x80, 0x80, 0x80]), None);
    }
}
