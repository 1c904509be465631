//! `vcd-mqtt-codec`: a `no_std`, zero-copy, strictly validating MQTT 3.1.1 packet codec.
//!
//! The codec turns bytes into [`Packet`]s and back for all fourteen MQTT 3.1.1 control packets,
//! in both directions (client and server). It is written for the VMware Cloud Director message
//! bus but knows nothing about VCD: it is a general MQTT 3.1.1 codec.
//!
//! * **Zero-copy.** Decoded packets borrow from the input: strings are `&str`, binary fields
//!   (PUBLISH payload, Will Message, Password) are `&[u8]`, and the SUBSCRIBE, SUBACK and
//!   UNSUBSCRIBE lists ([`SubscribeTopics`], [`SubackReturnCodes`], [`UnsubscribeTopics`]) are
//!   lazy iterators over the already validated wire bytes. Nothing allocates while decoding or
//!   encoding into a slice.
//! * **Valid by type.** [`PacketId`] is never 0, [`QoS`] and [`ConnectReturnCode`] only hold
//!   defined values, [`TopicName`] holds no wildcards, [`TopicFilter`] only well-placed ones, and
//!   [`QosPid`] ties the packet id to QoS 1 and 2.
//! * **Precise errors.** A [`DecodeError`] names the rule broken ([`Error`], with the MQTT
//!   statement ID from [`Error::statement_id`]), the byte offset from the start of the packet,
//!   and the packet's total length whenever its Remaining Length was readable (for first-byte
//!   errors too), so a caller can skip it and keep going.
//! * **Streaming.** [`decode()`] reports [`Status::Incomplete`] with the exact number of missing
//!   bytes once the Remaining Length is known. With `alloc`, [`StreamDecoder`] reassembles
//!   packets from chunks of any size; with `tokio`, `tokio::MqttCodec` is a
//!   `tokio_util::codec` codec.
//! * **Never panics** on any input, and never reads past a packet's Remaining Length.
//!
//! # Example
//!
//! Decode a PUBLISH, then build and encode one:
//!
//! ```
//! use vcd_mqtt_codec::{decode, Packet, PacketId, Publish, QosPid, Status, TopicName};
//!
//! // A QoS 1 PUBLISH to "a/b" with packet id 10 and payload "hi", then the start of the next packet.
//! let input = [0x32, 0x09, 0x00, 0x03, b'a', b'/', b'b', 0x00, 0x0A, b'h', b'i', 0xC0];
//! let Status::Complete((Packet::Publish(publish), used)) = decode(&input)? else {
//!     panic!("expected a complete PUBLISH");
//! };
//! assert_eq!(used, 11);
//! assert_eq!(publish.topic.as_str(), "a/b");
//! assert_eq!(publish.qos_pid, QosPid::AtLeastOnce(PacketId::new(10).unwrap()));
//! assert_eq!(publish.payload, b"hi");
//!
//! // Encoding: validated types in, exact length, all-or-nothing writes.
//! let reply = Publish {
//!     dup: false,
//!     qos_pid: QosPid::AtMostOnce,
//!     retain: true,
//!     topic: TopicName::new("status/online")?,
//!     payload: b"1",
//! };
//! let mut buf = [0u8; 64];
//! let n = reply.encode(&mut buf)?;
//! assert_eq!(n, reply.encoded_len()?);
//! assert_eq!(&buf[..n], b"\x31\x10\x00\x0dstatus/online1");
//!
//! // Packet-level API: the same bytes through `Packet`.
//! let packet = Packet::from(reply);
//! let mut again = [0u8; 64];
//! assert_eq!(packet.encode(&mut again)?, n);
//! assert_eq!(decode(&buf[..n])?, Status::Complete((packet, n)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Reading a stream of packets from a buffer, skipping a malformed one:
//!
//! ```
//! use vcd_mqtt_codec::{DecodeOptions, Error, Packet, Role, Status};
//!
//! // PINGREQ, a PUBLISH whose topic holds a wildcard, a packet of the reserved type 15,
//! // DISCONNECT.
//! let mut input: &[u8] = &[0xC0, 0x00, 0x30, 0x03, 0x00, 0x01, b'#', 0xF0, 0x01, 0xFF, 0xE0, 0x00];
//! let options = DecodeOptions::new().role(Role::Server);
//! let mut seen = Vec::new();
//! let mut errors = Vec::new();
//! while !input.is_empty() {
//!     match options.decode(input) {
//!         Ok(Status::Complete((packet, used))) => {
//!             seen.push(packet.packet_type());
//!             input = &input[used..];
//!         }
//!         Ok(Status::Incomplete(_)) => break, // wait for more bytes
//!         Err(e) => {
//!             errors.push((e.error, e.offset, e.error.statement_id()));
//!             // MQTT says to close the connection; a tool may skip the packet instead.
//!             let Some(len) = e.packet_len else { break };
//!             input = &input[len..];
//!         }
//!     }
//! }
//! assert_eq!(seen.len(), 2);
//! assert_eq!(
//!     errors,
//!     [
//!         (Error::WildcardInTopicName, 4, Some("MQTT-3.3.2-2")),
//!         (Error::ReservedPacketType(15), 0, None),
//!     ]
//! );
//! ```
//!
//! # Features
//!
//! * `std` (default): enables `alloc` (the error types implement `core::error::Error`, so they
//!   work with `std::error::Error` whatever the features).
//! * `alloc`: [`StreamDecoder`] and the `encode_to_vec` methods that append to a `Vec<u8>`.
//! * `tokio`: the `tokio` module, `tokio_util::codec::{Decoder, Encoder}` with owned packets
//!   whose payloads are `bytes::Bytes` slices of the read buffer.
//!
//! Without any feature the crate is `no_std` without allocation (it builds for
//! `thumbv6m-none-eabi`); one-shot decoding and encoding into slices work the same.
//!
//! # Validation policy
//!
//! The decoder enforces every MQTT 3.1.1 statement that one packet's bytes can violate (Table 1
//! of the project's statement list: all statements marked *decode* or *both*) and the rules the
//! standard states without a number: reserved packet types 0 and 15, fixed flag nibbles, the
//! 1..=4 byte Remaining Length, fixed Remaining Lengths (2 for CONNACK, PUBACK, PUBREC, PUBREL,
//! PUBCOMP, UNSUBACK; 0 for PINGREQ, PINGRESP, DISCONNECT), inner lengths adding up exactly to
//! the Remaining Length (no trailing bytes), CONNACK reserved bits and return codes, protocol
//! name `"MQTT"` and level 4 (each reported as its own error). Each rule has its own [`Error`]
//! variant. Deliberate choices:
//!
//! * Non-minimal Remaining Lengths are accepted (3.1.1 allows them) unless
//!   [`DecodeOptions::strict_remaining_length`] is set; the encoder always writes the minimal
//!   form.
//! * An empty ClientId with CleanSession 0 is decoded (the server must answer CONNACK 0x02,
//!   \[MQTT-3.1.3-8\]); only the encoder refuses it \[MQTT-3.1.3-7\]. ClientIds have no length or
//!   character limit beyond the string rules \[MQTT-3.1.3-5\].
//! * Text fields must be UTF-8 without U+0000 \[MQTT-1.5.3-1\] \[MQTT-1.5.3-2\]; U+FEFF is kept
//!   \[MQTT-1.5.3-3\]. Control characters and non-characters (§1.5.3 SHOULD NOTs) are accepted
//!   unless [`DecodeOptions::reject_control_characters`] is set. Passwords are binary and not
//!   UTF-8 checked.
//! * [`DecodeOptions::role`] rejects packets that may not travel towards a client (CONNECT,
//!   SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT) or a server (CONNACK, SUBACK, UNSUBACK,
//!   PINGRESP); [`DecodeOptions::max_packet_size`] limits the whole packet and is checked as soon
//!   as the fixed header is readable.
//! * A bad first byte (reserved type, invalid flags, PUBLISH QoS 3, DUP with QoS 0) is reported
//!   at offset 0 as soon as the Remaining Length is readable, with [`DecodeError::packet_len`],
//!   so that the packet can be skipped like any other malformed one; every fixed-header rule is
//!   decided from the fixed header alone, so a prefix of the input never gives a different
//!   answer than the whole input. Only a Remaining Length running past four bytes leaves the
//!   length unknown (`packet_len` is `None`).
//! * SUBACK return-code counts and packet-id matching are session rules, not checked here.
//!
//! The encoder refuses what it must never send: wildcards in topic names (by type), strings or
//! binary fields over 65,535 bytes, U+0000 in strings, a password without a user name, an empty
//! ClientId with CleanSession 0, DUP on QoS 0, empty SUBSCRIBE / UNSUBSCRIBE lists, and a
//! Remaining Length over 268,435,455.
#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

