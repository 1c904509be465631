//! The outer envelope `{type, headers, payload}` of every PUBLISH payload.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

use crate::error::{from_json_str, to_json_string, Error, Layer};
use crate::util::{BorrowedStr, Extra};

/// The `type` member of the envelope: the eight documented kinds, or the name of an unknown one.
///
/// ```
/// use vcd_mqtt_schema::MessageType;
/// assert_eq!(MessageType::from_name("EVENT"), MessageType::Event);
/// assert_eq!(MessageType::from_name("NEW_KIND").as_str(), "NEW_KIND");
/// assert!(MessageType::Task.is_notification());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageType<'a> {
    /// `EVENT`: a notification.
    Event,
    /// `EXTERNAL_EVENT`: a notification published by an external system.
    ExternalEvent,
    /// `TASK`: a task notification.
    Task,
    /// `EXTENSION_TASK`: an extension task notification.
    ExtensionTask,
    /// `API_REQUEST`: an API extensibility request (Cloud Director -> extension).
    ApiRequest,
    /// `API_RESPONSE`: an API extensibility response (extension -> Cloud Director).
    ApiResponse,
    /// `BEHAVIOR_INVOCATION`: an RDE behavior invocation (Cloud Director -> extension).
    BehaviorInvocation,
    /// `BEHAVIOR_RESPONSE`: the answer to a behavior invocation (extension -> Cloud Director).
    BehaviorResponse,
    /// Any other type name, kept as written. Consumers should skip such messages.
    Unknown(Cow<'a, str>),
}

impl<'a> MessageType<'a> {
    /// The eight documented kinds.
    pub const KNOWN: [MessageType<'static>; 8] = [
        MessageType::Event,
        MessageType::ExternalEvent,
        MessageType::Task,
        MessageType::ExtensionTask,
        MessageType::ApiRequest,
        MessageType::ApiResponse,
        MessageType::BehaviorInvocation,
        MessageType::BehaviorResponse,
    ];

    /// Classifies a type name (case-sensitive, as Cloud Director writes them).
    pub fn from_name(name: impl Into<Cow<'a, str>>) -> Self {
        let name = name.into();
        match &*name {
            "EVENT" => MessageType::Event,
            "EXTERNAL_EVENT" => MessageType::ExternalEvent,
            "TASK" => MessageType::Task,
            "EXTENSION_TASK" => MessageType::ExtensionTask,
            "API_REQUEST" => MessageType::ApiRequest,
            "API_RESPONSE" => MessageType::ApiResponse,
            "BEHAVIOR_INVOCATION" => MessageType::BehaviorInvocation,
            "BEHAVIOR_RESPONSE" => MessageType::BehaviorResponse,
            _ => MessageType::Unknown(name),
        }
    }

    /// The name as written in the `type` member.
    pub fn as_str(&self) -> &str {
        match self {
            MessageType::Event => "EVENT",
            MessageType::ExternalEvent => "EXTERNAL_EVENT",
            MessageType::Task => "TASK",
            MessageType::ExtensionTask => "EXTENSION_TASK",
            MessageType::ApiRequest => "API_REQUEST",
            MessageType::ApiResponse => "API_RESPONSE",
            MessageType::BehaviorInvocation => "BEHAVIOR_INVOCATION",
            MessageType::BehaviorResponse => "BEHAVIOR_RESPONSE",
            MessageType::Unknown(name) => name,
        }
    }

    /// `true` for the notification kinds `EVENT`, `EXTERNAL_EVENT`, `TASK`, `EXTENSION_TASK`.
    pub fn is_notification(&self) -> bool {
        matches!(
            self,
            MessageType::Event
                | MessageType::ExternalEvent
                | MessageType::Task
                | MessageType::ExtensionTask
        )
    }

    /// `true` for a type this crate does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, MessageType::Unknown(_))
    }

    /// Detaches from the input buffer.
    pub fn into_owned(self) -> MessageType<'static> {
        match self {
            MessageType::Unknown(n) => MessageType::Unknown(Cow::Owned(n.into_owned())),
            MessageType::Event => MessageType::Event,
            MessageType::ExternalEvent => MessageType::ExternalEvent,
            MessageType::Task => MessageType::Task,
            MessageType::ExtensionTask => MessageType::ExtensionTask,
            MessageType::ApiRequest => MessageType::ApiRequest,
            MessageType::ApiResponse => MessageType::ApiResponse,
            MessageType::BehaviorInvocation => MessageType::BehaviorInvocation,
            MessageType::BehaviorResponse => MessageType::BehaviorResponse,
        }
    }
}

