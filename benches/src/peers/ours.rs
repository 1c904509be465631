//! Our codec, [`vcd_mqtt_codec`]: `decode(&[u8])`, `Packet::encode(&mut [u8])`, `StreamDecoder`.

use vcd_mqtt_codec::{
    decode, Connect, DecodeError, LastWill, Packet, PacketId, Puback, Publish, QoS, QosPid, Status,
    StreamDecoder, SubackReturnCode, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter,
    TopicName,
};

use super::{DecodeFailure, Library};
use crate::msg::{Msg, Will};

/// The adapter of our codec.
#[derive(Debug)]
pub struct Ours;

fn qos_of(q: u8) -> Result<QoS, String> {
    QoS::from_u8(q).ok_or_else(|| format!("QoS {q}"))
}

fn pid(v: u16) -> Result<PacketId, String> {
    PacketId::new(v).ok_or_else(|| format!("packet id {v}"))
}

impl Library for Ours {
    const CRATE: &'static str = "vcd-mqtt-codec";
    const API: &'static str = "`decode(&[u8])`, `Packet::encode(&mut [u8])`, `StreamDecoder::feed`";

    type Input = Vec<u8>;
    type Packet<'a> = Packet<'a>;
    type DecodeError = DecodeFailure<DecodeError>;

    fn input(wire: &[u8]) -> Vec<u8> {
        wire.to_vec()
    }

    fn decode(input: &mut Vec<u8>) -> Result<Packet<'_>, Self::DecodeError> {
        match decode(input) {
            Ok(Status::Complete((p, _))) => Ok(p),
            Ok(Status::Incomplete(_)) => Err(DecodeFailure::Incomplete),
            Err(e) => Err(DecodeFailure::Library(e)),
        }
    }

    fn to_msg(p: &Packet<'_>) -> Msg {
        match p {
            Packet::Connect(c) => Msg::Connect {
                client_id: c.client_id.to_string(),
                clean_session: c.clean_session,
                keep_alive: c.keep_alive,
                will: c.will.as_ref().map(|w| Will {
                    topic: w.topic.as_str().to_string(),
                    message: w.message.to_vec(),
                    qos: w.qos.as_u8(),
                    retain: w.retain,
                }),
                username: c.username.map(str::to_string),
                password: c.password.map(<[u8]>::to_vec),
            },
            Packet::Connack(c) => Msg::Connack {
                session_present: c.session_present,
                code: c.code as u8,
            },
            Packet::Publish(p) => Msg::Publish {
                dup: p.dup,
                qos: p.qos_pid.qos().as_u8(),
                retain: p.retain,
                pid: p.qos_pid.packet_id().map(PacketId::get),
                topic: p.topic.as_str().to_string(),
                payload: p.payload.to_vec(),
            },
            Packet::Puback(a) => Msg::Puback(a.packet_id.get()),
            Packet::Pubrec(a) => Msg::Pubrec(a.packet_id.get()),
            Packet::Pubrel(a) => Msg::Pubrel(a.packet_id.get()),
            Packet::Pubcomp(a) => Msg::Pubcomp(a.packet_id.get()),
            Packet::Subscribe(s) => Msg::Subscribe {
                pid: s.packet_id.get(),
                filters: s
                    .topics
                    .iter()
                    .map(|t| (t.filter.as_str().to_string(), t.qos.as_u8()))
                    .collect(),
            },
            Packet::Suback(s) => Msg::Suback {
                pid: s.packet_id.get(),
                codes: s
                    .return_codes
                    .iter()
                    .map(|c| match c {
                        SubackReturnCode::Success(q) => q.as_u8(),
                        SubackReturnCode::Failure => 0x80,
                    })
                    .collect(),
            },
            Packet::Unsubscribe(u) => Msg::Unsubscribe {
                pid: u.packet_id.get(),
                filters: u.topics.iter().map(|f| f.as_str().to_string()).collect(),
            },
            Packet::Unsuback(a) => Msg::Unsuback(a.packet_id.get()),
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
        let topic = |t: &'static str| TopicName::new(t).map_err(|e| format!("topic {t:?}: {e}"));
        Ok(match msg {
            Msg::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => Packet::Connect(Connect {
                client_id,
                clean_session: *clean_session,
                keep_alive: *keep_alive,
                will: match will {
                    Some(w) => Some(LastWill {
                        topic: topic(&w.topic)?,
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
                topic: t,
                payload,
            } => Packet::Publish(Publish {
                dup: *dup,
                qos_pid: match (qos, id) {
                    (0, None) => QosPid::AtMostOnce,
                    (1, Some(v)) => QosPid::AtLeastOnce(pid(*v)?),
                    (2, Some(v)) => QosPid::ExactlyOnce(pid(*v)?),
                    _ => return Err("QoS and packet id disagree".into()),
                },
                retain: *retain,
                topic: topic(t)?,
                payload,
            }),
            Msg::Puback(v) => Packet::Puback(Puback {
                packet_id: pid(*v)?,
            }),
            Msg::Subscribe { pid: id, filters } => {
                let list = filters
                    .iter()
                    .map(|(f, q)| {
                        Ok(SubscribeTopic {
                            filter: TopicFilter::new(f)
                                .map_err(|e| format!("filter {f:?}: {e}"))?,
                            qos: qos_of(*q)?,
                        })
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                // The encode-side list is a caller-owned slice; the fixtures live for the whole
                // process, so leaking this one small list per build is the simplest owner.
                let list: &'static [SubscribeTopic<'static>] = Vec::leak(list);
                Packet::Subscribe(Subscribe {
                    packet_id: pid(*id)?,
                    topics: SubscribeTopics::from_slice(list),
                })
            }
            other => return Err(format!("no {} in the encode cases", other.kind())),
        })
    }

    fn output(capacity: usize) -> (Vec<u8>, usize) {
        (vec![0; capacity], 0)
    }

    fn encode(p: &Packet<'static>, out: &mut (Vec<u8>, usize)) -> Result<(), String> {
        out.1 = p.encode(&mut out.0).map_err(|e| e.to_string())?;
        Ok(())
    }

    fn written(out: &(Vec<u8>, usize)) -> &[u8] {
        &out.0[..out.1]
    }

    type Stream = StreamDecoder;

    fn stream() -> StreamDecoder {
        StreamDecoder::default()
    }

    fn feed<F: FnMut(&Packet<'_>)>(
        decoder: &mut StreamDecoder,
        chunk: &[u8],
        mut on_packet: F,
    ) -> Result<(), String> {
        let mut error = None;
        decoder.feed(chunk, |r| match r {
            Ok(p) => on_packet(&p),
            Err(e) => {
                error.get_or_insert(e);
            }
        });
        match error {
            None => Ok(()),
            Some(e) => Err(e.to_string()),
        }
    }
}
