//! [`mqtt`] (crate `mqtt-protocol`) 0.12.0: `VariablePacket::decode(&mut impl Read)`,
//! `Encodable::encode(&mut impl Write)` (its blanket impl over `EncodablePacket`), and its
//! `tokio-codec` `MqttDecoder` on a `BytesMut` as the streaming interface.

use bytes::BytesMut;
use mqtt::packet::MqttDecoder;
use mqtt::packet::{
    ConnectPacket, PubackPacket, PublishPacket, QoSWithPacketIdentifier, SubscribePacket,
    VariablePacket, VariablePacketError,
};
use mqtt::{Decodable, Encodable, QualityOfService, TopicFilter, TopicName};
use tokio_util_06::codec::Decoder;

use super::Library;
use crate::msg::{Msg, Will};

/// The `mqtt-protocol` adapter.
#[derive(Debug)]
pub struct MqttProtocol;

fn qos_u8(q: QualityOfService) -> u8 {
    q as u8
}

fn qos_of(q: u8) -> Result<QualityOfService, String> {
    match q {
        0 => Ok(QualityOfService::Level0),
        1 => Ok(QualityOfService::Level1),
        2 => Ok(QualityOfService::Level2),
        n => Err(format!("QoS {n}")),
    }
}

fn filter_str(f: &TopicFilter) -> String {
    let s: &str = f;
    s.to_string()
}

impl Library for MqttProtocol {
    const CRATE: &'static str = "mqtt-protocol";
    const API: &'static str = "`VariablePacket::decode(&mut &[u8])`, `Encodable::encode(&mut Vec<u8>)`, `MqttDecoder` (tokio-codec)";

    type Input = Vec<u8>;
    type Packet<'a> = VariablePacket;
    type DecodeError = VariablePacketError;

    fn input(wire: &[u8]) -> Vec<u8> {
        wire.to_vec()
    }

    fn decode(input: &mut Vec<u8>) -> Result<VariablePacket, VariablePacketError> {
        VariablePacket::decode(&mut input.as_slice())
    }

    fn to_msg(p: &VariablePacket) -> Msg {
        match p {
            VariablePacket::ConnectPacket(c) => Msg::Connect {
                client_id: c.client_identifier().to_string(),
                clean_session: c.clean_session(),
                keep_alive: c.keep_alive(),
                will: c.will().map(|(topic, message)| Will {
                    topic: topic.to_string(),
                    message: message.to_vec(),
                    qos: c.will_qos(),
                    retain: c.will_retain(),
                }),
                username: c.user_name().map(str::to_string),
                password: c.password().map(|p| p.as_bytes().to_vec()),
            },
            VariablePacket::ConnackPacket(c) => Msg::Connack {
                session_present: c.connack_flags().session_present,
                code: c.connect_return_code().to_u8(),
            },
            VariablePacket::PublishPacket(p) => {
                let (qos, pid) = p.qos().split();
                Msg::Publish {
                    dup: p.dup(),
                    qos: qos_u8(qos),
                    retain: p.retain(),
                    pid,
                    topic: p.topic_name().to_string(),
                    payload: p.payload().to_vec(),
                }
            }
            VariablePacket::PubackPacket(a) => Msg::Puback(a.packet_identifier()),
            VariablePacket::PubrecPacket(a) => Msg::Pubrec(a.packet_identifier()),
            VariablePacket::PubrelPacket(a) => Msg::Pubrel(a.packet_identifier()),
            VariablePacket::PubcompPacket(a) => Msg::Pubcomp(a.packet_identifier()),
            VariablePacket::SubscribePacket(s) => Msg::Subscribe {
                pid: s.packet_identifier(),
                filters: s
                    .subscribes()
                    .iter()
                    .map(|(f, q)| (filter_str(f), qos_u8(*q)))
                    .collect(),
            },
            VariablePacket::SubackPacket(s) => Msg::Suback {
                pid: s.packet_identifier(),
                codes: s.subscribes().iter().map(|c| *c as u8).collect(),
            },
            VariablePacket::UnsubscribePacket(u) => Msg::Unsubscribe {
                pid: u.packet_identifier(),
                filters: u.subscribes().iter().map(filter_str).collect(),
            },
            VariablePacket::UnsubackPacket(a) => Msg::Unsuback(a.packet_identifier()),
            VariablePacket::PingreqPacket(_) => Msg::Pingreq,
            VariablePacket::PingrespPacket(_) => Msg::Pingresp,
            VariablePacket::DisconnectPacket(_) => Msg::Disconnect,
        }
    }