impl fmt::Display for MessageType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MessageType<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MessageType<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BorrowedStr::deserialize(d).map(|s| MessageType::from_name(s.0))
    }
}

impl JsonSchema for MessageType<'_> {
    fn schema_name() -> Cow<'static, str> {
        "MessageType".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The message kind. The eight documented kinds are listed; any other string is an unknown kind that consumers skip.",
            "type": "string",
            "examples": ["EVENT", "EXTERNAL_EVENT", "TASK", "EXTENSION_TASK", "API_REQUEST", "API_RESPONSE", "BEHAVIOR_INVOCATION", "BEHAVIOR_RESPONSE"]
        })
    }
}

/// A JSON value kept as its exact text (borrowed from the input when decoded).
#[derive(Clone)]
pub struct RawJson<'a>(Cow<'a, RawValue>);

impl<'a> RawJson<'a> {
    /// Wraps borrowed raw JSON.
    pub fn borrowed(raw: &'a RawValue) -> Self {
        RawJson(Cow::Borrowed(raw))
    }
    /// Serializes `value` into raw JSON.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<RawJson<'static>, Error> {
        serde_json::value::to_raw_value(value)
            .map(|b| RawJson(Cow::Owned(b)))
            .map_err(|e| Error::new(Layer::Encode, "", e.to_string()))
    }
    /// Parses and keeps JSON text.
    pub fn from_string(json: String) -> Result<RawJson<'static>, Error> {
        RawValue::from_string(json)
            .map(|b| RawJson(Cow::Owned(b)))
            .map_err(|e| Error::new(Layer::Encode, "", e.to_string()))
    }
    /// The JSON text.
    pub fn get(&self) -> &str {
        self.0.get()
    }
    /// `true` if the value is the literal `null`.
    pub fn is_null(&self) -> bool {
        self.get() == "null"
    }
    /// Parses the text into a [`serde_json::Value`].
    pub fn to_value(&self) -> serde_json::Value {
        // Raw JSON is valid by construction.
        serde_json::from_str(self.get()).unwrap_or(serde_json::Value::Null)
    }
    /// Detaches from the input buffer.
    pub fn into_owned(self) -> RawJson<'static> {
        RawJson(Cow::Owned(self.0.into_owned()))
    }
}

impl PartialEq for RawJson<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for RawJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl JsonSchema for RawJson<'_> {
    fn schema_name() -> Cow<'static, str> {
        "AnyJson".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "description": "Any JSON value, kept as written." })
    }
}

