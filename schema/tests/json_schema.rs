//! The committed JSON Schema files match the code, and every sample (and each nested layer)
//! validates against its schema.

mod common;

use std::path::PathBuf;

use common::{all_samples, json};
use serde_json::Value;
use vcd_mqtt_schema::json_schema;
use vcd_mqtt_schema::*;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("json-schema")
}

#[test]
fn committed_schemas_match_the_code() {
    let bless = std::env::var_os("VCD_MQTT_BLESS").is_some_and(|v| v == "1");
    let dir = schema_dir();
    if bless {
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut drift = Vec::new();
    let all = json_schema::all();
    for (name, schema) in &all {
        let path = dir.join(format!("{name}.json"));
        let text = json_schema::to_pretty_json(schema);
        if bless {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            drift.push(name.to_string());
        }
    }
    // No stale files for models that are gone.
    let names: Vec<String> = all.iter().map(|(n, _)| format!("{n}.json")).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !names.contains(&file) {
            if bless {
                std::fs::remove_file(dir.join(&file)).unwrap();
            } else {
                drift.push(format!("stale {file}"));
            }
        }
    }
    assert!(
        drift.is_empty(),
        "schema/json-schema/ drifted from the code: {drift:?}; run `VCD_MQTT_BLESS=1 cargo test -p vcd-mqtt-schema --test json_schema` and commit"
    );
}

fn validator(name: &str) -> jsonschema::Validator {
    let schema = json_schema::get(name).unwrap_or_else(|| panic!("no schema {name}"));
    jsonschema::validator_for(&serde_json::to_value(&schema).unwrap())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn assert_valid(name: &str, instance: &Value, what: &str) {
    let v = validator(name);
    let errors: Vec<String> = v
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate against {name}: {errors:?}"
    );
}

