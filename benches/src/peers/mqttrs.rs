//! [`mqttrs`] 0.4.1: borrowed decode with `decode_slice`, encode with `encode_slice`.
//!
//! `decode_slice` does not say how many bytes it used, so the read loop takes the frame length
//! from the fixed header ([`super::frame_len`]) before advancing its `BytesMut`.

use bytes::{Buf, BytesMut};
use mqttrs::{
    decode_slice, encode_slice, Connect, ConnectReturnCode, Error, LastWill, Packet, Pid, Protocol,
    Publish, QoS, QosPid, Subscribe, SubscribeReturnCodes, SubscribeTopic,
};

use super::{frame_len, DecodeFailure, Library};
use crate::msg::{Msg, Will};

/// The `mqttrs` adapter.
#[derive(Debug)]
pub struct Mqttrs;

fn qos_u8(q: QoS) -> u8 {
    match q {
        QoS::AtMostOnce => 0,
        QoS::AtLeastOnce => 1,
        QoS::ExactlyOnce => 2,
    }
}

fn qos_of(q: u8) -> Result<QoS, String> {
    match q {
        0 => Ok(QoS::AtMostOnce),
        1 => Ok(QoS::AtLeastOnce),
        2 => Ok(QoS::ExactlyOnce),
        n => Err(format!("QoS {n}")),
    }
}

fn pid(v: u16) -> Result<Pid, String> {
    Pid::try_from(v).map_err(|e| format!("packet id {v}: {e:?}"))
}

impl Library for Mqttrs {
    const CRATE: &'static str = "mqttrs";
    const API: &'static str = "`decode_slice(&[u8])`, `encode_slice(&Packet, &mut [u8])`";

    type Input = Vec<u8>;
    type Packet<'a> = Packet<'a>;
    type DecodeError = DecodeFailure<Error>;

    fn input(wire: &[u8]) -> Vec<u8> {
        wire.to_vec()
    }

