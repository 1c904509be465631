//! The VCD message layers: from the MQTT payload down to the innermost object-extension payload.
//!
//! A BEHAVIOR_INVOCATION for an object extension carries its phase request encoded twice:
//! `message.payload` (a JSON string) holds InvocationArguments, whose `arguments` holds the
//! HalfDuplexEnvelope (an object, or a JSON-encoded string: both are accepted), whose `payload`
//! (a JSON string) holds the request named by `payloadType`.

use serde_json::Value;
use vcd_mqtt_schema::{Message, ObjectExtensionEnvelope, ObjectExtensionPayload};

/// The object-extension invocation sample (`shared/vcd/samples/object-extension-invocation.json`,
/// copied to `benches/data/` so the crate builds from the repository alone; a test keeps the copy
/// identical to the shared file when that is present).
pub const SAMPLE: &str = include_str!("../data/object-extension-invocation.json");

/// The criterion group of the unwrap benchmark.
pub const GROUP: &str = "vcd_unwrap";

/// One timed unwrap route: its criterion function id and how the report describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The criterion function id in [`GROUP`].
    pub id: &'static str,
    /// The calls it makes.
    pub api: &'static str,
    /// One sentence: what it decodes.
    pub decodes: &'static str,
}

/// [`unwrap_typed`]: the fully typed route.
pub const TYPED: Route = Route {
    id: "vcd-mqtt-schema (typed)",
    api: "`Message::from_slice` → `behavior_invocation()` → `object_extension()` → `payload()`",
    decodes: "decodes the whole BEHAVIOR_INVOCATION into typed models (the `headers`, and the \
              InvocationArguments with `_metadata`, `_execution_properties` and `typeId`), then \
              the envelope and the `Echo` payload",
};

/// [`unwrap_direct`]: only what the unwrap needs.
pub const DIRECT: Route = Route {
    id: "vcd-mqtt-schema (direct)",
    api: "`Message::from_slice` → `object_extension()` → `payload()`",
    decodes: "decodes only the way down (the `payload` string's `arguments` member into the \
              envelope, its `payload` into `Echo`); the headers and the other invocation members \
              are only checked to be valid JSON",
};

/// [`unwrap_value`]: `serde_json::Value` layer by layer.
pub const VALUE: Route = Route {
    id: "serde_json::Value",
    api: "`from_slice::<Value>` / `from_str::<Value>` per layer",
    decodes: "parses each of the three JSON texts (the message, its `payload`, the envelope's \
              `payload`) completely into a `Value` tree (every member) and moves the `arguments` \
              member out, picking each next layer by hand",
};

fn missing(path: &str, name: &str) -> String {
    format!("{path}.{name}: missing")
}

fn field<'v>(v: &'v Value, name: &str, path: &str) -> Result<&'v Value, String> {
    v.get(name).ok_or_else(|| missing(path, name))
}

/// Member `name` of `v`, moved out (`null` left in its place): no clone.
fn take_field(v: &mut Value, name: &str, path: &str) -> Result<Value, String> {
    v.get_mut(name)
        .map(Value::take)
        .ok_or_else(|| missing(path, name))
}

fn string<'v>(v: &'v Value, name: &str, path: &str) -> Result<&'v str, String> {
    field(v, name, path)?
        .as_str()
        .ok_or_else(|| format!("{path}.{name}: not a string"))
}

fn parse(text: &str, path: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{path}: {e}"))
}

/// What the unwrap yields, whichever route took it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Innermost {
    /// `message.type`.
    pub message_type: String,
    /// The envelope's `payloadType`.
    pub payload_type: String,
    /// The envelope's `phase`.
    pub phase: String,
    /// The innermost payload, re-serialised compactly (for comparing routes).
    pub payload_json: String,
}

