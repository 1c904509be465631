//! Regression tests for bugs found by the cargo-fuzz targets in `fuzz/` (see `fuzz/README.md`).
//! Each test names the target that found the bug and carries the minimal reproducer.

use vcd_mqtt_schema::{InvocationArguments, ObjectExtensionPayload, TaskUpdate};

/// The number from the fuzzer's reproducer: serde_json's default (fast, not correctly rounded)
/// float parser reads it 1 ULP away from the nearest `f64`, so a payload that is decoded and
/// encoded again changes value. `str::parse::<f64>` is correctly rounded.
const NUMBER: &str = "111111111111055555555";

fn nearest() -> f64 {
    NUMBER.parse().expect("a float")
}

/// Found by `message` (input `111111111111055555555`, fed to
/// `ObjectExtensionPayload::decode("Unlisted", …)`): decode → `to_json` → decode gave
/// `1.1111111111105556e20` then `1.1111111111105557e20`.
#[test]
fn unlisted_payload_number_survives_a_round_trip() {
    let p =
        ObjectExtensionPayload::decode("Unlisted", NUMBER).expect("any JSON is an Other payload");
    assert_eq!(
        p.to_value().as_f64(),
        Some(nearest()),
        "number not read as the nearest f64"
    );
    let json = p.to_json().expect("encodes");
    let back = ObjectExtensionPayload::decode("Unlisted", &json).expect("decodes again");
    assert_eq!(back, p, "payload changed in its round trip through {json}");
}

/// Same bug in the layers that carry user JSON: invocation arguments (`entity`, `arguments`)
/// and task results (`result.resultContent`).
#[test]
fn user_json_numbers_survive_a_round_trip() {
    let args = format!(r#"{{"entity": {{"size": {NUMBER}}}, "arguments": [{NUMBER}]}}"#);
    let a = InvocationArguments::from_json(&args).expect("valid arguments");
    let entity = a
        .entity
        .as_ref()
        .and_then(|e| e.get("size"))
        .and_then(|v| v.as_f64());
    assert_eq!(entity, Some(nearest()));
    let back = InvocationArguments::from_json(&a.to_json().expect("encodes")).expect("decodes");
    assert_eq!(back, a);

    let update = format!(r#"{{"status": "success", "result": {{"resultContent": {NUMBER}}}}}"#);
    let u = TaskUpdate::from_json(&update).expect("valid task update");
    let back = TaskUpdate::from_json(&u.to_json().expect("encodes")).expect("decodes");
    assert_eq!(back, u);
}
