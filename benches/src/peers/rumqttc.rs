//! [`rumqttc`] 0.25.1 (`default-features = false`): its MQTT 3.1.1 packets,
//! `rumqttc::mqttbytes::v4::Packet::read(&mut BytesMut, max)` and `Publish::write(&mut BytesMut)` etc.

use rumqttc::mqttbytes::v4;
use rumqttc::mqttbytes::{Error as LibError, Protocol as LibProtocol, QoS as LibQoS};

use super::rumqtt_family::rumqtt_v4_adapter;

/// The `rumqttc` adapter.
#[derive(Debug)]
pub struct Rumqttc;

rumqtt_v4_adapter!(
    Rumqttc,
    "rumqttc",
    "`mqttbytes::v4::Packet::read(&mut BytesMut, max)`, `Publish::write(&mut BytesMut)` etc.",
    v4::Packet::read
);
