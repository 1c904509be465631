//! The properties the three codec fuzz targets check.
//!
//! * [`check_decode_packet`]: one-shot decoding of arbitrary bytes.
//! * [`check_stream_decoder`]: the streaming decoder against the one-shot decode loop.
//! * [`check_packet_roundtrip`]: structured packets through encode and decode, and the encoder's
//!   refusals against the decoder's verdict on the equivalent hand-assembled bytes.

use crate::spec::{PacketSpec, Refusal};
use crate::wire::{self, FixedHeader, HeaderRead};
use core::num::NonZeroUsize;
use vcd_mqtt_codec::{
    decode, DecodeError, DecodeOptions, Error, Needed, Packet, PacketType, Role, Status,
    StreamDecoder,
};

/// An owned record of one decode result, comparable across decoders and buffers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A packet, recorded by its encoding (a faithful record: `check_decode_packet` checks that
    /// decode(encode(p)) == p), or by its `Debug` form when the encoder refuses it.
    Packet(Vec<u8>),
    /// A packet the encoder refuses, recorded by its `Debug` form.
    Unencodable(String),
    /// A decode error.
    Error(DecodeError),
}

impl Event {
    /// Records a packet.
    pub fn packet(p: &Packet<'_>) -> Self {
        let mut v = Vec::new();
        match p.encode_to_vec(&mut v) {
            Ok(_) => Event::Packet(v),
            Err(_) => Event::Unencodable(format!("{p:?}")),
        }
    }
}

impl From<Result<Packet<'_>, DecodeError>> for Event {
    fn from(r: Result<Packet<'_>, DecodeError>) -> Self {
        match r {
            Ok(p) => Event::packet(&p),
            Err(e) => Event::Error(e),
        }
    }
}

