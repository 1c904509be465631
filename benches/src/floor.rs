//! The least any safe-Rust, zero-copy decoder must do for the benchmark's QoS 1 PUBLISH: the
//! lower bound behind the goal "at least 2× `mqttrs` on PUBLISH decode".
//!
//! Not a library and not an MQTT decoder: [`publish`] checks no MQTT rule beyond what slicing
//! needs (no flags, no QoS 3, no U+0000, no wildcards, no trailing bytes). What it cannot skip
//! is turning the topic into a `&str`: [`topic_str`] takes the fastest safe route there is for
//! ASCII text, `ascii::AsciiStr::from_ascii` (`[u8]::is_ascii`, then a cast inside the `ascii`
//! crate), the route our codec takes too, and `core::str::from_utf8` for anything else.
//! [`topic_utf8`], `from_utf8` alone, is what `mqttrs` runs, and what every safe decoder ran
//! before: `from_utf8_unchecked` needs `unsafe`, which `#![forbid(unsafe_code)]` rules out in
//! our crates, and `simdutf8` calls `from_utf8` itself below 64 bytes. The
//! `decode_publish_floor` group of the decode benches times all of them beside our codec and
//! `mqttrs` in one run.

/// Criterion group of the floor: [`topic_utf8`] as [`UTF8_ID`], [`topic_str`] as [`STR_ID`],
/// [`publish`] as [`FLOOR_ID`], beside our codec and `mqttrs` (their usual ids) on the
/// 245-byte PUBLISH.
pub const GROUP: &str = "decode_publish_floor";
/// Benchmark id of [`publish`] in [`GROUP`].
pub const FLOOR_ID: &str = "safe floor";
/// Benchmark id of [`topic_utf8`] in [`GROUP`].
pub const UTF8_ID: &str = "from_utf8 of the topic";
/// Benchmark id of [`topic_str`] in [`GROUP`].
pub const STR_ID: &str = "ASCII route of the topic";

/// What [`publish`] hands out: the fields a caller of any PUBLISH decoder reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloorPublish<'a> {
    /// The topic name, validated as UTF-8 and nothing else.
    pub topic: &'a str,
    /// The packet identifier (the case is QoS 1, so it is always present).
    pub packet_id: u16,
    /// The application message, borrowed from the input.
    pub payload: &'a [u8],
}

/// Byte range of the topic of the benchmark's 245-byte PUBLISH (2-byte Remaining Length and
/// 2-byte topic length before it): the input of [`topic_utf8`] and [`topic_str`].
pub const PUBLISH_TOPIC: core::ops::Range<usize> = 5..43;

/// `core::str::from_utf8` of `topic`: what a safe decoder ran before the ASCII route.
#[inline]
pub fn topic_utf8(topic: &[u8]) -> Option<&str> {
    core::str::from_utf8(topic).ok()
}

/// `topic` as a `&str` by the fastest safe route: an ASCII check and a cast (the `ascii`
/// crate) when it is all ASCII, `core::str::from_utf8` otherwise.
#[inline]
pub fn topic_str(topic: &[u8]) -> Option<&str> {
    match ascii::AsciiStr::from_ascii(topic) {
        Ok(s) => Some(s.as_str()),
        Err(_) => topic_utf8(topic),
    }
}

/// Slices a QoS 1 PUBLISH into its topic (checked to be UTF-8), packet id and payload, and
/// returns them with the packet's length; `None` when the input is not a complete PUBLISH with
/// a valid Remaining Length or its topic is not UTF-8. Nothing else is checked.
///
/// ```
/// let wire = [0x32, 7, 0, 1, b'a', 0, 9, b'h', b'i'];
/// let (p, len) = vcd_mqtt_benches::floor::publish(&wire).unwrap();
/// assert_eq!((p.topic, p.packet_id, p.payload, len), ("a", 9, &b"hi"[..], 9));
/// ```
#[inline]
pub fn publish(input: &[u8]) -> Option<(FloorPublish<'_>, usize)> {
    if input.first()? >> 4 != 3 {
        return None;
    }
    let (mut remaining, mut at, mut shift) = (0usize, 1usize, 0u32);
    loop {
        let byte = *input.get(at)?;
        remaining |= usize::from(byte & 0x7F) << shift;
        at += 1;
        if byte & 0x80 == 0 {
            break;
        }
        shift += 7;
        if shift > 21 {
            return None;
        }
    }
    let len = at + remaining;
    let body = input.get(at..len)?;
    let (topic_len, body) = body.split_first_chunk::<2>()?;
    let (topic, body) = body.split_at_checked(usize::from(u16::from_be_bytes(*topic_len)))?;
    let (packet_id, payload) = body.split_first_chunk::<2>()?;
    let publish = FloorPublish {
        topic: topic_str(topic)?,
        packet_id: u16::from_be_bytes(*packet_id),
        payload,
    };
    Some((publish, len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{fixtures, TOPIC};
    use vcd_mqtt_codec::{decode, Packet, Status};

    /// The floor reads the benchmark packet as our codec does, so the two time the same job.
    #[test]
    fn floor_reads_the_benchmark_publish_like_our_codec() {
        let wire = &fixtures().case("publish").wire;
        let (floor, len) = publish(wire).expect("the fixture is a PUBLISH");
        let Ok(Status::Complete((Packet::Publish(ours), ours_len))) = decode(wire) else {
            panic!("our codec must decode the fixture");
        };
        assert_eq!(floor.topic, TOPIC);
        assert_eq!(topic_utf8(&wire[PUBLISH_TOPIC]), Some(TOPIC));
        assert_eq!(topic_str(&wire[PUBLISH_TOPIC]), Some(TOPIC));
        assert_eq!((floor.topic, len), (ours.topic.as_str(), ours_len));
        assert_eq!(
            Some(floor.packet_id),
            ours.qos_pid.packet_id().map(|id| id.get())
        );
        assert_eq!(floor.payload, ours.payload);
    }

    #[test]
    fn floor_refuses_truncated_input_and_a_non_utf8_topic() {
        let wire = fixtures().case("publish").wire.clone();
        for cut in 0..wire.len() {
            assert_eq!(publish(&wire[..cut]), None, "cut at {cut}");
        }
        let mut bad = wire.clone();
        bad[PUBLISH_TOPIC.start] = 0xFF;
        assert_eq!(publish(&bad), None);
        assert_eq!(topic_str(&bad[PUBLISH_TOPIC]), None);
        // Not ASCII but UTF-8: the other route.
        let mut accented = wire;
        accented[PUBLISH_TOPIC.start..PUBLISH_TOPIC.start + 2].copy_from_slice("é".as_bytes());
        let topic = &accented[PUBLISH_TOPIC];
        assert!(topic_str(topic).is_some_and(|t| t.starts_with('é')));
        assert_eq!(publish(&accented).map(|(p, _)| p.topic), topic_str(topic));
    }
}
