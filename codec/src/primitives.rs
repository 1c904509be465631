//! Wire primitives shared by every packet module: big-endian u16, packet ids, length-prefixed
//! UTF-8 strings and binary data, the Remaining Length varint, and the encoding framework
//! (exact length, all-or-nothing writes).
//!
//! Decoding works on the bytes of one complete packet. Parsers are `nom` parsers over `&[u8]`
//! whose error, [`Fail`], records the rule broken and how many bytes of the packet are left at
//! the offending position, so the decoder turns it into a byte offset from the packet start
//! (`packet_len - remaining`).

use nom::error::{ErrorKind, ParseError};
use nom::IResult;

use crate::topic::{check_filter, check_name, find_special, MAX_STRING_LEN};
use crate::{Error, PacketId, TopicFilter, TopicName};

/// Largest Remaining Length a 4-byte varint can carry (§2.2.3).
pub(crate) const MAX_REMAINING_LENGTH: usize = 268_435_455;

/// A parse failure inside one packet: the rule and the number of packet bytes left from the
/// offending position to the end of the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail {
    pub(crate) error: Error,
    pub(crate) remaining: usize,
}

impl Fail {
    /// A failure at the start of `at` (a suffix of the packet).
    #[inline]
    pub(crate) fn at(error: Error, at: &[u8]) -> Self {
        Fail {
            error,
            remaining: at.len(),
        }
    }

    /// The same as [`Fail::at`], wrapped for returning from a nom parser.
    #[inline]
    pub(crate) fn err<T>(error: Error, at: &[u8]) -> PResult<'_, T> {
        Err(nom::Err::Error(Fail::at(error, at)))
    }
}

impl ParseError<&[u8]> for Fail {
    #[inline]
    fn from_error_kind(input: &[u8], _kind: ErrorKind) -> Self {
        // Every nom primitive used here fails only by running out of packet bytes.
        Fail::at(Error::UnexpectedEnd, input)
    }

    #[inline]
    fn append(_input: &[u8], _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

/// nom result of the packet parsers.
pub(crate) type PResult<'a, T> = IResult<&'a [u8], T, Fail>;

/// Unwraps a parser result into the failure (nom's `Incomplete`/`Failure` cannot occur with
/// the `complete` parsers used here, but are mapped defensively).
#[inline]
pub(crate) fn into_fail(e: nom::Err<Fail>) -> Fail {
    match e {
        nom::Err::Error(f) | nom::Err::Failure(f) => f,
        nom::Err::Incomplete(_) => Fail {
            error: Error::UnexpectedEnd,
            remaining: 0,
        },
    }
}

/// Options that affect string validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct StrOpts {
    pub(crate) reject_control: bool,
}

// ------------------------------------------------------------------------------------ decoding

/// One byte.
#[inline]
pub(crate) fn u8_(i: &[u8]) -> PResult<'_, u8> {
    nom::number::complete::u8(i)
}

/// A big-endian u16 (§1.5.2). Fails with `UnexpectedEnd` when fewer than two bytes are left.
#[inline(always)]
pub(crate) fn u16_be(i: &[u8]) -> PResult<'_, u16> {
    match i.split_first_chunk::<2>() {
        Some((b, rest)) => Ok((rest, u16::from_be_bytes(*b))),
        None => Fail::err(Error::UnexpectedEnd, i),
    }
}

/// A non-zero packet identifier [MQTT-2.3.1-1].
#[inline(always)]
pub(crate) fn packet_id(i: &[u8]) -> PResult<'_, PacketId> {
    let (rest, v) = u16_be(i)?;
    match PacketId::new(v) {
        Some(id) => Ok((rest, id)),
        None => Fail::err(Error::ZeroPacketId, i),
    }
}

/// Length-prefixed binary data (§1.5.3 prefix, §3.1.3.3/.5). Fails with `UnexpectedEnd` at the
/// length prefix when the data runs past the packet.
#[inline(always)]
pub(crate) fn binary(i: &[u8]) -> PResult<'_, &[u8]> {
    let (rest, len) = u16_be(i)?;
    match rest.split_at_checked(usize::from(len)) {
        Some((data, rest)) => Ok((rest, data)),
        None => Fail::err(Error::UnexpectedEnd, i),
    }
}