/// Every text field of a packet (ClientId, Will Topic, User Name, topic names and filters).
pub fn text_fields<'a>(p: &Packet<'a>) -> Vec<&'a str> {
    match p {
        Packet::Connect(c) => {
            let mut v = vec![c.client_id];
            if let Some(w) = &c.will {
                v.push(w.topic.as_str());
            }
            v.extend(c.username);
            v
        }
        Packet::Publish(p) => vec![p.topic.as_str()],
        Packet::Subscribe(s) => s.topics.iter().map(|t| t.filter.as_str()).collect(),
        Packet::Unsubscribe(u) => u.topics.iter().map(|t| t.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// §1.5.3 SHOULD-NOT code points: controls U+0001..=U+001F, U+007F..=U+009F, and non-characters.
pub fn is_discouraged_char(c: char) -> bool {
    let v = u32::from(c);
    matches!(v, 0x01..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF) || (v & 0xFFFE) == 0xFFFE
}

/// Whether a receiver in `role` must refuse this packet type (§2.2.1 direction column).
pub fn forbidden_for(role: Role, t: PacketType) -> bool {
    use PacketType::*;
    match role {
        Role::Client => matches!(t, Connect | Subscribe | Unsubscribe | Pingreq | Disconnect),
        Role::Server => matches!(t, Connack | Suback | Unsuback | Pingresp),
    }
}

fn complete(header: HeaderRead) -> Option<FixedHeader> {
    match header {
        HeaderRead::Complete(h) => Some(h),
        HeaderRead::Incomplete | HeaderRead::TooLong => None,
    }
}

/// One-shot decode of arbitrary bytes. Checks that:
/// * the answer agrees with an independent reading of the fixed header (packet length,
///   `Needed::Size` exactly the missing bytes, `Needed::Unknown` only inside the header, the
///   error's `packet_len`) and does not depend on bytes after the packet;
/// * a decoded packet re-encodes (the only refusal allowed is the encode-only [MQTT-3.1.3-7])
///   to the same bytes, or with a non-minimal input to the same bytes after the header, and
///   decodes again to the same packet; `encode` into a too-small buffer writes nothing;
/// * every proper prefix of a decoded packet is `Incomplete`;
/// * the options behave: strict remaining length, role, control characters, maximum size.
pub fn check_decode_packet(data: &[u8]) {
    let options = DecodeOptions::new();
    let result = options.decode(data);
    assert_eq!(
        result,
        decode(data),
        "decode() differs from DecodeOptions::new().decode()"
    );
    let header = wire::read_fixed_header(data);
    match result {
        Ok(Status::Complete((packet, used))) => {
            let h = complete(header).expect("decoded a packet without a complete fixed header");
            assert_eq!(
                used,
                h.packet_len(),
                "bytes used differ from the fixed header's length"
            );
            assert!(used <= data.len());
            assert_eq!(packet.packet_type().as_u8(), h.first_byte >> 4);
            let consumed = &data[..used];
            assert_eq!(
                options.decode(consumed),
                Ok(Status::Complete((packet, used))),
                "result depends on bytes after the packet"
            );
            check_reencode(&packet, consumed, &h);
            check_prefixes(consumed, &h);
            check_options(consumed, &packet, &h);
        }
        Ok(Status::Incomplete(needed)) => match header {
            HeaderRead::Complete(h) => {
                let missing = h.packet_len().saturating_sub(data.len());
                assert_eq!(
                    Some(needed),
                    NonZeroUsize::new(missing).map(Needed::Size),
                    "Needed::Size must be exactly the missing bytes"
                );
                // With the missing bytes present the answer is no longer "incomplete" (checked
                // for small gaps only: a header may announce up to 256 MiB).
                if missing <= 4096 {
                    let mut padded = data.to_vec();
                    padded.resize(h.packet_len(), 0);
                    if let Ok(Status::Incomplete(n)) = options.decode(&padded) {
                        panic!("still incomplete ({n:?}) after adding the {missing} missing bytes");
                    }
                }
            }
            HeaderRead::Incomplete => assert_eq!(needed, Needed::Unknown),
            HeaderRead::TooLong => panic!("a 5-byte remaining length reported as incomplete"),
        },
        Err(e) => {
            let _ = format!("{e} / {:?} / {:?}", e.error.statement_id(), e);
            match header {
                HeaderRead::Complete(h) => {
                    if let Some(len) = e.packet_len {
                        assert_eq!(len, h.packet_len(), "packet_len differs from the header");
                        assert!(
                            e.offset <= len,
                            "error offset {} past packet end {len}",
                            e.offset
                        );
                    }
                    if data.len() > h.packet_len() {
                        assert_eq!(
                            options.decode(&data[..h.packet_len()]),
                            Err(e),
                            "result depends on bytes after the packet"
                        );
                    }
                }
                HeaderRead::Incomplete | HeaderRead::TooLong => {
                    assert_eq!(e.packet_len, None, "packet_len without a readable header");
                    assert!(e.offset <= data.len().min(wire::MAX_HEADER_LEN));
                }
            }
        }
    }
}

fn check_reencode(packet: &Packet<'_>, consumed: &[u8], h: &FixedHeader) {
    // encode_to_vec appends: start with a marker byte that must stay in place.
    let mut out = vec![0xEE];
    match packet.encode_to_vec(&mut out) {
        Ok(n) => {
            assert_eq!(out[0], 0xEE, "encode_to_vec overwrote existing bytes");
            let out = &out[1..];
            assert_eq!(
                n,
                out.len(),
                "encode_to_vec's length differs from the bytes appended"
            );
            assert_eq!(
                packet.encoded_len(),
                Ok(n),
                "encoded_len differs from encode"
            );
            let mut exact = vec![0xAA; n];
            assert_eq!(packet.encode(&mut exact), Ok(n));
            assert_eq!(exact, out, "encode and encode_to_vec write different bytes");
            let mut small = vec![0xAA; n - 1];
            assert_eq!(
                packet.encode(&mut small),
                Err(Error::BufferTooSmall {
                    needed: n,
                    available: n - 1
                })
            );
            assert!(
                small.iter().all(|&b| b == 0xAA),
                "a failed encode wrote bytes"
            );
            let h2 = complete(wire::read_fixed_header(out)).expect("encoder wrote no header");
            assert!(h2.minimal, "encoder wrote a non-minimal remaining length");
            assert_eq!(h2.packet_len(), n);
            assert_eq!(out[0], consumed[0], "first byte differs after re-encoding");
            assert_eq!(
                &out[h2.header_len..],
                &consumed[h.header_len..],
                "body differs after re-encoding"
            );
            if h.minimal {
                assert_eq!(out, consumed, "re-encoded bytes differ from the input");
            }
            assert_eq!(
                decode(out),
                Ok(Status::Complete((*packet, n))),
                "re-encoded packet decodes differently"
            );
        }
        Err(e) => {
            assert_eq!(out, [0xEE], "a failed encode_to_vec changed the vector");
            let allowed = e == Error::EmptyClientIdWithoutCleanSession
                && matches!(packet, Packet::Connect(c) if c.client_id.is_empty() && !c.clean_session);
            assert!(
                allowed,
                "decoded packet refused by the encoder: {e:?}: {packet:?}"
            );
            assert_eq!(packet.encoded_len(), Err(e));
        }
    }
}

fn check_prefixes(consumed: &[u8], h: &FixedHeader) {
    let used = consumed.len();
    let mut cuts = [0, 1, h.header_len - 1, h.header_len, used / 2, used - 1];
    cuts.sort_unstable();
    let mut last = None;
    for k in cuts {
        if k >= used || last == Some(k) {
            continue;
        }
        last = Some(k);
        let expected = if k >= h.header_len {
            NonZeroUsize::new(used - k).map(Needed::Size)
        } else {
            Some(Needed::Unknown)
        };
        match decode(&consumed[..k]) {
            Ok(Status::Incomplete(n)) => {
                assert_eq!(Some(n), expected, "wrong Needed for a {k}-byte prefix")
            }
            other => panic!("a {k}-byte prefix of a valid packet gave {other:?}"),
        }
    }
}

fn check_options(consumed: &[u8], packet: &Packet<'_>, h: &FixedHeader) {
    let used = consumed.len();
    let base = DecodeOptions::new();

    let strict = DecodeOptions {
        strict_remaining_length: true,
        ..base
    }
    .decode(consumed);
    if h.minimal {
        assert_eq!(strict, Ok(Status::Complete((*packet, used))));
    } else {
        match strict {
            Err(e) => {
                assert_eq!(e.error, Error::NonMinimalRemainingLength);
                assert_eq!(e.packet_len, Some(used));
            }
            other => panic!("strict decoding accepted a non-minimal length: {other:?}"),
        }
    }

    for role in [Role::Client, Role::Server] {
        let r = DecodeOptions {
            role: Some(role),
            ..base
        }
        .decode(consumed);
        if forbidden_for(role, packet.packet_type()) {
            match r {
                Err(e) => {
                    assert_eq!(
                        e.error,
                        Error::UnexpectedPacketForRole {
                            packet_type: packet.packet_type(),
                            role
                        }
                    );
                    assert_eq!(e.packet_len, Some(used));
                }
                other => panic!("{role:?} accepted a forbidden packet: {other:?}"),
            }
        } else {
            assert_eq!(r, Ok(Status::Complete((*packet, used))), "{role:?}");
        }
    }

    let discouraged = text_fields(packet)
        .iter()
        .any(|s| s.chars().any(is_discouraged_char));
    let r = DecodeOptions {
        reject_control_characters: true,
        ..base
    }
    .decode(consumed);
    if discouraged {
        match r {
            Err(e) => assert!(
                matches!(e.error, Error::ControlCharacter | Error::NonCharacter),
                "{e:?}"
            ),
            other => panic!("a control/non-character was accepted: {other:?}"),
        }
    } else {
        assert_eq!(r, Ok(Status::Complete((*packet, used))));
    }

    let exact = DecodeOptions {
        max_packet_size: used,
        ..base
    };
    assert_eq!(
        exact.decode(consumed),
        Ok(Status::Complete((*packet, used)))
    );
    let smaller = DecodeOptions {
        max_packet_size: used - 1,
        ..base
    };
    match smaller.decode(consumed) {
        Err(e) => {
            assert_eq!(
                e.error,
                Error::PacketTooLarge {
                    len: used,
                    max: used - 1
                }
            );
            assert_eq!(e.packet_len, Some(used));
        }
        other => panic!("a packet over the maximum size was accepted: {other:?}"),
    }
    // The oversize verdict needs only the fixed header.
    match smaller.decode(&consumed[..h.header_len]) {
        Err(e) => assert_eq!(e.packet_len, Some(used)),
        other => panic!("oversize not reported from the fixed header alone: {other:?}"),
    }
}

/// How the one-shot decode loop over a whole buffer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Every byte belonged to a decoded or skipped packet.
    Clean,
    /// The last this many bytes are an incomplete packet.
    Partial(usize),
    /// An error without a packet length: the framing is lost.
    Poisoned,
    /// A rejected packet whose length reaches past the end of the buffer.
    Skipping,
}

/// The reference for the streaming decoder: decode a whole buffer packet by packet with the
/// one-shot decoder, skipping a rejected packet by its `packet_len`.
pub fn one_shot_loop(options: &DecodeOptions, mut rest: &[u8]) -> (Vec<Event>, End) {
    let mut events = Vec::new();
    loop {
        if rest.is_empty() {
            return (events, End::Clean);
        }
        match options.decode(rest) {
            Ok(Status::Complete((p, n))) => {
                assert!(n > 0 && n <= rest.len());
                events.push(Event::packet(&p));
                rest = &rest[n..];
            }
            Ok(Status::Incomplete(_)) => return (events, End::Partial(rest.len())),
            Err(e) => {
                events.push(Event::Error(e));
                match e.packet_len {
                    None => return (events, End::Poisoned),
                    Some(len) if len <= rest.len() => {
                        assert!(len > 0);
                        rest = &rest[len..];
                    }
                    Some(_) => return (events, End::Skipping),
                }
            }
        }
    }
}

/// Options and chunking taken from the first bytes of a `stream_decoder` input.
#[derive(Debug, Clone)]
pub struct StreamSetup<'a> {
    /// Decoder options (a small maximum packet size: 16, 128, 1024 or 4096 bytes).
    pub options: DecodeOptions,
    /// Chunk sizes, used cyclically (0 means an empty chunk).
    pub sizes: &'a [u8],
    /// The byte stream.
    pub stream: &'a [u8],
}

