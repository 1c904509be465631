//! Object-extension envelopes (`HalfDuplexEnvelope`, `ErrorMessageEnvelope`) and their payloads.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{from_json_str, from_json_value, to_json_string, Error, Layer};
use crate::network::*;
use crate::util::deserialize_model;
use crate::util::Extra;

/// An object-extension envelope, discriminated by `envelopeType` (schema `envelopes.yaml`).
///
/// Decoding dispatches on `envelopeType` by hand so that errors keep the path of the failing
/// member (`payload.arguments.payload: invalid type: …, expected a string`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "envelopeType")]
#[schemars(
    description = "An object-extension envelope (envelopes.yaml), discriminated by envelopeType."
)]
pub enum ObjectExtensionEnvelope {
    /// `HalfDuplexEnvelope`: a request from Cloud Director or the extension's response.
    HalfDuplexEnvelope(HalfDuplexEnvelope),
    /// `ErrorMessageEnvelope`: sent by Cloud Director when the last exchange failed.
    ErrorMessageEnvelope(ErrorMessageEnvelope),
}

/// `HalfDuplexEnvelope`: sent in a normal request/response exchange.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HalfDuplexEnvelope {
    /// `clientRequestId`: the `X-VMWARE-VCLOUD-CLIENT-REQUEST-ID` of the original request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// `namespace`: the object extension namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `payloadType`: the name of the payload's top-level type in the XSDs.
    pub payload_type: String,
    /// `phase`: the extension point, e.g. `urn:extensionPoint:vm:create`.
    pub phase: String,
    /// `payload`: JSON-encoded payload of type `payloadType`.
    pub payload: String,
    /// `correlationId`: message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// `expectedResponsePayloadType`: the payload type expected in the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_response_payload_type: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(HalfDuplexEnvelope {
    client_request_id: "clientRequestId" opt,
    namespace: "namespace" opt,
    payload_type: "payloadType" req,
    phase: "phase" req,
    payload: "payload" req,
    correlation_id: "correlationId" opt,
    expected_response_payload_type: "expectedResponsePayloadType" opt,
});

/// `ErrorMessageEnvelope`: the last exchange failed; `payload` is that of the failed message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorMessageEnvelope {
    /// `clientRequestId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// `namespace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `payloadType`.
    pub payload_type: String,
    /// `phase`.
    pub phase: String,
    /// `payload`: the payload of the failed message.
    pub payload: String,
    /// `correlationIdRef`: the id of the message which failed.
    pub correlation_id_ref: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ErrorMessageEnvelope {
    client_request_id: "clientRequestId" opt,
    namespace: "namespace" opt,
    payload_type: "payloadType" req,
    phase: "phase" req,
    payload: "payload" req,
    correlation_id_ref: "correlationIdRef" req,
});

impl<'de> Deserialize<'de> for ObjectExtensionEnvelope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        ObjectExtensionEnvelope::from_value_at(&v, "").map_err(|e| {
            if e.path().is_empty() {
                serde::de::Error::custom(e.message())
            } else {
                serde::de::Error::custom(format_args!("{}: {}", e.path(), e.message()))
            }
        })
    }
}