/// `core::str::from_utf8`, with a faster route for text that is all ASCII, as nearly every
/// topic, client id and filter is: `ascii::AsciiStr::from_ascii` checks it with
/// `[u8]::is_ascii` (a word at a time) and hands out the `&str` without the second, byte-wise
/// pass `from_utf8` makes over short input (for the 38-byte topic of the benchmarks, 2.1
/// instead of 4.3 ns). Other text takes `from_utf8` (after `from_ascii` stopped at its first
/// non-ASCII byte), whose error says where the text goes wrong.
///
/// The ASCII-to-`&str` cast is the one step this crate cannot write itself (it needs
/// `unsafe`, which it forbids); the `ascii` crate's is a one-line cast after that check.
#[inline(always)]
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, core::str::Utf8Error> {
    match ascii::AsciiStr::from_ascii(bytes) {
        Ok(s) => Ok(s.as_str()),
        Err(_) => core::str::from_utf8(bytes),
    }
}

/// Checks the text rules of §1.5.3 on `bytes`, which start `start` bytes into the suffix `i`.
/// Returns the string or the failure at the offending byte. With `NUL_CHECKED` the caller has
/// already ruled out U+0000.
#[inline(always)]
fn text<'a, const NUL_CHECKED: bool>(
    i: &'a [u8],
    bytes: &'a [u8],
    start: usize,
    opts: StrOpts,
) -> Result<&'a str, Fail> {
    let at = |k: usize, error: Error| Fail {
        error,
        remaining: i.len().saturating_sub(start.saturating_add(k)),
    };
    let s = match utf8(bytes) {
        Ok(s) => s,
        Err(e) => return Err(at(e.valid_up_to(), Error::InvalidUtf8)),
    };
    if !NUL_CHECKED {
        if let Some(k) = find_special::<false>(bytes) {
            return Err(at(k, Error::NullCharacter));
        }
    }
    if opts.reject_control {
        for (k, c) in s.char_indices() {
            let v = c as u32;
            if v <= 0x1F || (0x7F..=0x9F).contains(&v) {
                return Err(at(k, Error::ControlCharacter));
            }
            if (0xFDD0..=0xFDEF).contains(&v) || v & 0xFFFE == 0xFFFE {
                return Err(at(k, Error::NonCharacter));
            }
        }
    }
    Ok(s)
}

/// A length-prefixed UTF-8 string [MQTT-1.5.3-1] without U+0000 [MQTT-1.5.3-2]; U+FEFF is kept
/// [MQTT-1.5.3-3].
#[inline(always)]
pub(crate) fn utf8_str(i: &[u8], opts: StrOpts) -> PResult<'_, &str> {
    let (rest, bytes) = binary(i)?;
    match text::<false>(i, bytes, 2, opts) {
        Ok(s) => Ok((rest, s)),
        Err(f) => Err(nom::Err::Error(f)),
    }
}

/// A length-prefixed topic name [MQTT-3.3.2-1] [MQTT-3.3.2-2] [MQTT-4.7.1-1] [MQTT-4.7.3-1]
/// [MQTT-4.7.3-2].
#[inline(always)]
pub(crate) fn topic_name(i: &[u8], opts: StrOpts) -> PResult<'_, TopicName<'_>> {
    let (rest, bytes) = binary(i)?;
    if let Err((error, k)) = check_name(bytes) {
        // An empty topic is reported at its length prefix, anything else at the byte.
        let off = if bytes.is_empty() { 0 } else { 2 + k };
        return Err(nom::Err::Error(Fail {
            error,
            remaining: i.len().saturating_sub(off),
        }));
    }
    match text::<true>(i, bytes, 2, opts) {
        Ok(s) => Ok((rest, TopicName::new_unchecked(s))),
        Err(f) => Err(nom::Err::Error(f)),
    }
}

