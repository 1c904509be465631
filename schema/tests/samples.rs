//! Every sample message decodes with its fields asserted and re-encodes to an equal document.

mod common;

use common::{all_samples, deep, json, sample};
use vcd_mqtt_schema::*;

fn roundtrip(bytes: &[u8]) -> Message<'_> {
    let msg = Message::from_slice(bytes).expect("decodes");
    assert_eq!(
        json(&msg.to_vec().unwrap()),
        json(bytes),
        "envelope re-encodes to an equal document"
    );
    msg
}

#[test]
fn there_are_ten_samples() {
    assert_eq!(all_samples().len(), 10);
}

#[test]
fn every_sample_round_trips_through_every_layer() {
    for (name, bytes) in all_samples() {
        let msg = roundtrip(&bytes);
        // The typed body encodes back into an equal message.
        let back = match msg.body().unwrap_or_else(|e| panic!("{name}: {e}")) {
            Body::BehaviorInvocation(inv) => {
                assert_eq!(
                    json(inv.arguments.to_json().unwrap().as_bytes()),
                    json(msg.payload.as_deref().unwrap().as_bytes()),
                    "{name}"
                );
                if inv.arguments.is_object_extension() {
                    let env = inv.arguments.object_extension().unwrap();
                    assert_eq!(
                        serde_json::to_value(&env).unwrap(),
                        inv.arguments.arguments.clone().unwrap(),
                        "{name}"
                    );
                    let p = env.payload().unwrap();
                    assert_eq!(
                        json(p.to_json().unwrap().as_bytes()),
                        json(env.payload_json().as_bytes()),
                        "{name}"
                    );
                }
                None
            }
            Body::BehaviorResponse(r) => {
                if let Ok(env) = r.object_extension() {
                    let p = env.payload().unwrap();
                    assert_eq!(
                        json(p.to_json().unwrap().as_bytes()),
                        json(env.payload_json().as_bytes()),
                        "{name}"
                    );
                    assert_eq!(
                        json(env.to_json().unwrap().as_bytes()),
                        json(msg.payload.as_deref().unwrap().as_bytes())
                    );
                }
                Some(r.to_message().unwrap())
            }
            Body::ApiRequest(r) => Some(r.to_message().unwrap()),
            Body::ApiResponse(r) => Some(r.to_message().unwrap()),
            Body::Notification(n) => {
                match n.format {
                    NotificationFormat::Json => assert_eq!(
                        json(n.notification.to_json().unwrap().as_bytes()),
                        json(msg.payload.as_deref().unwrap().as_bytes())
                    ),
                    NotificationFormat::Xml => {
                        assert_eq!(
                            Notification::from_xml(&n.notification.to_xml()).unwrap(),
                            n.notification
                        )
                    }
                }
                None
            }
            Body::Unknown => None,
        };
        if let Some(back) = back {
            // API request bytes are JSON written by another mapper: compare decoded layers.
            if msg.kind == MessageType::ApiRequest {
                assert_eq!(back.api_request().unwrap(), msg.api_request().unwrap());
            } else {
                assert_eq!(
                    deep(&back.to_vec().unwrap()),
                    deep(&bytes),
                    "{name}: typed body re-encodes"
                );
            }
        }
        // Describing never fails and names the kind.
        assert!(
            msg.unwrap_all().to_string().starts_with(msg.kind.as_str()),
            "{name}"
        );
    }
}

