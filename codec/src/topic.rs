//! Validated topic names and topic filters (§4.7).

use core::fmt;
use core::ops::Deref;

use crate::Error;

/// Longest string an MQTT length prefix can describe.
pub(crate) const MAX_STRING_LEN: usize = 65_535;

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
/// `b | 0x08 == 0x2B` exactly for `#` (0x23) and `+` (0x2B).
const WILD_OR: u64 = 0x0808_0808_0808_0808;
const WILD_EQ: u64 = 0x2B2B_2B2B_2B2B_2B2B;

/// Non-zero iff some byte of `x` is 0 (or, with `WILD`, `+` or `#`); word-at-a-time.
#[inline(always)]
const fn special_mask<const WILD: bool>(x: u64) -> u64 {
    let mut m = x.wrapping_sub(LO) & !x;
    if WILD {
        let y = (x | WILD_OR) ^ WILD_EQ;
        m |= y.wrapping_sub(LO) & !y;
    }
    m & HI
}

/// Whether `b` is U+0000 (or, with `WILD`, `+` or `#`); without branches, so that a fold over
/// a few bytes compiles to straight-line code.
#[inline(always)]
const fn is_special<const WILD: bool>(b: u8) -> bool {
    (b == 0) | (WILD & ((b | 0x08) == 0x2B))
}

#[inline(always)]
fn word(w: &[u8; 8]) -> u64 {
    u64::from_le_bytes(*w)
}

/// Whether `s` holds a U+0000 byte (and, with `WILD`, a `+` or `#`). Branch-free up to 64
/// bytes, which covers nearly every topic, client id and user name: inputs of 16..=64 bytes
/// are four 16-byte blocks (first, last and two between, overlapping when the length is not
/// 64; three for topics and filters of up to 48 bytes: SUBSCRIBE decode 88 -> 79 ns) reduced
/// lane by lane with `min`, which LLVM compiles to about 25 SIMD instructions
/// (SSE2 on x86-64, simd128 on wasm) without a loop; inputs of 8..=15 bytes are tested as two
/// overlapping words, shorter ones byte by byte. Longer inputs take [`has_special_long`], out
/// of line so that the decoders' fast paths, where this is inlined, stay small. (The loop over
/// all blocks this replaced was vectorized by LLVM across blocks, with byte gathers, and gave
/// the benchmark's decode a 648-byte stack frame instead of 232: PUBLISH 12.2 -> 10.9 ns.)
#[inline(always)]
pub(crate) fn has_special<const WILD: bool>(s: &[u8]) -> bool {
    let n = s.len();
    let (Some(first), Some(last)) = (s.first_chunk::<16>(), s.last_chunk::<16>()) else {
        // 8..=15 bytes: two overlapping words; fewer: byte by byte.
        return match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
            (Some(first), Some(last)) => {
                special_mask::<WILD>(word(first)) | special_mask::<WILD>(word(last)) != 0
            }
            _ => s.iter().fold(false, |acc, &b| acc | is_special::<WILD>(b)),
        };
    };
    if n > BLOCKS {
        return has_special_long::<WILD>(s);
    }
    // Blocks at 16 and 32, moved back to end at `n` when the input is shorter than 48/64
    // (always `Some`, since `n >= 16`; the block scan would answer otherwise).
    let block = |at: usize| s.get(at.min(n - 16)..).and_then(<[u8]>::first_chunk::<16>);
    let (Some(second), Some(third)) = (block(16), block(32)) else {
        return has_special_long::<WILD>(s);
    };
    // Lane-wise minimum of the four blocks and (with `WILD`) of their bytes mapped so that
    // `+` and `#` become 0: some lane is 0 exactly when some byte is special.
    #[inline(always)]
    fn lane(b: u8, wild: bool) -> u8 {
        if wild {
            b.min((b | 0x08) ^ 0x2B)
        } else {
            b
        }
    }
    let mut acc = [0u8; 16];
    // Topics and filters of up to 48 bytes are covered by three blocks (the second and the
    // last reach the end). Written as two whole loops: merging them (a fourth block added
    // under a condition, or the third block replaced by the second) made LLVM lay out the
    // decoders worse (PUBLISH 10.4 -> 11-12 ns), and so did one helper generic over the
    // number of blocks (13.3-13.6 ns; 73 ns with an iterator per lane). Not for
    // `WILD = false` (client id, user name): CONNECT's decode got slower (30 -> 38 ns) when
    // its scan was split the same way.
    if WILD && n <= 48 {
        for (i, a) in acc.iter_mut().enumerate() {
            *a = lane(first[i], WILD)
                .min(lane(second[i], WILD))
                .min(lane(last[i], WILD));
        }
    } else {
        for (i, a) in acc.iter_mut().enumerate() {
            *a = lane(first[i], WILD)
                .min(lane(second[i], WILD))
                .min(lane(third[i], WILD))
                .min(lane(last[i], WILD));
        }
    }
    acc.iter().fold(0u8, |m, &a| m | u8::from(a == 0)) != 0
}