impl ObjectExtensionEnvelope {
    /// Decodes an envelope from JSON text on its own (paths relative to it).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        Self::from_json_at(json, "")
    }

    /// Decodes an envelope from JSON text found at JSON path `at` (error paths start there).
    pub(crate) fn from_json_at(json: &str, at: &str) -> Result<Self, Error> {
        let v: Value = from_json_str(Layer::ObjectExtensionEnvelope, at, json)?;
        Self::from_value_at(&v, at)
    }

    /// Decodes an envelope from a JSON value found at JSON path `at`.
    pub(crate) fn from_value_at(v: &Value, at: &str) -> Result<Self, Error> {
        const L: Layer = Layer::ObjectExtensionEnvelope;
        let Some(obj) = v.as_object() else {
            return Err(Error::new(
                L,
                at,
                format!("expected an object, found {}", crate::message::json_kind(v)),
            ));
        };
        let tag_path = crate::error::join(at, "envelopeType");
        match obj.get("envelopeType") {
            None => Err(Error::new(L, tag_path, "missing field")),
            Some(Value::String(t)) if t == "HalfDuplexEnvelope" => {
                let mut e: HalfDuplexEnvelope = from_json_value(L, at, v)?;
                e.extra.remove("envelopeType");
                Ok(ObjectExtensionEnvelope::HalfDuplexEnvelope(e))
            }
            Some(Value::String(t)) if t == "ErrorMessageEnvelope" => {
                let mut e: ErrorMessageEnvelope = from_json_value(L, at, v)?;
                e.extra.remove("envelopeType");
                Ok(ObjectExtensionEnvelope::ErrorMessageEnvelope(e))
            }
            Some(Value::String(t)) => Err(Error::new(
                L,
                tag_path,
                format!("unknown envelopeType {t:?}, expected \"HalfDuplexEnvelope\" or \"ErrorMessageEnvelope\""),
            )),
            Some(other) => Err(Error::new(
                L,
                tag_path,
                format!("expected a string, found {}", crate::message::json_kind(other)),
            )),
        }
    }

    /// Encodes as JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        to_json_string(self)
    }

    /// `envelopeType`.
    pub fn envelope_type(&self) -> &'static str {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(_) => "HalfDuplexEnvelope",
            ObjectExtensionEnvelope::ErrorMessageEnvelope(_) => "ErrorMessageEnvelope",
        }
    }
    /// `payloadType`.
    pub fn payload_type(&self) -> &str {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => &e.payload_type,
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => &e.payload_type,
        }
    }
    /// `phase`.
    pub fn phase(&self) -> &str {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => &e.phase,
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => &e.phase,
        }
    }
    /// The raw `payload` JSON text.
    pub fn payload_json(&self) -> &str {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => &e.payload,
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => &e.payload,
        }
    }
    /// `correlationId` of a half-duplex envelope, `correlationIdRef` of an error envelope.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => e.correlation_id.as_deref(),
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => Some(&e.correlation_id_ref),
        }
    }
    /// `clientRequestId`.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => e.client_request_id.as_deref(),
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => e.client_request_id.as_deref(),
        }
    }
    /// `namespace`.
    pub fn namespace(&self) -> Option<&str> {
        match self {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(e) => e.namespace.as_deref(),
            ObjectExtensionEnvelope::ErrorMessageEnvelope(e) => e.namespace.as_deref(),
        }
    }

    /// Decodes `payload` by `payloadType` ([`Layer::ObjectExtensionPayload`]); error paths start
    /// at `payload` (relative to the envelope; [`Error::with_prefix`] places them in a message).
    pub fn payload(&self) -> Result<ObjectExtensionPayload, Error> {
        ObjectExtensionPayload::decode(self.payload_type(), self.payload_json())
            .map_err(|e| e.with_prefix("payload"))
    }

    /// The `HalfDuplexEnvelope` answering this one with `payload`: `correlationId` (or
    /// `correlationIdRef`), `phase`, `clientRequestId` and `namespace` copied over, `payloadType`
    /// set from the payload.
    pub fn reply(&self, payload: &ObjectExtensionPayload) -> Result<HalfDuplexEnvelope, Error> {
        Ok(HalfDuplexEnvelope {
            client_request_id: self.client_request_id().map(str::to_owned),
            namespace: self.namespace().map(str::to_owned),
            payload_type: payload.payload_type().to_owned(),
            phase: self.phase().to_owned(),
            payload: payload.to_json()?,
            correlation_id: self.correlation_id().map(str::to_owned),
            expected_response_payload_type: None,
            extra: Extra::new(),
        })
    }
}

/// `Echo`: the payload of the echo test resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Echo {
    /// `message`.
    pub message: String,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(Echo {
    message: "message" req,
});

impl Echo {
    /// An echo payload.
    pub fn new(message: impl Into<String>) -> Self {
        Echo {
            message: message.into(),
            extra: Extra::new(),
        }
    }
}

