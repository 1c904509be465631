//! The one error type of this crate: which layer failed, where (JSON path) and why.

use core::fmt;
use std::borrow::Cow;

/// The nested layer of a VCD message in which decoding (or encoding) failed.
///
/// A PUBLISH payload holds several documents inside one another (a JSON string inside a JSON
/// string inside …); the layer says which of them was being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Layer {
    /// The outer `{type, headers, payload}` envelope (the PUBLISH payload itself).
    Envelope,
    /// `headers` of a `BEHAVIOR_INVOCATION`.
    InvocationHeaders,
    /// The `InvocationArguments` JSON inside the `payload` string of a `BEHAVIOR_INVOCATION`.
    InvocationArguments,
    /// The object-extension `HalfDuplexEnvelope` / `ErrorMessageEnvelope`.
    ObjectExtensionEnvelope,
    /// The payload of an object-extension envelope, decoded by `payloadType`.
    ObjectExtensionPayload,
    /// `headers` of a `BEHAVIOR_RESPONSE`.
    BehaviorResponseHeaders,
    /// The task update JSON of a `BEHAVIOR_RESPONSE`.
    TaskUpdate,
    /// `headers` of an `API_REQUEST`.
    ApiRequestHeaders,
    /// The `httpRequest` member of an `API_REQUEST` (bytes and the JSON they hold).
    ApiRequest,
    /// `headers` or `httpResponse` of an `API_RESPONSE`.
    ApiResponse,
    /// `headers` of a notification (`EVENT`, `EXTERNAL_EVENT`, `TASK`, `EXTENSION_TASK`).
    NotificationHeaders,
    /// A notification in its JSON form.
    NotificationJson,
    /// A notification in its XML form.
    NotificationXml,
    /// An extension-service triplet, topic, user name or host.
    Topic,
    /// Writing a message (JSON serialization or PUBLISH encoding).
    Encode,
}

impl Layer {
    /// A short lower-case name of the layer, as used in [`Error`]'s `Display`.
    pub const fn name(self) -> &'static str {
        match self {
            Layer::Envelope => "envelope",
            Layer::InvocationHeaders => "invocation headers",
            Layer::InvocationArguments => "invocation arguments",
            Layer::ObjectExtensionEnvelope => "object-extension envelope",
            Layer::ObjectExtensionPayload => "object-extension payload",
            Layer::BehaviorResponseHeaders => "behavior response headers",
            Layer::TaskUpdate => "task update",
            Layer::ApiRequestHeaders => "api request headers",
            Layer::ApiRequest => "api request",
            Layer::ApiResponse => "api response",
            Layer::NotificationHeaders => "notification headers",
            Layer::NotificationJson => "notification json",
            Layer::NotificationXml => "notification xml",
            Layer::Topic => "topic",
            Layer::Encode => "encode",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A decode or encode failure: the [`Layer`], the JSON path of the failing field and the reason.
///
/// `path` is written from the root of the MQTT message where the failing call knows its position
/// (everything reached from [`crate::Message`]), e.g. `payload.arguments.payload`; an empty path
/// means the layer's document itself (invalid JSON, not an object, …). For XML notifications the
/// path names the element or attribute (`Notification.@eventId`).
///
/// ```
/// let err = vcd_mqtt_schema::Message::from_slice(b"{\"headers\": {}}").unwrap_err();
/// assert_eq!(err.layer(), vcd_mqtt_schema::Layer::Envelope);
/// assert_eq!(err.path(), "type");
/// assert_eq!(err.to_string(), "envelope: type: missing field");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    layer: Layer,
    path: String,
    message: Cow<'static, str>,
}

impl Error {
    /// A new error in `layer` at JSON `path` with a human-readable `message`.
    pub fn new(
        layer: Layer,
        path: impl Into<String>,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error {
            layer,
            path: path.into(),
            message: message.into(),
        }
    }

    /// The layer in which the failure happened.
    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// The JSON path (dot-separated, `[n]` for array indices) of the failing field.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong, without layer and path.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prepends `prefix` (a JSON path) to this error's path, e.g. to report an error of a layer
    /// decoded on its own from the root of the whole message.
    #[must_use]
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        self.path = join(prefix, &self.path);
        self
    }

