//! [`mqtt_proto`] 0.4.0, its `v3` module: `v3::Packet::decode(&[u8])` and `v3::Packet::encode()`.
//!
//! `Packet::decode` does not say how many bytes it used, so the read loop takes the frame length
//! from the fixed header ([`super::frame_len`]) before advancing its `BytesMut`.

use std::sync::Arc;

use bytes::{Buf, Bytes, BytesMut};
use mqtt_proto::v3::{Connect, LastWill, Packet, Publish, Subscribe, SubscribeReturnCode};
use mqtt_proto::{Error, Pid, Protocol, QoS, QosPid, TopicFilter, TopicName, VarBytes};

use super::{frame_len, DecodeFailure, Library};
use crate::msg::{Msg, Will};

/// The `mqtt-proto` adapter.
#[derive(Debug)]
pub struct MqttProto;

fn qos_u8(q: QoS) -> u8 {
    q as u8
}

fn qos_of(q: u8) -> Result<QoS, String> {
    QoS::from_u8(q).map_err(|e| format!("QoS {q}: {e}"))
}

fn pid(v: u16) -> Result<Pid, String> {
    Pid::try_from(v).map_err(|e| format!("packet id {v}: {e}"))
}

impl Library for MqttProto {
    const CRATE: &'static str = "mqtt-proto";
    const API: &'static str = "`v3::Packet::decode(&[u8])`, `v3::Packet::encode()`";

    type Input = Vec<u8>;
    type Packet<'a> = Packet;
    type DecodeError = DecodeFailure<Error>;

    fn input(wire: &[u8]) -> Vec<u8> {
        wire.to_vec()
    }

    fn decode(input: &mut Vec<u8>) -> Result<Packet, Self::DecodeError> {
        match Packet::decode(input) {
            Ok(Some(p)) => Ok(p),
            Ok(None) => Err(DecodeFailure::Incomplete),
            Err(e) => Err(DecodeFailure::Library(e)),
        }
    }

    fn to_msg(p: &Packet) -> Msg {
        match p {
            Packet::Connect(c) => Msg::Connect {
                client_id: c.client_id.to_string(),
                clean_session: c.clean_session,
                keep_alive: c.keep_alive,
                will: c.last_will.as_ref().map(|w| Will {
                    topic: w.topic_name.to_string(),
                    message: w.message.to_vec(),
                    qos: qos_u8(w.qos),
                    retain: w.retain,
                }),
                username: c.username.as_ref().map(|u| u.to_string()),
                password: c.password.as_ref().map(|p| p.to_vec()),
            },
            Packet::Connack(c) => Msg::Connack {
                session_present: c.session_present,
                code: c.code as u8,
            },
            Packet::Publish(p) => Msg::Publish {
                dup: p.dup,
                qos: qos_u8(p.qos_pid.qos()),
                retain: p.retain,
                pid: p.qos_pid.pid().map(Pid::value),
                topic: p.topic_name.to_string(),
                payload: p.payload.to_vec(),
            },
            Packet::Puback(p) => Msg::Puback(p.value()),
            Packet::Pubrec(p) => Msg::Pubrec(p.value()),
            Packet::Pubrel(p) => Msg::Pubrel(p.value()),
            Packet::Pubcomp(p) => Msg::Pubcomp(p.value()),
            Packet::Subscribe(s) => Msg::Subscribe {
                pid: s.pid.value(),
                filters: s
                    .topics
                    .iter()
                    .map(|(f, q)| (f.to_string(), qos_u8(*q)))
                    .collect(),
            },
            Packet::Suback(s) => Msg::Suback {
                pid: s.pid.value(),
                codes: s
                    .topics
                    .iter()
                    .map(|c| match c {
                        SubscribeReturnCode::MaxLevel0 => 0,
                        SubscribeReturnCode::MaxLevel1 => 1,
                        SubscribeReturnCode::MaxLevel2 => 2,
                        SubscribeReturnCode::Failure => 0x80,
                    })
                    .collect(),
            },
            Packet::Unsubscribe(u) => Msg::Unsubscribe {
                pid: u.pid.value(),
                filters: u.topics.iter().map(ToString::to_string).collect(),
            },
            Packet::Unsuback(p) => Msg::Unsuback(p.value()),
            Packet::Pingreq => Msg::Pingreq,
            Packet::Pingresp => Msg::Pingresp,
            Packet::Disconnect => Msg::Disconnect,
        }
    }

    fn payload_len(p: &Packet) -> usize {
        match p {
            Packet::Publish(p) => p.payload.len(),
            _ => 0,
        }
    }

    type Owned = Packet;
    type Output = Option<VarBytes>;

    fn build(msg: &'static Msg) -> Result<Packet, String> {
        let topic = |t: &str| TopicName::try_from(t).map_err(|e| format!("topic {t:?}: {e}"));
        Ok(match msg {
            Msg::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => Packet::Connect(Connect {
                protocol: Protocol::V311,
                clean_session: *clean_session,
                keep_alive: *keep_alive,
                client_id: Arc::from(client_id.as_str()),
                last_will: match will {
                    Some(w) => Some(LastWill {
                        qos: qos_of(w.qos)?,
                        retain: w.retain,
                        topic_name: topic(&w.topic)?,
                        message: Bytes::from(w.message.clone()),
                    }),
                    None => None,
                },
                username: username.as_deref().map(Arc::from),
                password: password.clone().map(Bytes::from),
            }),
            Msg::Publish {
                dup,
                qos,
                retain,
                pid: id,
                topic: t,
                payload,
            } => Packet::Publish(Publish {
                dup: *dup,
                retain: *retain,
                qos_pid: match (qos, id) {
                    (0, None) => QosPid::Level0,
                    (1, Some(v)) => QosPid::Level1(pid(*v)?),
                    (2, Some(v)) => QosPid::Level2(pid(*v)?),
                    _ => return Err("QoS and packet id disagree".into()),
                },
                topic_name: topic(t)?,
                payload: Bytes::from(payload.clone()),
            }),
            Msg::Puback(v) => Packet::Puback(pid(*v)?),
            Msg::Subscribe { pid: id, filters } => Packet::Subscribe(Subscribe {
                pid: pid(*id)?,
                topics: filters
                    .iter()
                    .map(|(f, q)| {
                        let filter = TopicFilter::try_from(f.as_str())
                            .map_err(|e| format!("filter {f:?}: {e}"))?;
                        Ok((filter, qos_of(*q)?))
                    })
                    .collect::<Result<_, String>>()?,
            }),
            other => return Err(format!("no {} in the encode cases", other.kind())),
        })
    }

    fn output(_capacity: usize) -> Option<VarBytes> {
        None
    }

    fn encode(p: &Packet, out: &mut Option<VarBytes>) -> Result<(), String> {
        *out = Some(p.encode().map_err(|e| e.to_string())?);
        Ok(())
    }

    fn written(out: &Option<VarBytes>) -> &[u8] {
        out.as_ref().map_or(&[], AsRef::as_ref)
    }

    type Stream = BytesMut;

    fn stream() -> BytesMut {
        BytesMut::with_capacity(64 * 1024)
    }

    fn feed<F: FnMut(&Packet)>(
        buf: &mut BytesMut,
        chunk: &[u8],
        mut on_packet: F,
    ) -> Result<(), String> {
        buf.extend_from_slice(chunk);
        loop {
            let Some(len) = frame_len(buf) else {
                return Ok(());
            };
            match Packet::decode(buf) {
                Ok(Some(p)) => on_packet(&p),
                Ok(None) => return Ok(()),
                Err(e) => return Err(e.to_string()),
            }
            buf.advance(len);
        }
    }
}
