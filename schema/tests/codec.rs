//! Messages to and from `vcd-mqtt-codec` PUBLISH packets.
#![cfg(feature = "codec")]

mod common;

use common::{all_samples, json};
use vcd_mqtt_codec::{decode, Packet, PacketId, QoS, QosPid, Status, StreamDecoder};
use vcd_mqtt_schema::topics::ExtensionService;
use vcd_mqtt_schema::{Echo, Message};

#[test]
fn every_sample_through_a_publish() {
    let svc = ExtensionService::new("vmware", "echo", "0.0.1").unwrap();
    let topic = svc.monitor_topic();
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for (i, (_, bytes)) in all_samples().into_iter().enumerate() {
        let msg = Message::from_slice(&bytes).unwrap();
        let qos = QosPid::AtLeastOnce(PacketId::new(i as u16 + 1).unwrap());
        let n = msg
            .encode_publish(&topic, qos, i % 2 == 0, &mut wire)
            .unwrap();
        assert!(n > bytes.len() / 2);
        expected.push(json(&bytes));
    }
    // One stream of ten PUBLISH packets, fed in 7-byte chunks.
    let mut dec = StreamDecoder::default();
    let mut got = Vec::new();
    for chunk in wire.chunks(7) {
        dec.feed(chunk, |p| {
            let Ok(Packet::Publish(p)) = p else {
                panic!("{p:?}")
            };
            assert_eq!(p.topic.as_str(), topic);
            assert_eq!(p.qos_pid.qos(), QoS::AtLeastOnce);
            let msg = Message::from_publish(&p).unwrap();
            got.push(json(&msg.to_vec().unwrap()));
        });
    }
    assert_eq!(got, expected);
}

#[test]
fn reply_as_publish_borrows_the_buffer() {
    let bytes = common::sample("object-extension-invocation.json");
    let Ok(Status::Complete((Packet::Publish(_), _))) = decode(&{
        let mut w = Vec::new();
        Message::from_slice(&bytes)
            .unwrap()
            .encode_publish(
                "topic/extension/vmware/echo/0.0.1/ext",
                QosPid::AtMostOnce,
                false,
                &mut w,
            )
            .unwrap();
        w
    }) else {
        panic!("decode")
    };
    let msg = Message::from_slice(&bytes).unwrap();
    let reply = msg
        .behavior_invocation()
        .unwrap()
        .reply_object_extension(&Echo::new("Hello back").into())
        .unwrap();
    let mut buf = Vec::new();
    let publish = reply
        .to_publish(
            "topic/extension/vmware/echo/0.0.1/vcd",
            QosPid::AtMostOnce,
            &mut buf,
        )
        .unwrap();
    assert!(!publish.dup && !publish.retain);
    let back = Message::from_publish(&publish).unwrap();
    assert_eq!(back, reply);
    let mut out = Vec::new();
    let n = Packet::Publish(publish).encode_to_vec(&mut out).unwrap();
    assert_eq!(n, out.len());
}