/// The `serde_json::Value` route, layer by layer: parse the message, take `payload` (a string),
/// parse it, take `arguments` (parse it too when it is a string), take `payload`, parse it.
/// Returns the envelope and the innermost payload as `Value`s.
///
/// # Errors
/// Names the JSON path that is missing, has the wrong type or does not parse.
pub fn unwrap_value(message: &[u8]) -> Result<(Value, Value), String> {
    let msg: Value = serde_json::from_slice(message).map_err(|e| format!("message: {e}"))?;
    let payload = match msg.get("payload") {
        Some(_) => string(&msg, "payload", "message")?,
        None => string(
            field(&msg, "headers", "message")?,
            "payload",
            "message.headers",
        )?,
    };
    let mut invocation = parse(payload, "message.payload")?;
    // Moved out of the invocation, not cloned: what a serde_json user would write.
    let envelope = match take_field(&mut invocation, "arguments", "message.payload")? {
        Value::String(s) => parse(&s, "message.payload.arguments")?,
        object @ Value::Object(_) => object,
        _ => return Err("message.payload.arguments: neither an object nor a string".into()),
    };
    let inner = parse(
        string(&envelope, "payload", "message.payload.arguments")?,
        "message.payload.arguments.payload",
    )?;
    Ok((envelope, inner))
}

/// What a `vcd-mqtt-schema` route returns: the object-extension envelope and its decoded payload.
pub type SchemaUnwrap =
    Result<(ObjectExtensionEnvelope, ObjectExtensionPayload), vcd_mqtt_schema::Error>;

/// The fully typed route with `vcd-mqtt-schema`: borrow the envelope (`Message::from_slice`),
/// decode the whole BEHAVIOR_INVOCATION (`behavior_invocation()`: typed `headers`, and
/// InvocationArguments with `_metadata`, `_execution_properties` and `entity`), its
/// object-extension envelope, and the payload named by `payloadType` into its model.
///
/// # Errors
/// The schema crate's error: layer, JSON path and message.
pub fn unwrap_typed(message: &[u8]) -> SchemaUnwrap {
    let msg = Message::from_slice(message)?;
    let invocation = msg.behavior_invocation()?;
    let envelope = invocation.object_extension()?;
    let payload = envelope.payload()?;
    Ok((envelope, payload))
}

/// The direct route with `vcd-mqtt-schema`: `Message::from_slice(bytes)?.object_extension()?`
/// decodes only what the unwrap needs (the `payload` string, its `arguments` member as the
/// object-extension envelope; the headers and the other invocation members are only
/// syntax-checked), then `payload()` decodes the payload named by `payloadType` into its model.
///
/// # Errors
/// The schema crate's error: layer, JSON path and message (the same as [`unwrap_typed`]'s).
pub fn unwrap_direct(message: &[u8]) -> SchemaUnwrap {
    let envelope = Message::from_slice(message)?.object_extension()?;
    let payload = envelope.payload()?;
    Ok((envelope, payload))
}

/// What a schema route reached, summarised for comparison with the `Value` route.
fn summarise(message: &[u8], route: fn(&[u8]) -> SchemaUnwrap) -> Result<Innermost, String> {
    let msg = Message::from_slice(message).map_err(|e| e.to_string())?;
    let (envelope, payload) = route(message).map_err(|e| e.to_string())?;
    Ok(Innermost {
        message_type: msg.kind.as_str().to_string(),
        payload_type: payload.payload_type().to_string(),
        phase: envelope.phase().to_string(),
        payload_json: payload.to_value().to_string(),
    })
}

/// [`unwrap_typed`], summarised for comparison with the `Value` route (not timed).
///
/// # Errors
/// As [`unwrap_typed`], as text.
pub fn innermost_typed(message: &[u8]) -> Result<Innermost, String> {
    summarise(message, unwrap_typed)
}

/// [`unwrap_direct`], summarised for comparison with the `Value` route (not timed).
///
/// # Errors
/// As [`unwrap_direct`], as text.
pub fn innermost_direct(message: &[u8]) -> Result<Innermost, String> {
    summarise(message, unwrap_direct)
}

