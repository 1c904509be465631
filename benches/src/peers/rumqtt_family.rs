//! The adapter shared by `rumqttc` 0.25.1 (`rumqttc::mqttbytes::v4`) and `mqttbytes` 0.6.0 (`v4`):
//! the first is a fork of the second with the same packet types, so one macro writes both.
//!
//! Both read a packet by splitting it off the front of a `BytesMut` and write by appending to
//! one; strings are copied into `String`s, payloads stay shared `Bytes`.

/// Implements [`super::Library`] for `$name`, given the crate's `v4` module, its error and QoS
/// types (in scope at the call site as `v4`, `LibError`, `LibQoS`) and its read function.
macro_rules! rumqtt_v4_adapter {
    ($name:ident, $crate_name:literal, $api:literal, $read:path) => {
        impl $crate::peers::Library for $name {
            const CRATE: &'static str = $crate_name;
            const API: &'static str = $api;

            type Input = bytes::BytesMut;
            type Packet<'a> = v4::Packet;
            type DecodeError = LibError;

            fn input(wire: &[u8]) -> bytes::BytesMut {
                bytes::BytesMut::from(wire)
            }

            fn decode(input: &mut bytes::BytesMut) -> Result<v4::Packet, LibError> {
                $read(input, $crate::peers::MAX_PACKET)
            }

            fn to_msg(p: &v4::Packet) -> $crate::msg::Msg {
                use $crate::msg::{Msg, Will};
                match p {
                    v4::Packet::Connect(c) => Msg::Connect {
                        client_id: c.client_id.clone(),
                        clean_session: c.clean_session,
                        keep_alive: c.keep_alive,
                        will: c.last_will.as_ref().map(|w| Will {
                            topic: w.topic.clone(),
                            message: w.message.to_vec(),
                            qos: qos_u8(w.qos),
                            retain: w.retain,
                        }),
                        // The library folds "absent" and "empty" together.
                        username: c
                            .login
                            .as_ref()
                            .map(|l| l.username.clone())
                            .filter(|u| !u.is_empty()),
                        password: c
                            .login
                            .as_ref()
                            .map(|l| l.password.clone().into_bytes())
                            .filter(|p| !p.is_empty()),
                    },
                    v4::Packet::ConnAck(c) => Msg::Connack {
                        session_present: c.session_present,
                        code: c.code as u8,
                    },
                    v4::Packet::Publish(p) => Msg::Publish {
                        dup: p.dup,
                        qos: qos_u8(p.qos),
                        retain: p.retain,
                        pid: (p.qos != LibQoS::AtMostOnce).then_some(p.pkid),
                        topic: p.topic.clone(),
                        payload: p.payload.to_vec(),
                    },
                    v4::Packet::PubAck(a) => Msg::Puback(a.pkid),
                    v4::Packet::PubRec(a) => Msg::Pubrec(a.pkid),
                    v4::Packet::PubRel(a) => Msg::Pubrel(a.pkid),
                    v4::Packet::PubComp(a) => Msg::Pubcomp(a.pkid),
                    v4::Packet::Subscribe(s) => Msg::Subscribe {
                        pid: s.pkid,
                        filters: s
                            .filters
                            .iter()
                            .map(|f| (f.path.clone(), qos_u8(f.qos)))
                            .collect(),
                    },
                    v4::Packet::SubAck(s) => Msg::Suback {
                        pid: s.pkid,
                        codes: s
                            .return_codes
                            .iter()
                            .map(|c| match c {
                                v4::SubscribeReasonCode::Success(q) => qos_u8(*q),
                                v4::SubscribeReasonCode::Failure => 0x80,
                            })
                            .collect(),
                    },
                    v4::Packet::Unsubscribe(u) => Msg::Unsubscribe {
                        pid: u.pkid,
                        filters: u.topics.clone(),
                    },
                    v4::Packet::UnsubAck(a) => Msg::Unsuback(a.pkid),
                    v4::Packet::PingReq => Msg::Pingreq,
                    v4::Packet::PingResp => Msg::Pingresp,
                    v4::Packet::Disconnect => Msg::Disconnect,
                }
            }

            fn payload_len(p: &v4::Packet) -> usize {
                match p {
                    v4::Packet::Publish(p) => p.payload.len(),
                    _ => 0,
                }
            }

            type Owned = v4::Packet;
            type Output = bytes::BytesMut;

            fn build(msg: &'static $crate::msg::Msg) -> Result<v4::Packet, String> {
                use $crate::msg::Msg;
                Ok(match msg {
                    Msg::Connect {
                        client_id,
                        clean_session,
                        keep_alive,
                        will,
                        username,
                        password,
                    } => {
                        let login = match (username, password) {
                            (None, None) => None,
                            (u, p) => Some(v4::Login {
                                username: u.clone().unwrap_or_default(),
                                password: match p {
                                    Some(p) => String::from_utf8(p.clone()).map_err(|_| {
                                        "the password must be UTF-8 text (Login.password is a String)"
                                            .to_string()
                                    })?,
                                    None => String::new(),
                                },
                            }),
                        };
                        let last_will = match will {
                            Some(w) => Some(v4::LastWill {
                                topic: w.topic.clone(),
                                message: bytes::Bytes::from(w.message.clone()),
                                qos: qos_of(w.qos)?,
                                retain: w.retain,
                            }),
                            None => None,
                        };
                        v4::Packet::Connect(v4::Connect {
                            protocol: LibProtocol::V4,
                            keep_alive: *keep_alive,
                            client_id: client_id.clone(),
                            clean_session: *clean_session,
                            last_will,
                            login,
                        })
                    }
                    Msg::Publish {
                        dup,
                        qos,
                        retain,
                        pid,
                        topic,
                        payload,
                    } => v4::Packet::Publish(v4::Publish {
                        dup: *dup,
                        qos: qos_of(*qos)?,
                        retain: *retain,
                        topic: topic.clone(),
                        pkid: pid.unwrap_or(0),
                        payload: bytes::Bytes::from(payload.clone()),
                    }),
                    Msg::Puback(pid) => v4::Packet::PubAck(v4::PubAck { pkid: *pid }),
                    Msg::Subscribe { pid, filters } => v4::Packet::Subscribe(v4::Subscribe {
                        pkid: *pid,
                        filters: filters
                            .iter()
                            .map(|(f, q)| Ok(v4::SubscribeFilter::new(f.clone(), qos_of(*q)?)))
                            .collect::<Result<_, String>>()?,
                    }),
                    other => return Err(format!("no {} in the encode cases", other.kind())),
                })
            }

            fn output(capacity: usize) -> bytes::BytesMut {
                bytes::BytesMut::with_capacity(capacity)
            }

            fn encode(p: &v4::Packet, out: &mut bytes::BytesMut) -> Result<(), String> {
                out.clear();
                let written = match p {
                    v4::Packet::Connect(c) => c.write(out),
                    v4::Packet::Publish(c) => c.write(out),
                    v4::Packet::PubAck(c) => c.write(out),
                    v4::Packet::Subscribe(c) => c.write(out),
                    other => return Err(format!("no encode case for {other:?}")),
                };
                written.map(drop).map_err(|e| format!("{e:?}"))
            }

            fn written(out: &bytes::BytesMut) -> &[u8] {
                out
            }

            type Stream = bytes::BytesMut;

            fn stream() -> bytes::BytesMut {
                bytes::BytesMut::with_capacity(64 * 1024)
            }

            fn feed<F: FnMut(&v4::Packet)>(
                buf: &mut bytes::BytesMut,
                chunk: &[u8],
                mut on_packet: F,
            ) -> Result<(), String> {
                buf.extend_from_slice(chunk);
                loop {
                    match $read(buf, $crate::peers::MAX_PACKET) {
                        Ok(p) => on_packet(&p),
                        Err(LibError::InsufficientBytes(_)) => return Ok(()),
                        Err(e) => return Err(format!("{e:?}")),
                    }
                }
            }
        }

        fn qos_u8(q: LibQoS) -> u8 {
            match q {
                LibQoS::AtMostOnce => 0,
                LibQoS::AtLeastOnce => 1,
                LibQoS::ExactlyOnce => 2,
            }
        }

        fn qos_of(q: u8) -> Result<LibQoS, String> {
            match q {
                0 => Ok(LibQoS::AtMostOnce),
                1 => Ok(LibQoS::AtLeastOnce),
                2 => Ok(LibQoS::ExactlyOnce),
                n => Err(format!("QoS {n}")),
            }
        }
    };
}

pub(crate) use rumqtt_v4_adapter;