impl<'a> StreamSetup<'a> {
    /// Byte 0 picks the options, byte 1 the number of chunk-size bytes that follow (0..=31),
    /// the rest is the stream. `None` for inputs shorter than two bytes.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&cfg, rest) = data.split_first()?;
        let (&n, rest) = rest.split_first()?;
        let n = usize::from(n % 32).min(rest.len());
        let (sizes, stream) = rest.split_at(n);
        let options = DecodeOptions {
            max_packet_size: [16, 128, 1024, 4096][usize::from(cfg & 3)],
            strict_remaining_length: cfg & 0x04 != 0,
            role: match (cfg >> 3) & 3 {
                1 => Some(Role::Client),
                2 => Some(Role::Server),
                _ => None,
            },
            reject_control_characters: cfg & 0x20 != 0,
        };
        Some(StreamSetup {
            options,
            sizes,
            stream,
        })
    }

    /// The chunks of the stream: sizes taken cyclically; one chunk when no size is non-zero.
    pub fn chunks(&self) -> Vec<&'a [u8]> {
        let mut out = Vec::new();
        let mut rest = self.stream;
        if self.sizes.iter().all(|&s| s == 0) {
            out.push(rest);
            return out;
        }
        let mut i = 0;
        while !rest.is_empty() {
            let k = usize::from(self.sizes[i % self.sizes.len()]).min(rest.len());
            out.push(&rest[..k]);
            rest = &rest[k..];
            i += 1;
        }
        out
    }
}

