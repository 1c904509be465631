//! CONNECT (§3.1).

use crate::primitives::{
    bin_size, binary, encode_methods, str_size, topic_name, u16_be, u8_, utf8_str, Encode, Fail,
    PResult, Sink, StrOpts,
};
use crate::topic::{check_name, find_special};
use crate::{Error, PacketType, QoS, TopicName};

const FLAG_RESERVED: u8 = 0x01;
const FLAG_CLEAN_SESSION: u8 = 0x02;
const FLAG_WILL: u8 = 0x04;
const FLAG_WILL_RETAIN: u8 = 0x20;
const FLAG_PASSWORD: u8 = 0x40;
const FLAG_USER_NAME: u8 = 0x80;

/// Length of the CONNECT variable header: protocol name, level, flags, keep alive (§3.1.2).
const VARIABLE_HEADER_LEN: usize = 10;

/// The Will of a CONNECT (§3.1.2.5, §3.1.3.2-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LastWill<'a> {
    /// Will Topic (a topic name, no wildcards [MQTT-3.1.3-10] [MQTT-4.7.1-1]).
    pub topic: TopicName<'a>,
    /// Will Message (binary, 0..=65535 bytes).
    pub message: &'a [u8],
    /// Will QoS.
    pub qos: QoS,
    /// Will Retain.
    pub retain: bool,
}

/// CONNECT: the client's connection request (§3.1). The protocol name `"MQTT"` and level 4 are
/// not fields: decoding requires them, encoding always writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Connect<'a> {
    /// Client identifier; may be empty (then `clean_session` must be true to encode
    /// [MQTT-3.1.3-7]).
    pub client_id: &'a str,
    /// CleanSession flag.
    pub clean_session: bool,
    /// Keep Alive in seconds (0 disables).
    pub keep_alive: u16,
    /// The Will, if any.
    pub will: Option<LastWill<'a>>,
    /// User Name.
    pub username: Option<&'a str>,
    /// Password (binary, not UTF-8 checked); requires a user name [MQTT-3.1.2-22].
    pub password: Option<&'a [u8]>,
}

impl<'a> Connect<'a> {
    /// A CONNECT with the given client id and keep alive, a clean session, no will and no
    /// credentials.
    #[inline]
    pub const fn new(client_id: &'a str, keep_alive: u16) -> Self {
        Connect {
            client_id,
            clean_session: true,
            keep_alive,
            will: None,
            username: None,
            password: None,
        }
    }
}

/// Checks the protocol name `"MQTT"` and level 4 [MQTT-3.1.2-1] [MQTT-3.1.2-2]; returns the
/// rest of the body.
#[cold]
fn protocol(body: &[u8]) -> PResult<'_, ()> {
    let (i, name) = binary(body)?;
    if name != b"MQTT" {
        return Fail::err(Error::InvalidProtocolName, body);
    }
    let (rest, level) = u8_(i)?;
    if level != 4 {
        return Fail::err(Error::UnsupportedProtocolLevel(level), i);
    }
    Ok((rest, ()))
}

/// Decodes a CONNECT body (§3.1.2, §3.1.3; [MQTT-3.1.4-1]).
#[inline]
pub(crate) fn decode(body: &[u8], opts: StrOpts) -> PResult<'_, Connect<'_>> {
    if !opts.reject_control {
        if let Some(c) = decode_fast(body) {
            return Ok((&body[body.len()..], c));
        }
    }
    decode_general(body, opts)
}