#[test]
fn behavior_invocation_fields() {
    let bytes = sample("behavior-invocation.json");
    let msg = roundtrip(&bytes);
    assert_eq!(msg.kind, MessageType::BehaviorInvocation);
    let inv = msg.behavior_invocation().unwrap();
    let h = &inv.headers;
    assert_eq!(
        h.task_id.as_deref(),
        Some("c359ea34-2db6-419f-bad6-468a9704d49e")
    );
    assert_eq!(
        h.entity_id.as_deref(),
        Some("urn:vcloud:entity:acme:sizerType:1.0.0:3542f778-37e3-4ce9-b244-41ccc36e27c3")
    );
    assert_eq!(
        h.behavior_id.as_deref(),
        Some("urn:vcloud:behavior-interface:resize:acme:sizerInterface:1.0.0")
    );
    let c = h.context.as_ref().unwrap();
    assert_eq!(
        c.user_id.as_deref(),
        Some("urn:vcloud:user:c24078ed-fc83-4474-9130-503a51b6bd94")
    );
    assert_eq!(
        c.org_id.as_deref(),
        Some("urn:vcloud:org:a93c9db9-7471-3192-8d09-a8f7eeda85f9")
    );
    assert_eq!(
        c.rights,
        Some(Some(vec![
            "urn:vcloud:right:1".to_string(),
            "urn:vcloud:right:2".to_string()
        ]))
    );
    let a = &inv.arguments;
    assert_eq!(
        a.type_id.as_deref(),
        Some("urn:vcloud:type:acme:sizerType:1.0.0")
    );
    assert_eq!(
        a.arguments,
        Some(serde_json::json!({"size": "large", "count": 3}))
    );
    assert_eq!(a.additional_arguments, Some(serde_json::Value::Null));
    assert_eq!(a.entity.as_ref().unwrap()["spec"]["memoryMb"], 4096);
    assert!(!a.is_object_extension());
    let p = a.execution_properties.as_ref().unwrap();
    assert_eq!(
        p.service_id.as_deref(),
        Some("urn:vcloud:extension-api:acme:sizer:1.2.3")
    );
    assert_eq!(p.invocation_timeout, Some(15));
    let m = a.metadata.as_ref().unwrap();
    assert_eq!(m.execution_id.as_deref(), Some("resize"));
    assert_eq!(m.invocation, Some(serde_json::json!({})));
    assert_eq!(m.api_version.as_deref(), Some("39.0"));
    assert_eq!(
        m.request_id.as_deref(),
        Some("d0f7a1c2-5b0e-4a55-9e61-0b1f2c3d4e5f")
    );
    assert_eq!(m.execution_type.as_deref(), Some("MQTT"));
    assert_eq!(
        m.invocation_id.as_deref(),
        Some("298c37ce-4854-4576-a3aa-903a92d0904f")
    );
    assert_eq!(
        m.task_id.as_deref(),
        Some("c359ea34-2db6-419f-bad6-468a9704d49e")
    );
    assert_eq!(m.act_as_token, None);
    #[derive(serde::Deserialize)]
    struct Resize<'a> {
        size: &'a str,
        count: u32,
    }
    let r: Resize = a.arguments_as().unwrap();
    assert_eq!((r.size, r.count), ("large", 3));
}

#[test]
fn object_extension_invocation_fields() {
    let bytes = sample("object-extension-invocation.json");
    let msg = roundtrip(&bytes);
    let inv = msg.behavior_invocation().unwrap();
    assert_eq!(inv.headers.entity_id, None);
    assert_eq!(inv.headers.context.as_ref().unwrap().rights, None);
    let p = inv.arguments.execution_properties.as_ref().unwrap();
    assert_eq!(p.act_as_token, Some(false));
    assert_eq!(p.invocation_timeout, Some(300));
    assert!(inv.arguments.is_object_extension());
    let env = inv.arguments.object_extension().unwrap();
    let ObjectExtensionEnvelope::HalfDuplexEnvelope(h) = &env else {
        panic!("{env:?}")
    };
    assert_eq!(h.client_request_id.as_deref(), Some("obj-ext-test"));
    assert_eq!(h.namespace.as_deref(), Some("BEHAVIOR_ECHO"));
    assert_eq!(h.payload_type, "Echo");
    assert_eq!(h.phase, "urn:extensionPoint:vm:create");
    assert_eq!(
        h.correlation_id.as_deref(),
        Some("16e8a458-ec93-4285-888e-293c94b5e004")
    );
    assert_eq!(h.expected_response_payload_type.as_deref(), Some("Echo"));
    assert_eq!(
        env.payload().unwrap(),
        ObjectExtensionPayload::Echo(Echo::new("Hello World!"))
    );
    // One chain from the envelope to the innermost payload.
    let payload = msg
        .behavior_invocation()
        .unwrap()
        .arguments
        .object_extension()
        .unwrap()
        .payload()
        .unwrap();
    assert_eq!(payload.payload_type(), "Echo");
}

