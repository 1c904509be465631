//! The properties the two schema fuzz targets check.
//!
//! * [`check_message`]: arbitrary bytes into the VCD envelope decoder and every nested unwrap
//!   step (typed bodies, invocation arguments, object-extension envelope and payload, task
//!   update, API request bytes, notifications), each also fed the raw input directly.
//! * [`check_xml_notification`]: arbitrary bytes into the XML notification parser.
//!
//! Beyond "never panics", every layer that decodes must encode again and decode to an equal
//! value, and errors must name the layer they come from.

use vcd_mqtt_codec::{decode, Packet, QosPid, Status};
use vcd_mqtt_schema::dedup::{DuplicateFilter, MessageIdentity};
use vcd_mqtt_schema::{
    ApiRequest, ApiRequestPayload, Body, Error, InvocationArguments, Layer, Message, Notification,
    NotificationFormat, ObjectExtensionEnvelope, ObjectExtensionPayload, TaskUpdate,
};

/// Formats an error the way a user would see it (exercises `Display` and the accessors).
fn show(e: &Error) -> String {
    let s = e.to_string();
    let _ = (e.layer().name(), e.path(), e.message());
    s
}

/// Envelope bytes through every layer. Checks that:
/// * `Message::from_slice` fails only with `Layer::Envelope` errors, and a decoded message
///   encodes (`to_vec`) to bytes that decode to an equal message, also through a PUBLISH packet
///   (`encode_publish` → codec `decode` → `Message::from_publish`);
/// * every typed body decodes or fails without panicking, and what decodes survives its own
///   encode/decode round trip (`to_message`, `to_json`);
/// * object-extension envelopes and their payloads, task updates and invocation arguments
///   round-trip through JSON;
/// * `unwrap_all` renders; the duplicate filter recognises the same message twice;
/// * the nested decoders fed the raw input directly never panic and round-trip what they accept.
pub fn check_message(data: &[u8]) {
    match Message::from_slice(data) {
        Err(e) => {
            show(&e);
            assert_eq!(
                e.layer(),
                Layer::Envelope,
                "from_slice error from another layer: {e}"
            );
        }
        Ok(msg) => check_envelope(&msg, data),
    }
    check_nested_direct(data);
}

