//! A library-neutral description of an MQTT 3.1.1 packet, and an independent reference encoder.
//!
//! Every library under test converts what it decoded into a [`Msg`], and the verification step
//! compares that with the [`Msg`] the fixture was built from. The wire bytes of the fixtures are
//! written by [`Msg::to_wire`], a deliberately small encoder that shares no code with any library
//! under test (it is the oracle, so it must not be one of the candidates).

use std::fmt;

/// The last will of a [`Msg::Connect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    /// Will topic.
    pub topic: String,
    /// Will message.
    pub message: Vec<u8>,
    /// Will QoS (0, 1 or 2).
    pub qos: u8,
    /// Will retain flag.
    pub retain: bool,
}

/// One MQTT 3.1.1 packet, described by its field values only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// CONNECT (protocol name "MQTT", level 4).
    Connect {
        /// Client identifier.
        client_id: String,
        /// Clean session flag.
        clean_session: bool,
        /// Keep alive in seconds.
        keep_alive: u16,
        /// Last will.
        will: Option<Will>,
        /// User name.
        username: Option<String>,
        /// Password.
        password: Option<Vec<u8>>,
    },
    /// CONNACK.
    Connack {
        /// Session present flag.
        session_present: bool,
        /// Return code.
        code: u8,
    },
    /// PUBLISH.
    Publish {
        /// DUP flag.
        dup: bool,
        /// QoS (0, 1 or 2).
        qos: u8,
        /// RETAIN flag.
        retain: bool,
        /// Packet identifier (present exactly when QoS > 0).
        pid: Option<u16>,
        /// Topic name.
        topic: String,
        /// Application message.
        payload: Vec<u8>,
    },
    /// PUBACK.
    Puback(u16),
    /// PUBREC.
    Pubrec(u16),
    /// PUBREL.
    Pubrel(u16),
    /// PUBCOMP.
    Pubcomp(u16),
    /// SUBSCRIBE.
    Subscribe {
        /// Packet identifier.
        pid: u16,
        /// Topic filters with their requested QoS.
        filters: Vec<(String, u8)>,
    },
    /// SUBACK (return code 0x80 is failure).
    Suback {
        /// Packet identifier.
        pid: u16,
        /// Return codes.
        codes: Vec<u8>,
    },
    /// UNSUBSCRIBE.
    Unsubscribe {
        /// Packet identifier.
        pid: u16,
        /// Topic filters.
        filters: Vec<String>,
    },
    /// UNSUBACK.
    Unsuback(u16),
    /// PINGREQ.
    Pingreq,
    /// PINGRESP.
    Pingresp,
    /// DISCONNECT.
    Disconnect,
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    let len = u16::try_from(s.len()).expect("fixture strings are shorter than 65536 bytes");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(s);
}

