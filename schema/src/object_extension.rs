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

fn not_an_object(v: &Value, at: &str) -> Error {
    Error::new(
        Layer::ObjectExtensionEnvelope,
        at,
        format!("expected an object, found {}", crate::message::json_kind(v)),
    )
}

/// Every member of either envelope type, read in one pass straight from the JSON (text or
/// value) without an intermediate `serde_json::Value` of the whole envelope; the variant named
/// by `envelopeType` is assembled from it afterwards ([`EnvelopeParts::into_envelope`]).
///
/// Members that only one variant knows (`correlationId`, `expectedResponsePayloadType`,
/// `correlationIdRef`) are read as any JSON: for the other variant they are unknown members and
/// go to its `extra` unchanged. Required members are `Option<Option<String>>` so that `null`
/// (`Some(None)`) is told apart from absent (`None`).
#[derive(Debug, Default, PartialEq)]
struct EnvelopeParts {
    envelope_type: Option<Value>,
    client_request_id: Option<String>,
    namespace: Option<String>,
    payload_type: Option<Option<String>>,
    phase: Option<Option<String>>,
    payload: Option<Option<String>>,
    correlation_id: Option<Value>,
    expected_response_payload_type: Option<Value>,
    correlation_id_ref: Option<Value>,
    extra: Extra,
}

deserialize_model!(EnvelopeParts {
    envelope_type: "envelopeType" present,
    client_request_id: "clientRequestId" opt,
    namespace: "namespace" opt,
    payload_type: "payloadType" present,
    phase: "phase" present,
    payload: "payload" present,
    correlation_id: "correlationId" present,
    expected_response_payload_type: "expectedResponsePayloadType" present,
    correlation_id_ref: "correlationIdRef" present,
});

/// The string member at `text[i]` into `slot` (which must be empty); `None` gives up.
fn scan_string(text: &str, i: usize, slot: &mut Option<String>) -> Option<usize> {
    if slot.is_some() {
        return None;
    }
    let (s, end) = crate::scan::string(text, i)?;
    *slot = Some(s.into_owned());
    Some(end)
}

impl EnvelopeParts {
    /// Reads `text` with the hand-written scanner of [`crate::scan`] (string members copied
    /// once, no `serde_json` pass), when every known member is a string and no member repeats;
    /// else `None` and the caller decodes with `serde_json`, which reports any error.
    fn scan(text: &str) -> Option<Self> {
        let mut p = EnvelopeParts::default();
        let (mut payload_type, mut phase, mut payload) = (None, None, None);
        let (mut tag, mut correlation_id, mut expected, mut correlation_id_ref) =
            (None, None, None, None);
        crate::scan::walk_object(text, |key, i| match &*key {
            "envelopeType" => scan_string(text, i, &mut tag),
            "clientRequestId" => scan_string(text, i, &mut p.client_request_id),
            "namespace" => scan_string(text, i, &mut p.namespace),
            "payloadType" => scan_string(text, i, &mut payload_type),
            "phase" => scan_string(text, i, &mut phase),
            "payload" => scan_string(text, i, &mut payload),
            "correlationId" => scan_string(text, i, &mut correlation_id),
            "expectedResponsePayloadType" => scan_string(text, i, &mut expected),
            "correlationIdRef" => scan_string(text, i, &mut correlation_id_ref),
            _ => {
                if p.extra.contains_key(&*key) {
                    return None;
                }
                let (v, end) = crate::scan::value(text, i)?;
                p.extra.insert(key.into_owned(), v);
                Some(end)
            }
        })?;
        p.envelope_type = tag.map(Value::String);
        p.payload_type = payload_type.map(Some);
        p.phase = phase.map(Some);
        p.payload = payload.map(Some);
        p.correlation_id = correlation_id.map(Value::String);
        p.expected_response_payload_type = expected.map(Value::String);
        p.correlation_id_ref = correlation_id_ref.map(Value::String);
        Some(p)
    }
}