fn check_envelope(msg: &Message<'_>, raw: &[u8]) {
    let _ = (msg.headers_json(), msg.payload_str().map_err(|e| show(&e)));
    let _ = msg.kind.as_str();

    // Envelope round trip.
    let bytes = msg
        .to_vec()
        .unwrap_or_else(|e| panic!("decoded envelope does not encode: {e}: {msg:?}"));
    let again = Message::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("re-encoded envelope does not decode: {e}"));
    assert_eq!(&again, msg, "envelope changed in its round trip");
    assert_eq!(
        msg.to_json().ok().as_deref().map(str::as_bytes),
        Some(&bytes[..])
    );

    // Through a PUBLISH packet of the codec.
    let mut packet = Vec::new();
    let n = msg
        .encode_publish(
            "topic/extension/v/n/1/ext",
            QosPid::AtMostOnce,
            false,
            &mut packet,
        )
        .unwrap_or_else(|e| panic!("encode_publish failed: {e}"));
    assert_eq!(n, packet.len());
    match decode(&packet) {
        Ok(Status::Complete((Packet::Publish(p), used))) => {
            assert_eq!(used, n);
            let from_publish =
                Message::from_publish(&p).unwrap_or_else(|e| panic!("from_publish failed: {e}"));
            assert_eq!(&from_publish, msg, "message changed through a PUBLISH");
        }
        other => panic!("encode_publish wrote something else: {other:?}"),
    }

    // Duplicate detection: the same message twice is a duplicate.
    let id = MessageIdentity::of(msg, raw);
    let _ = id.digest();
    let mut filter = DuplicateFilter::new(4);
    assert!(
        filter.first_time(msg, raw),
        "a fresh filter saw the message before"
    );
    assert!(
        !filter.first_time(msg, raw),
        "the same message twice was not a duplicate"
    );
    assert!(filter.contains(&id));

    // Every typed body, whatever the `type`.
    match msg.body() {
        Ok(Body::Unknown) => assert!(msg.kind.is_unknown(), "known type gave Body::Unknown"),
        Ok(_) => {}
        Err(e) => {
            show(&e);
        }
    }
    match msg.behavior_invocation() {
        Ok(inv) => {
            let _ = (inv.task_id(), inv.entity_id());
            check_invocation_arguments(&inv.arguments);
            match inv.object_extension() {
                Ok(env) => check_object_extension(&env),
                Err(e) => {
                    show(&e);
                }
            }
            let _ = inv.reply_text("ok").map(|m| m.to_vec());
        }
        Err(e) => {
            show(&e);
        }
    }
    match msg.behavior_response() {
        Ok(r) => {
            if let Some(u) = r.content.task_update() {
                check_task_update(u);
            }
            let _ = r.content.text();
            match r.object_extension() {
                Ok(env) => check_object_extension(&env),
                Err(e) => {
                    show(&e);
                }
            }
            let m = r
                .to_message()
                .unwrap_or_else(|e| panic!("decoded response does not encode: {e}: {r:?}"));
            let back = m
                .behavior_response()
                .unwrap_or_else(|e| panic!("re-encoded response does not decode: {e}"));
            assert_eq!(back, r, "behavior response changed in its round trip");
        }
        Err(e) => {
            show(&e);
        }
    }
    match msg.api_request() {
        Ok(req) => {
            let m = req
                .to_message()
                .unwrap_or_else(|e| panic!("decoded API request does not encode: {e}: {req:?}"));
            let back = m
                .api_request()
                .unwrap_or_else(|e| panic!("re-encoded API request does not decode: {e}"));
            assert_eq!(back, req, "API request changed in its round trip");
            let _ = req.request.message.is_request();
            let _ = req.respond(200, Default::default(), b"{}".to_vec());
        }
        Err(e) => {
            show(&e);
        }
    }
    match msg.api_response() {
        Ok(resp) => {
            let m = resp
                .to_message()
                .unwrap_or_else(|e| panic!("decoded API response does not encode: {e}: {resp:?}"));
            let back = m
                .api_response()
                .unwrap_or_else(|e| panic!("re-encoded API response does not decode: {e}"));
            assert_eq!(back, resp, "API response changed in its round trip");
        }
        Err(e) => {
            show(&e);
        }
    }
    match msg.notification() {
        Ok(n) => match n.format {
            NotificationFormat::Json => check_notification_json(&n.notification),
            NotificationFormat::Xml => check_notification_xml(&n.notification),
        },
        Err(e) => {
            show(&e);
        }
    }
    let _ = msg.unwrap_all().to_string();
}

fn check_invocation_arguments(a: &InvocationArguments) {
    let json = a
        .to_json()
        .unwrap_or_else(|e| panic!("decoded invocation arguments do not encode: {e}: {a:?}"));
    let back = InvocationArguments::from_json(&json)
        .unwrap_or_else(|e| panic!("re-encoded invocation arguments do not decode: {e}: {json}"));
    assert_eq!(&back, a, "invocation arguments changed in their round trip");
    let _ = a.is_object_extension();
    let _ = a.arguments_as::<serde_json::Value>().map_err(|e| show(&e));
    match a.object_extension() {
        Ok(env) => check_object_extension(&env),
        Err(e) => {
            show(&e);
        }
    }
}

fn check_object_extension(env: &ObjectExtensionEnvelope) {
    let _ = (
        env.envelope_type(),
        env.payload_type(),
        env.phase(),
        env.payload_json(),
        env.correlation_id(),
        env.client_request_id(),
        env.namespace(),
    );
    let json = env
        .to_json()
        .unwrap_or_else(|e| panic!("decoded envelope does not encode: {e}: {env:?}"));
    let back = ObjectExtensionEnvelope::from_json(&json).unwrap_or_else(|e| {
        panic!("re-encoded object-extension envelope does not decode: {e}: {json}")
    });
    assert_eq!(
        &back, env,
        "object-extension envelope changed in its round trip"
    );
    match env.payload() {
        Ok(p) => {
            check_payload(&p);
            let _ = env.reply(&p).map(|r| r.payload_type.clone());
        }
        Err(e) => {
            show(&e);
        }
    }
}