#[test]
fn object_extension_reply_equals_the_response_sample() {
    let inv = Message::from_slice(&sample("object-extension-invocation.json"))
        .unwrap()
        .behavior_invocation()
        .unwrap();
    let reply = inv
        .reply_object_extension(&Echo::new("Hello back").into())
        .unwrap();
    assert_eq!(
        deep(&reply.to_vec().unwrap()),
        deep(&sample("object-extension-response.json"))
    );
    // …and the reply decodes back through every layer.
    let resp = reply.behavior_response().unwrap();
    assert_eq!(
        resp.headers.task_id.as_deref(),
        Some("7ce94181-6b78-4147-b7fe-b21558790500")
    );
    assert_eq!(resp.headers.content_type, None);
    let env = resp.object_extension().unwrap();
    assert_eq!(
        env.correlation_id(),
        Some("16e8a458-ec93-4285-888e-293c94b5e004")
    );
    assert_eq!(
        env.payload().unwrap(),
        ObjectExtensionPayload::Echo(Echo::new("Hello back"))
    );
}

#[test]
fn object_extension_error_reply() {
    let inv = Message::from_slice(&sample("object-extension-invocation.json"))
        .unwrap()
        .behavior_invocation()
        .unwrap();
    let mut err = ExtensionErrorMessage::new("no capacity", 409);
    err.minor_error_code = Some("NO_CAPACITY".into());
    let reply = inv.reply_object_extension(&err.clone().into()).unwrap();
    let env = reply
        .behavior_response()
        .unwrap()
        .object_extension()
        .unwrap();
    assert_eq!(env.payload_type(), "ExtensionErrorMessage");
    assert_eq!(env.phase(), "urn:extensionPoint:vm:create");
    assert_eq!(
        env.payload().unwrap(),
        ObjectExtensionPayload::ExtensionErrorMessage(err)
    );
    assert_eq!(
        json(env.payload_json().as_bytes()),
        serde_json::json!({"message": "no capacity", "majorErrorCode": 409, "minorErrorCode": "NO_CAPACITY"})
    );
}

#[test]
fn object_extension_object_response_fields() {
    let bytes = sample("object-extension-response.json");
    let msg = roundtrip(&bytes);
    let r = msg.behavior_response().unwrap();
    assert_eq!(
        r.headers.task_id.as_deref(),
        Some("7ce94181-6b78-4147-b7fe-b21558790500")
    );
    assert!(r.content.text().is_some());
    let env = r.object_extension().unwrap();
    assert_eq!(env.envelope_type(), "HalfDuplexEnvelope");
    assert_eq!(env.client_request_id(), Some("obj-ext-test"));
    assert_eq!(
        env.payload().unwrap(),
        ObjectExtensionPayload::Echo(Echo::new("Hello back"))
    );
}

#[test]
fn behavior_response_plain_fields() {
    let bytes = sample("behavior-response-plain.json");
    let msg = roundtrip(&bytes);
    let Body::BehaviorResponse(r) = msg.body().unwrap() else {
        panic!()
    };
    assert_eq!(
        r.headers.task_id.as_deref(),
        Some("c359ea34-2db6-419f-bad6-468a9704d49e")
    );
    assert_eq!(
        r.headers.entity_id.as_deref(),
        Some("urn:vcloud:entity:acme:sizerType:1.0.0:3542f778-37e3-4ce9-b244-41ccc36e27c3")
    );
    assert_eq!(r.headers.content_type.as_deref(), Some("plain/text"));
    assert_eq!(r.content, ResponseContent::Text("resized to large".into()));
    // The builder reproduces the sample from the invocation it answers.
    let inv = Message::from_slice(&sample("behavior-invocation.json"))
        .unwrap()
        .behavior_invocation()
        .unwrap();
    assert_eq!(
        json(
            &inv.reply_text("resized to large")
                .unwrap()
                .to_vec()
                .unwrap()
        ),
        json(&bytes)
    );
}

