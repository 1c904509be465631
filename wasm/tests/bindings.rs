//! `wasm-bindgen-test` tests of the bindings, run under Node by `wasm-bindgen-test-runner`:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test -p vcd-mqtt-wasm --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect, Uint8Array};
use vcd_mqtt_wasm::packet::ChunkArg;
use vcd_mqtt_wasm::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn bytes(v: &JsValue) -> Vec<u8> {
    v.dyn_ref::<Uint8Array>().expect("a Uint8Array").to_vec()
}

/// Bytes as the `Uint8Array` JavaScript would pass.
fn chunk(b: &[u8]) -> ChunkArg {
    Uint8Array::from(b).unchecked_into()
}

fn decode(b: &[u8]) -> JsValue {
    get(&decode_packet(&chunk(b), None).unwrap(), "packet")
}

#[wasm_bindgen_test]
fn publish_encodes_to_known_bytes_and_decodes_back() {
    let options: JsValue = obj(&[
        ("topic", "a/b".into()),
        ("qos", 1.into()),
        ("packetId", 7.into()),
        ("retain", true.into()),
        ("payload", Uint8Array::from(&[1u8, 2, 3][..]).into()),
    ]);
    let out = encode_publish(options.unchecked_into()).unwrap();
    assert_eq!(out, [0x33, 0x0a, 0, 3, b'a', b'/', b'b', 0, 7, 1, 2, 3]);
    let packet = decode(&out);
    assert_eq!(get(&packet, "type"), "publish");
    assert_eq!(get(&packet, "topic"), "a/b");
    assert_eq!(get(&packet, "qos"), 1);
    assert_eq!(get(&packet, "packetId"), 7);
    assert_eq!(get(&packet, "retain"), true);
    assert_eq!(get(&packet, "dup"), false);
    assert_eq!(bytes(&get(&packet, "payload")), [1, 2, 3]);
}

#[wasm_bindgen_test]
fn connect_with_credentials_and_will() {
    let will = obj(&[
        ("topic", "w".into()),
        ("message", "bye".into()),
        ("qos", 1.into()),
    ]);
    let options = obj(&[
        ("clientId", "c1".into()),
        ("keepAlive", 30.into()),
        ("username", "u".into()),
        ("password", "p".into()),
        ("will", will),
    ]);
    let out = encode_connect(options.unchecked_into()).unwrap();
    assert_eq!(out[0], 0x10);
    assert_eq!(
        out[9], 0b1100_1110,
        "user name, password, will QoS 1, will flag, clean session"
    );
    let packet = decode(&out);
    assert_eq!(get(&packet, "clientId"), "c1");
    assert_eq!(get(&packet, "keepAlive"), 30);
    assert_eq!(get(&packet, "username"), "u");
    assert_eq!(bytes(&get(&packet, "password")), b"p");
    assert_eq!(bytes(&get(&get(&packet, "will"), "message")), b"bye");
}

#[wasm_bindgen_test]
fn acks_and_empty_packets() {
    assert_eq!(encode_puback(1.0).unwrap(), [0x40, 2, 0, 1]);
    assert_eq!(encode_pubrec(2.0).unwrap(), [0x50, 2, 0, 2]);
    assert_eq!(encode_pubrel(3.0).unwrap(), [0x62, 2, 0, 3]);
    assert_eq!(encode_pubcomp(4.0).unwrap(), [0x70, 2, 0, 4]);
    assert_eq!(encode_pingreq().unwrap(), [0xC0, 0]);
    assert_eq!(encode_disconnect().unwrap(), [0xE0, 0]);
}

#[wasm_bindgen_test]
fn subscribe_and_unsubscribe() {
    let subs = Array::new();
    subs.push(&obj(&[("topicFilter", "a/+".into()), ("qos", 2.into())]));
    subs.push(&"b/#".into());
    let out = encode_subscribe(
        obj(&[("packetId", 5.into()), ("subscriptions", subs.into())]).unchecked_into(),
    )
    .unwrap();
    assert_eq!(
        out,
        [0x82, 14, 0, 5, 0, 3, b'a', b'/', b'+', 2, 0, 3, b'b', b'/', b'#', 0]
    );
    let list = get(&decode(&out), "subscriptions");
    assert_eq!(Array::from(&list).length(), 2);
    let filters = Array::of1(&"x".into());
    let out = encode_unsubscribe(
        obj(&[("packetId", 6.into()), ("topicFilters", filters.into())]).unchecked_into(),
    )
    .unwrap();
    assert_eq!(out, [0xA2, 5, 0, 6, 0, 1, b'x']);
}

