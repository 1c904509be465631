//! Decoding and encoding into a slice allocate nothing, for every packet kind.
//!
//! A counting `#[global_allocator]` wraps `std::alloc::System` and counts allocations per thread
//! (a thread-local counter, so other tests running in parallel threads cannot interfere).

// `GlobalAlloc` is an `unsafe trait`: implementing the counting allocator needs `unsafe impl`
// and calls to `System`'s unsafe methods. This is confined to this test file; the crate itself
// stays `#![forbid(unsafe_code)]`.
#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::*;
use vcd_mqtt_codec::{
    Connack, Connect, ConnectReturnCode, DecodeOptions, LastWill, Packet, PacketId, Puback,
    Pubcomp, Publish, Pubrec, Pubrel, QoS, QosPid, Role, Status, Suback, SubackReturnCode,
    SubackReturnCodes, Subscribe, SubscribeTopic, SubscribeTopics, TopicFilter, TopicName,
    Unsuback, Unsubscribe, UnsubscribeTopics,
};

thread_local! {
    /// Allocations made by the current thread (const-initialised, no destructor: reading it
    /// never allocates).
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with` so an allocation during thread teardown never panics.
    let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

struct CountingAllocator;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged, so the
// `GlobalAlloc` contract holds exactly as it does for `System`; counting touches only a
// thread-local `Cell<usize>` and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: forwarded from our caller, who upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` (through us) with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Runs `f` and returns how many allocations the current thread made meanwhile.
fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// Decodes `wire` (must be one complete packet), walks every lazy list, re-encodes into a stack
/// buffer and checks the bytes; returns a checksum so nothing is optimised away.
fn decode_walk_encode(options: &DecodeOptions, wire: &[u8]) -> usize {
    let Ok(Status::Complete((packet, used))) = options.decode(wire) else {
        panic!("not a complete packet");
    };
    assert_eq!(used, wire.len());
    let mut sum = used;
    match packet {
        Packet::Subscribe(s) => {
            for t in s.topics.iter() {
                sum += t.filter.as_str().len() + usize::from(t.qos.as_u8());
            }
            sum += s.topics.len();
        }
        Packet::Suback(s) => {
            for c in s.return_codes.iter() {
                sum += usize::from(matches!(c, SubackReturnCode::Failure));
            }
            sum += s.return_codes.len();
        }
        Packet::Unsubscribe(u) => {
            for f in u.topics.iter() {
                sum += f.len();
            }
            sum += u.topics.len();
        }
        Packet::Connect(c) => sum += c.client_id.len() + c.will.map_or(0, |w| w.message.len()),
        Packet::Publish(p) => sum += p.payload.len() + p.topic.len(),
        _ => {}
    }
    let mut buf = [0u8; 256];
    let n = packet.encoded_len().expect("encodable");
    assert_eq!(packet.encode(&mut buf), Ok(n));
    assert!(buf[..n] == *wire, "re-encoded bytes differ");
    // A too-small buffer is refused without allocating either.
    let mut tiny = [0u8; 1];
    assert!(packet.encode(&mut tiny).is_err());
    sum + n
}

fn pid(v: u16) -> PacketId {
    PacketId::new(v).expect("non-zero")
}

#[test]
fn decode_and_encode_allocate_nothing() {
    // The counter is live: a Box allocation is seen.
    let seen = allocations_during(|| {
        let b = std::hint::black_box(Box::new(7u64));
        assert_eq!(*b, 7);
    });
    assert_eq!(seen, 1, "the counting allocator does not count");

    let extra: [&[u8]; 5] = [
        CONNECT_MINIMAL,
        PUBLISH_QOS0,
        PUBLISH_QOS2_EMPTY,
        PUBLISH_BOM,
        CONNACK_NOT_AUTHORIZED,
    ];
    let option_sets = [
        DecodeOptions::new(),
        DecodeOptions::new()
            .strict(true)
            .reject_control_characters(true),
        DecodeOptions::new().max_packet_size(1024),
    ];

    // Decoding, walking the lazy lists and re-encoding into a slice: every packet kind.
    let mut checksum = 0usize;
    let n = allocations_during(|| {
        for options in &option_sets {
            for wire in ONE_OF_EACH.iter().chain(extra.iter()) {
                checksum += decode_walk_encode(options, wire);
            }
        }
    });
    assert_eq!(n, 0, "decode + encode allocated {n} times");
    assert!(checksum > 0);

    // Role-filtered decoding and the error paths (incomplete input, malformed packets,
    // oversized packets) do not allocate either.
    let n = allocations_during(|| {
        let client = DecodeOptions::new().role(Role::Client);
        let server = DecodeOptions::new().role(Role::Server);
        for wire in ONE_OF_EACH {
            let a = client.decode(wire);
            let b = server.decode(wire);
            assert!(a.is_ok() || b.is_ok());
            for cut in 0..wire.len() {
                assert!(matches!(
                    vcd_mqtt_codec::decode(&wire[..cut]),
                    Ok(Status::Incomplete(_))
                ));
            }
        }
        let bad: [&[u8]; 6] = [
            &[0x00, 0x00],
            &[0x62 ^ 0x02, 0x02, 0x00, 0x01],
            &[0x82, 0x02, 0x00, 0x01],
            &[0x30, 0x05, 0x00, 0x03, b'a', b'/', b'#'],
            &[0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            &[0x20, 0x02, 0x01, 0x05],
        ];
        for wire in bad {
            assert!(vcd_mqtt_codec::decode(wire).is_err());
        }
        let small = DecodeOptions::new().max_packet_size(4);
        assert!(small.decode(PUBLISH_QOS0).is_err());
    });
    assert_eq!(n, 0, "error paths allocated {n} times");

    // Encoding packets built by the caller (lists from stack slices) into a slice.
    let topics = [
        SubscribeTopic {
            filter: TopicFilter::new("a/+").unwrap(),
            qos: QoS::AtLeastOnce,
        },
        SubscribeTopic {
            filter: TopicFilter::new("#").unwrap(),
            qos: QoS::AtMostOnce,
        },
    ];
    let codes = [
        SubackReturnCode::Success(QoS::ExactlyOnce),
        SubackReturnCode::Failure,
    ];
    let filters = [
        TopicFilter::new("x/#").unwrap(),
        TopicFilter::new("+").unwrap(),
    ];
    let n = allocations_during(|| {
        let packets: [Packet<'_>; 14] = [
            Packet::Connect(Connect {
                client_id: "vcd",
                clean_session: false,
                keep_alive: 30,
                will: Some(LastWill {
                    topic: TopicName::new("w/t").unwrap(),
                    message: b"bye",
                    qos: QoS::ExactlyOnce,
                    retain: true,
                }),
                username: Some("u"),
                password: Some(b"p"),
            }),
            Packet::Connack(Connack {
                session_present: true,
                code: ConnectReturnCode::Accepted,
            }),
            Packet::Publish(Publish {
                dup: true,
                qos_pid: QosPid::ExactlyOnce(pid(9)),
                retain: true,
                topic: TopicName::new("vcd/ü/日本").unwrap(),
                payload: b"payload",
            }),
            Packet::Puback(Puback { packet_id: pid(1) }),
            Packet::Pubrec(Pubrec { packet_id: pid(2) }),
            Packet::Pubrel(Pubrel { packet_id: pid(3) }),
            Packet::Pubcomp(Pubcomp { packet_id: pid(4) }),
            Packet::Subscribe(Subscribe {
                packet_id: pid(5),
                topics: SubscribeTopics::from_slice(&topics),
            }),
            Packet::Suback(Suback {
                packet_id: pid(5),
                return_codes: SubackReturnCodes::from_slice(&codes),
            }),
            Packet::Unsubscribe(Unsubscribe {
                packet_id: pid(6),
                topics: UnsubscribeTopics::from_slice(&filters),
            }),
            Packet::Unsuback(Unsuback { packet_id: pid(6) }),
            Packet::Pingreq,
            Packet::Pingresp,
            Packet::Disconnect,
        ];
        for p in &packets {
            let mut buf = [0u8; 128];
            let len = p.encoded_len().expect("valid");
            assert_eq!(p.encode(&mut buf), Ok(len));
            // And it decodes back, still without allocating.
            let Ok(Status::Complete((back, used))) = vcd_mqtt_codec::decode(&buf[..len]) else {
                panic!("round trip failed");
            };
            assert_eq!(used, len);
            assert!(back == *p);
        }
    });
    assert_eq!(n, 0, "encoding caller-built packets allocated {n} times");
}