fn check_payload(p: &ObjectExtensionPayload) {
    let json = p
        .to_json()
        .unwrap_or_else(|e| panic!("decoded payload does not encode: {e}: {p:?}"));
    let back = ObjectExtensionPayload::decode(p.payload_type(), &json)
        .unwrap_or_else(|e| panic!("re-encoded payload does not decode: {e}: {json}"));
    assert_eq!(
        &back, p,
        "object-extension payload changed in its round trip"
    );
    let _ = p.to_value();
}

fn check_task_update(u: &TaskUpdate) {
    let json = u
        .to_json()
        .unwrap_or_else(|e| panic!("decoded task update does not encode: {e}: {u:?}"));
    let back = TaskUpdate::from_json(&json)
        .unwrap_or_else(|e| panic!("re-encoded task update does not decode: {e}: {json}"));
    assert_eq!(&back, u, "task update changed in its round trip");
    let _ = u.status.is_final();
}

fn check_notification_json(n: &Notification) {
    let json = n
        .to_json()
        .unwrap_or_else(|e| panic!("decoded notification does not encode: {e}: {n:?}"));
    let back = Notification::from_json(&json)
        .unwrap_or_else(|e| panic!("re-encoded notification does not decode: {e}: {json}"));
    assert_eq!(&back, n, "JSON notification changed in its round trip");
}

fn check_notification_xml(n: &Notification) {
    let xml = n.to_xml();
    let back = Notification::from_xml(&xml)
        .unwrap_or_else(|e| panic!("re-encoded XML notification does not decode: {e}: {xml}"));
    assert_eq!(
        &back, n,
        "XML notification changed in its round trip: {xml}"
    );
}

/// One nested decoder on the raw input, as if it were the string at that layer. Which one is
/// picked by the input's length (mutations that add or remove bytes move an input between
/// them), so each execution parses the input about twice rather than twenty times.
fn check_nested_direct(data: &[u8]) {
    let typed = ObjectExtensionPayload::TYPED;
    let choice = data.len() % (5 + typed.len() + 1);
    if choice == 0 {
        match ApiRequest::payload_from_bytes(data) {
            Ok(p) => {
                let json = serde_json::to_vec(&p).expect("an API request payload serialises");
                let back: ApiRequestPayload =
                    ApiRequest::payload_from_bytes(&json).unwrap_or_else(|e| {
                        panic!("re-encoded API request payload does not decode: {e}")
                    });
                assert_eq!(back, p, "API request payload changed in its round trip");
            }
            Err(e) => {
                show(&e);
            }
        }
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let result = match choice {
        1 => InvocationArguments::from_json(text).map(|a| check_invocation_arguments(&a)),
        2 => ObjectExtensionEnvelope::from_json(text).map(|env| check_object_extension(&env)),
        3 => TaskUpdate::from_json(text).map(|u| check_task_update(&u)),
        4 => Notification::from_json(text).map(|n| check_notification_json(&n)),
        k => {
            let payload_type = typed.get(k - 5).copied().unwrap_or("Unlisted");
            ObjectExtensionPayload::decode(payload_type, text).map(|p| check_payload(&p))
        }
    };
    if let Err(e) = result {
        show(&e);
    }
}

/// Arbitrary bytes into the XML notification parser. Checks that errors come from
/// `Layer::NotificationXml` and that an accepted notification writes XML (`to_xml`) that parses
/// back to an equal notification, and JSON that does too.
pub fn check_xml_notification(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Notification::from_xml(&text) {
        Ok(n) => {
            check_notification_xml(&n);
            check_notification_json(&n);
        }
        Err(e) => {
            show(&e);
            assert_eq!(
                e.layer(),
                Layer::NotificationXml,
                "error from another layer: {e}"
            );
        }
    }
}