#[wasm_bindgen_test]
fn decode_error_carries_rule_statement_offset_and_length() {
    let err = decode_packet(&chunk(&[0x60, 0x02, 0x00, 0x01]), None).unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&err, "name"), "VcdMqttError");
    assert_eq!(get(&err, "code"), "MQTT_DECODE");
    assert_eq!(get(&err, "rule"), "InvalidFlags");
    assert_eq!(get(&err, "statementId"), "MQTT-3.6.1-1");
    assert_eq!(get(&err, "offset"), 0);
    let err = decode_packet(&chunk(&[0x40, 0x02, 0x00, 0x00]), None).unwrap_err();
    assert_eq!(get(&err, "rule"), "ZeroPacketId");
    assert_eq!(get(&err, "statementId"), "MQTT-2.3.1-1");
    assert_eq!(get(&err, "offset"), 2);
    assert_eq!(get(&err, "packetLength"), 4);
}

#[wasm_bindgen_test]
fn incomplete_reports_needed_bytes() {
    let err = decode_packet(&chunk(&[0x30, 0x05, 0x00]), None).unwrap_err();
    assert_eq!(get(&err, "code"), "MQTT_INCOMPLETE");
    assert_eq!(get(&err, "needed"), 4);
    let err = decode_packet(&chunk(&[0x30]), None).unwrap_err();
    assert!(get(&err, "needed").is_null());
}

#[wasm_bindgen_test]
fn encode_error_carries_rule_and_statement() {
    let err = encode_publish(obj(&[("topic", "a/#".into())]).unchecked_into()).unwrap_err();
    assert_eq!(get(&err, "code"), "MQTT_ENCODE");
    assert_eq!(get(&err, "rule"), "WildcardInTopicName");
    assert_eq!(get(&err, "statementId"), "MQTT-3.3.2-2");
    let err = encode_puback(0.0).unwrap_err();
    assert_eq!(get(&err, "rule"), "ZeroPacketId");
    let err = encode_puback(70000.0).unwrap_err();
    assert_eq!(get(&err, "code"), "INVALID_ARGUMENT");
    assert_eq!(get(&err, "path"), "packetId");
}

#[wasm_bindgen_test]
fn stream_decoder_one_byte_at_a_time() {
    let mut all =
        encode_publish(obj(&[("topic", "t".into()), ("payload", "hello".into())]).unchecked_into())
            .unwrap();
    all.extend(encode_pingreq().unwrap());
    all.extend(encode_puback(9.0).unwrap());
    let mut decoder = StreamDecoder::new(None).unwrap();
    let mut got = Vec::new();
    for b in &all {
        got.extend(
            decoder
                .push(&chunk(std::slice::from_ref(b)))
                .unwrap()
                .iter(),
        );
    }
    assert_eq!(got.len(), 3);
    assert_eq!(bytes(&get(&got[0], "payload")), b"hello");
    assert_eq!(get(&got[1], "type"), "pingreq");
    assert_eq!(get(&got[2], "packetId"), 9);
    assert_eq!(decoder.buffered(), 0);
}

#[wasm_bindgen_test]
fn stream_decoder_skips_a_bad_packet_and_attaches_the_good_ones() {
    let mut decoder = StreamDecoder::new(None).unwrap();
    let err = decoder
        .push(&chunk(&[0xC0, 0x00, 0x40, 0x02, 0x00, 0x00, 0xD0, 0x00]))
        .unwrap_err();
    assert_eq!(get(&err, "rule"), "ZeroPacketId");
    assert_eq!(Array::from(&get(&err, "packets")).length(), 2);
    assert_eq!(Array::from(&get(&err, "errors")).length(), 1);
    assert_eq!(decoder.push(&chunk(&[0xE0, 0x00])).unwrap().length(), 1);
}

#[wasm_bindgen_test]
fn max_packet_size_option() {
    let options = obj(&[("maxPacketSize", 4.into())]);
    let mut decoder = StreamDecoder::new(Some(options.unchecked_into())).unwrap();
    assert_eq!(decoder.max_packet_size(), 4);
    let err = decoder.push(&chunk(&[0x30, 0x05])).unwrap_err();
    assert_eq!(get(&err, "rule"), "PacketTooLarge");
    assert_eq!(get(&err, "packetLength"), 7);
}

const INVOCATION: &str =
    include_str!("../../../shared/vcd/samples/object-extension-invocation.json");

