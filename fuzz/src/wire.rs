//! An independent, deliberately non-validating MQTT 3.1.1 wire writer and fixed-header reader.
//!
//! The fuzz targets use it as a second opinion next to the codec: the bytes it assembles for a
//! packet description are what a peer would put on the wire, valid or not, so the codec's encoder
//! output can be compared with it byte for byte and the codec's decoder can be fed the exact bytes
//! of a packet the encoder refused.

/// Largest value a remaining length can hold (§2.2.3).
pub const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// Longest fixed header: the type/flags byte and a four-byte remaining length.
pub const MAX_HEADER_LEN: usize = 5;

/// Appends the minimal variable-length encoding of `len` (§2.2.3). `len` must not exceed
/// [`MAX_REMAINING_LENGTH`]; larger values are truncated to their low 28 bits.
pub fn put_remaining_length(mut len: usize, out: &mut Vec<u8>) {
    for _ in 0..4 {
        let mut byte = (len % 128) as u8;
        len /= 128;
        if len > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if len == 0 {
            return;
        }
    }
}

/// Appends a two-byte big-endian length prefix and the bytes, or returns `None` when the bytes
/// do not fit a 16-bit length (such a field cannot be represented on the wire at all).
pub fn put_prefixed(bytes: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let len = u16::try_from(bytes.len()).ok()?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
    Some(())
}

/// Appends a big-endian `u16`.
pub fn put_u16(v: u16, out: &mut Vec<u8>) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// A whole packet: first byte, minimal remaining length, body. `None` when the body is longer
/// than [`MAX_REMAINING_LENGTH`].
pub fn packet(first_byte: u8, body: &[u8]) -> Option<Vec<u8>> {
    if body.len() > MAX_REMAINING_LENGTH {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(first_byte);
    put_remaining_length(body.len(), &mut out);
    out.extend_from_slice(body);
    Some(out)
}

/// What the fixed header at the start of a buffer says, read without any validation of the
/// packet type or flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedHeader {
    /// The first byte (type and flags).
    pub first_byte: u8,
    /// The decoded remaining length.
    pub remaining_length: usize,
    /// Bytes taken by the first byte plus the remaining-length varint (2..=5).
    pub header_len: usize,
    /// Whether the varint used the fewest bytes possible for its value.
    pub minimal: bool,
}

impl FixedHeader {
    /// Total packet length: header plus remaining length.
    pub fn packet_len(&self) -> usize {
        self.header_len + self.remaining_length
    }
}

/// Result of reading a fixed header from the front of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRead {
    /// The header is complete.
    Complete(FixedHeader),
    /// The buffer ends inside the header.
    Incomplete,
    /// The varint has a fifth continuation byte (more than 4 bytes): malformed.
    TooLong,
}

/// Reads the fixed header at the start of `buf` (§2.2).
pub fn read_fixed_header(buf: &[u8]) -> HeaderRead {
    let Some(&first_byte) = buf.first() else {
        return HeaderRead::Incomplete;
    };
    let mut value = 0usize;
    for i in 0..4 {
        let Some(&byte) = buf.get(1 + i) else {
            return HeaderRead::Incomplete;
        };
        value |= usize::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            let used = i + 1;
            let minimal = used == 1 || byte != 0;
            return HeaderRead::Complete(FixedHeader {
                first_byte,
                remaining_length: value,
                header_len: 1 + used,
                minimal,
            });
        }
    }
    HeaderRead::TooLong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaining_length_boundaries_are_minimal() {
        for (len, expected) in [
            (0usize, &[0x00][..]),
            (127, &[0x7F]),
            (128, &[0x80, 0x01]),
            (16_383, &[0xFF, 0x7F]),
            (16_384, &[0x80, 0x80, 0x01]),
            (2_097_151, &[0xFF, 0xFF, 0x7F]),
            (2_097_152, &[0x80, 0x80, 0x80, 0x01]),
            (MAX_REMAINING_LENGTH, &[0xFF, 0xFF, 0xFF, 0x7F]),
        ] {
            let mut out = Vec::new();
            put_remaining_length(len, &mut out);
            assert_eq!(out, expected, "length {len}");
            let mut buf = vec![0x30];
            buf.extend_from_slice(&out);
            match read_fixed_header(&buf) {
                HeaderRead::Complete(h) => {
                    assert_eq!(h.remaining_length, len);
                    assert_eq!(h.header_len, 1 + expected.len());
                    assert!(h.minimal);
                }
                other => panic!("{other:?} for {len}"),
            }
        }
    }

    #[test]
    fn non_minimal_and_overlong_headers() {
        assert_eq!(
            read_fixed_header(&[0xC0, 0x80, 0x00]),
            HeaderRead::Complete(FixedHeader {
                first_byte: 0xC0,
                remaining_length: 0,
                header_len: 3,
                minimal: false
            })
        );
        assert_eq!(
            read_fixed_header(&[0x30, 0x80, 0x80]),
            HeaderRead::Incomplete
        );
        assert_eq!(
            read_fixed_header(&[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
            HeaderRead::TooLong
        );
        assert_eq!(read_fixed_header(&[]), HeaderRead::Incomplete);
    }

    #[test]
    fn prefixed_refuses_oversized_fields() {
        let mut out = Vec::new();
        assert_eq!(put_prefixed(b"ab", &mut out), Some(()));
        assert_eq!(out, [0, 2, b'a', b'b']);
        assert_eq!(put_prefixed(&vec![0; 65_536], &mut out), None);
    }
}