/// A length-prefixed topic filter [MQTT-3.8.3-1] [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-1]
/// [MQTT-4.7.3-2].
#[inline]
pub(crate) fn topic_filter(i: &[u8], opts: StrOpts) -> PResult<'_, TopicFilter<'_>> {
    let (rest, bytes) = binary(i)?;
    // The byte-level topic rules (which include U+0000) first, then UTF-8, as for names.
    if let Err((error, k)) = check_filter(bytes) {
        let off = if bytes.is_empty() { 0 } else { 2 + k };
        return Err(nom::Err::Error(Fail {
            error,
            remaining: i.len().saturating_sub(off),
        }));
    }
    match text::<true>(i, bytes, 2, opts) {
        Ok(s) => Ok((rest, TopicFilter::new_unchecked(s))),
        Err(f) => Err(nom::Err::Error(f)),
    }
}

/// Fails with `TrailingBytes` unless `rest` is empty (the packet's fields must add up to its
/// Remaining Length).
#[inline]
pub(crate) fn expect_end(rest: &[u8]) -> Result<(), Fail> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(Fail::at(Error::TrailingBytes, rest))
    }
}

// ------------------------------------------------------------------------------------ encoding

/// Number of bytes of the minimal Remaining Length varint for `len` (`len` <= 268,435,455).
#[inline]
pub(crate) const fn varint_len(len: usize) -> usize {
    if len < 128 {
        1
    } else if len < 16_384 {
        2
    } else if len < 2_097_152 {
        3
    } else {
        4
    }
}

/// Total packet length for a Remaining Length, or `RemainingLengthTooLarge`.
#[inline]
pub(crate) const fn total_len(remaining: usize) -> Result<usize, Error> {
    if remaining > MAX_REMAINING_LENGTH {
        Err(Error::RemainingLengthTooLarge(remaining))
    } else {
        Ok(1 + varint_len(remaining) + remaining)
    }
}

/// Encoded size of a length-prefixed text field after checking it: at most 65,535 bytes and no
/// U+0000 ([MQTT-1.5.3-2]; `&str` is always valid UTF-8, so [MQTT-1.5.3-1] holds by type).
#[inline]
pub(crate) fn str_size(s: &str) -> Result<usize, Error> {
    if s.len() > MAX_STRING_LEN {
        return Err(Error::StringTooLong(s.len()));
    }
    if has_nul(s.as_bytes()) {
        return Err(Error::NullCharacter);
    }
    Ok(2 + s.len())
}

/// Whether `s` holds a 0 byte. Encoding needs no position, so this only ORs blocks together:
/// strings of up to 32 bytes (client ids, user names) are tested inline as two overlapping
/// blocks (16 or 8 bytes, each a vector compare), longer ones by [`has_nul_long`]. Not
/// `topic::has_special::<false>`, whose four blocks cover up to 64 bytes: in its place the
/// CONNECT encode benchmark took 17.2-18.0 instead of 15.8 ns.
#[inline(always)]
fn has_nul(s: &[u8]) -> bool {
    match s.len() {
        16..=32 => match (s.first_chunk::<16>(), s.last_chunk::<16>()) {
            (Some(first), Some(last)) => any_nul(first) | any_nul(last),
            _ => has_nul_long(s),
        },
        8..=15 => match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
            (Some(first), Some(last)) => any_nul(first) | any_nul(last),
            _ => has_nul_long(s),
        },
        0..=7 => any_nul(s),
        _ => has_nul_long(s),
    }
}

/// [`has_nul`] for any length: 16-byte blocks, the last one overlapping.
#[inline(never)]
fn has_nul_long(s: &[u8]) -> bool {
    let (blocks, _) = s.as_chunks::<16>();
    let last = s
        .last_chunk::<16>()
        .map_or_else(|| any_nul(s), |b| any_nul(b));
    blocks.iter().fold(last, |acc, b| acc | any_nul(b))
}

/// Whether `block` holds a 0 byte, without branches (a vector compare for fixed sizes).
#[inline(always)]
fn any_nul(block: &[u8]) -> bool {
    block.iter().fold(false, |acc, &b| acc | (b == 0))
}

/// Encoded size of a length-prefixed binary field (at most 65,535 bytes).
#[inline]
pub(crate) fn bin_size(b: &[u8]) -> Result<usize, Error> {
    if b.len() > MAX_STRING_LEN {
        Err(Error::BinaryTooLong(b.len()))
    } else {
        Ok(2 + b.len())
    }
}