fn assert_invalid(name: &str, instance: &Value) {
    assert!(
        !validator(name).is_valid(instance),
        "{instance} should not validate against {name}"
    );
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

#[test]
fn every_sample_and_every_layer_validates() {
    let mut layers = 0;
    for (name, bytes) in all_samples() {
        let doc = json(&bytes);
        assert_valid("Message", &doc, &name);
        let msg = Message::from_slice(&bytes).unwrap();
        let headers = doc.get("headers").cloned().unwrap_or(Value::Null);
        let payload = doc.get("payload").and_then(Value::as_str).unwrap_or("");
        match msg.body().unwrap() {
            Body::BehaviorInvocation(inv) => {
                assert_valid("InvocationHeaders", &headers, &name);
                let args = parse(payload);
                assert_valid("InvocationArguments", &args, &name);
                if inv.arguments.is_object_extension() {
                    let env = &args["arguments"];
                    assert_valid("ObjectExtensionEnvelope", env, &name);
                    assert_valid("HalfDuplexEnvelope", env, &name);
                    let p = parse(env["payload"].as_str().unwrap());
                    assert_valid(env["payloadType"].as_str().unwrap(), &p, &name);
                    layers += 2;
                }
                layers += 2;
            }
            Body::BehaviorResponse(r) => {
                assert_valid("BehaviorResponseHeaders", &headers, &name);
                if r.headers.is_task_update() {
                    assert_valid("TaskUpdate", &parse(payload), &name);
                    layers += 1;
                } else if r.object_extension().is_ok() {
                    let env = parse(payload);
                    assert_valid("ObjectExtensionEnvelope", &env, &name);
                    let p = parse(env["payload"].as_str().unwrap());
                    assert_valid(env["payloadType"].as_str().unwrap(), &p, &name);
                    layers += 2;
                }
                layers += 1;
            }
            Body::ApiRequest(r) => {
                assert_valid("ApiRequestHeaders", &headers, &name);
                assert_valid("Bytes", &doc["httpRequest"], &name);
                // The JSON inside the bytes, as written by the sender.
                let inner = match &doc["httpRequest"] {
                    Value::String(_) => {
                        let b: Bytes = serde_json::from_value(doc["httpRequest"].clone()).unwrap();
                        json(&b.data)
                    }
                    _ => unreachable!(),
                };
                assert_valid("ApiRequestPayload", &inner, &name);
                assert_valid("HttpMessage", &inner["message"], &name);
                assert_valid("SecurityContext", &inner["securityContext"], &name);
                assert_eq!(r.request.message.method.as_deref(), Some("POST"));
                layers += 4;
            }
            Body::ApiResponse(_) => {
                assert_valid("ApiResponseHeaders", &headers, &name);
                assert_valid("HttpResponse", &doc["httpResponse"], &name);
                layers += 2;
            }
            Body::Notification(n) => {
                assert_valid("NotificationHeaders", &headers, &name);
                match n.format {
                    NotificationFormat::Json => {
                        assert_valid("Notification", &parse(payload), &name)
                    }
                    // The XML form is validated as the typed model it decodes into.
                    NotificationFormat::Xml => assert_valid(
                        "Notification",
                        &serde_json::to_value(&n.notification).unwrap(),
                        &name,
                    ),
                }
                layers += 2;
            }
            Body::Unknown => {}
        }
    }
    assert!(layers >= 20, "only {layers} nested layers validated");
}

#[test]
fn schemas_reject_what_the_decoder_rejects() {
    assert_invalid("Message", &serde_json::json!({"headers": {}}));
    assert_invalid("Message", &serde_json::json!({"type": 5}));
    assert_invalid(
        "TaskUpdate",
        &serde_json::json!({"status": "running", "progress": 101}),
    );
    assert_invalid("TaskUpdate", &serde_json::json!({"status": "sleeping"}));
    assert_invalid(
        "ObjectExtensionEnvelope",
        &serde_json::json!({"envelopeType": "HalfDuplexEnvelope", "payloadType": "Echo", "phase": "p"}),
    );
    assert_invalid(
        "ObjectExtensionEnvelope",
        &serde_json::json!({"envelopeType": "ErrorMessageEnvelope", "payloadType": "Echo", "phase": "p", "payload": "{}"}),
    );
    assert_invalid(
        "ObjectExtensionEnvelope",
        &serde_json::json!({"envelopeType": "Other", "payloadType": "Echo", "phase": "p", "payload": "{}"}),
    );
    assert_invalid(
        "ExtensionErrorMessage",
        &serde_json::json!({"message": "m"}),
    );
    assert_invalid("Echo", &serde_json::json!({"message": 1}));
    assert_invalid("NetworkIdType", &serde_json::json!({"NetworkId": []}));
    assert_invalid("Bytes", &serde_json::json!([256]));
    assert_invalid("Bytes", &serde_json::json!("not base64!"));
    // …and accept what it accepts.
    assert_valid("Bytes", &serde_json::json!([-1, 0, 255]), "signed bytes");
    assert_valid(
        "Message",
        &serde_json::json!({"type": "NEW", "headers": null, "payload": "x", "more": [1]}),
        "odd message",
    );
    // The decoder is more lenient than the documented format: a non-string payload is kept
    // (in `extra`) for re-encoding, but the schema documents `payload` as a string.
    assert_invalid(
        "Message",
        &serde_json::json!({"type": "NEW", "payload": {"x": 1}}),
    );
}

#[test]
fn typed_payload_values_validate() {
    let samples: Vec<ObjectExtensionPayload> = vec![
        Echo::new("hi").into(),
        ExtensionErrorMessage::new("bad", 500).into(),
        ResolveNetworksBackingRequest {
            transport_zone_id: "tz".into(),
            resource_pool: "moref://vc/ResourcePool#rp-1".into(),
            network_ids: NetworkIdType {
                network_id: vec!["n1".into()],
                extra: Extra::new(),
            },
            extra: Extra::new(),
        }
        .into(),
        NetworkCreationResponse {
            status: NetworkExtensionOperationStatus {
                success: false,
                error: Some(ErrorType {
                    error_code: 7,
                    error_message: "no".into(),
                    extra: Extra::new(),
                }),
                extra: Extra::new(),
            },
            network_id: None,
            extra: Extra::new(),
        }
        .into(),
    ];
    for p in samples {
        assert_valid(p.payload_type(), &p.to_value(), p.payload_type());
        assert_eq!(
            ObjectExtensionPayload::decode(p.payload_type(), &p.to_json().unwrap()).unwrap(),
            p
        );
    }
}