impl Msg {
    /// The packet's short name, as in the MQTT specification (e.g. `"PUBLISH"`).
    pub fn kind(&self) -> &'static str {
        match self {
            Msg::Connect { .. } => "CONNECT",
            Msg::Connack { .. } => "CONNACK",
            Msg::Publish { .. } => "PUBLISH",
            Msg::Puback(_) => "PUBACK",
            Msg::Pubrec(_) => "PUBREC",
            Msg::Pubrel(_) => "PUBREL",
            Msg::Pubcomp(_) => "PUBCOMP",
            Msg::Subscribe { .. } => "SUBSCRIBE",
            Msg::Suback { .. } => "SUBACK",
            Msg::Unsubscribe { .. } => "UNSUBSCRIBE",
            Msg::Unsuback(_) => "UNSUBACK",
            Msg::Pingreq => "PINGREQ",
            Msg::Pingresp => "PINGRESP",
            Msg::Disconnect => "DISCONNECT",
        }
    }

    /// The application payload length of a PUBLISH, 0 for every other packet.
    pub fn payload_len(&self) -> usize {
        match self {
            Msg::Publish { payload, .. } => payload.len(),
            _ => 0,
        }
    }

    /// Encodes the packet with the minimal remaining-length encoding.
    ///
    /// # Panics
    /// Only on fixtures that cannot be MQTT packets (a string over 65,535 bytes, a body over
    /// 268,435,455 bytes); the fixtures in this crate are all valid.
    pub fn to_wire(&self) -> Vec<u8> {
        let mut body = Vec::new();
        let first: u8 = match self {
            Msg::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => {
                put_str(&mut body, b"MQTT");
                body.push(4);
                let mut flags = 0u8;
                if *clean_session {
                    flags |= 0x02;
                }
                if let Some(w) = will {
                    flags |= 0x04 | (w.qos << 3);
                    if w.retain {
                        flags |= 0x20;
                    }
                }
                if password.is_some() {
                    flags |= 0x40;
                }
                if username.is_some() {
                    flags |= 0x80;
                }
                body.push(flags);
                body.extend_from_slice(&keep_alive.to_be_bytes());
                put_str(&mut body, client_id.as_bytes());
                if let Some(w) = will {
                    put_str(&mut body, w.topic.as_bytes());
                    put_str(&mut body, &w.message);
                }
                if let Some(u) = username {
                    put_str(&mut body, u.as_bytes());
                }
                if let Some(p) = password {
                    put_str(&mut body, p);
                }
                0x10
            }
            Msg::Connack {
                session_present,
                code,
            } => {
                body.push(u8::from(*session_present));
                body.push(*code);
                0x20
            }
            Msg::Publish {
                dup,
                qos,
                retain,
                pid,
                topic,
                payload,
            } => {
                put_str(&mut body, topic.as_bytes());
                if let Some(pid) = pid {
                    body.extend_from_slice(&pid.to_be_bytes());
                }
                body.extend_from_slice(payload);
                0x30 | (u8::from(*dup) << 3) | (qos << 1) | u8::from(*retain)
            }
            Msg::Puback(pid) => {
                body.extend_from_slice(&pid.to_be_bytes());
                0x40
            }
            Msg::Pubrec(pid) => {
                body.extend_from_slice(&pid.to_be_bytes());
                0x50
            }
            Msg::Pubrel(pid) => {
                body.extend_from_slice(&pid.to_be_bytes());
                0x62
            }
            Msg::Pubcomp(pid) => {
                body.extend_from_slice(&pid.to_be_bytes());
                0x70
            }
            Msg::Subscribe { pid, filters } => {
                body.extend_from_slice(&pid.to_be_bytes());
                for (f, q) in filters {
                    put_str(&mut body, f.as_bytes());
                    body.push(*q);
                }
                0x82
            }
            Msg::Suback { pid, codes } => {
                body.extend_from_slice(&pid.to_be_bytes());
                body.extend_from_slice(codes);
                0x90
            }
            Msg::Unsubscribe { pid, filters } => {
                body.extend_from_slice(&pid.to_be_bytes());
                for f in filters {
                    put_str(&mut body, f.as_bytes());
                }
                0xA2
            }
            Msg::Unsuback(pid) => {
                body.extend_from_slice(&pid.to_be_bytes());
                0xB0
            }
            Msg::Pingreq => 0xC0,
            Msg::Pingresp => 0xD0,
            Msg::Disconnect => 0xE0,
        };
        assert!(body.len() <= 268_435_455, "remaining length too large");
        let mut out = Vec::with_capacity(body.len() + 5);
        out.push(first);
        let mut len = body.len();
        loop {
            let mut byte = (len % 128) as u8;
            len /= 128;
            if len > 0 {
                byte |= 0x80;
            }
            out.push(byte);
            if len == 0 {
                break;
            }
        }
        out.extend_from_slice(&body);
        out
    }

    /// Describes how `self` (what a library produced) differs from `expected`, field by field;
    /// `None` when they are equal.
    pub fn diff(&self, expected: &Msg) -> Option<String> {
        if self == expected {
            return None;
        }
        if self.kind() != expected.kind() {
            return Some(format!(
                "decoded a {} instead of a {}",
                self.kind(),
                expected.kind()
            ));
        }
        let got = format!("{self:?}");
        let want = format!("{expected:?}");
        // Point at the first differing character, with a little context either side.
        let at = got
            .bytes()
            .zip(want.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len()));
        let lo = at.saturating_sub(30);
        let cut = |s: &str| {
            let lo = (0..=lo).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
            let hi = (at + 40).min(s.len());
            let hi = (hi..=s.len())
                .find(|i| s.is_char_boundary(*i))
                .unwrap_or(s.len());
            s[lo..hi].to_string()
        };
        Some(format!(
            "wrong {} field: got `…{}…`, expected `…{}…`",
            self.kind(),
            cut(&got),
            cut(&want)
        ))
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Publish {
                qos,
                topic,
                payload,
                ..
            } => {
                write!(
                    f,
                    "PUBLISH QoS {qos} topic {}B payload {}B",
                    topic.len(),
                    payload.len()
                )
            }
            other => f.write_str(other.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_encoder_matches_the_specification_examples() {
        // PUBACK pid 10: 0x40 0x02 0x00 0x0A
        assert_eq!(Msg::Puback(10).to_wire(), [0x40, 0x02, 0x00, 0x0A]);
        assert_eq!(Msg::Pingreq.to_wire(), [0xC0, 0x00]);
        // PUBLISH QoS 1 "a/b" pid 1 payload "x": remaining length 2+3+2+1 = 8
        let p = Msg::Publish {
            dup: false,
            qos: 1,
            retain: false,
            pid: Some(1),
            topic: "a/b".into(),
            payload: b"x".to_vec(),
        };
        assert_eq!(p.to_wire(), [0x32, 8, 0, 3, b'a', b'/', b'b', 0, 1, b'x']);
        // A 200-byte body needs two remaining-length bytes: 200 = 0xC8 -> 0xC8 0x01.
        let big = Msg::Publish {
            dup: false,
            qos: 0,
            retain: false,
            pid: None,
            topic: "t".into(),
            payload: vec![0; 197],
        };
        assert_eq!(&big.to_wire()[..3], &[0x30, 0xC8, 0x01]);
    }

    #[test]
    fn diff_names_the_difference() {
        assert_eq!(Msg::Puback(1).diff(&Msg::Puback(1)), None);
        assert_eq!(
            Msg::Pubrec(1).diff(&Msg::Puback(1)).as_deref(),
            Some("decoded a PUBREC instead of a PUBACK")
        );
        let d = Msg::Puback(2).diff(&Msg::Puback(1)).unwrap();
        assert!(d.contains("got `…Puback(2)"), "{d}");
    }
}