/// A valid CONNECT with default text options, its text fields UTF-8 checked by one `from_utf8`
/// over the span from the client id to the last text field (one call instead of three). Anything
/// else (any rule broken, or the span not UTF-8) gives `None`, and [`decode_general`] decodes or
/// reports it, so errors stay those of the general path. The byte rules run on the `binary`
/// slices exactly as there.
#[inline(always)]
fn decode_fast(body: &[u8]) -> Option<Connect<'_>> {
    let (b"\x00\x04MQTT\x04", i) = body.split_first_chunk::<7>()? else {
        return None;
    };
    let (&flags, i) = i.split_first()?;
    let will_flag = flags & FLAG_WILL != 0;
    let will_qos = QoS::from_u8((flags >> 3) & 3)?;
    let user_flag = flags & FLAG_USER_NAME != 0;
    let password_flag = flags & FLAG_PASSWORD != 0;
    if flags & FLAG_RESERVED != 0
        || (!will_flag && flags & (0x18 | FLAG_WILL_RETAIN) != 0)
        || (password_flag && !user_flag)
    {
        return None;
    }
    let (i, keep_alive) = u16_be(i).ok()?;
    // `text` starts at the client id's length prefix; `at(rest, f)` is where field `f`, followed
    // by `rest`, starts in `text[2..]`.
    let text = i;
    let at = |rest: &[u8], f: &[u8]| text.len() - rest.len() - f.len() - 2;
    let (i, client_id) = binary(i).ok()?;
    if find_special::<false>(client_id).is_some() {
        return None;
    }
    let mut text_end = 2 + client_id.len();
    let mut will = None;
    let mut i = i;
    if will_flag {
        let (rest, topic) = binary(i).ok()?;
        check_name(topic).ok()?;
        let (rest, message) = binary(rest).ok()?;
        will = Some((at(rest, message) - 2 - topic.len(), topic.len(), message));
        text_end = at(rest, message);
        i = rest;
    }
    let mut username = None;
    if user_flag {
        let (rest, u) = binary(i).ok()?;
        if find_special::<false>(u).is_some() {
            return None;
        }
        username = Some((at(rest, u), u.len()));
        text_end = text.len() - rest.len();
        i = rest;
    }
    let mut password = None;
    if password_flag {
        let (rest, p) = binary(i).ok()?;
        password = Some(p);
        i = rest;
    }
    if !i.is_empty() {
        return None;
    }
    // Every field starts and ends on a char boundary of the span, so `get` only re-slices.
    // `from_utf8`, not `primitives::utf8`'s ASCII route: with that route LLVM stopped
    // inlining this fast path, and the benchmark CONNECT took 54.8 instead of 33.3 ns.
    let s = core::str::from_utf8(text.get(2..text_end)?).ok()?;
    let field = |(start, len): (usize, usize)| s.get(start..start + len);
    let will = match will {
        Some((start, len, message)) => Some(LastWill {
            topic: TopicName::new_unchecked(field((start, len))?),
            message,
            qos: will_qos,
            retain: flags & FLAG_WILL_RETAIN != 0,
        }),
        None => None,
    };
    let username = match username {
        Some(u) => Some(field(u)?),
        None => None,
    };
    Some(Connect {
        client_id: field((0, client_id.len()))?,
        clean_session: flags & FLAG_CLEAN_SESSION != 0,
        keep_alive,
        will,
        username,
        password,
    })
}

/// [`decode`] field by field: every rule, every error at its byte.
#[inline(always)]
fn decode_general(body: &[u8], opts: StrOpts) -> PResult<'_, Connect<'_>> {
    // Variable header: protocol name and level compared at once; anything else is taken apart
    // field by field for the exact error.
    let i = match body.split_first_chunk::<7>() {
        Some((b"\x00\x04MQTT\x04", rest)) => rest,
        _ => protocol(body)?.0,
    };
    let (rest, flags) = u8_(i)?;
    if flags & FLAG_RESERVED != 0 {
        return Fail::err(Error::ConnectReservedFlag, i);
    }
    let will_flag = flags & FLAG_WILL != 0;
    let will_qos = (flags >> 3) & 3;
    let will_retain = flags & FLAG_WILL_RETAIN != 0;
    if !will_flag {
        if will_qos != 0 {
            return Fail::err(Error::WillQoSWithoutWill(will_qos), i);
        }
        if will_retain {
            return Fail::err(Error::WillRetainWithoutWill, i);
        }
    }
    let will_qos = match QoS::from_u8(will_qos) {
        Some(q) => q,
        None => return Fail::err(Error::InvalidWillQoS(will_qos), i),
    };
    let user_flag = flags & FLAG_USER_NAME != 0;
    let password_flag = flags & FLAG_PASSWORD != 0;
    if password_flag && !user_flag {
        return Fail::err(Error::PasswordWithoutUserName, i);
    }
    let (i, keep_alive) = u16_be(rest)?;

    // Payload, in the order of [MQTT-3.1.3-1].
    if i.is_empty() {
        return Fail::err(Error::MissingClientId, i);
    }
    let (mut i, client_id) = utf8_str(i, opts)?;
    let mut will = None;
    if will_flag {
        if i.is_empty() {
            return Fail::err(Error::MissingWill, i);
        }
        let (rest, topic) = topic_name(i, opts)?;
        if rest.is_empty() {
            return Fail::err(Error::MissingWill, rest);
        }
        let (rest, message) = binary(rest)?;
        will = Some(LastWill {
            topic,
            message,
            qos: will_qos,
            retain: will_retain,
        });
        i = rest;
    }
    let mut username = None;
    if user_flag {
        if i.is_empty() {
            return Fail::err(Error::MissingUserName, i);
        }
        let (rest, u) = utf8_str(i, opts)?;
        username = Some(u);
        i = rest;
    }
    let mut password = None;
    if password_flag {
        if i.is_empty() {
            return Fail::err(Error::MissingPassword, i);
        }
        let (rest, p) = binary(i)?;
        password = Some(p);
        i = rest;
    }
    if !i.is_empty() {
        let e = if password_flag {
            Error::TrailingBytes
        } else if user_flag {
            Error::UnexpectedPassword
        } else {
            Error::UnexpectedUserName
        };
        return Fail::err(e, i);
    }
    Ok((
        i,
        Connect {
            client_id,
            clean_session: flags & FLAG_CLEAN_SESSION != 0,
            keep_alive,
            will,
            username,
            password,
        },
    ))
}