    fn decode(input: &mut Vec<u8>) -> Result<Packet<'_>, Self::DecodeError> {
        match decode_slice(input) {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(DecodeFailure::Incomplete),
            Err(e) => Err(DecodeFailure::Library(e)),
        }
    }

    fn to_msg(p: &Packet<'_>) -> Msg {
        match p {
            Packet::Connect(c) => Msg::Connect {
                client_id: c.client_id.to_string(),
                clean_session: c.clean_session,
                keep_alive: c.keep_alive,
                will: c.last_will.as_ref().map(|w| Will {
                    topic: w.topic.to_string(),
                    message: w.message.to_vec(),
                    qos: qos_u8(w.qos),
                    retain: w.retain,
                }),
                username: c.username.map(str::to_string),
                password: c.password.map(<[u8]>::to_vec),
            },
            Packet::Connack(c) => Msg::Connack {
                session_present: c.session_present,
                code: match c.code {
                    ConnectReturnCode::Accepted => 0,
                    ConnectReturnCode::RefusedProtocolVersion => 1,
                    ConnectReturnCode::RefusedIdentifierRejected => 2,
                    ConnectReturnCode::ServerUnavailable => 3,
                    ConnectReturnCode::BadUsernamePassword => 4,
                    ConnectReturnCode::NotAuthorized => 5,
                },
            },
            Packet::Publish(p) => Msg::Publish {
                dup: p.dup,
                qos: qos_u8(p.qospid.qos()),
                retain: p.retain,
                pid: p.qospid.pid().map(Pid::get),
                topic: p.topic_name.to_string(),
                payload: p.payload.to_vec(),
            },
            Packet::Puback(p) => Msg::Puback(p.get()),
            Packet::Pubrec(p) => Msg::Pubrec(p.get()),
            Packet::Pubrel(p) => Msg::Pubrel(p.get()),
            Packet::Pubcomp(p) => Msg::Pubcomp(p.get()),
            Packet::Subscribe(s) => Msg::Subscribe {
                pid: s.pid.get(),
                filters: s
                    .topics
                    .iter()
                    .map(|t| (t.topic_path.to_string(), qos_u8(t.qos)))
                    .collect(),
            },
            Packet::Suback(s) => Msg::Suback {
                pid: s.pid.get(),
                codes: s
                    .return_codes
                    .iter()
                    .map(|c| match c {
                        SubscribeReturnCodes::Success(q) => qos_u8(*q),
                        SubscribeReturnCodes::Failure => 0x80,
                    })
                    .collect(),
            },
            Packet::Unsubscribe(u) => Msg::Unsubscribe {
                pid: u.pid.get(),
                filters: u.topics.iter().map(ToString::to_string).collect(),
            },
            Packet::Unsuback(p) => Msg::Unsuback(p.get()),
            Packet::Pingreq => Msg::Pingreq,
            Packet::Pingresp => Msg::Pingresp,
            Packet::Disconnect => Msg::Disconnect,
        }
    }

    fn payload_len(p: &Packet<'_>) -> usize {
        match p {
            Packet::Publish(p) => p.payload.len(),
            _ => 0,
        }
    }

    type Owned = Packet<'static>;
    type Output = (Vec<u8>, usize);

    fn build(msg: &'static Msg) -> Result<Packet<'static>, String> {
        Ok(match msg {
            Msg::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => Packet::Connect(Connect {
                protocol: Protocol::MQTT311,
                keep_alive: *keep_alive,
                client_id,
                clean_session: *clean_session,
                last_will: match will {
                    Some(w) => Some(LastWill {
                        topic: &w.topic,
                        message: &w.message,
                        qos: qos_of(w.qos)?,
                        retain: w.retain,
                    }),
                    None => None,
                },
                username: username.as_deref(),
                password: password.as_deref(),
            }),
            Msg::Publish {
                dup,
                qos,
                retain,
                pid: id,
                topic,
                payload,
            } => Packet::Publish(Publish {
                dup: *dup,
                qospid: match (qos, id) {
                    (0, None) => QosPid::AtMostOnce,
                    (1, Some(v)) => QosPid::AtLeastOnce(pid(*v)?),
                    (2, Some(v)) => QosPid::ExactlyOnce(pid(*v)?),
                    _ => return Err("QoS and packet id disagree".into()),
                },
                retain: *retain,
                topic_name: topic,
                payload,
            }),
            Msg::Puback(v) => Packet::Puback(pid(*v)?),
            Msg::Subscribe { pid: id, filters } => Packet::Subscribe(Subscribe {
                pid: pid(*id)?,
                topics: filters
                    .iter()
                    .map(|(f, q)| {
                        Ok(SubscribeTopic {
                            topic_path: f.clone(),
                            qos: qos_of(*q)?,
                        })
                    })
                    .collect::<Result<_, String>>()?,
            }),
            other => return Err(format!("no {} in the encode cases", other.kind())),
        })
    }

    fn output(capacity: usize) -> (Vec<u8>, usize) {
        (vec![0; capacity], 0)
    }

    fn encode(p: &Packet<'static>, out: &mut (Vec<u8>, usize)) -> Result<(), String> {
        out.1 = encode_slice(p, &mut out.0).map_err(|e| format!("{e:?}"))?;
        Ok(())
    }

    fn written(out: &(Vec<u8>, usize)) -> &[u8] {
        &out.0[..out.1]
    }

    type Stream = BytesMut;

    fn stream() -> BytesMut {
        BytesMut::with_capacity(64 * 1024)
    }

    fn feed<F: FnMut(&Packet<'_>)>(
        buf: &mut BytesMut,
        chunk: &[u8],
        mut on_packet: F,
    ) -> Result<(), String> {
        buf.extend_from_slice(chunk);
        loop {
            let Some(len) = frame_len(buf) else {
                return Ok(());
            };
            match decode_slice(buf) {
                Ok(Some(p)) => on_packet(&p),
                Ok(None) => return Ok(()),
                Err(e) => return Err(format!("{e:?}")),
            }
            buf.advance(len);
        }
    }
}
