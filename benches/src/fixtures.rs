//! The packets every library decodes and encodes, built once per process.

use std::sync::OnceLock;

use crate::msg::{Msg, Will};

/// The monitor topic of an extension `vmware/tests/1.0.0`: 38 bytes.
pub const TOPIC: &str = "topic/extension/vmware/tests/1.0.0/ext";
/// The respond topic of the same extension (used as the will topic).
pub const RESPOND_TOPIC: &str = "topic/extension/vmware/tests/1.0.0/vcd";
/// Length of the mixed stream: 1 MiB.
pub const STREAM_LEN: usize = 1 << 20;
/// Chunk size the stream is fed in (a typical Ethernet MTU's worth).
pub const CHUNK_LEN: usize = 1500;

/// One single-packet benchmark case.
#[derive(Debug)]
pub struct Case {
    /// Stable identifier, used in criterion group names (`decode_<id>`, `encode_<id>`).
    pub id: &'static str,
    /// Human description for the report.
    pub title: String,
    /// The packet's field values.
    pub msg: Msg,
    /// Its wire form, from the reference encoder.
    pub wire: Vec<u8>,
}

/// The 1 MiB stream of mixed packets.
#[derive(Debug)]
pub struct Stream {
    /// The packets, in order.
    pub msgs: Vec<Msg>,
    /// Their concatenated wire forms: exactly [`STREAM_LEN`] bytes.
    pub bytes: Vec<u8>,
}

impl Stream {
    /// Sum of all PUBLISH payload lengths.
    pub fn payload_bytes(&self) -> usize {
        self.msgs.iter().map(Msg::payload_len).sum()
    }

    /// The stream cut into [`CHUNK_LEN`]-byte chunks (the last one shorter).
    pub fn chunks(&self) -> std::slice::Chunks<'_, u8> {
        self.bytes.chunks(CHUNK_LEN)
    }
}

/// Everything the benchmarks need.
#[derive(Debug)]
pub struct Fixtures {
    /// Single-packet cases, in report order.
    pub cases: Vec<Case>,
    /// The mixed stream.
    pub stream: Stream,
}

impl Fixtures {
    /// The case with identifier `id`.
    ///
    /// # Panics
    /// If there is no such case (a programming error in the benches).
    pub fn case(&self, id: &str) -> &Case {
        self.cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no benchmark case {id:?}"))
    }
}

/// Deterministic printable ASCII text of exactly `len` bytes that looks like a VCD notification.
pub fn text_payload(len: usize) -> Vec<u8> {
    const PATTERN: &str = "{\"eventId\":\"5a7b3c1e-2f44-4d1a-9e0b-77c2a1d4e9f0\",\"type\":\"com/vmware/vcloud/event/vm/create\",\"timestamp\":\"2026-11-26T12:00:00.000Z\",\"operationSuccess\":true,\"user\":\"urn:vcloud:user:c24078ed-fc83-4474-9130-503a51b6bd94\",\"org\":\"urn:vcloud:org:a93c9db9-7471-3192-8d09-a8f7eeda85f9\"}";
    PATTERN.bytes().cycle().take(len).collect()
}

fn publish(qos: u8, pid: Option<u16>, topic: &str, payload: Vec<u8>) -> Msg {
    Msg::Publish {
        dup: false,
        qos,
        retain: false,
        pid,
        topic: topic.to_string(),
        payload,
    }
}

/// QoS 1 PUBLISH, 38-byte topic, 200-byte payload.
pub fn publish_small(pid: u16) -> Msg {
    publish(1, Some(pid), TOPIC, text_payload(200))
}

/// QoS 1 PUBLISH, 38-byte topic, 16 KiB payload.
pub fn publish_16k(pid: u16) -> Msg {
    publish(1, Some(pid), TOPIC, text_payload(16 * 1024))
}

/// CONNECT of an extension with a will, a user name (the extension triplet) and a token.
pub fn connect() -> Msg {
    let token: String =
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2bXdhcmUvdGVzdHMvMS4wLjAiLCJ0eXBlIjoiRVhURU5TSU9OIn0."
            .chars()
            .chain(
                "Q2xvdWQtRGlyZWN0b3ItZXh0ZW5zaW9uLXRva2VuLXNpZ25hdHVyZQ"
                    .chars()
                    .cycle()
                    .take(256),
            )
            .collect();
    Msg::Connect {
        client_id: "vmware-tests-1.0.0-7ce94181".to_string(),
        clean_session: true,
        keep_alive: 60,
        will: Some(Will {
            topic: RESPOND_TOPIC.to_string(),
            message: br#"{"type":"BEHAVIOR_RESPONSE","headers":{"contentType":"plain/text"},"payload":"extension went away"}"#.to_vec(),
            qos: 1,
            retain: false,
        }),
        username: Some("vmware/tests/1.0.0".to_string()),
        password: Some(token.into_bytes()),
    }
}