    /// Converts a `serde_path_to_error` failure of `layer`, placed under JSON path `prefix`.
    pub(crate) fn from_serde(
        layer: Layer,
        prefix: &str,
        err: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        // serde_path_to_error writes `?` for a position it could not name (e.g. a key that
        // failed to parse): keep the known prefix only.
        let inner = err.path().to_string();
        let inner = inner.split(".?").next().unwrap_or("");
        let inner = if inner == "." || inner == "?" {
            ""
        } else {
            inner
        };
        let source = err.into_inner();
        let msg = clean_message(&source);
        // "missing field `x`" names a member: make it part of the path.
        if let Some(field) = msg
            .strip_prefix("missing field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            return Error::new(layer, join(&join(prefix, inner), field), "missing field");
        }
        Error::new(layer, join(prefix, inner), msg)
    }
}

/// `serde_json` appends " at line L column C" to its messages; the path says more, keep the
/// position only for syntax errors (where it is all there is).
fn clean_message(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    if e.is_syntax() || e.is_eof() {
        return msg;
    }
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

pub(crate) fn join(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.layer, self.message)
        } else {
            write!(f, "{}: {}: {}", self.layer, self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

// Decoding runs without path tracking first (serde_path_to_error allocates a String for every
// map key it passes); only when that fails is the input decoded again to find the path.

/// Decodes `T` from JSON text `s`; errors belong to `layer` under `prefix`.
///
/// Reads through `serde_json`'s `StrRead`: the text is already valid UTF-8, so no string is
/// validated a second time (nested layers are `&str` slices of a decoded outer layer).
pub(crate) fn from_json_str<'de, T: serde::Deserialize<'de>>(
    layer: Layer,
    prefix: &str,
    s: &'de str,
) -> Result<T, Error> {
    decode_with(layer, prefix, || serde_json::Deserializer::from_str(s))
}

/// Decodes `T` from JSON bytes `s`; errors belong to `layer` under `prefix`.
pub(crate) fn from_json_slice<'de, T: serde::Deserialize<'de>>(
    layer: Layer,
    prefix: &str,
    s: &'de [u8],
) -> Result<T, Error> {
    match core::str::from_utf8(s) {
        // One validation of the whole text is cheaper than one per string.
        Ok(text) => from_json_str(layer, prefix, text),
        Err(_) => decode_with(layer, prefix, || serde_json::Deserializer::from_slice(s)),
    }
}

/// The one decode loop behind [`from_json_str`] and [`from_json_slice`]: a fast pass without
/// path tracking, and on failure a second pass with `serde_path_to_error` to locate the error.
fn decode_with<'de, R, T>(
    layer: Layer,
    prefix: &str,
    new: impl Fn() -> serde_json::Deserializer<R>,
) -> Result<T, Error>
where
    R: serde_json::de::Read<'de>,
    T: serde::Deserialize<'de>,
{
    let mut de = new();
    match T::deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(v) => Ok(v),
        Err(fast) => {
            let mut de = new();
            match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(e) => Err(Error::from_serde(layer, prefix, e)),
                // Only trailing characters are left to complain about.
                Ok(_) => Err(Error::new(layer, prefix, fast.to_string())),
            }
        }
    }
}

/// Decodes `T` from an already parsed JSON value (borrowing its strings).
pub(crate) fn from_json_value<'de, T: serde::Deserialize<'de>>(
    layer: Layer,
    prefix: &str,
    v: &'de serde_json::Value,
) -> Result<T, Error> {
    match T::deserialize(v) {
        Ok(v) => Ok(v),
        Err(fast) => match serde_path_to_error::deserialize::<_, T>(v) {
            Err(e) => Err(Error::from_serde(layer, prefix, e)),
            Ok(_) => Err(Error::new(layer, prefix, fast.to_string())),
        },
    }
}

/// Serializes `value` as JSON text.
pub(crate) fn to_json_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|e| Error::new(Layer::Encode, "", e.to_string()))
}