/// Streaming decode of arbitrary bytes in arbitrary chunks. Checks that [`StreamDecoder::decode`]
/// and [`StreamDecoder::feed`] give the same packets and errors as [`one_shot_loop`] (and as the
/// codec's own `decode_all`), that the buffer never exceeds the maximum packet size, that a
/// poisoned decoder keeps its error, that the bytes of a trailing partial packet stay buffered,
/// and that `reset` gives a fresh decoder.
pub fn check_stream_decoder(data: &[u8]) {
    let Some(setup) = StreamSetup::parse(data) else {
        return;
    };
    let options = setup.options;
    let max = options.max_packet_size;
    let (expected, end) = one_shot_loop(&options, setup.stream);
    let (items, tail) = StreamDecoder::decode_all(&options, setup.stream);
    let items: Vec<Event> = items.into_iter().map(Event::from).collect();
    assert_eq!(items, expected, "decode_all differs from the one-shot loop");
    if let End::Partial(k) = end {
        assert_eq!(tail.len(), k, "decode_all's tail");
    } else {
        assert!(tail.is_empty(), "decode_all's tail");
    }

    let chunks = setup.chunks();
    let mut dec = StreamDecoder::new(options);
    let mut got = Vec::new();
    let mut poison = None;
    'chunks: for chunk in &chunks {
        let mut input: &[u8] = chunk;
        let mut stalls = 0;
        loop {
            let (used, result) = dec.decode(input);
            assert!(
                used <= input.len(),
                "consumed {used} of {} bytes",
                input.len()
            );
            let done = match result {
                Ok(Some(p)) => {
                    got.push(Event::packet(&p));
                    false
                }
                Ok(None) => {
                    assert_eq!(used, input.len(), "Ok(None) must consume the whole input");
                    true
                }
                Err(e) => {
                    got.push(Event::Error(e));
                    if e.packet_len.is_none() {
                        poison = Some(e);
                    }
                    false
                }
            };
            assert!(
                dec.capacity() <= max,
                "capacity {} > max {max}",
                dec.capacity()
            );
            assert!(
                dec.buffered() <= max,
                "buffered {} > max {max}",
                dec.buffered()
            );
            assert!(
                got.len() <= expected.len() + 1,
                "more results than the one-shot loop"
            );
            stalls = if used == 0 { stalls + 1 } else { 0 };
            assert!(stalls < 4, "decoder makes no progress");
            input = &input[used..];
            if poison.is_some() {
                break 'chunks;
            }
            if done {
                break;
            }
        }
    }
    assert_eq!(
        got, expected,
        "stream decoder differs from the one-shot loop"
    );
    match end {
        End::Poisoned => {
            let e = poison.expect("one-shot loop lost framing, stream decoder did not");
            assert!(dec.is_poisoned());
            assert_eq!(
                dec.decode(&[]).1.err(),
                Some(e),
                "poisoned decoder forgot its error"
            );
            assert_eq!(dec.decode(setup.stream).1.err(), Some(e));
        }
        End::Partial(k) => {
            assert_eq!(poison, None);
            assert_eq!(
                dec.buffered(),
                k,
                "a trailing partial packet is not buffered whole"
            );
        }
        End::Clean | End::Skipping => {
            assert_eq!(poison, None);
            assert_eq!(dec.buffered(), 0);
        }
    }

    // feed() with the same chunks on a fresh decoder.
    let mut fed = Vec::new();
    let mut fresh = StreamDecoder::new(options);
    for chunk in &chunks {
        fresh.feed(chunk, |r| fed.push(Event::from(r)));
        assert!(fresh.capacity() <= max);
    }
    let n = expected.len();
    assert!(fed.len() >= n, "feed() reported fewer results");
    assert_eq!(
        fed[..n],
        expected[..],
        "feed() differs from the one-shot loop"
    );
    if let Some(e) = poison {
        assert!(fed[n..].iter().all(|x| *x == Event::Error(e)));
    } else {
        assert_eq!(fed.len(), n, "feed() reported extra results");
    }

    // reset() forgets everything: the whole stream in one chunk gives the same results again.
    dec.reset();
    assert_eq!(dec.buffered(), 0);
    assert!(!dec.is_poisoned());
    let mut again = Vec::new();
    dec.feed(setup.stream, |r| again.push(Event::from(r)));
    assert_eq!(again[..n.min(again.len())], expected[..n.min(again.len())]);
    assert_eq!(
        again.len(),
        n,
        "after reset() the decoder answers differently"
    );
}