/// Destination of an encoder: a slice the caller has sized exactly ([`Writer`]) or, with
/// `alloc`, a `Vec<u8>` that was reserved for the packet. Writes cannot fail.
pub(crate) trait Sink {
    /// Appends bytes.
    fn bytes(&mut self, v: &[u8]);

    /// Appends a fixed number of bytes (a store the compiler sees the size of, not a `memcpy`).
    #[inline(always)]
    fn array<const N: usize>(&mut self, v: [u8; N]) {
        self.bytes(&v);
    }

    /// Appends one byte.
    #[inline(always)]
    fn u8(&mut self, v: u8) {
        self.array([v]);
    }

    /// Appends a big-endian u16.
    #[inline(always)]
    fn u16(&mut self, v: u16) {
        self.array(v.to_be_bytes());
    }

    /// A length-prefixed field whose length was checked to fit in 16 bits (`remaining_len`
    /// refuses longer ones, so the `as u16` never truncates).
    #[inline(always)]
    fn prefixed(&mut self, v: &[u8]) {
        self.prefixed_then(v, []);
    }

    /// A length-prefixed field as in [`Sink::prefixed`], then the fixed bytes `after` (the
    /// requested QoS of a SUBSCRIBE filter, the packet id after a PUBLISH topic).
    #[inline(always)]
    fn prefixed_then<const N: usize>(&mut self, v: &[u8], after: [u8; N]) {
        self.u16(v.len() as u16);
        self.bytes(v);
        self.array(after);
    }

    /// The fixed header: the first byte and the minimal Remaining Length varint (§2.2.3) of
    /// `remaining` (at most 268,435,455), written as one store of 2 to 5 bytes. `total` is
    /// [`total_len`]`(remaining)`, which already tells the varint's length.
    #[inline(always)]
    fn fixed_header(&mut self, first: u8, remaining: usize, total: usize) {
        // Byte `k` of the varint: seven bits, with the continuation bit set on all but the last
        // (`as u8` keeps the low eight bits, and the OR overwrites the eighth).
        let more = |k: u32| (remaining >> (7 * k)) as u8 | 0x80;
        let last = |k: u32| (remaining >> (7 * k)) as u8;
        match total - remaining {
            2 => self.array([first, last(0)]),
            3 => self.array([first, more(0), last(1)]),
            4 => self.array([first, more(0), more(1), last(2)]),
            _ => self.array([first, more(0), more(1), more(2), last(3)]),
        }
    }
}

/// Cursor over the output slice, which [`encode_into`] has sized exactly before anything is
/// written: every write splits its bytes off the front (one length check, no position
/// arithmetic). Writes never panic: a write that does not fit is dropped (which the size check
/// rules out).
pub(crate) struct Writer<'b> {
    buf: &'b mut [u8],
}

impl Sink for Writer<'_> {
    #[inline(always)]
    fn bytes(&mut self, v: &[u8]) {
        if let Some((dst, rest)) = core::mem::take(&mut self.buf).split_at_mut_checked(v.len()) {
            dst.copy_from_slice(v);
            self.buf = rest;
        }
    }

    #[inline(always)]
    fn array<const N: usize>(&mut self, v: [u8; N]) {
        if let Some((dst, rest)) = core::mem::take(&mut self.buf).split_first_chunk_mut::<N>() {
            *dst = v;
            self.buf = rest;
        }
    }

    /// Prefix, bytes and `after` with one length check (`2 + v.len() + N` cannot overflow: a
    /// slice holds at most `isize::MAX` bytes).
    #[inline(always)]
    fn prefixed_then<const N: usize>(&mut self, v: &[u8], after: [u8; N]) {
        let n = 2 + v.len() + N;
        if let Some((dst, rest)) = core::mem::take(&mut self.buf).split_at_mut_checked(n) {
            if let Some((len, tail)) = dst.split_first_chunk_mut::<2>() {
                if let Some((data, end)) = tail.split_last_chunk_mut::<N>() {
                    // The fixed-size stores first: fewer values live across the `memcpy`.
                    *len = (v.len() as u16).to_be_bytes();
                    *end = after;
                    copy(data, v);
                }
            }
            self.buf = rest;
        }
    }
}

