//! Regression tests for bugs found by the cargo-fuzz targets in `fuzz/` (see `fuzz/README.md`).
//! Each test names the target that found the bug and carries the minimal reproducer.

use vcd_mqtt_codec::{DecodeOptions, Error};

/// PUBLISH "a/b" payload "xy" whose Remaining Length 7 is written non-minimally as `87 00`.
const NON_MINIMAL_PUBLISH: [u8; 10] = [0x30, 0x87, 0x00, 0x00, 0x03, b'a', b'/', b'b', b'x', b'y'];

/// Found by `decode_packet` (seed `seed-publish-nonminimal`): with `strict(true)` a non-minimal
/// Remaining Length was reported with `packet_len: None`, although the fixed header is readable
/// and the packet's length known. Callers (and the stream decoder) then had to give up the
/// connection's framing instead of skipping the packet.
#[test]
fn strict_non_minimal_remaining_length_reports_packet_len() {
    let err = DecodeOptions::new()
        .strict(true)
        .decode(&NON_MINIMAL_PUBLISH)
        .expect_err("strict decoding must reject a non-minimal remaining length");
    assert_eq!(err.error, Error::NonMinimalRemainingLength);
    assert_eq!(err.offset, 2);
    assert_eq!(err.packet_len, Some(NON_MINIMAL_PUBLISH.len()));
}

/// Same bug seen through the stream decoder: it must skip the rejected packet and go on.
#[cfg(feature = "alloc")]
#[test]
fn strict_stream_decoder_skips_non_minimal_packet() {
    use vcd_mqtt_codec::{Packet, StreamDecoder};
    let mut input = NON_MINIMAL_PUBLISH.to_vec();
    input.extend_from_slice(&[0xC0, 0x00]); // PINGREQ
    let mut decoder = StreamDecoder::new(DecodeOptions::new().strict(true));
    let mut seen = Vec::new();
    decoder.feed(&input, |r| seen.push(r.map(|p| p == Packet::Pingreq)));
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        seen[0].map_err(|e| e.error),
        Err(Error::NonMinimalRemainingLength)
    );
    assert_eq!(seen[1], Ok(true));
    assert!(!decoder.is_poisoned());
}