/// A structured packet through the codec. When the codec's constructors and encoder accept it:
/// the encoder writes exactly the bytes the independent [`wire`] writer assembles, `encoded_len`
/// agrees, and decoding (lenient and strict) gives the packet back exactly. When they refuse it:
/// the decoder also rejects the equivalent hand-assembled bytes (if such bytes exist), except for
/// the encode-only rule [MQTT-3.1.3-7], which a decoder must accept.
pub fn check_packet_roundtrip(spec: &PacketSpec) {
    let reference = spec.wire();
    spec.with_packet(|built| match built {
        Ok(packet) => {
            let mut out = Vec::new();
            match packet.encode_to_vec(&mut out) {
                Ok(n) => {
                    assert_eq!(
                        Some(&out),
                        reference.as_ref(),
                        "encoder output differs from the reference bytes for {spec:?}"
                    );
                    assert_eq!(packet.encoded_len(), Ok(n));
                    assert_eq!(decode(&out), Ok(Status::Complete((packet, n))));
                    let strict = DecodeOptions {
                        strict_remaining_length: true,
                        ..DecodeOptions::new()
                    };
                    assert_eq!(strict.decode(&out), Ok(Status::Complete((packet, n))));
                }
                Err(e) => {
                    assert!(out.is_empty(), "a failed encode_to_vec changed the vector");
                    assert_eq!(
                        packet.encoded_len(),
                        Err(e),
                        "encoded_len disagrees with encode"
                    );
                    if let Some(bytes) = &reference {
                        let mut buf = vec![0xAA; bytes.len() + 8];
                        assert_eq!(packet.encode(&mut buf), Err(e));
                        assert!(
                            buf.iter().all(|&b| b == 0xAA),
                            "a failed encode wrote bytes"
                        );
                    }
                    expect_rejected(reference.as_deref(), &format!("encoder: {e:?}"), e);
                }
            }
        }
        Err(refusal) => {
            let as_error = match refusal {
                Refusal::Topic(e) => e,
                Refusal::ZeroPacketId => Error::ZeroPacketId,
                Refusal::QoS(q) => Error::InvalidQoS(q),
                Refusal::ReturnCode(c) => Error::InvalidConnectReturnCode(c),
                Refusal::SubackCode(c) => Error::InvalidSubackReturnCode(c),
            };
            expect_rejected(reference.as_deref(), &format!("{refusal:?}"), as_error);
        }
    });
}

fn expect_rejected(reference: Option<&[u8]>, why: &str, error: Error) {
    let Some(bytes) = reference else {
        // No equivalent bytes exist (a field over 65,535 bytes): nothing for the decoder to see.
        return;
    };
    match decode(bytes) {
        Err(_) => {}
        Ok(Status::Complete((Packet::Connect(c), _)))
            if error == Error::EmptyClientIdWithoutCleanSession =>
        {
            // [MQTT-3.1.3-7] binds the client only; a server decodes it ([MQTT-3.1.3-8]).
            assert!(c.client_id.is_empty() && !c.clean_session);
        }
        other => panic!("refused ({why}) but the decoder accepts {bytes:02x?}: {other:?}"),
    }
}
