//! The lazy lists of SUBSCRIBE, SUBACK and UNSUBSCRIBE: either the wire bytes that the decoder
//! has already validated completely, or a caller's slice to encode. One implementation, stamped
//! out per item type by [`lazy_list!`].

use crate::primitives::{packet_id, topic_filter, utf8, Fail, PResult, StrOpts};
use crate::{Error, PacketId};

/// Storage of a lazy list.
#[derive(Clone, Copy)]
pub(crate) enum Repr<'a, T> {
    /// Validated wire bytes holding `count` items.
    Wire { bytes: &'a [u8], count: usize },
    /// A caller's list.
    List(&'a [T]),
}

impl<T> Repr<'_, T> {
    /// Remaining Length of a SUBSCRIBE or UNSUBSCRIBE body: the packet id plus the wire bytes, or
    /// plus `item_len` of each caller item. An empty list is `empty`
    /// ([MQTT-3.8.3-3], [MQTT-3.10.3-2]).
    #[inline]
    pub(crate) fn body_len(
        &self,
        empty: Error,
        item_len: impl Fn(&T) -> usize,
    ) -> Result<usize, Error> {
        match *self {
            Repr::Wire { count: 0, .. } => Err(empty),
            Repr::List([]) => Err(empty),
            Repr::Wire { bytes, .. } => Ok(2usize.saturating_add(bytes.len())),
            Repr::List(l) => Ok(l.iter().fold(2usize, |n, t| n.saturating_add(item_len(t)))),
        }
    }
}

/// Decodes and fully validates the body of a SUBSCRIBE or UNSUBSCRIBE: a packet id, then at
/// least one topic filter (else `empty`), each followed by what `after_filter` reads and checks
/// (SUBSCRIBE's requested QoS byte). Returns the packet id, the validated list bytes and the
/// number of items, for a [`Repr::Wire`].
#[inline]
pub(crate) fn decode_filter_list<'a>(
    body: &'a [u8],
    opts: StrOpts,
    empty: Error,
    after_filter: impl Fn(&'a [u8]) -> PResult<'a, ()>,
) -> PResult<'a, (PacketId, &'a [u8], usize)> {
    let (payload, packet_id) = packet_id(body)?;
    if payload.is_empty() {
        return Fail::err(empty, payload);
    }
    let mut i = payload;
    let mut count = 0usize;
    while !i.is_empty() {
        let (rest, _) = topic_filter(i, opts)?;
        let (rest, ()) = after_filter(rest)?;
        count += 1;
        i = rest;
    }
    Ok((i, (packet_id, payload, count)))
}

/// Iterator state of a lazy list.
#[derive(Clone)]
pub(crate) enum IterRepr<'a, T> {
    /// Remaining validated wire bytes and remaining item count.
    Wire { bytes: &'a [u8], count: usize },
    /// Remaining caller items.
    List(core::slice::Iter<'a, T>),
}

/// Reads a length-prefixed string from validated wire bytes (`None` only if the bytes were not
/// validated, which the decoder guarantees cannot happen).
#[inline]
pub(crate) fn take_str<'a>(b: &mut &'a [u8]) -> Option<&'a str> {
    let (len, rest) = b.split_first_chunk::<2>()?;
    let len = usize::from(u16::from_be_bytes(*len));
    let (s, rest) = rest.split_at_checked(len)?;
    *b = rest;
    utf8(s).ok()
}

/// Reads one byte from validated wire bytes.
#[inline]
pub(crate) fn take_u8(b: &mut &[u8]) -> Option<u8> {
    let (&v, rest) = b.split_first()?;
    *b = rest;
    Some(v)
}

/// Defines a lazy list type `$name<'a>` with iterator `$iter<'a>` over `$item`, reading wire
/// items with `$next: fn(&mut &'a [u8]) -> Option<$item>`.
macro_rules! lazy_list {
    ($(#[$doc:meta])* $name:ident, $iter:ident, $item:ty, $next:path) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a>(pub(crate) $crate::list::Repr<'a, $item>);

        impl<'a> $name<'a> {
            /// A list of the caller's items, to encode.
            #[inline]
            pub const fn from_slice(list: &'a [$item]) -> Self {
                $name($crate::list::Repr::List(list))
            }

            /// A list over wire bytes that the decoder validated, holding `count` items.
            #[inline]
            pub(crate) const fn from_wire(bytes: &'a [u8], count: usize) -> Self {
                $name($crate::list::Repr::Wire { bytes, count })
            }

            /// Iterates the items (never fails: decoded lists were validated completely).
            #[inline]
            pub fn iter(&self) -> $iter<'a> {
                $iter(match self.0 {
                    $crate::list::Repr::Wire { bytes, count } => {
                        $crate::list::IterRepr::Wire { bytes, count }
                    }
                    $crate::list::Repr::List(l) => $crate::list::IterRepr::List(l.iter()),
                })
            }

            /// Number of items.
            #[inline]
            pub fn len(&self) -> usize {
                match self.0 {
                    $crate::list::Repr::Wire { count, .. } => count,
                    $crate::list::Repr::List(l) => l.len(),
                }
            }

            /// Whether the list has no items.
            #[inline]
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
        }

        impl<'a> From<&'a [$item]> for $name<'a> {
            #[inline]
            fn from(list: &'a [$item]) -> Self {
                $name::from_slice(list)
            }
        }

        impl<'a, const N: usize> From<&'a [$item; N]> for $name<'a> {
            #[inline]
            fn from(list: &'a [$item; N]) -> Self {
                $name::from_slice(list)
            }
        }

        impl PartialEq for $name<'_> {
            /// Compares the items, so a decoded list equals the slice it was encoded from.
            fn eq(&self, other: &Self) -> bool {
                self.len() == other.len() && self.iter().eq(other.iter())
            }
        }

        impl Eq for $name<'_> {}

        impl core::hash::Hash for $name<'_> {
            fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
                state.write_usize(self.len());
                for item in self.iter() {
                    item.hash(state);
                }
            }
        }

        impl core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }

        impl<'a> IntoIterator for $name<'a> {
            type Item = $item;
            type IntoIter = $iter<'a>;
            #[inline]
            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        impl<'a> IntoIterator for &$name<'a> {
            type Item = $item;
            type IntoIter = $iter<'a>;
            #[inline]
            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }

        #[doc = concat!("Iterator over the items of [`", stringify!($name), "`].")]
        #[derive(Clone)]
        pub struct $iter<'a>($crate::list::IterRepr<'a, $item>);

        impl<'a> Iterator for $iter<'a> {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                match &mut self.0 {
                    $crate::list::IterRepr::Wire { bytes, count } => {
                        if *count == 0 {
                            return None;
                        }
                        match $next(bytes) {
                            Some(item) => {
                                *count -= 1;
                                Some(item)
                            }
                            None => {
                                *count = 0;
                                None
                            }
                        }
                    }
                    $crate::list::IterRepr::List(it) => it.next().copied(),
                }
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                let n = match &self.0 {
                    $crate::list::IterRepr::Wire { count, .. } => *count,
                    $crate::list::IterRepr::List(it) => it.len(),
                };
                (n, Some(n))
            }
        }

        impl ExactSizeIterator for $iter<'_> {}
        impl core::iter::FusedIterator for $iter<'_> {}

        impl core::fmt::Debug for $iter<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.clone()).finish()
            }
        }
    };
}
pub(crate) use lazy_list;