impl Connect<'_> {
    #[inline]
    fn flags(&self) -> u8 {
        let mut f = 0;
        if self.clean_session {
            f |= FLAG_CLEAN_SESSION;
        }
        if let Some(w) = &self.will {
            f |= FLAG_WILL | (w.qos.as_u8() << 3);
            if w.retain {
                f |= FLAG_WILL_RETAIN;
            }
        }
        if self.username.is_some() {
            f |= FLAG_USER_NAME;
        }
        if self.password.is_some() {
            f |= FLAG_PASSWORD;
        }
        f
    }
}

impl Encode for Connect<'_> {
    #[inline]
    fn first_byte(&self) -> u8 {
        PacketType::Connect.as_u8() << 4
    }

    fn remaining_len(&self) -> Result<usize, Error> {
        if self.password.is_some() && self.username.is_none() {
            return Err(Error::PasswordWithoutUserName);
        }
        if self.client_id.is_empty() && !self.clean_session {
            return Err(Error::EmptyClientIdWithoutCleanSession);
        }
        let mut len = VARIABLE_HEADER_LEN + str_size(self.client_id)?;
        if let Some(w) = &self.will {
            // TopicName guarantees 1..=65535 bytes, no wildcards, no U+0000.
            len += 2 + w.topic.len() + bin_size(w.message)?;
        }
        if let Some(u) = self.username {
            len += str_size(u)?;
        }
        if let Some(p) = self.password {
            len += bin_size(p)?;
        }
        Ok(len)
    }

    fn write_body<S: Sink>(&self, w: &mut S) {
        let [ka_hi, ka_lo] = self.keep_alive.to_be_bytes();
        w.array([0, 4, b'M', b'Q', b'T', b'T', 4, self.flags(), ka_hi, ka_lo]);
        w.prefixed(self.client_id.as_bytes());
        if let Some(will) = &self.will {
            w.prefixed(will.topic.as_bytes());
            w.prefixed(will.message);
        }
        if let Some(u) = self.username {
            w.prefixed(u.as_bytes());
        }
        if let Some(p) = self.password {
            w.prefixed(p);
        }
    }
}

