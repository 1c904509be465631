//! JavaScript error objects thrown by the bindings.
//!
//! Every error is a real `Error` (so `instanceof Error` and stack traces work) with
//! `name = "VcdMqttError"` and a stable `code`:
//!
//! | `code`             | thrown when                                   | extra properties |
//! |--------------------|-----------------------------------------------|------------------|
//! | `MQTT_DECODE`      | a packet breaks an MQTT 3.1.1 rule            | `rule`, `statementId`, `offset`, `packetLength` |
//! | `MQTT_INCOMPLETE`  | `decodePacket` got only part of a packet      | `needed` |
//! | `MQTT_ENCODE`      | a packet to encode breaks an MQTT rule        | `rule`, `statementId` |
//! | `VCD_MESSAGE`      | a VCD message (or one of its layers) is wrong | `rule`, `path`, `layer` |
//! | `VCD_TOPIC`        | an extension-service name part is invalid     | `rule`, `path`, `layer` |
//! | `INVALID_ARGUMENT` | a JavaScript argument has the wrong shape     | `path` |

use js_sys::{Error as JsError, Reflect};
use vcd_mqtt_codec::{DecodeError, Error as CodecError, Needed};
use wasm_bindgen::prelude::*;

/// The name of the Rust enum variant (`InvalidFlags { .. }` -> `InvalidFlags`), which is the
/// stable `rule` name exposed to JavaScript.
pub(crate) fn rule_name(debug: &str) -> &str {
    let end = debug
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(debug.len());
    &debug[..end]
}

/// Sets `key` on `target`; setting a property on a fresh `Error` cannot fail.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn new_error(code: &str, message: &str) -> JsValue {
    let err = JsError::new(message);
    err.set_name("VcdMqttError");
    let err: JsValue = err.into();
    set(&err, "code", &JsValue::from_str(code));
    err
}

fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

/// `usize` as a JavaScript number (exact: wasm32 `usize` is 32 bits).
pub(crate) fn num(v: usize) -> JsValue {
    JsValue::from_f64(v as f64)
}

/// `MQTT_DECODE`: the rule, its statement ID, the byte offset and the packet's total length.
pub(crate) fn decode_error(e: &DecodeError) -> JsValue {
    let debug = format!("{:?}", e.error);
    let message = format!("{e}");
    let err = new_error("MQTT_DECODE", &message);
    set(&err, "rule", &JsValue::from_str(rule_name(&debug)));
    set(&err, "statementId", &opt_str(e.error.statement_id()));
    set(&err, "offset", &num(e.offset));
    set(
        &err,
        "packetLength",
        &e.packet_len.map_or(JsValue::NULL, num),
    );
    err
}

/// `MQTT_INCOMPLETE`: the input ends inside a packet; `needed` is the exact number of missing
/// bytes once the remaining length is known, `null` while the fixed header itself is cut short.
pub(crate) fn incomplete_error(needed: Needed, have: usize) -> JsValue {
    let (needed_js, message) = match needed {
        Needed::Size(n) => (
            num(n.get()),
            format!(
                "incomplete packet: {have} bytes given, {} more needed",
                n.get()
            ),
        ),
        Needed::Unknown => (
            JsValue::NULL,
            format!("incomplete packet: {have} bytes given, the fixed header is not complete"),
        ),
    };
    let err = new_error("MQTT_INCOMPLETE", &message);
    set(&err, "needed", &needed_js);
    err
}

/// `MQTT_ENCODE`: the rule the packet to encode breaks and its statement ID.
pub(crate) fn encode_error(e: &CodecError) -> JsValue {
    let debug = format!("{e:?}");
    let err = new_error("MQTT_ENCODE", &format!("{e}"));
    set(&err, "rule", &JsValue::from_str(rule_name(&debug)));
    set(&err, "statementId", &opt_str(e.statement_id()));
    err
}

/// `INVALID_ARGUMENT`: `path` names the offending option, e.g. `will.qos`.
pub(crate) fn invalid_argument(path: &str, expected: &str) -> JsValue {
    let message = if path.is_empty() {
        format!("invalid argument: expected {expected}")
    } else {
        format!("invalid argument `{path}`: expected {expected}")
    };
    let err = new_error("INVALID_ARGUMENT", &message);
    set(&err, "path", &JsValue::from_str(path));
    err
}

/// A `VCD_MESSAGE` / `VCD_TOPIC` style error with a rule and optional path and layer.
pub(crate) fn vcd_error(
    code: &str,
    message: &str,
    rule: &str,
    path: Option<&str>,
    layer: Option<&str>,
) -> JsValue {
    let err = new_error(code, message);
    set(&err, "rule", &JsValue::from_str(rule));
    set(&err, "path", &opt_str(path));
    set(&err, "layer", &opt_str(layer));
    err
}

#[cfg(test)]
mod tests {
    use super::rule_name;

    #[test]
    fn rule_name_is_the_variant_name() {
        assert_eq!(
            rule_name("InvalidFlags { packet_type: Publish, flags: 3 }"),
            "InvalidFlags"
        );
        assert_eq!(rule_name("InvalidQoS(3)"), "InvalidQoS");
        assert_eq!(rule_name("EmptyTopic"), "EmptyTopic");
        assert_eq!(rule_name(""), "");
    }
}