/// `dst.copy_from_slice(src)` for slices of equal length, with the short lengths (up to 64
/// bytes: topics, filters, client ids) copied inline as two overlapping fixed-size blocks, as
/// `memcpy` itself does, which saves the out-of-line call per field.
#[inline(always)]
fn copy(dst: &mut [u8], src: &[u8]) {
    #[inline(always)]
    fn two<const N: usize>(dst: &mut [u8], src: &[u8]) {
        if let (Some(d), Some(s)) = (dst.first_chunk_mut::<N>(), src.first_chunk::<N>()) {
            *d = *s;
        }
        if let (Some(d), Some(s)) = (dst.last_chunk_mut::<N>(), src.last_chunk::<N>()) {
            *d = *s;
        }
    }
    // Longer fields (payloads, passwords) go straight to `memcpy`, before any length class.
    if src.len() > 64 || dst.len() != src.len() {
        return dst.copy_from_slice(src);
    }
    match src.len() {
        32.. => two::<32>(dst, src),
        16.. => two::<16>(dst, src),
        8.. => two::<8>(dst, src),
        4.. => two::<4>(dst, src),
        2.. => two::<2>(dst, src),
        1 => two::<1>(dst, src),
        0 => {}
    }
}

/// A growable buffer that packets are appended to ([`encode_appending`]): `Vec<u8>`, and
/// `BytesMut` for the tokio codec.
#[cfg(feature = "alloc")]
pub(crate) trait Append: Sink {
    /// Makes room for `additional` more bytes.
    fn reserve(&mut self, additional: usize);
    /// Bytes held.
    fn len(&self) -> usize;
}

/// [`Sink`] and [`Append`] for a byte buffer type with inherent `extend_from_slice`, `reserve`
/// and `len` (which the method calls below resolve to, not to these traits).
#[cfg(feature = "alloc")]
macro_rules! append_to_buffer {
    ($ty:ty) => {
        impl $crate::primitives::Sink for $ty {
            #[inline]
            fn bytes(&mut self, v: &[u8]) {
                self.extend_from_slice(v);
            }
        }

        impl $crate::primitives::Append for $ty {
            #[inline]
            fn reserve(&mut self, additional: usize) {
                self.reserve(additional);
            }

            #[inline]
            fn len(&self) -> usize {
                self.len()
            }
        }
    };
}
#[cfg(feature = "tokio")]
pub(crate) use append_to_buffer;

#[cfg(feature = "alloc")]
append_to_buffer!(alloc::vec::Vec<u8>);

/// A packet body the encoding framework can serialise. `remaining_len` validates every
/// encode-side rule; `write_body` is only called after it succeeded and the buffer fits.
pub(crate) trait Encode {
    /// First byte of the fixed header (type and flags).
    fn first_byte(&self) -> u8;
    /// Validates the packet and returns its Remaining Length.
    fn remaining_len(&self) -> Result<usize, Error>;
    /// Writes the variable header and payload.
    fn write_body<S: Sink>(&self, w: &mut S);
}

/// Exact encoded length of a packet.
#[inline]
pub(crate) fn encoded_len<E: Encode + ?Sized>(p: &E) -> Result<usize, Error> {
    total_len(p.remaining_len()?)
}

/// Writes the whole packet at the start of `buf` or nothing.
#[inline]
pub(crate) fn encode_into<E: Encode + ?Sized>(p: &E, buf: &mut [u8]) -> Result<usize, Error> {
    let (out, remaining, total) = checked_out(p, buf)?;
    write(p, out, remaining, total);
    Ok(total)
}

/// [`encode_into`] through a function of its own, for [`crate::Packet::encode`]: the registers
/// a packet with variable-length fields needs are then saved only for it, not for the
/// fixed-size packets the same `match` encodes.
#[inline(always)]
pub(crate) fn encode_into_outlined<E: Encode>(p: &E, buf: &mut [u8]) -> Result<usize, Error> {
    let mut result = Ok(0);
    encode_into_at(p, buf, &mut result);
    result
}

