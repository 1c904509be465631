//! `vcd-mqtt-codec`: a `no_std`, zero-copy, strictly validating MQTT 3.1.1 packet codec.
//!
//! (Crate docs to be completed by the implementation.)
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod error;
mod packet;
mod qos;
mod topic;
mod packet_id;
mod decode;
mod connect;
mod connack;
mod publish;
mod ack;
mod subscribe;
mod suback;
mod unsubscribe;
#[cfg(feature = "alloc")]
mod stream;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use error::{DecodeError, Error};
pub use packet::{Packet, PacketType};
pub use qos::{QoS, QosPid};
pub use topic::{TopicFilter, TopicName};
pub use packet_id::PacketId;
pub use decode::{decode, DecodeOptions, Needed, Role, Status};
pub use connect::{Connect, LastWill};
pub use connack::{Connack, ConnectReturnCode};
pub use publish::Publish;
pub use ack::{Puback, Pubcomp, Pubrec, Pubrel, Unsuback};
pub use subscribe::{Subscribe, SubscribeTopic, SubscribeTopics};
pub use suback::{Suback, SubackReturnCode, SubackReturnCodes};
pub use unsubscribe::{Unsubscribe, UnsubscribeTopics};
#[cfg(feature = "alloc")]
pub use stream::StreamDecoder;