/// SUBSCRIBE with five filters of mixed QoS.
pub fn subscribe(pid: u16) -> Msg {
    Msg::Subscribe {
        pid,
        filters: vec![
            (TOPIC.to_string(), 1),
            ("topic/extension/vmware/tests/+/ext".to_string(), 1),
            ("publish/+/event/#".to_string(), 0),
            (
                "topic/notifications/urn:vcloud:org:a93c9db9/+".to_string(),
                2,
            ),
            ("#".to_string(), 0),
        ],
    }
}

fn build_stream() -> Stream {
    let mut msgs = vec![
        connect(),
        Msg::Connack {
            session_present: false,
            code: 0,
        },
    ];
    let mut pid: u16 = 0;
    let mut next_pid = || {
        pid = pid.wrapping_add(1).max(1);
        pid
    };
    let wire_len = |msgs: &[Msg]| msgs.iter().map(|m| m.to_wire().len()).sum::<usize>();
    let mut len = wire_len(&msgs);
    // Largest cycle: 16 KiB publish + everything else; keep 512 bytes for the filler + DISCONNECT.
    let max_cycle = 20 * 1024;
    let mut cycle = 0usize;
    while len + max_cycle + 512 < STREAM_LEN {
        let mut part = Vec::new();
        let p = next_pid();
        part.push(publish_small(p));
        part.push(Msg::Puback(p));
        part.push(publish(
            0,
            None,
            "publish/urn:vcloud:org:a93c9db9/event",
            text_payload(64),
        ));
        let p = next_pid();
        part.push(publish(2, Some(p), TOPIC, text_payload(120)));
        part.push(Msg::Pubrec(p));
        part.push(Msg::Pubrel(p));
        part.push(Msg::Pubcomp(p));
        if cycle.is_multiple_of(8) {
            let p = next_pid();
            part.push(subscribe(p));
            part.push(Msg::Suback {
                pid: p,
                codes: vec![1, 1, 0, 2, 0x80],
            });
            let p = next_pid();
            part.push(Msg::Unsubscribe {
                pid: p,
                filters: vec!["publish/+/event/#".to_string(), "#".to_string()],
            });
            part.push(Msg::Unsuback(p));
            part.push(Msg::Pingreq);
            part.push(Msg::Pingresp);
        }
        if cycle % 32 == 31 {
            part.push(publish_16k(next_pid()));
        }
        len += wire_len(&part);
        msgs.extend(part);
        cycle += 1;
    }
    // A QoS 0 filler PUBLISH sized so that, with the closing DISCONNECT, the stream is exactly 1 MiB.
    let room = STREAM_LEN - len - 2;
    let topic = "publish/urn:vcloud:org:a93c9db9/filler";
    let filler = (1..=4)
        .find_map(|varint| {
            let payload = room.checked_sub(1 + varint + 2 + topic.len())?;
            let m = publish(0, None, topic, text_payload(payload));
            (m.to_wire().len() == room).then_some(m)
        })
        .expect("a filler size exists for every room above 64 bytes");
    msgs.push(filler);
    msgs.push(Msg::Disconnect);
    let bytes: Vec<u8> = msgs.iter().flat_map(|m| m.to_wire()).collect();
    assert_eq!(bytes.len(), STREAM_LEN);
    Stream { msgs, bytes }
}

fn build() -> Fixtures {
    let case = |id: &'static str, title: &str, msg: Msg| {
        let wire = msg.to_wire();
        Case {
            id,
            title: format!("{title} ({} B)", wire.len()),
            msg,
            wire,
        }
    };
    Fixtures {
        cases: vec![
            case(
                "publish",
                "PUBLISH QoS 1, 38 B topic, 200 B payload",
                publish_small(0x1234),
            ),
            case(
                "publish_16k",
                "PUBLISH QoS 1, 16 KiB payload",
                publish_16k(0x1235),
            ),
            case(
                "connect",
                "CONNECT with will, user name and password",
                connect(),
            ),
            case("subscribe", "SUBSCRIBE with 5 filters", subscribe(0x1236)),
            case("puback", "PUBACK", Msg::Puback(0x1237)),
        ],
        stream: build_stream(),
    }
}

/// The fixtures, built on first use.
pub fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_as_documented() {
        assert_eq!(TOPIC.len(), 38);
        let f = fixtures();
        // 1 (type) + 2 (remaining length 242) + 2 + 38 (topic) + 2 (pid) + 200 (payload)
        assert_eq!(f.case("publish").wire.len(), 245);
        assert_eq!(f.case("publish_16k").wire.len(), 1 + 3 + 2 + 38 + 2 + 16384);
        assert_eq!(f.case("puback").wire, [0x40, 2, 0x12, 0x37]);
        assert_eq!(f.stream.bytes.len(), STREAM_LEN);
        assert!(f.stream.msgs.len() > 2000, "{}", f.stream.msgs.len());
        assert_eq!(f.stream.chunks().count(), STREAM_LEN.div_ceil(CHUNK_LEN));
        assert_eq!(f.stream.msgs.last(), Some(&Msg::Disconnect));
    }
}