    fn payload_len(p: &VariablePacket) -> usize {
        match p {
            VariablePacket::PublishPacket(p) => p.payload().len(),
            _ => 0,
        }
    }

    type Owned = VariablePacket;
    type Output = Vec<u8>;

    fn build(msg: &'static Msg) -> Result<VariablePacket, String> {
        let topic = |t: &str| TopicName::new(t).map_err(|e| format!("topic {t:?}: {e:?}"));
        Ok(match msg {
            Msg::Connect {
                client_id,
                clean_session,
                keep_alive,
                will,
                username,
                password,
            } => {
                let mut c = ConnectPacket::new(client_id.as_str());
                c.set_clean_session(*clean_session);
                c.set_keep_alive(*keep_alive);
                if let Some(w) = will {
                    c.set_will(Some((topic(&w.topic)?, w.message.clone())));
                    c.set_will_qos(w.qos);
                    c.set_will_retain(w.retain);
                }
                c.set_user_name(username.clone());
                c.set_password(match password {
                    Some(p) => Some(String::from_utf8(p.clone()).map_err(|_| {
                        "the password must be UTF-8 text (set_password takes a String)".to_string()
                    })?),
                    None => None,
                });
                c.into()
            }
            Msg::Publish {
                dup,
                qos,
                retain,
                pid,
                topic: t,
                payload,
            } => {
                let q = match (qos, pid) {
                    (0, None) => QoSWithPacketIdentifier::Level0,
                    (1, Some(v)) => QoSWithPacketIdentifier::Level1(*v),
                    (2, Some(v)) => QoSWithPacketIdentifier::Level2(*v),
                    _ => return Err("QoS and packet id disagree".into()),
                };
                let mut p = PublishPacket::new(topic(t)?, q, payload.clone());
                p.set_dup(*dup);
                p.set_retain(*retain);
                p.into()
            }
            Msg::Puback(pid) => PubackPacket::new(*pid).into(),
            Msg::Subscribe { pid, filters } => SubscribePacket::new(
                *pid,
                filters
                    .iter()
                    .map(|(f, q)| {
                        let filter = TopicFilter::new(f.as_str())
                            .map_err(|e| format!("filter {f:?}: {e:?}"))?;
                        Ok((filter, qos_of(*q)?))
                    })
                    .collect::<Result<_, String>>()?,
            )
            .into(),
            other => return Err(format!("no {} in the encode cases", other.kind())),
        })
    }

    fn output(capacity: usize) -> Vec<u8> {
        Vec::with_capacity(capacity)
    }

    fn encode(p: &VariablePacket, out: &mut Vec<u8>) -> Result<(), String> {
        out.clear();
        Encodable::encode(p, out).map_err(|e| e.to_string())
    }

    fn written(out: &Vec<u8>) -> &[u8] {
        out
    }

    type Stream = (MqttDecoder, BytesMut);

    fn stream() -> (MqttDecoder, BytesMut) {
        (MqttDecoder::new(), BytesMut::with_capacity(64 * 1024))
    }

    fn feed<F: FnMut(&VariablePacket)>(
        (decoder, buf): &mut (MqttDecoder, BytesMut),
        chunk: &[u8],
        mut on_packet: F,
    ) -> Result<(), String> {
        buf.extend_from_slice(chunk);
        loop {
            match decoder.decode(buf) {
                Ok(Some(p)) => on_packet(&p),
                Ok(None) => return Ok(()),
                Err(e) => return Err(format!("{e:?}")),
            }
        }
    }
}
