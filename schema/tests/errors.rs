//! Every error path: the layer and the JSON path of the failing field.

use serde_json::json;
use vcd_mqtt_schema::topics::{notification_user_name, websocket_url, ExtensionService};
use vcd_mqtt_schema::*;

#[track_caller]
fn check(err: Error, layer: Layer, path: &str, contains: &str) {
    assert_eq!(err.layer(), layer, "{err}");
    assert_eq!(err.path(), path, "{err}");
    assert!(
        err.message().contains(contains),
        "{err:?} should mention {contains:?}"
    );
    let text = err.to_string();
    assert!(text.starts_with(layer.name()), "{text}");
    if !path.is_empty() {
        assert!(text.contains(&format!(": {path}: ")), "{text}");
    }
}

fn envelope_err(text: &str) -> Error {
    Message::from_json(text).expect_err(text)
}

#[test]
fn envelope_errors() {
    check(
        envelope_err(r#"{"headers":{}}"#),
        Layer::Envelope,
        "type",
        "missing field",
    );
    check(
        envelope_err(r#"{"type":5}"#),
        Layer::Envelope,
        "type",
        "expected a string",
    );
    check(
        envelope_err(r#"{"type":"EVENT",}"#),
        Layer::Envelope,
        "",
        "trailing comma at line 1 column 17",
    );
    check(
        envelope_err("[1]"),
        Layer::Envelope,
        "",
        "expected a message envelope object",
    );
    check(
        envelope_err(r#"{"type":"EVENT","headers":{},"headers":{}}"#),
        Layer::Envelope,
        "headers",
        "duplicate field",
    );
    check(
        envelope_err(r#"{"type":"EVENT","type":"TASK"}"#),
        Layer::Envelope,
        "type",
        "duplicate field",
    );
    check(
        envelope_err(r#"{"type":"EVENT","payload":"a","payload":{}}"#),
        Layer::Envelope,
        "payload",
        "duplicate field",
    );
    check(
        envelope_err(r#"{"type":"EVENT","x":1,"x":2}"#),
        Layer::Envelope,
        "x",
        "duplicate field",
    );
    check(
        envelope_err(r#"{"type":"EVENT"} x"#),
        Layer::Envelope,
        "",
        "trailing characters",
    );
    check(
        envelope_err(r#"{"type":"EVENT","payload":"\u12"}"#),
        Layer::Envelope,
        "payload",
        "escape",
    );
    check(envelope_err(""), Layer::Envelope, "", "EOF");
    assert!(Message::from_slice(b"{\"type\":\"EVENT\",\"payload\":\"\xff\"}").is_err());
    // A payload that is not a string is kept, and reported when a typed body is asked for.
    let msg = Message::from_json(r#"{"type":"BEHAVIOR_RESPONSE","payload":{"a":1}}"#).unwrap();
    check(
        msg.behavior_response().unwrap_err(),
        Layer::Envelope,
        "payload",
        "expected a string, found an object",
    );
    let msg = Message::from_json(r#"{"type":"EVENT"}"#).unwrap();
    check(
        msg.body().unwrap_err(),
        Layer::Envelope,
        "payload",
        "missing field",
    );
}

fn invocation(payload: &str) -> String {
    json!({"type":"BEHAVIOR_INVOCATION","headers":{"taskId":"t"},"payload":payload}).to_string()
}

fn with_arguments(arguments: serde_json::Value) -> String {
    invocation(&json!({ "arguments": arguments }).to_string())
}

fn chain(text: &str) -> Error {
    let msg = Message::from_json(text).unwrap();
    match msg.behavior_invocation() {
        Err(e) => e,
        Ok(inv) => match inv.arguments.object_extension() {
            Err(e) => e,
            Ok(env) => env.payload().expect_err("payload should fail"),
        },
    }
}

#[test]
fn invocation_errors() {
    let t = r#"{"type":"BEHAVIOR_INVOCATION","headers":{"taskId":5},"payload":"{}"}"#;
    check(
        chain(t),
        Layer::InvocationHeaders,
        "headers.taskId",
        "expected a string",
    );
    let t =
        r#"{"type":"BEHAVIOR_INVOCATION","headers":{"context":{"rights":"all"}},"payload":"{}"}"#;
    check(
        chain(t),
        Layer::InvocationHeaders,
        "headers.context.rights",
        "expected a sequence",
    );
    let t = r#"{"type":"BEHAVIOR_INVOCATION","headers":[],"payload":"{}"}"#;
    check(
        chain(t),
        Layer::InvocationHeaders,
        "headers",
        "invalid type: sequence",
    );
    check(
        chain(r#"{"type":"BEHAVIOR_INVOCATION","headers":{}}"#),
        Layer::InvocationArguments,
        "payload",
        "missing field",
    );
    check(
        chain(r#"{"type":"BEHAVIOR_INVOCATION","payload":{}}"#),
        Layer::InvocationArguments,
        "payload",
        "expected a string, found an object",
    );
    check(
        chain(&invocation("not json")),
        Layer::InvocationArguments,
        "payload",
        "expected ident",
    );
    check(
        chain(&invocation("[]")),
        Layer::InvocationArguments,
        "payload",
        "invalid type: sequence",
    );
    check(
        chain(&invocation(
            r#"{"_execution_properties":{"invocation_timeout":"x"}}"#,
        )),
        Layer::InvocationArguments,
        "payload._execution_properties.invocation_timeout",
        "expected u64",
    );
    check(
        chain(&invocation(r#"{"_metadata":{"taskId":1}}"#)),
        Layer::InvocationArguments,
        "payload._metadata.taskId",
        "expected a string",
    );
    let t = r#"{"type":"BEHAVIOR_INVOCATION","headers":{"payload":"{\"typeId\":1}"}}"#;
    check(
        chain(t),
        Layer::InvocationArguments,
        "headers.payload.typeId",
        "expected a string",
    );
    let text = invocation(r#"{"arguments":{"size":1}}"#);
    let msg = Message::from_json(&text).unwrap();
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Args {
        size: String,
    }
    let inv = msg.behavior_invocation().unwrap();
    check(
        inv.arguments.arguments_as::<Args>().unwrap_err(),
        Layer::InvocationArguments,
        "payload.arguments.size",
        "expected a string",
    );
}

#[test]
fn object_extension_envelope_errors() {
    const L: Layer = Layer::ObjectExtensionEnvelope;
    check(
        chain(&invocation("{}")),
        L,
        "payload.arguments",
        "missing field",
    );
    check(
        chain(&with_arguments(json!(5))),
        L,
        "payload.arguments",
        "expected an object or a JSON-encoded string, found a number",
    );
    let base = json!({"envelopeType":"HalfDuplexEnvelope","payloadType":"Echo","phase":"p","payload":"{}"});
    let mut v = base.clone();
    v["payload"] = json!(5);
    check(
        chain(&with_arguments(v.clone())),
        L,
        "payload.arguments.payload",
        "expected a string",
    );
    // The same inside a JSON-encoded string.
    check(
        chain(&with_arguments(json!(v.to_string()))),
        L,
        "payload.arguments.payload",
        "expected a string",
    );
    let mut v = base.clone();
    v.as_object_mut().unwrap().remove("payloadType");
    check(
        chain(&with_arguments(v)),
        L,
        "payload.arguments.payloadType",
        "missing field",
    );
    let mut v = base.clone();
    v.as_object_mut().unwrap().remove("envelopeType");
    check(
        chain(&with_arguments(v)),
        L,
        "payload.arguments.envelopeType",
        "missing field",
    );
    let mut v = base.clone();
    v["envelopeType"] = json!("Simplex");
    check(
        chain(&with_arguments(v)),
        L,
        "payload.arguments.envelopeType",
        "unknown envelopeType \"Simplex\"",
    );
    let mut v = base.clone();
    v["envelopeType"] = json!(1);
    check(
        chain(&with_arguments(v)),
        L,
        "payload.arguments.envelopeType",
        "expected a string, found a number",
    );
    let mut v = base.clone();
    v["envelopeType"] = json!("ErrorMessageEnvelope");
    check(
        chain(&with_arguments(v)),
        L,
        "payload.arguments.correlationIdRef",
        "missing field",
    );
    check(
        chain(&with_arguments(json!("{not json"))),
        L,
        "payload.arguments",
        "key must be a string",
    );
    check(
        chain(&with_arguments(json!("[1]"))),
        L,
        "payload.arguments",
        "expected an object, found an array",
    );
    // From a behavior response.
    let msg = Message::from_json(
        r#"{"type":"BEHAVIOR_RESPONSE","payload":"{\"envelopeType\":\"HalfDuplexEnvelope\"}"}"#,
    )
    .unwrap();
    check(
        msg.behavior_response()
            .unwrap()
            .object_extension()
            .unwrap_err(),
        L,
        "payload.payloadType",
        "missing field",
    );
    let msg = Message::from_json(
        r#"{"type":"BEHAVIOR_RESPONSE","headers":{"contentType":"application/vnd.vmware.vcloud.task+json"},"payload":"{\"status\":\"running\"}"}"#,
    )
    .unwrap();
    check(
        msg.behavior_response()
            .unwrap()
            .object_extension()
            .unwrap_err(),
        L,
        "payload",
        "task update",
    );
    // On its own.
    check(
        ObjectExtensionEnvelope::from_json(
            r#"{"envelopeType":"HalfDuplexEnvelope","payloadType":1}"#,
        )
        .unwrap_err(),
        L,
        "payloadType",
        "expected a string",
    );
}

#[test]
fn object_extension_payload_errors() {
    const L: Layer = Layer::ObjectExtensionPayload;
    let env = |ptype: &str, payload: &str| {
        with_arguments(
            json!({"envelopeType":"HalfDuplexEnvelope","payloadType":ptype,"phase":"p","payload":payload}),
        )
    };
    // Paths are relative to the envelope; with_prefix places them in the message.
    let e = chain(&env("Echo", r#"{"message":5}"#));
    check(e.clone(), L, "payload.message", "expected a string");
    check(
        e.with_prefix("payload.arguments"),
        L,
        "payload.arguments.payload.message",
        "expected a string",
    );
    check(
        chain(&env("Echo", "{}")),
        L,
        "payload.message",
        "missing field",
    );
    check(
        chain(&env("ExtensionErrorMessage", r#"{"message":"m"}"#)),
        L,
        "payload.majorErrorCode",
        "missing field",
    );
    check(
        chain(&env(
            "ExtensionErrorMessage",
            r#"{"message":"m","majorErrorCode":3000000000}"#,
        )),
        L,
        "payload.majorErrorCode",
        "expected i32",
    );
    check(
        chain(&env(
            "NetworkCreationResponse",
            r#"{"Status":{"Success":"yes"}}"#,
        )),
        L,
        "payload.Status.Success",
        "expected a boolean",
    );
    check(
        chain(&env(
            "ResolveNetworksBackingRequest",
            r#"{"TransportZoneId":"t","ResourcePool":"r","NetworkIds":{"NetworkId":[1]}}"#,
        )),
        L,
        "payload.NetworkIds.NetworkId[0]",
        "expected a string",
    );
    check(
        chain(&env("Requirements", r#"{"a":"#)),
        L,
        "payload.a",
        "EOF",
    );
    check(chain(&env("Echo", "")), L, "payload", "EOF");
    check(
        ObjectExtensionPayload::decode("Echo", "[]").unwrap_err(),
        L,
        "",
        "invalid type: sequence",
    );
}

fn response(headers: serde_json::Value, payload: &str) -> Error {
    let s = json!({"type":"BEHAVIOR_RESPONSE","headers":headers,"payload":payload}).to_string();
    Message::from_json(&s)
        .unwrap()
        .behavior_response()
        .unwrap_err()
}

#[test]
fn behavior_response_and_task_update_errors() {
    let task = json!({"contentType": CONTENT_TYPE_TASK});
    check(
        response(json!({"contentType":5}), "x"),
        Layer::BehaviorResponseHeaders,
        "headers.contentType",
        "expected a string",
    );
    check(
        response(task.clone(), r#"{"status":"running","progress":150}"#),
        Layer::TaskUpdate,
        "payload.progress",
        "progress 150 is not in 0..=100",
    );
    check(
        response(task.clone(), r#"{"status":"running","progress":-1}"#),
        Layer::TaskUpdate,
        "payload.progress",
        "progress -1 is not in 0..=100",
    );
    check(
        response(task.clone(), r#"{"status":"running","progress":1.5}"#),
        Layer::TaskUpdate,
        "payload.progress",
        "expected i64",
    );
    check(
        response(task.clone(), r#"{"status":"sleeping"}"#),
        Layer::TaskUpdate,
        "payload.status",
        "unknown variant `sleeping`",
    );
    check(
        response(task.clone(), r#"{"progress":1}"#),
        Layer::TaskUpdate,
        "payload.status",
        "missing field",
    );
    check(
        response(task.clone(), "done"),
        Layer::TaskUpdate,
        "payload",
        "expected value",
    );
    check(
        response(
            task.clone(),
            r#"{"status":"error","error":{"majorErrorCode":"x"}}"#,
        ),
        Layer::TaskUpdate,
        "payload.error.majorErrorCode",
        "expected i64",
    );
    check(
        response(task, r#"{"status":"success","result":[]}"#),
        Layer::TaskUpdate,
        "payload.result",
        "invalid type: sequence",
    );
    // Content type matching ignores case and parameters.
    let s = json!({"type":"BEHAVIOR_RESPONSE","headers":{"contentType":"Application/VND.vmware.vcloud.task+json; charset=utf-8"},"payload":"{\"status\":\"running\"}"}).to_string();
    assert!(Message::from_json(&s)
        .unwrap()
        .behavior_response()
        .unwrap()
        .content
        .task_update()
        .is_some());
}

fn body_err(v: serde_json::Value) -> Error {
    Message::from_json(&v.to_string())
        .unwrap()
        .body()
        .unwrap_err()
}

fn b64(s: &str) -> serde_json::Value {
    serde_json::to_value(Bytes::new(s.as_bytes().to_vec())).unwrap()
}

#[test]
fn api_errors() {
    const R: Layer = Layer::ApiRequest;
    check(
        body_err(json!({"type":"API_REQUEST","headers":{}})),
        R,
        "httpRequest",
        "missing field",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":"!!!"})),
        R,
        "httpRequest",
        "invalid base64",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":[1,300]})),
        R,
        "httpRequest",
        "byte value 300 out of range",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":[1,"a"]})),
        R,
        "httpRequest[1]",
        "expected i64",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":{"a":1}})),
        R,
        "httpRequest",
        "expected bytes as a base64 string or an array of numbers",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":b64("not json")})),
        R,
        "httpRequest",
        "expected ident",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":b64("{}")})),
        R,
        "httpRequest.message",
        "missing field",
    );
    check(
        body_err(
            json!({"type":"API_REQUEST","httpRequest":b64(r#"{"message":{"remotePort":"x"}}"#)}),
        ),
        R,
        "httpRequest.message.remotePort",
        "expected u16",
    );
    check(
        body_err(json!({"type":"API_REQUEST","httpRequest":b64(r#"{"message":{"body":"%"}}"#)})),
        R,
        "httpRequest.message.body",
        "invalid base64",
    );
    check(
        body_err(
            json!({"type":"API_REQUEST","httpRequest":b64(r#"{"message":{"headers":{"a":1}}}"#)}),
        ),
        R,
        "httpRequest.message.headers.a",
        "expected a string",
    );
    check(
        body_err(
            json!({"type":"API_REQUEST","httpRequest":b64(r#"{"message":{}}"#),"linkApiBaseUrl":5}),
        ),
        R,
        "linkApiBaseUrl",
        "expected a string, found a number",
    );
    check(
        body_err(
            json!({"type":"API_REQUEST","headers":{"context":{"rights":5}},"httpRequest":"e30="}),
        ),
        Layer::ApiRequestHeaders,
        "headers.context.rights",
        "expected a sequence",
    );
    check(
        ApiRequest::payload_from_bytes(b"{\"message\":[]}").unwrap_err(),
        R,
        "message",
        "invalid type: sequence",
    );
    const S: Layer = Layer::ApiResponse;
    check(
        body_err(json!({"type":"API_RESPONSE","headers":{}})),
        S,
        "httpResponse",
        "missing field",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","headers":{"requestId":1},"httpResponse":{}})),
        S,
        "headers.requestId",
        "expected a string",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","httpResponse":{}})),
        S,
        "httpResponse.statusCode",
        "missing field",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","httpResponse":{"statusCode":70000}})),
        S,
        "httpResponse.statusCode",
        "expected u16",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","httpResponse":{"statusCode":200,"body":"%%"}})),
        S,
        "httpResponse.body",
        "invalid base64",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","httpResponse":b64("{}")})),
        S,
        "httpResponse.statusCode",
        "missing field",
    );
    check(
        body_err(json!({"type":"API_RESPONSE","httpResponse":true})),
        S,
        "httpResponse",
        "expected bytes",
    );
}

fn event(content_type: &str, payload: &str) -> Error {
    body_err(json!({"type":"EVENT","headers":{"contentType":content_type},"payload":payload}))
}

#[test]
fn notification_errors() {
    const X: Layer = Layer::NotificationXml;
    check(
        event("application/json", r#"{"operationSuccess":"yes"}"#),
        Layer::NotificationJson,
        "payload.operationSuccess",
        "expected a boolean",
    );
    check(
        event("application/json", "<Notification/>"),
        Layer::NotificationJson,
        "payload",
        "expected value",
    );
    check(
        event("application/xml", "<a/>"),
        X,
        "payload",
        "at byte 0: expected root element Notification, found a",
    );
    check(
        event(
            "application/xml",
            "<Notification><OperationSuccess>maybe</OperationSuccess></Notification>",
        ),
        X,
        "payload.Notification.OperationSuccess",
        "at byte 37: expected xs:boolean, found \"maybe\"",
    );
    check(
        event(
            "application/xml",
            r#"<Notification><EntityLink id="x"/></Notification>"#,
        ),
        X,
        "payload.Notification.EntityLink.@rel",
        "at byte 14: missing attribute",
    );
    check(
        event("application/xml", r#"<Notification eventId="a&bogus;"/>"#),
        X,
        "payload.Notification.@eventId",
        "unrecognized entity `bogus`",
    );
    check(
        event(
            "application/xml",
            "<Notification><Timestamp>x</Notification>",
        ),
        X,
        "payload.Notification",
        "at byte 26: ill-formed document",
    );
    check(
        event("application/xml", "just text"),
        X,
        "payload",
        "no Notification element",
    );
    check(
        event("application/xml", ""),
        X,
        "payload",
        "no Notification element",
    );
    check(
        event("application/xml", r#"<Notification a="1" a="2"/>"#),
        X,
        "payload.Notification",
        "duplicated",
    );
    check(
        body_err(json!({"type":"TASK","payload":"<Notification/><Notification/>"})),
        X,
        "payload",
        "at byte 15: a second root element",
    );
    check(
        body_err(json!({"type":"EVENT","headers":{"contentType":5},"payload":""})),
        Layer::NotificationHeaders,
        "headers.contentType",
        "expected a string",
    );
    // Without a content type the payload's first character decides.
    let ok = Message::from_json(
        r#"{"type":"EXTERNAL_EVENT","payload":" <x:Notification xmlns:x=\"u\" eventId=\"e\"/>"}"#,
    )
    .unwrap();
    assert_eq!(ok.notification().unwrap().format, NotificationFormat::Xml);
    check(
        Notification::from_xml("<Notification").unwrap_err(),
        X,
        "Notification",
        "at byte 0",
    );
}

#[test]
fn topic_errors() {
    const T: Layer = Layer::Topic;
    check(
        ExtensionService::new("", "n", "1").unwrap_err(),
        T,
        "vendor",
        "must not be empty",
    );
    check(
        ExtensionService::new("a/b", "n", "1").unwrap_err(),
        T,
        "vendor",
        "must not contain '/'",
    );
    check(
        ExtensionService::new("v", "n+", "1").unwrap_err(),
        T,
        "name",
        "must not contain '+'",
    );
    check(
        ExtensionService::new("v", "n", "#").unwrap_err(),
        T,
        "version",
        "must not contain '#'",
    );
    check(
        ExtensionService::new("v", "n\0", "1").unwrap_err(),
        T,
        "name",
        "must not contain '\\0'",
    );
    check(
        ExtensionService::new("v:w", "n", "1").unwrap_err(),
        T,
        "vendor",
        "must not contain ':'",
    );
    check(
        ExtensionService::new("v", "n".repeat(2000), "1").unwrap_err(),
        T,
        "name",
        "at most 1024",
    );
    check(
        ExtensionService::from_urn("urn:vcloud:extension:v:n:1").unwrap_err(),
        T,
        "urn",
        "expected prefix",
    );
    check(
        ExtensionService::from_urn("urn:vcloud:extension-api:v:n").unwrap_err(),
        T,
        "urn",
        "found 2 part(s)",
    );
    check(
        ExtensionService::from_urn("urn:vcloud:extension-api:v:n:1:2").unwrap_err(),
        T,
        "urn",
        "found 4 part(s)",
    );
    check(
        ExtensionService::from_urn("urn:vcloud:extension-api:v::1").unwrap_err(),
        T,
        "name",
        "must not be empty",
    );
    check(
        ExtensionService::from_urn("urn:vcloud:extension-api:v/x:n:1").unwrap_err(),
        T,
        "vendor",
        "must not contain '/'",
    );
    check(
        notification_user_name("", "org").unwrap_err(),
        T,
        "user",
        "must not be empty",
    );
    check(
        notification_user_name("a@b", "org").unwrap_err(),
        T,
        "user",
        "must not contain '@'",
    );
    check(
        notification_user_name("a", "").unwrap_err(),
        T,
        "org",
        "must not be empty",
    );
    check(
        websocket_url("").unwrap_err(),
        T,
        "host",
        "must not be empty",
    );
    check(
        websocket_url("https://vcd").unwrap_err(),
        T,
        "host",
        "must not contain '/'",
    );
    check(
        websocket_url("vcd example").unwrap_err(),
        T,
        "host",
        "must not contain ' '",
    );
}

#[cfg(feature = "codec")]
#[test]
fn encode_errors() {
    use vcd_mqtt_codec::QosPid;
    let msg = Message::from_json(r#"{"type":"EVENT","payload":"{}"}"#).unwrap();
    let mut out = vec![1, 2];
    check(
        msg.encode_publish("a/+", QosPid::AtMostOnce, false, &mut out)
            .unwrap_err(),
        Layer::Encode,
        "topic",
        "MQTT-",
    );
    assert_eq!(out, [1, 2], "nothing appended on error");
    check(
        msg.encode_publish("", QosPid::AtMostOnce, false, &mut out)
            .unwrap_err(),
        Layer::Encode,
        "topic",
        "",
    );
    let mut buf = Vec::new();
    check(
        msg.to_publish("a/#", QosPid::AtMostOnce, &mut buf)
            .unwrap_err(),
        Layer::Encode,
        "topic",
        "",
    );
}

#[test]
fn error_display_and_prefix() {
    let e = Error::new(Layer::TaskUpdate, "", "bad");
    assert_eq!(e.to_string(), "task update: bad");
    assert_eq!(
        e.clone().with_prefix("payload").to_string(),
        "task update: payload: bad"
    );
    assert_eq!(
        Error::new(Layer::Envelope, "[2]", "x")
            .with_prefix("a")
            .path(),
        "a[2]"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert_eq!(boxed.to_string(), "task update: bad");
}

/// `Message::object_extension` (the direct way to the envelope) gives the same envelope, and the
/// same error (layer, path, message), as `behavior_invocation()?.object_extension()`.
#[test]
fn direct_object_extension_matches_the_layered_route() {
    let base = json!({"envelopeType":"HalfDuplexEnvelope","payloadType":"Echo","phase":"p","payload":"{}","correlationId":"c","x":[1]});
    let error_env = json!({"envelopeType":"ErrorMessageEnvelope","payloadType":"Echo","phase":"p","payload":"{}","correlationIdRef":"r","correlationId":5});
    let mut cases = vec![
        with_arguments(base.clone()),
        with_arguments(json!(base.to_string())),
        with_arguments(error_env.clone()),
        with_arguments(json!(error_env.to_string())),
        with_arguments(json!(5)),
        with_arguments(json!("{not json")),
        with_arguments(json!("[1]")),
        invocation("{}"),
        invocation("not json"),
        invocation(r#"{"arguments":{"envelopeType":"Simplex"}}"#),
        invocation(r#"{"arguments":{"envelopeType":1}}"#),
        invocation(r#"{"arguments":{"envelopeType":"HalfDuplexEnvelope","payloadType":null}}"#),
        r#"{"type":"BEHAVIOR_INVOCATION","headers":{"payload":"{\"arguments\":{}}"}}"#.to_string(),
        r#"{"type":"BEHAVIOR_INVOCATION","payload":{}}"#.to_string(),
    ];
    for field in [
        "payload",
        "phase",
        "correlationId",
        "expectedResponsePayloadType",
    ] {
        let mut v = base.clone();
        v[field] = json!(7);
        cases.push(with_arguments(v));
    }
    for text in &cases {
        let msg = Message::from_json(text).unwrap();
        let layered = msg.behavior_invocation().and_then(|i| i.object_extension());
        assert_eq!(msg.object_extension(), layered, "{text}");
    }
    // The error envelope keeps the other variant's members as unknown ones.
    let text = with_arguments(error_env);
    let msg = Message::from_json(&text).unwrap();
    let ObjectExtensionEnvelope::ErrorMessageEnvelope(e) = msg.object_extension().unwrap() else {
        panic!("not an error envelope");
    };
    assert_eq!(e.correlation_id_ref, "r");
    assert_eq!(e.extra["correlationId"], 5);
    // A behavior response carries the envelope as its payload.
    let text = with_arguments(base);
    let reply = Message::from_json(&text)
        .unwrap()
        .behavior_invocation()
        .unwrap()
        .reply_object_extension(&Echo::new("hi").into())
        .unwrap();
    assert_eq!(
        reply.object_extension().unwrap().payload().unwrap(),
        Echo::new("hi").into()
    );
}
