//! [`mqttbytes`] 0.6.0: `mqttbytes::v4::read(&mut BytesMut, max)` and
//! `Publish::write(&mut BytesMut)` etc.

use mqttbytes::v4;
use mqttbytes::{Error as LibError, Protocol as LibProtocol, QoS as LibQoS};

use super::rumqtt_family::rumqtt_v4_adapter;

/// The `mqttbytes` adapter.
#[derive(Debug)]
pub struct Mqttbytes;

rumqtt_v4_adapter!(
    Mqttbytes,
    "mqttbytes",
    "`v4::read(&mut BytesMut, max)`, `Publish::write(&mut BytesMut)` etc.",
    v4::read
);