mod ack;
mod connack;
mod connect;
mod decode;
mod error;
mod list;
mod packet;
mod packet_id;
mod primitives;
mod publish;
mod qos;
#[cfg(feature = "alloc")]
mod stream;
mod suback;
mod subscribe;
#[cfg(feature = "tokio")]
pub mod tokio;
mod topic;
mod unsubscribe;

pub use ack::{Puback, Pubcomp, Pubrec, Pubrel, Unsuback};
pub use connack::{Connack, ConnectReturnCode};
pub use connect::{Connect, LastWill};
pub use decode::{decode, DecodeOptions, Needed, Role, Status, DEFAULT_MAX_PACKET_SIZE};
pub use error::{DecodeError, Error};
pub use packet::{Packet, PacketType};
pub use packet_id::PacketId;
pub use publish::Publish;
pub use qos::{QoS, QosPid};
#[cfg(feature = "alloc")]
pub use stream::StreamDecoder;
pub use suback::{Suback, SubackReturnCode, SubackReturnCodes, SubackReturnCodesIter};
pub use subscribe::{Subscribe, SubscribeTopic, SubscribeTopics, SubscribeTopicsIter};
pub use topic::{TopicFilter, TopicName};
pub use unsubscribe::{Unsubscribe, UnsubscribeTopics, UnsubscribeTopicsIter};