/// [`unwrap_value`], summarised for comparison with the typed route (not timed).
///
/// # Errors
/// As [`unwrap_value`], or when `type`, `payloadType` or `phase` is missing.
pub fn innermost_value(message: &[u8]) -> Result<Innermost, String> {
    let msg: Value = serde_json::from_slice(message).map_err(|e| format!("message: {e}"))?;
    let (envelope, inner) = unwrap_value(message)?;
    let path = "message.payload.arguments";
    Ok(Innermost {
        message_type: string(&msg, "type", "message")?.to_string(),
        payload_type: string(&envelope, "payloadType", path)?.to_string(),
        phase: string(&envelope, "phase", path)?.to_string(),
        payload_json: inner.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_route_reaches_the_echo_payload() {
        let got = innermost_value(SAMPLE.as_bytes()).unwrap();
        assert_eq!(got.message_type, "BEHAVIOR_INVOCATION");
        assert_eq!(got.payload_type, "Echo");
        assert_eq!(got.phase, "urn:extensionPoint:vm:create");
        assert_eq!(got.payload_json, r#"{"message":"Hello World!"}"#);
    }

    #[test]
    fn sample_copy_matches_the_shared_sample() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/vcd/samples/object-extension-invocation.json"
        );
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(text, SAMPLE, "benches/data/ is out of date with {shared}");
        }
    }

    #[test]
    fn typed_route_reaches_the_same_payload() {
        let typed = innermost_typed(SAMPLE.as_bytes()).unwrap();
        assert_eq!(typed, innermost_value(SAMPLE.as_bytes()).unwrap());
        let (envelope, payload) = unwrap_typed(SAMPLE.as_bytes()).unwrap();
        assert_eq!(envelope.payload_type(), "Echo");
        assert!(
            matches!(payload, ObjectExtensionPayload::Echo(ref e) if e.message == "Hello World!")
        );
    }

    #[test]
    fn direct_route_reaches_the_same_payload() {
        let direct = innermost_direct(SAMPLE.as_bytes()).unwrap();
        assert_eq!(direct, innermost_value(SAMPLE.as_bytes()).unwrap());
        let (envelope, payload) = unwrap_direct(SAMPLE.as_bytes()).unwrap();
        assert_eq!(
            envelope.correlation_id(),
            Some("16e8a458-ec93-4285-888e-293c94b5e004")
        );
        assert_eq!(
            (envelope, payload),
            unwrap_typed(SAMPLE.as_bytes()).unwrap()
        );
    }

    #[test]
    fn schema_routes_name_the_same_broken_layer() {
        // The envelope's `payload` is not JSON: both routes fail at the innermost layer.
        let broken = SAMPLE.replace(r#"\\\"message\\\""#, r#"\\\"message\\\"\\\""#);
        assert_ne!(
            broken, SAMPLE,
            "the sample no longer holds the escaped Echo payload"
        );
        let typed = unwrap_typed(broken.as_bytes()).unwrap_err();
        let direct = unwrap_direct(broken.as_bytes()).unwrap_err();
        assert_eq!(typed, direct);
        assert_eq!(
            typed.layer(),
            vcd_mqtt_schema::Layer::ObjectExtensionPayload
        );
        assert!(innermost_value(broken.as_bytes()).is_err());
        // `arguments` is a number: the same envelope-layer error from both.
        let msg = br#"{"type":"BEHAVIOR_INVOCATION","headers":{},"payload":"{\"arguments\": 3}"}"#;
        let typed = unwrap_typed(msg).unwrap_err();
        assert_eq!(typed, unwrap_direct(msg).unwrap_err());
        assert_eq!(typed.path(), "payload.arguments");
    }

    #[test]
    fn value_route_names_the_broken_layer() {
        let e = unwrap_value(br#"{"type":"X","payload":"{\"arguments\": 3}"}"#).unwrap_err();
        assert_eq!(
            e,
            "message.payload.arguments: neither an object nor a string"
        );
        let e = unwrap_value(br#"{"type":"X","headers":{}}"#).unwrap_err();
        assert_eq!(e, "message.headers.payload: missing");
    }
}