/// `ExtensionErrorMessage`: an extension fails a blocking phase with this payload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionErrorMessage {
    /// `message`: one line, human-readable.
    pub message: String,
    /// `majorErrorCode`: the class of the error.
    pub major_error_code: i32,
    /// `minorErrorCode`: resource-specific error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_error_code: Option<String>,
    /// `vendorSpecificErrorCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_specific_error_code: Option<String>,
    /// `errorStackTrace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_stack_trace: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ExtensionErrorMessage {
    message: "message" req,
    major_error_code: "majorErrorCode" req,
    minor_error_code: "minorErrorCode" opt,
    vendor_specific_error_code: "vendorSpecificErrorCode" opt,
    error_stack_trace: "errorStackTrace" opt,
});

impl ExtensionErrorMessage {
    /// An error payload with `message` and `majorErrorCode`.
    pub fn new(message: impl Into<String>, major_error_code: i32) -> Self {
        ExtensionErrorMessage {
            message: message.into(),
            major_error_code,
            ..Default::default()
        }
    }
}

macro_rules! payloads {
    ($($name:ident),* $(,)?) => {
        /// The payload of an object-extension envelope, decoded by `payloadType`.
        ///
        /// Types defined by the bundled XSDs (`extensibility-core.xsd`, `network.xsd`) are typed;
        /// any other `payloadType` (e.g. the placement and provisioning phases, whose XSDs are
        /// not bundled) is kept as JSON in [`ObjectExtensionPayload::Other`].
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ObjectExtensionPayload {
            $(
                #[doc = concat!("`", stringify!($name), "`.")]
                $name($name),
            )*
            /// Any other payload type, as JSON.
            Other {
                /// `payloadType`.
                payload_type: String,
                /// The decoded payload JSON.
                json: Value,
            },
        }

        impl ObjectExtensionPayload {
            /// The `payloadType` names with a typed model.
            pub const TYPED: &'static [&'static str] = &[$(stringify!($name)),*];

            /// The `payloadType` of this payload.
            pub fn payload_type(&self) -> &str {
                match self {
                    $(ObjectExtensionPayload::$name(_) => stringify!($name),)*
                    ObjectExtensionPayload::Other { payload_type, .. } => payload_type,
                }
            }

            /// Decodes payload JSON `json` of type `payload_type` (paths relative to the payload).
            pub fn decode(payload_type: &str, json: &str) -> Result<Self, Error> {
                const L: Layer = Layer::ObjectExtensionPayload;
                Ok(match payload_type {
                    $(stringify!($name) => ObjectExtensionPayload::$name(from_json_str(L, "", json)?),)*
                    other => ObjectExtensionPayload::Other {
                        payload_type: other.to_owned(),
                        json: from_json_str(L, "", json)?,
                    },
                })
            }

            /// Encodes the payload as JSON text (the envelope's `payload` string).
            pub fn to_json(&self) -> Result<String, Error> {
                match self {
                    $(ObjectExtensionPayload::$name(p) => to_json_string(p),)*
                    ObjectExtensionPayload::Other { json, .. } => to_json_string(json),
                }
            }

            /// The payload as a JSON value.
            pub fn to_value(&self) -> Value {
                match self {
                    $(ObjectExtensionPayload::$name(p) => serde_json::to_value(p).unwrap_or(Value::Null),)*
                    ObjectExtensionPayload::Other { json, .. } => json.clone(),
                }
            }

            /// The JSON Schema of each typed payload, by `payloadType`.
            pub fn schemas() -> Vec<(&'static str, schemars::Schema)> {
                vec![$((stringify!($name), schemars::schema_for!($name)),)*]
            }
        }

        $(
            impl From<$name> for ObjectExtensionPayload {
                fn from(p: $name) -> Self {
                    ObjectExtensionPayload::$name(p)
                }
            }
        )*
    };
}

payloads!(
    Echo,
    ExtensionErrorMessage,
    ResolveNetworksBackingRequest,
    ResolveNetworksBackingResponse,
    NetworkCreationRequest,
    NetworkCreationResponse,
    NetworkDeletionRequest,
    NetworkDeletionResponse,
    CreateTransportZoneRequest,
    CreateTransportZoneResponse,
    UpdateTransportZoneRequest,
    UpdateTransportZoneResponse,
    DeleteTransportZoneRequest,
    DeleteTransportZoneResponse,
    MergeTransportZonesRequest,
    MergeTransportZonesResponse,
);