/// The envelope of every message on the bus: `{type, headers, payload}` plus the API members
/// `httpRequest`, `httpResponse` and `linkApiBaseUrl`, decoded from the PUBLISH payload bytes.
///
/// Strings borrow from the input where they hold no escapes; `headers` and the byte members stay
/// raw JSON until a typed body is asked for ([`Message::body`] and the per-kind accessors). Unknown
/// members, a non-string `payload` and members of unexpected JSON types are kept in `extra`, so
/// [`Message::to_vec`] writes back an equal JSON document.
///
/// ```
/// use vcd_mqtt_schema::{Message, MessageType};
/// let msg = Message::from_slice(br#"{"type":"SOMETHING_NEW","headers":null,"payload":"x","more":1}"#)?;
/// assert_eq!(msg.kind, MessageType::Unknown("SOMETHING_NEW".into()));
/// assert!(msg.headers.as_ref().unwrap().is_null());
/// assert_eq!(msg.payload.as_deref(), Some("x"));
/// assert_eq!(msg.extra["more"], 1);
/// let back: serde_json::Value = serde_json::from_slice(&msg.to_vec()?)?;
/// assert_eq!(back, serde_json::json!({"type":"SOMETHING_NEW","headers":null,"payload":"x","more":1}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(
    title = "Message",
    description = "The envelope of every PUBLISH payload on the VCD message bus."
)]
pub struct Message<'a> {
    /// `type`: the message kind.
    #[serde(rename = "type")]
    pub kind: MessageType<'a>,
    /// `headers`, raw (absent = `None`, `null` is kept as raw `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<RawJson<'a>>,
    /// `payload` when it is a string (JSON or XML text encoded once more, or plain text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload: Option<Cow<'a, str>>,
    /// `httpRequest` of an `API_REQUEST`, raw (base64 string or array of numbers).
    #[serde(rename = "httpRequest", skip_serializing_if = "Option::is_none")]
    pub http_request: Option<RawJson<'a>>,
    /// `httpResponse` of an `API_RESPONSE`, raw.
    #[serde(rename = "httpResponse", skip_serializing_if = "Option::is_none")]
    pub http_response: Option<RawJson<'a>>,
    /// `linkApiBaseUrl` of an `API_REQUEST`.
    #[serde(rename = "linkApiBaseUrl", skip_serializing_if = "Option::is_none")]
    pub link_api_base_url: Option<Cow<'a, str>>,
    /// Every other member, kept as written.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'a> Message<'a> {
    /// A message of `kind` with nothing else set.
    pub fn new(kind: MessageType<'a>) -> Self {
        Message {
            kind,
            headers: None,
            payload: None,
            http_request: None,
            http_response: None,
            link_api_base_url: None,
            extra: Extra::new(),
        }
    }

    /// Decodes the envelope from PUBLISH payload bytes, borrowing from them.
    ///
    /// Fails only when the bytes are not a JSON object, a member appears twice, or `type` is
    /// missing or not a string ([`Layer::Envelope`]).
    pub fn from_slice(bytes: &'a [u8]) -> Result<Self, Error> {
        match core::str::from_utf8(bytes) {
            // Validating the whole text once is cheaper than validating each string.
            Ok(text) => Self::from_json(text),
            // serde_json names the offending position.
            Err(_) => Self::decode(serde_json::Deserializer::from_slice(bytes)),
        }
    }

    /// Decodes the envelope from JSON text, borrowing from it.
    pub fn from_json(text: &'a str) -> Result<Self, Error> {
        // The hand-written scanner takes the common case; whatever it does not accept is
        // decoded (and any error reported) by serde_json.
        match crate::scan::message(text) {
            Some(msg) => Ok(msg),
            None => Self::from_json_serde(text),
        }
    }

    /// [`Message::from_json`] through `serde_json` only.
    pub(crate) fn from_json_serde(text: &'a str) -> Result<Self, Error> {
        Self::decode(serde_json::Deserializer::from_str(text))
    }

    fn decode<R: serde_json::de::Read<'a>>(
        mut de: serde_json::Deserializer<R>,
    ) -> Result<Self, Error> {
        let msg = Message::deserialize(&mut de).map_err(envelope_error)?;
        de.end()
            .map_err(|e| Error::new(Layer::Envelope, "", e.to_string()))?;
        Ok(msg)
    }

    /// Encodes the envelope as JSON bytes (the PUBLISH payload).
    pub fn to_vec(&self) -> Result<Vec<u8>, Error> {
        serde_json::to_vec(self).map_err(|e| Error::new(Layer::Encode, "", e.to_string()))
    }

    /// Encodes the envelope as JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        to_json_string(self)
    }

    /// Detaches the message from the input buffer.
    pub fn into_owned(self) -> Message<'static> {
        Message {
            kind: self.kind.into_owned(),
            headers: self.headers.map(RawJson::into_owned),
            payload: self.payload.map(|p| Cow::Owned(p.into_owned())),
            http_request: self.http_request.map(RawJson::into_owned),
            http_response: self.http_response.map(RawJson::into_owned),
            link_api_base_url: self.link_api_base_url.map(|p| Cow::Owned(p.into_owned())),
            extra: self.extra,
        }
    }

    /// The raw `headers` text, `"null"` when absent.
    pub fn headers_json(&self) -> &str {
        self.headers.as_ref().map_or("null", RawJson::get)
    }

    /// Decodes `headers` into `H` (absent or `null` headers give `H::default()`).
    pub fn headers_as<'m, H>(&'m self, layer: Layer) -> Result<H, Error>
    where
        H: Deserialize<'m> + Default,
    {
        let h: Option<H> = from_json_str(layer, "headers", self.headers_json())?;
        Ok(h.unwrap_or_default())
    }

    /// The `payload` string, or an error naming the layer when it is absent or not a string.
    pub fn payload_str(&self) -> Result<&str, Error> {
        match &self.payload {
            Some(p) => Ok(p),
            None => match self.extra.get("payload") {
                Some(v) => Err(Error::new(
                    Layer::Envelope,
                    "payload",
                    format!("expected a string, found {}", json_kind(v)),
                )),
                None => Err(Error::new(Layer::Envelope, "payload", "missing field")),
            },
        }
    }
}

pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Errors raised by the hand-written envelope visitor carry "PATH\u{0}MESSAGE".
fn envelope_error(e: serde_json::Error) -> Error {
    let text = e.to_string();
    if let Some((path, rest)) = text.split_once('\u{0}') {
        let msg = match rest.rfind(" at line ") {
            Some(i) => &rest[..i],
            None => rest,
        };
        Error::new(Layer::Envelope, path, msg.to_string())
    } else {
        Error::new(Layer::Envelope, "", text)
    }
}

fn located<E: de::Error>(path: &str, msg: impl fmt::Display) -> E {
    E::custom(format_args!("{path}\u{0}{msg}"))
}

impl<'de> Deserialize<'de> for Message<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Message<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message envelope object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Message<'de>, A::Error> {
                let mut kind: Option<MessageType<'de>> = None;
                let mut msg = Message::new(MessageType::Event);
                while let Some(key) = map.next_key::<BorrowedStr<'de>>()? {
                    let key = key.0;
                    let dup = |present: bool| -> Result<(), A::Error> {
                        if present {
                            Err(located(&key, "duplicate field"))
                        } else {
                            Ok(())
                        }
                    };
                    let raw = |map: &mut A| -> Result<RawJson<'de>, A::Error> {
                        map.next_value::<&'de RawValue>()
                            .map(RawJson::borrowed)
                            .map_err(|e| located(&key, e))
                    };
                    match &*key {
                        "type" => {
                            dup(kind.is_some())?;
                            let s: BorrowedStr<'de> = map
                                .next_value()
                                .map_err(|_| located::<A::Error>("type", "expected a string"))?;
                            kind = Some(MessageType::from_name(s.0));
                        }
                        "headers" => {
                            dup(msg.headers.is_some())?;
                            msg.headers = Some(raw(&mut map)?);
                        }
                        "httpRequest" => {
                            dup(msg.http_request.is_some())?;
                            msg.http_request = Some(raw(&mut map)?);
                        }
                        "httpResponse" => {
                            dup(msg.http_response.is_some())?;
                            msg.http_response = Some(raw(&mut map)?);
                        }
                        "payload" | "linkApiBaseUrl" => {
                            let slot = if &*key == "payload" {
                                &mut msg.payload
                            } else {
                                &mut msg.link_api_base_url
                            };
                            dup(slot.is_some() || msg.extra.contains_key(&*key))?;
                            // A string goes to its field; anything else is kept in `extra`.
                            // Taken raw and unescaped here: `payload` is a long string full of
                            // escaped quotes, which `scan::string` decodes in one pass.
                            let raw: &'de str = map
                                .next_value::<&'de RawValue>()
                                .map_err(|e| located::<A::Error>(&key, e))?
                                .get();
                            match crate::scan::string(raw, 0) {
                                Some((s, _)) => *slot = Some(s),
                                // `\u` escapes: serde_json decodes them (or names the error).
                                None if raw.starts_with('"') => {
                                    let s: String = serde_json::from_str(raw)
                                        .map_err(|e| located::<A::Error>(&key, e))?;
                                    *slot = Some(Cow::Owned(s));
                                }
                                None => {
                                    let v = serde_json::from_str(raw)
                                        .map_err(|e| located::<A::Error>(&key, e))?;
                                    msg.extra.insert(key.into_owned(), v);
                                }
                            }
                        }
                        _ => {
                            dup(msg.extra.contains_key(&*key))?;
                            let v: serde_json::Value =
                                map.next_value().map_err(|e| located::<A::Error>(&key, e))?;
                            msg.extra.insert(key.into_owned(), v);
                        }
                    }
                }
                msg.kind = kind.ok_or_else(|| located::<A::Error>("type", "missing field"))?;
                Ok(msg)
            }
        }
        d.deserialize_map(V)
    }
}