#[wasm_bindgen_test]
fn decode_message_unwraps_down_to_the_echo_payload() {
    let message = decode_message(JsValue::from_str(INVOCATION).unchecked_into()).unwrap();
    assert_eq!(get(&message, "type"), "BEHAVIOR_INVOCATION");
    assert_eq!(get(&message, "known"), true);
    let body = get(&message, "body");
    assert_eq!(get(&body, "kind"), "behaviorInvocation");
    assert_eq!(
        get(&get(&body, "headers"), "taskId"),
        "7ce94181-6b78-4147-b7fe-b21558790500"
    );
    let ext = get(&body, "objectExtension");
    assert_eq!(
        get(&get(&ext, "envelope"), "correlationId"),
        "16e8a458-ec93-4285-888e-293c94b5e004"
    );
    let payload = get(&ext, "payload");
    assert_eq!(get(&payload, "payloadType"), "Echo");
    assert_eq!(get(&payload, "typed"), true);
    assert_eq!(get(&get(&payload, "value"), "message"), "Hello World!");
}

#[wasm_bindgen_test]
fn object_extension_reply_round_trips() {
    let value = obj(&[("message", "Hello back".into())]);
    let input = obj(&[("payloadType", "Echo".into()), ("value", value)]);
    let reply = build_object_extension_reply(
        JsValue::from_str(INVOCATION).unchecked_into(),
        input.unchecked_into(),
    )
    .unwrap();
    let bytes: JsValue = Uint8Array::from(&reply[..]).into();
    let message = decode_message(bytes.unchecked_into()).unwrap();
    assert_eq!(get(&message, "type"), "BEHAVIOR_RESPONSE");
    let ext = get(&get(&message, "body"), "objectExtension");
    assert_eq!(
        get(&get(&get(&ext, "payload"), "value"), "message"),
        "Hello back"
    );
}

#[wasm_bindgen_test]
fn decode_object_extension_gives_the_request_and_feeds_the_reply() {
    let request = decode_object_extension(JsValue::from_str(INVOCATION).unchecked_into()).unwrap();
    assert_eq!(
        get(&request, "taskId"),
        "7ce94181-6b78-4147-b7fe-b21558790500"
    );
    assert!(get(&request, "entityId").is_null());
    assert_eq!(
        get(&get(&request, "envelope"), "correlationId"),
        "16e8a458-ec93-4285-888e-293c94b5e004"
    );
    let payload = get(&request, "payload");
    assert_eq!(get(&payload, "payloadType"), "Echo");
    assert_eq!(get(&get(&payload, "value"), "message"), "Hello World!");

    let input = || {
        let value = obj(&[("message", "Hello back".into())]);
        obj(&[("payloadType", "Echo".into()), ("value", value)]).unchecked_into()
    };
    let from_request = build_object_extension_reply(request.unchecked_into(), input()).unwrap();
    let from_bytes =
        build_object_extension_reply(JsValue::from_str(INVOCATION).unchecked_into(), input())
            .unwrap();
    assert_eq!(from_request, from_bytes);

    let response = r#"{"type":"BEHAVIOR_RESPONSE","headers":{},"payload":"done"}"#;
    let err = decode_object_extension(JsValue::from_str(response).unchecked_into()).unwrap_err();
    assert_eq!(get(&err, "code"), "VCD_MESSAGE");
    assert_eq!(get(&err, "layer"), "envelope");
    assert_eq!(get(&err, "path"), "type");
}

#[wasm_bindgen_test]
fn message_errors_carry_layer_and_path() {
    let err = decode_message(JsValue::from_str("{not json").unchecked_into()).unwrap_err();
    assert_eq!(get(&err, "code"), "VCD_MESSAGE");
    assert_eq!(get(&err, "rule"), "Envelope");
    assert_eq!(get(&err, "layer"), "envelope");
    let err = decode_message(JsValue::from_f64(1.0).unchecked_into()).unwrap_err();
    assert_eq!(get(&err, "code"), "INVALID_ARGUMENT");
}

#[wasm_bindgen_test]
fn extension_service_topics_and_user_name() {
    let info = extension_service(
        JsValue::from_str("urn:vcloud:extension-api:vmware:echo:0.0.1").unchecked_into(),
    )
    .unwrap();
    assert_eq!(
        get(&info, "monitorTopic"),
        "topic/extension/vmware/echo/0.0.1/ext"
    );
    assert_eq!(
        get(&info, "respondTopic"),
        "topic/extension/vmware/echo/0.0.1/vcd"
    );
    assert_eq!(get(&info, "userName"), "vmware/echo/0.0.1");
    let err = extension_service(
        obj(&[
            ("vendor", "a/b".into()),
            ("name", "n".into()),
            ("version", "1".into()),
        ])
        .unchecked_into(),
    )
    .unwrap_err();
    assert_eq!(get(&err, "code"), "VCD_TOPIC");
    assert_eq!(
        notification_user_name("admin", "System").unwrap(),
        "admin@System"
    );
    assert_eq!(
        websocket_url("vcd.example.com").unwrap(),
        "wss://vcd.example.com/messaging/mqtt"
    );
}