/// [`has_special`] for inputs over [`BLOCKS`] bytes: the block scan of [`find_special`], kept
/// out of line.
#[inline(never)]
fn has_special_long<const WILD: bool>(s: &[u8]) -> bool {
    find_special_blocks::<WILD>(s).is_some()
}

/// Longest input [`has_special`] checks without a loop (four 16-byte blocks).
const BLOCKS: usize = 64;

/// Inputs shorter than this are checked with [`has_special`] and located with a byte scan only
/// on a hit; longer ones with the word-at-a-time scan that stops at the first hit block.
const SHORT: usize = 128;

/// Index of the first U+0000 byte (and, with `WILD`, the first `+` or `#`) in `s`.
#[inline(always)]
pub(crate) fn find_special<const WILD: bool>(s: &[u8]) -> Option<usize> {
    if s.len() < SHORT {
        if !has_special::<WILD>(s) {
            return None;
        }
        return s.iter().position(|&b| is_special::<WILD>(b));
    }
    find_special_blocks::<WILD>(s)
}

/// [`find_special`] for long inputs (and for topic filters, which usually hold wildcards),
/// testing sixteen bytes per step; only a block with a hit is searched byte by byte.
#[inline]
fn find_special_blocks<const WILD: bool>(s: &[u8]) -> Option<usize> {
    let (pairs, rest) = s.as_chunks::<16>();
    let mut base = 0usize;
    let mut hit = false;
    for p in pairs {
        let v = u128::from_le_bytes(*p);
        if special_mask::<WILD>(v as u64) | special_mask::<WILD>((v >> 64) as u64) != 0 {
            hit = true;
            break;
        }
        base += 16;
    }
    if !hit {
        // Fewer than 16 bytes left: cover them with (overlapping) words where possible.
        let Some(last) = s.last_chunk::<8>() else {
            return s.iter().position(|&b| is_special::<WILD>(b));
        };
        let first = rest
            .first_chunk::<8>()
            .map_or(0, |w| special_mask::<WILD>(word(w)));
        if first | special_mask::<WILD>(word(last)) == 0 {
            return None;
        }
    }
    s.get(base..)?
        .iter()
        .position(|&b| is_special::<WILD>(b))
        .map(|i| base + i)
}

/// Checks a topic name: 1..=65535 bytes, no U+0000, no `+` or `#`.
/// On failure returns the rule and the byte index inside the string.
#[inline(always)]
pub(crate) fn check_name(s: &[u8]) -> Result<(), (Error, usize)> {
    if s.is_empty() {
        return Err((Error::EmptyTopic, 0));
    }
    if s.len() > MAX_STRING_LEN {
        return Err((Error::StringTooLong(s.len()), 0));
    }
    match find_special::<true>(s) {
        None => Ok(()),
        Some(i) => Err(match s.get(i) {
            Some(0) => (Error::NullCharacter, i),
            _ => (Error::WildcardInTopicName, i),
        }),
    }
}