/// [`encode_into`] storing its result in `result`, before the packet is written: the last
/// write (a payload's `memcpy`) then ends the function as a tail call.
#[inline(never)]
fn encode_into_at<E: Encode>(p: &E, buf: &mut [u8], result: &mut Result<usize, Error>) {
    match checked_out(p, buf) {
        Ok((out, remaining, total)) => {
            *result = Ok(total);
            write(p, out, remaining, total);
        }
        Err(e) => *result = Err(e),
    }
}

/// Validates the packet; returns the part of `buf` it will fill, its Remaining Length and its
/// total length.
#[inline(always)]
fn checked_out<'b, E: Encode + ?Sized>(
    p: &E,
    buf: &'b mut [u8],
) -> Result<(&'b mut [u8], usize, usize), Error> {
    let remaining = p.remaining_len()?;
    let total = total_len(remaining)?;
    let available = buf.len();
    match buf.get_mut(..total) {
        Some(out) => Ok((out, remaining, total)),
        None => Err(Error::BufferTooSmall {
            needed: total,
            available,
        }),
    }
}

/// Writes the validated packet into `out`, which is exactly its `total` bytes.
#[inline(always)]
fn write<E: Encode + ?Sized>(p: &E, out: &mut [u8], remaining: usize, total: usize) {
    let mut w = Writer { buf: out };
    w.fixed_header(p.first_byte(), remaining, total);
    p.write_body(&mut w);
    debug_assert!(w.buf.is_empty());
}

/// Appends the packet to `out`, validating it once; on error (found before anything is
/// written) `out` is unchanged.
#[cfg(feature = "alloc")]
#[inline]
pub(crate) fn encode_appending<E: Encode + ?Sized, A: Append>(
    p: &E,
    out: &mut A,
) -> Result<usize, Error> {
    let remaining = p.remaining_len()?;
    let total = total_len(remaining)?;
    Append::reserve(out, total);
    let start = Append::len(out);
    out.fixed_header(p.first_byte(), remaining, total);
    p.write_body(out);
    debug_assert_eq!(Append::len(out) - start, total);
    Ok(total)
}