encode_methods!(Connect<'_>);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{decode, DecodeError, Packet, Status};

    /// A CONNECT with the given flags and payload bytes.
    fn connect(flags: u8, payload: &[u8], out: &mut [u8; 64]) -> usize {
        let body = [0, 4, b'M', b'Q', b'T', b'T', 4, flags, 0, 60];
        out[0] = 0x10;
        out[1] = u8::try_from(body.len() + payload.len()).unwrap();
        out[2..12].copy_from_slice(&body);
        out[12..12 + payload.len()].copy_from_slice(payload);
        12 + payload.len()
    }

    fn check(flags: u8, payload: &[u8]) -> Result<Connect<'static>, DecodeError> {
        let mut buf = [0u8; 64];
        let n = connect(flags, payload, &mut buf);
        let leaked: &'static [u8] = std::vec::Vec::from(&buf[..n]).leak();
        match decode(leaked)? {
            Status::Complete((Packet::Connect(c), used)) => {
                assert_eq!(used, n);
                Ok(c)
            }
            other => panic!("{other:?}"),
        }
    }

    /// A length-prefixed field.
    fn field(out: &mut std::vec::Vec<u8>, f: &[u8]) {
        out.extend_from_slice(&u16::try_from(f.len()).unwrap().to_be_bytes());
        out.extend_from_slice(f);
    }

    /// Text-ish bytes: mostly ASCII, with NUL, wildcards, multi-byte and invalid UTF-8.
    fn text() -> impl proptest::strategy::Strategy<Value = std::vec::Vec<u8>> {
        use proptest::prelude::*;
        proptest::collection::vec(
            prop_oneof![
                8 => b'a'..=b'z',
                1 => Just(0u8),
                1 => Just(b'+'),
                1 => Just(b'#'),
                1 => Just(b'/'),
                1 => 0x80u8..=0xFF,
            ],
            0..40,
        )
    }

    proptest::proptest! {
        // 16× the default cases (`PROPTEST_CASES` scales it; 256 unless set).
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            proptest::prelude::ProptestConfig::default().cases * 16
        ))]

        /// The fast path decodes exactly what the general path does, and only valid CONNECTs:
        /// CONNECT bodies with every flag combination and fields valid or broken, then edited.
        #[test]
        fn fast_path_agrees_with_general(
            flags in proptest::prelude::any::<u8>(),
            fields in proptest::collection::vec(text(), 5),
            drop_fields in 0usize..6,
            edits in proptest::collection::vec(
                (proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 0..3),
        ) {
            let mut body = std::vec::Vec::from(&b"\x00\x04MQTT\x04"[..]);
            body.push(flags);
            body.extend_from_slice(&[0, 60]);
            // Fields in flag order; `drop_fields` leaves some out (or adds a spare one).
            let present = [true, flags & FLAG_WILL != 0, flags & FLAG_WILL != 0,
                flags & FLAG_USER_NAME != 0, flags & FLAG_PASSWORD != 0];
            for (k, f) in fields.iter().enumerate() {
                if present[k] || k == drop_fields {
                    field(&mut body, f);
                }
            }
            for (pos, val) in edits {
                let at = pos % body.len();
                body[at] = val;
            }
            if let Some(c) = decode_fast(&body) {
                let general = decode_general(&body, StrOpts::default());
                proptest::prop_assert_eq!(general, Ok((&body[body.len()..], c)));
            }
        }
    }

    #[test]
    fn fast_path_taken_for_common_connects() {
        let wire = |message: &[u8]| {
            let mut body = std::vec::Vec::from(&b"\x00\x04MQTT\x04\xEE\x00\x3C"[..]);
            for f in [&b"client"[..], b"a/b", message, b"user", b"\x00pw"] {
                field(&mut body, f);
            }
            body
        };
        let body = wire(b"message");
        let c = decode_fast(&body).unwrap();
        assert_eq!((c.client_id, c.username), ("client", Some("user")));
        assert_eq!(c.will.unwrap().topic.as_str(), "a/b");
        // A will message that is not UTF-8 before the user name: the general path decodes it.
        let body = wire(b"\xffmessage");
        assert!(decode_fast(&body).is_none());
        assert!(decode_general(&body, StrOpts::default()).is_ok());
    }

    fn fails(flags: u8, payload: &[u8]) -> (Error, usize) {
        let e = check(flags, payload).unwrap_err();
        (e.error, e.offset)
    }

    #[test]
    fn valid() {
        let c = check(0x00, b"\x00\x00").unwrap();
        assert_eq!(
            (c.client_id, c.clean_session, c.keep_alive),
            ("", false, 60)
        );
        let c = check(0xEE, b"\x00\x01c\x00\x01w\x00\x00\x00\x01u\x00\x02\xff\x00").unwrap();
        let w = c.will.unwrap();
        assert_eq!(
            (w.topic.as_str(), w.message, w.qos, w.retain),
            ("w", &b""[..], QoS::AtLeastOnce, true)
        );
        assert_eq!(
            (c.username, c.password),
            (Some("u"), Some(&b"\xff\x00"[..]))
        );
        assert!(c.clean_session);
    }

    #[test]
    fn header_rules() {
        let mut buf = [0u8; 64];
        let n = connect(0x02, b"\x00\x00", &mut buf);
        buf[6] = b'q';
        assert_eq!(
            decode(&buf[..n]).unwrap_err().error,
            Error::InvalidProtocolName
        );
        assert_eq!(decode(&buf[..n]).unwrap_err().offset, 2);
        buf[6] = b'T';
        buf[8] = 3;
        assert_eq!(
            decode(&buf[..n]).unwrap_err(),
            DecodeError::new(Error::UnsupportedProtocolLevel(3), 8, Some(n))
        );
        assert_eq!(fails(0x03, b"\x00\x00"), (Error::ConnectReservedFlag, 9));
        assert_eq!(fails(0x08, b"\x00\x00"), (Error::WillQoSWithoutWill(1), 9));
        assert_eq!(fails(0x10, b"\x00\x00"), (Error::WillQoSWithoutWill(2), 9));
        assert_eq!(fails(0x20, b"\x00\x00"), (Error::WillRetainWithoutWill, 9));
        assert_eq!(fails(0x1C, b"\x00\x00"), (Error::InvalidWillQoS(3), 9));
        assert_eq!(
            fails(0x40, b"\x00\x00"),
            (Error::PasswordWithoutUserName, 9)
        );
    }

    #[test]
    fn payload_rules() {
        assert_eq!(fails(0x02, b""), (Error::MissingClientId, 12));
        assert_eq!(fails(0x06, b"\x00\x00"), (Error::MissingWill, 14));
        assert_eq!(fails(0x06, b"\x00\x00\x00\x01w"), (Error::MissingWill, 17));
        assert_eq!(
            fails(0x06, b"\x00\x00\x00\x01#\x00\x00"),
            (Error::WildcardInTopicName, 16)
        );
        assert_eq!(fails(0x82, b"\x00\x00"), (Error::MissingUserName, 14));
        assert_eq!(
            fails(0xC2, b"\x00\x00\x00\x00"),
            (Error::MissingPassword, 16)
        );
        assert_eq!(
            fails(0x02, b"\x00\x00\x00\x00"),
            (Error::UnexpectedUserName, 14)
        );
        assert_eq!(
            fails(0x82, b"\x00\x00\x00\x00\x00\x00"),
            (Error::UnexpectedPassword, 16)
        );
        assert_eq!(
            fails(0xC2, b"\x00\x00\x00\x00\x00\x00\x01"),
            (Error::TrailingBytes, 18)
        );
        assert_eq!(fails(0x02, b"\x00\x02a\x00"), (Error::NullCharacter, 15));
        assert_eq!(
            fails(0x82, b"\x00\x00\x00\x01\xff"),
            (Error::InvalidUtf8, 16)
        );
        assert_eq!(fails(0x02, b"\x00\x03a"), (Error::UnexpectedEnd, 12));
    }

    #[test]
    fn encode_rules() {
        let mut c = Connect::new("", 10);
        c.clean_session = false;
        assert_eq!(
            c.encoded_len(),
            Err(Error::EmptyClientIdWithoutCleanSession)
        );
        let c = Connect {
            password: Some(b"p"),
            ..Connect::new("id", 10)
        };
        assert_eq!(c.encoded_len(), Err(Error::PasswordWithoutUserName));
        let c = Connect::new("a\0", 10);
        assert_eq!(c.encoded_len(), Err(Error::NullCharacter));
        let long = [0u8; 65_536];
        let c = Connect {
            username: Some("u"),
            password: Some(&long),
            ..Connect::new("id", 10)
        };
        assert_eq!(c.encoded_len(), Err(Error::BinaryTooLong(65_536)));
        let mut buf = [0u8; 32];
        let n = Connect::new("id", 10).encode(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"\x10\x0e\x00\x04MQTT\x04\x02\x00\x0a\x00\x02id");
    }
}