/// Checks a topic filter: 1..=65535 bytes, no U+0000, `#` alone in the last level,
/// `+` alone in its level. On failure returns the rule and the byte index inside the string.
#[inline]
pub(crate) fn check_filter(s: &[u8]) -> Result<(), (Error, usize)> {
    if s.is_empty() {
        return Err((Error::EmptyTopic, 0));
    }
    if s.len() > MAX_STRING_LEN {
        return Err((Error::StringTooLong(s.len()), 0));
    }
    // Filters usually hold wildcards: go from hit to hit with the block scan.
    let mut from = 0usize;
    while let Some(rel) = s.get(from..).and_then(find_special_blocks::<true>) {
        let i = from + rel;
        let prev_ok = i == 0 || s.get(i - 1) == Some(&b'/');
        match s.get(i) {
            Some(b'#') if !prev_ok || i + 1 != s.len() => {
                return Err((Error::InvalidMultiLevelWildcard, i));
            }
            Some(b'+') if !prev_ok || s.get(i + 1).is_some_and(|&n| n != b'/') => {
                return Err((Error::InvalidSingleLevelWildcard, i));
            }
            Some(0) => return Err((Error::NullCharacter, i)),
            _ => {}
        }
        from = i + 1;
    }
    Ok(())
}

macro_rules! topic_common {
    ($ty:ident, $check:ident, $what:literal) => {
        impl<'a> $ty<'a> {
            #[doc = concat!("Validates `s` as a ", $what, ".")]
            ///
            /// # Errors
            /// The rule `s` breaks ([`Error::EmptyTopic`], [`Error::StringTooLong`],
            /// [`Error::NullCharacter`] or a wildcard rule).
            #[inline]
            pub fn new(s: &'a str) -> Result<Self, Error> {
                match $check(s.as_bytes()) {
                    Ok(()) => Ok($ty(s)),
                    Err((e, _)) => Err(e),
                }
            }

            /// Wraps a string the caller has already validated.
            #[inline]
            pub(crate) const fn new_unchecked(s: &'a str) -> Self {
                $ty(s)
            }

            /// The topic as a string slice (borrowing the original input).
            #[inline]
            pub fn as_str(&self) -> &'a str {
                self.0
            }
        }

        impl fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }

        impl AsRef<str> for $ty<'_> {
            #[inline]
            fn as_ref(&self) -> &str {
                self.0
            }
        }

        impl Deref for $ty<'_> {
            type Target = str;
            #[inline]
            fn deref(&self) -> &str {
                self.0
            }
        }

        impl<'a> TryFrom<&'a str> for $ty<'a> {
            type Error = Error;
            #[inline]
            fn try_from(s: &'a str) -> Result<Self, Error> {
                $ty::new(s)
            }
        }

        impl<'a> From<$ty<'a>> for &'a str {
            #[inline]
            fn from(t: $ty<'a>) -> &'a str {
                t.0
            }
        }

        impl PartialEq<str> for $ty<'_> {
            #[inline]
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $ty<'_> {
            #[inline]
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A valid topic name: 1..=65535 bytes, UTF-8, no U+0000, no `+` or `#`
/// [MQTT-4.7.3-1] [MQTT-4.7.3-2] [MQTT-4.7.3-3] [MQTT-4.7.1-1].
///
/// ```
/// use vcd_mqtt_codec::{Error, TopicName};
/// assert_eq!(TopicName::new("a/b").unwrap().as_str(), "a/b");
/// assert_eq!(TopicName::new("a/+"), Err(Error::WildcardInTopicName));
/// assert_eq!(TopicName::new(""), Err(Error::EmptyTopic));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicName<'a>(&'a str);