/// Adds the public `encoded_len`, `encode` and `encode_to_vec` methods to a packet type that
/// implements [`Encode`].
macro_rules! encode_methods {
    ($ty:ty) => {
        impl $ty {
            /// Exact number of bytes [`encode`](Self::encode) writes (minimal Remaining Length).
            ///
            /// # Errors
            /// The rule the packet breaks, so that it cannot be encoded.
            #[inline]
            pub fn encoded_len(&self) -> Result<usize, $crate::Error> {
                $crate::primitives::encoded_len(self)
            }

            /// Writes the whole packet at the start of `buf` and returns its length.
            ///
            /// # Errors
            /// [`Error::BufferTooSmall`](crate::Error::BufferTooSmall) or the rule the packet
            /// breaks; in both cases nothing is written.
            #[inline]
            pub fn encode(&self, buf: &mut [u8]) -> Result<usize, $crate::Error> {
                $crate::primitives::encode_into(self, buf)
            }

            /// Appends the encoded packet to `out` and returns its length.
            ///
            /// # Errors
            /// The rule the packet breaks; `out` is then unchanged.
            #[cfg(feature = "alloc")]
            #[inline]
            pub fn encode_to_vec(
                &self,
                out: &mut alloc::vec::Vec<u8>,
            ) -> Result<usize, $crate::Error> {
                $crate::primitives::encode_appending(self, out)
            }
        }
    };
}
pub(crate) use encode_methods;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_sizes() {
        for (v, n) in [
            (0, 1),
            (127, 1),
            (128, 2),
            (16_383, 2),
            (16_384, 3),
            (2_097_151, 3),
            (2_097_152, 4),
            (MAX_REMAINING_LENGTH, 4),
        ] {
            assert_eq!(varint_len(v), n);
            let mut buf = [0u8; 6];
            let mut w = Writer { buf: &mut buf };
            w.fixed_header(0x30, v, total_len(v).unwrap());
            assert_eq!(w.buf.len(), 5 - n);
            assert_eq!(buf[0], 0x30);
            assert_eq!(buf[n] & 0x80, 0);
            let mut back = 0usize;
            for (k, b) in buf[1..=n].iter().enumerate() {
                back |= usize::from(b & 0x7F) << (7 * k);
            }
            assert_eq!(back, v);
        }
        assert_eq!(
            total_len(MAX_REMAINING_LENGTH + 1),
            Err(Error::RemainingLengthTooLarge(MAX_REMAINING_LENGTH + 1))
        );
    }

    #[test]
    fn utf8_is_from_utf8() {
        // Both routes: all ASCII (every byte value below 0x80, at every length up to 80),
        // other UTF-8, and invalid input (the error's `valid_up_to` is where decode errors
        // point), each byte once at each position.
        let mut buf = [b'a'; 80];
        for len in 0..=buf.len() {
            assert_eq!(utf8(&buf[..len]), core::str::from_utf8(&buf[..len]));
            for k in 0..len {
                for b in [0x00, 0x7F, 0x80, 0xC3, 0xFF] {
                    buf[k] = b;
                    let s = &buf[..len];
                    assert_eq!(utf8(s), core::str::from_utf8(s), "len {len}, {b:#x} at {k}");
                }
                buf[k] = b'a';
            }
        }
        assert_eq!(utf8("tópico/😀".as_bytes()), Ok("tópico/😀"));
    }

    proptest::proptest! {
        #[test]
        fn utf8_agrees_with_from_utf8(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..100)) {
            proptest::prop_assert_eq!(utf8(&bytes), core::str::from_utf8(&bytes));
        }
    }

    #[test]
    fn nul_check_matches_a_byte_scan() {
        // Every length class of `has_nul` (byte loop, two words, two blocks, block loop), with
        // a 0 at every position and nowhere.
        let mut buf = [b'a'; 80];
        for len in 0..=buf.len() {
            assert!(!has_nul(&buf[..len]), "len {len}");
            for k in 0..len {
                buf[k] = 0;
                assert!(has_nul(&buf[..len]), "len {len}, 0 at {k}");
                buf[k] = b'a';
            }
        }
    }

    #[test]
    fn copy_matches_copy_from_slice() {
        // Every length class of `copy` (memcpy, two blocks of 32/16/8/4/2, one byte, empty).
        let src: [u8; 80] = core::array::from_fn(|k| k as u8 + 1);
        for len in 0..=src.len() {
            let mut dst = [0u8; 80];
            copy(&mut dst[..len], &src[..len]);
            assert_eq!(dst[..len], src[..len], "len {len}");
            assert!(dst[len..].iter().all(|&b| b == 0), "len {len}");
        }
    }

    #[test]
    fn strings() {
        let o = StrOpts::default();
        assert_eq!(utf8_str(b"\x00\x02hi!", o), Ok((&b"!"[..], "hi")));
        let e = into_fail(utf8_str(b"\x00\x05h\xed\xa0\x80", o).unwrap_err());
        assert_eq!(e.error, Error::UnexpectedEnd);
        assert_eq!(e.remaining, 6);
        let e = into_fail(utf8_str(b"\x00\x04h\xed\xa0\x80", o).unwrap_err());
        assert_eq!((e.error, e.remaining), (Error::InvalidUtf8, 3));
        let e = into_fail(utf8_str(b"\x00\x02a\x00", o).unwrap_err());
        assert_eq!((e.error, e.remaining), (Error::NullCharacter, 1));
        let ctl = StrOpts {
            reject_control: true,
        };
        assert!(utf8_str(b"\x00\x02a\x01", o).is_ok());
        let e = into_fail(utf8_str(b"\x00\x03a\xc2\x85", ctl).unwrap_err());
        assert_eq!((e.error, e.remaining), (Error::ControlCharacter, 2));
        let e = into_fail(utf8_str(b"\x00\x03\xef\xbf\xbe", ctl).unwrap_err());
        assert_eq!((e.error, e.remaining), (Error::NonCharacter, 3));
        assert_eq!(
            utf8_str(b"\x00\x03\xef\xbb\xbf", ctl),
            Ok((&b""[..], "\u{feff}"))
        );
    }
}