impl EnvelopeParts {
    /// Builds the variant named by `envelopeType`; error paths start at `at`.
    fn into_envelope(self, at: &str) -> Result<ObjectExtensionEnvelope, Error> {
        const L: Layer = Layer::ObjectExtensionEnvelope;
        let EnvelopeParts {
            envelope_type,
            client_request_id,
            namespace,
            payload_type,
            phase,
            payload,
            correlation_id,
            expected_response_payload_type,
            correlation_id_ref,
            mut extra,
        } = self;
        let error =
            |name: &str, message: String| Error::new(L, crate::error::join(at, name), message);
        let required = |name: &str, v: Option<Option<String>>| match v {
            Some(Some(s)) => Ok(s),
            Some(None) => Err(error(name, "invalid type: null, expected a string".into())),
            None => Err(error(name, "missing field".into())),
        };
        let string = |name: &str, v: Value| match v {
            Value::String(s) => Ok(s),
            other => Err(error(
                name,
                format!(
                    "invalid type: {}, expected a string",
                    crate::message::json_kind(&other)
                ),
            )),
        };
        let optional = |name: &str, v: Option<Value>| match v {
            None | Some(Value::Null) => Ok(None),
            Some(v) => string(name, v).map(Some),
        };
        let mut keep = |name: &str, v: Option<Value>| {
            if let Some(v) = v {
                extra.insert(name.to_owned(), v);
            }
        };
        match envelope_type {
            Some(Value::String(t)) if t == "HalfDuplexEnvelope" => {
                keep("correlationIdRef", correlation_id_ref);
                let envelope = HalfDuplexEnvelope {
                    client_request_id,
                    namespace,
                    payload_type: required("payloadType", payload_type)?,
                    phase: required("phase", phase)?,
                    payload: required("payload", payload)?,
                    correlation_id: optional("correlationId", correlation_id)?,
                    expected_response_payload_type: optional(
                        "expectedResponsePayloadType",
                        expected_response_payload_type,
                    )?,
                    extra,
                };
                Ok(ObjectExtensionEnvelope::HalfDuplexEnvelope(envelope))
            }
            Some(Value::String(t)) if t == "ErrorMessageEnvelope" => {
                keep("correlationId", correlation_id);
                keep("expectedResponsePayloadType", expected_response_payload_type);
                let envelope = ErrorMessageEnvelope {
                    client_request_id,
                    namespace,
                    payload_type: required("payloadType", payload_type)?,
                    phase: required("phase", phase)?,
                    payload: required("payload", payload)?,
                    correlation_id_ref: match correlation_id_ref {
                        Some(v) => string("correlationIdRef", v)?,
                        None => return Err(error("correlationIdRef", "missing field".into())),
                    },
                    extra,
                };
                Ok(ObjectExtensionEnvelope::ErrorMessageEnvelope(envelope))
            }
            None => Err(error("envelopeType", "missing field".into())),
            Some(Value::String(t)) => Err(error(
                "envelopeType",
                format!("unknown envelopeType {t:?}, expected \"HalfDuplexEnvelope\" or \"ErrorMessageEnvelope\""),
            )),
            Some(other) => Err(error(
                "envelopeType",
                format!("expected a string, found {}", crate::message::json_kind(&other)),
            )),
        }
    }
}

impl<'de> Deserialize<'de> for ObjectExtensionEnvelope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        EnvelopeParts::deserialize(d)?
            .into_envelope("")
            .map_err(|e| {
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

    /// Decodes an envelope from JSON text found at JSON path `at` (error paths start there):
    /// one pass over the text into [`EnvelopeParts`], no intermediate `Value`.
    pub(crate) fn from_json_at(json: &str, at: &str) -> Result<Self, Error> {
        const L: Layer = Layer::ObjectExtensionEnvelope;
        if let Some(parts) = EnvelopeParts::scan(json) {
            return parts.into_envelope(at);
        }
        match from_json_str::<EnvelopeParts>(L, at, json) {
            Ok(parts) => parts.into_envelope(at),
            Err(e) => match serde_json::from_str::<Value>(json) {
                // Valid JSON, but not an object: say what it is.
                Ok(v) if !v.is_object() => Err(not_an_object(&v, at)),
                _ => Err(e),
            },
        }
    }

    /// Decodes an envelope from a JSON value found at JSON path `at` (strings are copied out of
    /// it once, no intermediate model).
    pub(crate) fn from_value_at(v: &Value, at: &str) -> Result<Self, Error> {
        if !v.is_object() {
            return Err(not_an_object(v, at));
        }
        from_json_value::<EnvelopeParts>(Layer::ObjectExtensionEnvelope, at, v)?.into_envelope(at)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner's parts equal serde_json's whenever it gives an answer.
    #[test]
    fn scanned_parts_equal_serde_parts() {
        let texts = [
            r#"{"envelopeType":"HalfDuplexEnvelope","payloadType":"Echo","phase":"p","payload":"{\"message\": \"hi\"}","correlationId":"c","x":[1,{"y":null}]}"#,
            r#" { "envelopeType" : "ErrorMessageEnvelope" , "payloadType":"E","phase":"p","payload":"","correlationIdRef":"r","expectedResponsePayloadType":"x" } "#,
            r#"{"clientRequestId":"a","namespace":"n","envelopeType":"Simplex"}"#,
            r#"{"payloadType":null}"#,
            r#"{"payloadType":1}"#,
            r#"{"phase":"a","phase":"b"}"#,
            r#"{"x":1,"x":2}"#,
            r#"{"payload":"\u0041"}"#,
            r#"{}"#,
            r#"[]"#,
            r#"{"a":1,}"#,
        ];
        let mut scanned = 0;
        for text in texts {
            let serde: Result<EnvelopeParts, _> = serde_json::from_str(text);
            if let Some(parts) = EnvelopeParts::scan(text) {
                scanned += 1;
                assert_eq!(Some(&parts), serde.as_ref().ok(), "{text}");
            }
        }
        assert_eq!(scanned, 4);
    }
}