#[test]
fn behavior_response_task_fields() {
    let bytes = sample("behavior-response-task.json");
    let msg = roundtrip(&bytes);
    let r = msg.behavior_response().unwrap();
    assert_eq!(r.headers.content_type.as_deref(), Some(CONTENT_TYPE_TASK));
    let u = r.content.task_update().unwrap();
    assert_eq!(u.status, TaskStatus::Error);
    assert!(u.status.is_final());
    assert_eq!(u.operation.as_deref(), Some("resize"));
    assert_eq!(u.details.as_deref(), Some("not enough capacity"));
    assert_eq!(u.progress, None);
    let e = u.error.as_ref().unwrap();
    assert_eq!(e.major_error_code, Some(409));
    assert_eq!(e.minor_error_code.as_deref(), Some("NO_CAPACITY"));
    assert_eq!(e.message.as_deref(), Some("No host can fit 3 large VMs"));
    let inv = Message::from_slice(&sample("behavior-invocation.json"))
        .unwrap()
        .behavior_invocation()
        .unwrap();
    assert_eq!(
        deep(&inv.reply_task_update(u).unwrap().to_vec().unwrap()),
        deep(&bytes)
    );
}

#[test]
fn api_request_fields() {
    let bytes = sample("api-request.json");
    let msg = roundtrip(&bytes);
    assert_eq!(
        msg.link_api_base_url.as_deref(),
        Some("https://vcd.example.com/ext-api")
    );
    let r = msg.api_request().unwrap();
    assert_eq!(
        r.headers.request_id.as_deref(),
        Some("21c9ed76-036d-45c4-a122-ca2f623dca2a")
    );
    let c = r.headers.context.as_ref().unwrap();
    assert_eq!(c.api_access_token.as_deref(), Some("eyJhbGciOi.fake.token"));
    assert_eq!(c.user.as_deref(), Some("urn:vcloud:user:44"));
    assert_eq!(c.org.as_deref(), Some("urn:vcloud:org:70"));
    assert_eq!(c.rights, Some(None));
    assert_eq!(c.parameters, Some(serde_json::Value::Null));
    assert_eq!(r.bytes_form, BytesForm::Base64);
    assert_eq!(
        r.link_api_base_url.as_deref(),
        Some("https://vcd.example.com/ext-api")
    );
    let m = &r.request.message;
    assert_eq!(m.is_request(), Some(true));
    assert_eq!(m.id.as_deref(), Some("a2b4c6d8"));
    assert_eq!(m.method.as_deref(), Some("POST"));
    assert_eq!(
        m.request_uri.as_deref(),
        Some("/ext-api/acme/sizer/recommend")
    );
    assert_eq!(m.query_string.as_deref(), Some("dryRun=true"));
    assert_eq!(m.protocol.as_deref(), Some("HTTP/1.1"));
    assert_eq!(m.scheme.as_deref(), Some("https"));
    assert_eq!(m.remote_addr.as_deref(), Some("10.0.0.5"));
    assert_eq!(m.remote_port, Some(51544));
    assert_eq!(m.local_addr.as_deref(), Some("10.0.0.1"));
    assert_eq!(m.local_port, Some(443));
    assert_eq!(m.header("content-type"), Some("application/json"));
    assert_eq!(m.body.as_ref().unwrap().as_slice(), br#"{"vms":3}"#);
    assert_eq!(m.status_code, Some(0));
    assert_eq!(r.request.security_context.as_ref().unwrap(), c);
    assert_eq!(r.request.context, Some(serde_json::json!({})));
}

#[test]
fn api_request_bytes_as_array_of_numbers() {
    let bytes = sample("api-request.json");
    let msg = Message::from_slice(&bytes).unwrap();
    let decoded = msg.api_request().unwrap();
    // Rewrite httpRequest as an array of numbers, as one documentation page shows it.
    let mut v = json(&bytes);
    let data = base64_decode(v["httpRequest"].as_str().unwrap());
    v["httpRequest"] = serde_json::Value::Array(data.iter().map(|b| (*b).into()).collect());
    let text = serde_json::to_vec(&v).unwrap();
    let msg2 = roundtrip(&text);
    let r2 = msg2.api_request().unwrap();
    assert_eq!(r2.bytes_form, BytesForm::Array);
    assert_eq!(r2.request, decoded.request);
    // Java's signed bytes are accepted too.
    let signed: Vec<serde_json::Value> = data.iter().map(|b| (*b as i8).into()).collect();
    v["httpRequest"] = serde_json::Value::Array(signed);
    let text = serde_json::to_vec(&v).unwrap();
    assert_eq!(
        Message::from_slice(&text)
            .unwrap()
            .api_request()
            .unwrap()
            .request,
        decoded.request
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    let b: Bytes = serde_json::from_value(serde_json::Value::String(s.into())).unwrap();
    b.data
}

#[test]
fn api_response_fields_and_builder() {
    let bytes = sample("api-response.json");
    let msg = roundtrip(&bytes);
    let r = msg.api_response().unwrap();
    assert_eq!(
        r.headers.request_id.as_deref(),
        Some("21c9ed76-036d-45c4-a122-ca2f623dca2a")
    );
    assert_eq!(r.response.status_code, 200);
    assert_eq!(r.response.header("Content-Type"), Some("application/json"));
    assert_eq!(
        r.response.body.as_ref().unwrap().as_slice(),
        br#"{"recommended":"large"}"#
    );
    assert_eq!(r.response_form, None);
    let req = Message::from_slice(&sample("api-request.json"))
        .unwrap()
        .api_request()
        .unwrap();
    let headers = [("Content-Type".to_string(), "application/json".to_string())].into();
    let reply = req
        .respond(200, headers, br#"{"recommended":"large"}"#.to_vec())
        .unwrap();
    assert_eq!(json(&reply.to_vec().unwrap()), json(&bytes));
}

#[test]
fn event_json_fields() {
    let bytes = sample("event-json.json");
    let msg = roundtrip(&bytes);
    assert_eq!(msg.kind, MessageType::Event);
    let n = msg.notification().unwrap();
    assert_eq!(n.format, NotificationFormat::Json);
    assert_eq!(n.headers.content_type.as_deref(), Some("application/json"));
    let x = &n.notification;
    assert_eq!(
        x.event_id.as_deref(),
        Some("a1440dd8-60ae-46c7-b216-44693bc00c90")
    );
    assert_eq!(
        x.event_type.as_deref(),
        Some("com/vmware/vcloud/event/vapp/create")
    );
    assert_eq!(
        x.timestamp.as_deref(),
        Some("2026-06-18T14:33:27.787+03:00")
    );
    assert_eq!(x.operation_success, Some(true));
    assert_eq!(x.user.as_deref(), Some("urn:vcloud:user:44"));
    assert_eq!(x.org.as_deref(), Some("urn:vcloud:org:70"));
    assert_eq!(x.entity.as_deref(), Some("urn:vcloud:vapp:26"));
    assert_eq!(x.task.as_deref(), Some("urn:vcloud:task:34"));
    assert_eq!(x.task_owner.as_deref(), Some("urn:vcloud:vapp:26"));
    assert_eq!(x.entity_links, None);
}

#[test]
fn event_xml_fields() {
    let bytes = sample("event-xml.json");
    let msg = roundtrip(&bytes);
    let n = msg.notification().unwrap();
    assert_eq!(n.format, NotificationFormat::Xml);
    let x = &n.notification;
    assert_eq!(
        x.event_id.as_deref(),
        Some("a1440dd8-60ae-46c7-b216-44693bc00c90")
    );
    assert_eq!(
        x.event_type.as_deref(),
        Some("com/vmware/vcloud/event/blockingtask/create")
    );
    assert_eq!(
        x.entity_resolver.as_deref(),
        Some("https://vcd.example.com/api/entity/")
    );
    assert_eq!(x.entity.as_deref(), Some("urn:vcloud:blockingTask:25"));
    assert_eq!(x.user.as_deref(), Some("urn:vcloud:user:44"));
    assert_eq!(x.org.as_deref(), Some("urn:vcloud:org:70"));
    assert_eq!(x.task.as_deref(), Some("urn:vcloud:task:34"));
    assert_eq!(x.task_owner.as_deref(), Some("urn:vcloud:vapp:26"));
    assert_eq!(
        x.timestamp.as_deref(),
        Some("2026-06-18T14:33:27.787+03:00")
    );
    assert_eq!(x.operation_success, Some(true));
    let links = x.entity_links.as_ref().unwrap();
    assert_eq!(links.len(), 5);
    assert_eq!(
        links[0],
        EntityLink {
            rel: "entity".into(),
            link_type: Some("vcloud:blockingTask".into()),
            name: Some("vdcComposeVapp".into()),
            id: Some("urn:vcloud:blockingTask:25".into()),
        }
    );
    assert_eq!(links[4].rel, "task:owner");
    assert_eq!(links[4].name, None);
    // The same notification with another prefix, or none, decodes the same.
    let payload = msg.payload.as_deref().unwrap();
    assert_eq!(
        &Notification::from_xml(
            &payload
                .replace("vmext:", "v:")
                .replace("xmlns:vmext", "xmlns:v")
        )
        .unwrap(),
        x
    );
    assert_eq!(
        &Notification::from_xml(
            &payload
                .replace("vmext:", "")
                .replace("xmlns:vmext", "xmlns")
        )
        .unwrap(),
        x
    );
}

#[test]
fn unknown_type_is_kept() {
    let bytes = sample("unknown-type.json");
    let msg = roundtrip(&bytes);
    assert_eq!(msg.kind, MessageType::Unknown("SOMETHING_NEW".into()));
    assert!(msg.kind.is_unknown());
    assert_eq!(
        msg.headers.as_ref().unwrap().get(),
        r#"{
    "x": 1
  }"#
    );
    assert_eq!(msg.payload.as_deref(), Some("opaque"));
    assert_eq!(
        msg.extra.get("newTopLevel"),
        Some(&serde_json::Value::Bool(true))
    );
    assert_eq!(msg.body().unwrap(), Body::Unknown);
}

#[test]
fn envelope_borrows_from_the_input() {
    let bytes = sample("behavior-response-plain.json");
    let msg = Message::from_slice(&bytes).unwrap();
    assert!(matches!(msg.payload, Some(std::borrow::Cow::Borrowed(_))));
    let range = bytes.as_ptr_range();
    assert!(range.contains(&msg.payload.as_deref().unwrap().as_ptr()));
    assert!(range.contains(&msg.headers.as_ref().unwrap().get().as_ptr()));
}

#[test]
fn null_and_missing_headers_are_not_errors() {
    for text in [
        r#"{"type":"BEHAVIOR_RESPONSE","payload":"done"}"#,
        r#"{"type":"BEHAVIOR_RESPONSE","headers":null,"payload":"done"}"#,
    ] {
        let msg = roundtrip(text.as_bytes());
        let r = msg.behavior_response().unwrap();
        assert_eq!(r.headers, BehaviorResponseHeaders::default());
        assert_eq!(r.content.text(), Some("done"));
    }
}

#[test]
fn payload_in_headers_is_used_when_top_level_is_absent() {
    let text = r#"{"type":"BEHAVIOR_INVOCATION","headers":{"taskId":"t1","payload":"{\"typeId\":\"urn:vcloud:type:a:b:1.0.0\",\"arguments\":{}}"}}"#;
    let msg = roundtrip(text.as_bytes());
    let inv = msg.behavior_invocation().unwrap();
    assert_eq!(
        inv.arguments.type_id.as_deref(),
        Some("urn:vcloud:type:a:b:1.0.0")
    );
    assert_eq!(inv.task_id(), Some("t1"));
}

#[test]
fn arguments_as_json_encoded_string() {
    let env = r#"{"envelopeType":"ErrorMessageEnvelope","payloadType":"Echo","phase":"urn:extensionPoint:vm:create","payload":"{\"message\":\"x\"}","correlationIdRef":"c1","extraField":[1]}"#;
    let args = serde_json::json!({"arguments": env}).to_string();
    let msg_text =
        serde_json::json!({"type":"BEHAVIOR_INVOCATION","headers":{"taskId":"t"},"payload":args})
            .to_string();
    let msg = roundtrip(msg_text.as_bytes());
    let inv = msg.behavior_invocation().unwrap();
    assert!(inv.arguments.is_object_extension());
    let e = inv.arguments.object_extension().unwrap();
    let ObjectExtensionEnvelope::ErrorMessageEnvelope(ee) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(ee.correlation_id_ref, "c1");
    assert_eq!(ee.extra["extraField"], serde_json::json!([1]));
    assert_eq!(e.correlation_id(), Some("c1"));
    assert_eq!(
        e.payload().unwrap(),
        ObjectExtensionPayload::Echo(Echo::new("x"))
    );
    assert_eq!(json(e.to_json().unwrap().as_bytes()), json(env.as_bytes()));
    // The arguments string re-encodes as the same string.
    assert_eq!(
        json(inv.arguments.to_json().unwrap().as_bytes()),
        json(args.as_bytes())
    );
}

#[test]
fn unwrapped_json_of_every_sample() {
    for (name, bytes) in all_samples() {
        let msg = Message::from_slice(&bytes).unwrap();
        let v = msg.unwrap_all().to_json_value();
        assert_eq!(v["type"], json(&bytes)["type"], "{name}");
        assert!(
            v.get("bodyError").is_none()
                && v.get("objectExtensionError").is_none()
                && v.get("payloadError").is_none(),
            "{name}: {v}"
        );
    }
    let bytes = sample("api-request.json");
    let v = Message::from_slice(&bytes)
        .unwrap()
        .unwrap_all()
        .to_json_value();
    assert_eq!(v["body"]["request"]["message"]["method"], "POST");
    let bytes = sample("event-xml.json");
    let v = Message::from_slice(&bytes)
        .unwrap()
        .unwrap_all()
        .to_json_value();
    assert_eq!(v["body"]["format"], "xml");
    assert_eq!(v["body"]["notification"]["taskOwner"], "urn:vcloud:vapp:26");
    let bytes = sample("object-extension-response.json");
    let v = Message::from_slice(&bytes)
        .unwrap()
        .unwrap_all()
        .to_json_value();
    assert_eq!(v["payload"], serde_json::json!({"message": "Hello back"}));
    // Errors are reported per layer, as JSON.
    let bad = r#"{"type":"BEHAVIOR_RESPONSE","headers":{"contentType":"application/vnd.vmware.vcloud.task+json"},"payload":"{\"status\":1}"}"#;
    let v = Message::from_json(bad)
        .unwrap()
        .unwrap_all()
        .to_json_value();
    assert_eq!(v["bodyError"]["layer"], "task update");
    assert_eq!(v["bodyError"]["path"], "payload.status");
    let text = Message::from_json(bad).unwrap().unwrap_all().to_string();
    assert!(
        text.contains("error: task update: payload.status:"),
        "{text}"
    );
}

#[test]
fn readable_rendering_of_the_samples() {
    let render = |n: &str| {
        let bytes = sample(n);
        Message::from_slice(&bytes)
            .unwrap()
            .unwrap_all()
            .to_string()
    };
    let t = render("object-extension-invocation.json");
    assert!(
        t.starts_with("BEHAVIOR_INVOCATION task=7ce94181-6b78-4147-b7fe-b21558790500"),
        "{t}"
    );
    assert!(t.contains("object extension: HalfDuplexEnvelope phase=urn:extensionPoint:vm:create payloadType=Echo"), "{t}");
    assert!(
        t.contains("payload Echo: {\"message\":\"Hello World!\"}"),
        "{t}"
    );
    let t = render("behavior-response-task.json");
    assert!(
        t.contains("task update: status=error operation=\"resize\""),
        "{t}"
    );
    assert!(t.contains("error: major=409 minor=NO_CAPACITY"), "{t}");
    let t = render("api-request.json");
    assert!(
        t.contains("http: POST /ext-api/acme/sizer/recommend?dryRun=true HTTP/1.1"),
        "{t}"
    );
    assert!(t.contains("body (9 bytes): {\"vms\":3}"), "{t}");
    let t = render("event-xml.json");
    assert!(
        t.contains("(Xml) com/vmware/vcloud/event/blockingtask/create"),
        "{t}"
    );
    let t = render("unknown-type.json");
    assert_eq!(t, "SOMETHING_NEW (unknown type: skipped)");
}

#[test]
fn null_payload_falls_back_to_headers_payload() {
    let text = r#"{"type":"BEHAVIOR_INVOCATION","headers":{"payload":"{\"typeId\":\"t\"}"},"payload":null}"#;
    let msg = roundtrip(text.as_bytes());
    assert_eq!(
        msg.behavior_invocation()
            .unwrap()
            .arguments
            .type_id
            .as_deref(),
        Some("t")
    );
    assert_eq!(TaskStatus::PreRunning.to_string(), "pre-running");
    assert_eq!(
        serde_json::to_value(TaskStatus::ExpectingAction).unwrap(),
        "expectingAction"
    );
}
