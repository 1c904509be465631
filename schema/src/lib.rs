//! Typed models of the VMware Cloud Director (VCD) MQTT message bus.
//!
//! Every PUBLISH payload on VCD's bus is a JSON envelope `{type, headers, payload}` whose
//! `payload` is another document encoded as a string, which may hold yet another string-encoded
//! document. This crate decodes each layer into typed Rust models — and encodes them back
//! exactly — so an extension never hand-parses nested JSON:
//!
//! | layer | type | reached by |
//! |---|---|---|
//! | envelope | [`Message`] | [`Message::from_slice`] |
//! | typed body | [`Body`] | [`Message::body`] (or [`Message::behavior_invocation`], …) |
//! | invocation arguments | [`InvocationArguments`] | [`BehaviorInvocation::arguments`] |
//! | object-extension envelope | [`ObjectExtensionEnvelope`] | [`InvocationArguments::object_extension`], or straight from the envelope with [`Message::object_extension`] (fastest) |
//! | object-extension payload | [`ObjectExtensionPayload`] | [`ObjectExtensionEnvelope::payload`] |
//! | task update | [`TaskUpdate`] | [`BehaviorResponse::content`] |
//! | API request bytes | [`ApiRequestPayload`] | [`ApiRequest::request`] |
//! | notification (JSON or XML) | [`Notification`] | [`NotificationMessage::notification`] |
//!
//! ```
//! use vcd_mqtt_schema::{Echo, Message, ObjectExtensionPayload};
//! # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/object-extension-invocation.json"))?;
//! // `bytes` is the payload of a PUBLISH received on the extension's monitor topic.
//! let msg = Message::from_slice(&bytes)?;
//! let invocation = msg.behavior_invocation()?;
//! let request = invocation.arguments.object_extension()?;
//! assert_eq!(request.phase(), "urn:extensionPoint:vm:create");
//! let ObjectExtensionPayload::Echo(echo) = request.payload()? else { panic!("not an echo") };
//! assert_eq!(echo.message, "Hello World!");
//!
//! // Answer with an echo: every layer is encoded for us.
//! let reply = invocation.reply_object_extension(&Echo::new("Hello back").into())?;
//! let bytes_out = reply.to_vec()?; // publish on the respond topic
//! let answer = Message::from_slice(&bytes_out)?;
//! let envelope = answer.behavior_response()?.object_extension()?;
//! assert_eq!(envelope.correlation_id(), request.correlation_id());
//! assert_eq!(envelope.payload()?, Echo::new("Hello back").into());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Around the models: [`topics`] (topics, user names, WebSocket URL), [`dedup`] (a bounded
//! duplicate filter for QoS 1 redeliveries), [`json_schema`] (JSON Schema export) and, with the
//! default feature `codec`, conversions from and to `vcd-mqtt-codec` PUBLISH packets.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod body;
#[cfg(feature = "codec")]
mod codec;
pub mod dedup;
mod error;
mod invocation;
pub mod json_schema;
mod message;
mod network;
mod notification;
mod object_extension;
mod response;
mod scan;
pub mod topics;
mod util;

pub use api::{
    ApiRequest, ApiRequestHeaders, ApiRequestPayload, ApiResponse, ApiResponseHeaders, HttpMessage,
    HttpResponse, SecurityContext,
};
pub use body::{Body, Unwrapped};
pub use error::{Error, Layer};
pub use invocation::{
    BehaviorInvocation, ExecutionProperties, InvocationArguments, InvocationContext,
    InvocationHeaders, InvocationMetadata,
};
pub use message::{Message, MessageType, RawJson};
pub use network::*;
pub use notification::{
    EntityLink, Notification, NotificationFormat, NotificationHeaders, NotificationMessage,
    NOTIFICATION_NAMESPACE,
};
pub use object_extension::{
    Echo, ErrorMessageEnvelope, ExtensionErrorMessage, HalfDuplexEnvelope, ObjectExtensionEnvelope,
    ObjectExtensionPayload,
};
pub use response::{
    BehaviorResponse, BehaviorResponseHeaders, Progress, ResponseContent, TaskError, TaskResult,
    TaskStatus, TaskUpdate, CONTENT_TYPE_TASK, CONTENT_TYPE_TEXT,
};
pub use util::{Bytes, BytesForm, Extra};

/// The crate README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The repository README's Rust examples (codec and schema), compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct RepositoryReadmeDoctests;