/// A valid topic filter: 1..=65535 bytes, no U+0000, `#` last and alone in its level, `+` alone
/// in its level [MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-1] [MQTT-4.7.3-2] [MQTT-4.7.3-3].
///
/// ```
/// use vcd_mqtt_codec::{Error, TopicFilter};
/// assert!(TopicFilter::new("sport/+/player1/#").is_ok());
/// assert_eq!(TopicFilter::new("a/#/b"), Err(Error::InvalidMultiLevelWildcard));
/// assert_eq!(TopicFilter::new("a+"), Err(Error::InvalidSingleLevelWildcard));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicFilter<'a>(&'a str);

topic_common!(TopicName, check_name, "topic name");
topic_common!(TopicFilter, check_filter, "topic filter");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(TopicName::new("/").is_ok());
        assert!(TopicName::new("\u{feff}a/b").is_ok());
        assert_eq!(check_name(b"a\0b"), Err((Error::NullCharacter, 1)));
        assert_eq!(check_name(b"ab/#"), Err((Error::WildcardInTopicName, 3)));
        let long = [b'a'; 65_536];
        assert_eq!(check_name(&long), Err((Error::StringTooLong(65_536), 0)));
        assert!(check_name(&long[..65_535]).is_ok());
    }

    #[test]
    fn special_scan_every_length_and_position() {
        for len in 0..300usize {
            let mut s = std::vec![b'a'; len];
            assert_eq!(find_special::<true>(&s), None, "{len}");
            assert!(!has_special::<true>(&s));
            for i in 0..len {
                for b in [0u8, b'+', b'#'] {
                    s[i] = b;
                    assert_eq!(find_special::<true>(&s), Some(i), "{len} {i} {b}");
                    assert_eq!(find_special::<false>(&s), (b == 0).then_some(i));
                    assert!(has_special::<true>(&s), "{len} {i} {b}");
                    assert_eq!(has_special::<false>(&s), b == 0, "{len} {i} {b}");
                    if len > i + 1 {
                        // A second hit later does not change the first.
                        s[len - 1] = 0;
                        assert_eq!(find_special::<true>(&s), Some(i));
                        s[len - 1] = b'a';
                    }
                    s[i] = b'a';
                }
                // Neighbours of the special bytes are not special.
                for b in [0x2Au8, 0x2C, 0x22, 0x24, 0x03, 0xAB, 0xA3, 0x80, 0x01] {
                    s[i] = b;
                    assert_eq!(find_special::<true>(&s), None, "{len} {i} {b:#x}");
                    assert!(!has_special::<true>(&s), "{len} {i} {b:#x}");
                    s[i] = b'a';
                }
            }
        }
    }

    #[test]
    fn special_scan() {
        let mut s = [b'a'; 40];
        assert_eq!(find_special::<true>(&s), None);
        for i in 0..40 {
            for b in [0u8, b'+', b'#'] {
                s[i] = b;
                assert_eq!(find_special::<true>(&s), Some(i));
                assert_eq!(find_special::<false>(&s), (b == 0).then_some(i));
                s[i] = 0xC3;
                assert_eq!(find_special::<true>(&s), None);
                s[i] = b'a';
            }
        }
    }

    #[test]
    fn filters() {
        for ok in [
            "#", "+", "+/+", "/+", "a/#", "/#", "+/#", "a//b", "/", "a/+/c",
        ] {
            assert!(TopicFilter::new(ok).is_ok(), "{ok}");
        }
        for (bad, err, at) in [
            ("a#", Error::InvalidMultiLevelWildcard, 1),
            ("a/#/b", Error::InvalidMultiLevelWildcard, 2),
            ("#/", Error::InvalidMultiLevelWildcard, 0),
            ("a+", Error::InvalidSingleLevelWildcard, 1),
            ("+a/b", Error::InvalidSingleLevelWildcard, 0),
            ("a/b+/c", Error::InvalidSingleLevelWildcard, 3),
            ("a\0", Error::NullCharacter, 1),
            ("", Error::EmptyTopic, 0),
        ] {
            assert_eq!(check_filter(bad.as_bytes()), Err((err, at)), "{bad}");
        }
    }
}
