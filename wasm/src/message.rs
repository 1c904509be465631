//! VCD messages: `decodeMessage` unwraps every nested layer of a PUBLISH payload into typed
//! plain objects; builders answer an invocation or an API request; extension-service topic and
//! user-name helpers. Everything is delegated to `vcd-mqtt-schema`, so JavaScript and Rust
//! accept and produce exactly the same documents.

use std::collections::BTreeMap;

use js_sys::{Reflect, Uint8Array, JSON};
use serde::Serialize;
use vcd_mqtt_schema::topics::{self, ExtensionService};
use vcd_mqtt_schema::{
    ApiRequest, ApiResponse, BehaviorInvocation, BehaviorResponse, Body, Error, Layer, Message,
    NotificationFormat, NotificationMessage, ObjectExtensionEnvelope, ObjectExtensionPayload,
    ResponseContent, TaskUpdate,
};
use wasm_bindgen::prelude::*;

use crate::error::{invalid_argument, vcd_error};
use crate::js::{bytes, Obj, Reader};
use crate::types::{
    ApiResponseInputArg, BehaviorResponseInputArg, ExtensionServiceInputArg, MessageInputArg,
    ObjectExtensionPayloadInputArg,
};

type JsResult<T> = Result<T, JsValue>;

/// A schema error as a thrown `VcdMqttError`: `VCD_TOPIC` for topic/user-name parts,
/// `VCD_MESSAGE` otherwise, with `rule` (the layer's stable name), `layer` and `path`.
pub(crate) fn schema_error(e: &Error) -> JsValue {
    let layer = e.layer();
    let rule = format!("{layer:?}");
    let rule = crate::error::rule_name(&rule);
    let code = if layer == Layer::Topic {
        "VCD_TOPIC"
    } else {
        "VCD_MESSAGE"
    };
    vcd_error(
        code,
        &e.to_string(),
        rule,
        Some(e.path()),
        Some(layer.name()),
    )
}

fn schema<T>(r: Result<T, Error>) -> JsResult<T> {
    r.map_err(|e| schema_error(&e))
}

/// A serde model as a plain object (through its JSON form, so names and unknown members are
/// exactly those of the JSON document).
fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value).map_err(|e| {
        vcd_error(
            "VCD_MESSAGE",
            &format!("encode: {e}"),
            "Encode",
            None,
            Some(Layer::Encode.name()),
        )
    })?;
    JSON::parse(&text)
}

/// The bytes of a message given as `Uint8Array` or string.
fn message_bytes(value: &JsValue, path: &str) -> JsResult<Vec<u8>> {
    bytes(value).ok_or_else(|| invalid_argument(path, "a Uint8Array or a string"))
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn object_extension_js(envelope: &ObjectExtensionEnvelope) -> JsResult<JsValue> {
    let payload = schema(envelope.payload())?;
    let out = Obj::new();
    out.set("envelope", &to_js(envelope)?)
        .set("payload", &payload_js(&payload)?);
    Ok(out.into_js())
}

fn payload_js(payload: &ObjectExtensionPayload) -> JsResult<JsValue> {
    let out = Obj::new();
    out.str("payloadType", payload.payload_type())
        .bool(
            "typed",
            !matches!(payload, ObjectExtensionPayload::Other { .. }),
        )
        .set("value", &to_js(&payload.to_value())?);
    Ok(out.into_js())
}

fn invocation_js(inv: &BehaviorInvocation) -> JsResult<JsValue> {
    let out = Obj::new();
    out.set("kind", &JsValue::from_str("behaviorInvocation"))
        .set("headers", &to_js(&inv.headers)?)
        .set("arguments", &to_js(&inv.arguments)?);
    let ext = if inv.arguments.is_object_extension() {
        object_extension_js(&schema(inv.object_extension())?)?
    } else {
        JsValue::NULL
    };
    out.set("objectExtension", &ext);
    Ok(out.into_js())
}

fn looks_like_envelope(text: &str) -> bool {
    text.trim_start().starts_with('{') && text.contains("\"envelopeType\"")
}

fn response_js(resp: &BehaviorResponse) -> JsResult<JsValue> {
    let content = Obj::new();
    let mut ext = JsValue::NULL;
    match &resp.content {
        ResponseContent::Text(text) => {
            content.str("kind", "text").str("text", text);
            if looks_like_envelope(text) {
                ext = object_extension_js(&schema(resp.object_extension())?)?;
            }
        }
        ResponseContent::TaskUpdate(update) => {
            content
                .str("kind", "taskUpdate")
                .set("taskUpdate", &to_js(update)?);
        }
    }
    let out = Obj::new();
    out.str("kind", "behaviorResponse")
        .set("headers", &to_js(&resp.headers)?)
        .set("content", &content.into_js())
        .set("objectExtension", &ext);
    Ok(out.into_js())
}

fn bytes_form(form: vcd_mqtt_schema::BytesForm) -> &'static str {
    use vcd_mqtt_schema::BytesForm as F;
    match form {
        F::Base64 => "base64",
        F::Base64Unpadded => "base64Unpadded",
        F::Array => "array",
        F::SignedArray => "signedArray",
    }
}

fn api_request_js(req: &ApiRequest) -> JsResult<JsValue> {
    let request = to_js(&req.request)?;
    let message = Reflect::get(&request, &JsValue::from_str("message"))?;
    if let Some(body) = &req.request.message.body {
        set(&message, "body", &Uint8Array::from(body.as_slice()).into());
    }
    let out = Obj::new();
    out.str("kind", "apiRequest")
        .set("headers", &to_js(&req.headers)?)
        .set("request", &request)
        .str("bytesForm", bytes_form(req.bytes_form))
        .opt_str("linkApiBaseUrl", req.link_api_base_url.as_deref());
    Ok(out.into_js())
}

fn api_response_js(resp: &ApiResponse) -> JsResult<JsValue> {
    let response = to_js(&resp.response)?;
    if let Some(body) = &resp.response.body {
        set(&response, "body", &Uint8Array::from(body.as_slice()).into());
    }
    let out = Obj::new();
    out.str("kind", "apiResponse")
        .set("headers", &to_js(&resp.headers)?)
        .set("response", &response)
        .opt_str("responseForm", resp.response_form.map(bytes_form));
    Ok(out.into_js())
}

fn notification_js(n: &NotificationMessage) -> JsResult<JsValue> {
    let out = Obj::new();
    out.str("kind", "notification")
        .str(
            "format",
            match n.format {
                NotificationFormat::Json => "json",
                NotificationFormat::Xml => "xml",
            },
        )
        .set("headers", &to_js(&n.headers)?)
        .set("notification", &to_js(&n.notification)?);
    Ok(out.into_js())
}

fn body_js(body: &Body) -> JsResult<JsValue> {
    match body {
        Body::BehaviorInvocation(inv) => invocation_js(inv),
        Body::BehaviorResponse(resp) => response_js(resp),
        Body::ApiRequest(req) => api_request_js(req),
        Body::ApiResponse(resp) => api_response_js(resp),
        Body::Notification(n) => notification_js(n),
        Body::Unknown => {
            let out = Obj::new();
            out.str("kind", "unknown");
            Ok(out.into_js())
        }
    }
}

/// Decodes a VCD message (the payload of a PUBLISH, as `Uint8Array` or string) and unwraps
/// every nested layer its `type` fixes: invocation headers and arguments, the object-extension
/// envelope and its payload (by `payloadType`), the behavior response text or task update, the
/// API request bytes (base64 or number arrays) and HTTP message, the API response, JSON or XML
/// notifications. An unknown `type` is not an error (`body.kind === "unknown"`): skip it.
///
/// Throws a `VcdMqttError` with code `VCD_MESSAGE`, `layer` and the JSON `path` of the field
/// that failed, e.g. `payload.arguments.payload: expected a string`.
#[wasm_bindgen(js_name = decodeMessage, unchecked_return_type = "VcdMessage")]
pub fn decode_message(payload: MessageInputArg) -> JsResult<JsValue> {
    let data = message_bytes(&payload, "payload")?;
    let message = schema(Message::from_slice(&data))?;
    let body = schema(message.body())?;
    let headers = match &message.headers {
        Some(raw) => JSON::parse(raw.get())?,
        None => JsValue::NULL,
    };
    let out = Obj::new();
    out.str("type", message.kind.as_str())
        .bool("known", !message.kind.is_unknown())
        .set("headers", &headers)
        .opt_str("payload", message.payload.as_deref())
        .set("body", &body_js(&body)?);
    Ok(out.into_js())
}

fn invocation_from(value: &JsValue) -> JsResult<(Vec<u8>, BehaviorInvocation)> {
    let data = message_bytes(value, "invocation")?;
    let inv = {
        let message = schema(Message::from_slice(&data))?;
        schema(message.behavior_invocation())?
    };
    Ok((data, inv))
}

fn message_out(message: Result<Message<'static>, Error>) -> JsResult<Vec<u8>> {
    schema(schema(message)?.to_vec())
}

/// Builds the `BEHAVIOR_RESPONSE` answering `invocation` (the invocation message's bytes or
/// text): `{ text }` completes the task with that result (`contentType: "plain/text"`),
/// `{ taskUpdate }` sends a task update (`application/vnd.vmware.vcloud.task+json`). The task
/// and entity ids are copied from the invocation. Returns the message bytes to publish on the
/// extension's respond topic.
#[wasm_bindgen(js_name = buildBehaviorResponse)]
pub fn build_behavior_response(
    invocation: MessageInputArg,
    response: BehaviorResponseInputArg,
) -> JsResult<Vec<u8>> {
    let (_, inv) = invocation_from(&invocation)?;
    let r = Reader::new(&response, "response")?;
    let text = r.opt_string("text")?;
    let update = r.get("taskUpdate");
    match (text, update.is_undefined() || update.is_null()) {
        (Some(text), true) => message_out(inv.reply_text(&text)),
        (None, false) => {
            let json = JSON::stringify(&update)?.as_string().unwrap_or_default();
            let update =
                schema(TaskUpdate::from_json(&json).map_err(|e| e.with_prefix("taskUpdate")))?;
            message_out(inv.reply_task_update(&update))
        }
        _ => Err(invalid_argument(
            "response",
            "an object with either `text` (a string) or `taskUpdate` (an object)",
        )),
    }
}

/// Builds the reply to an object-extension invocation: `payload.value` encoded as the
/// `payload.payloadType` document, wrapped in a `HalfDuplexEnvelope` (correlation id, phase and
/// namespace copied from the request) inside a `BEHAVIOR_RESPONSE` for the invocation's task.
/// Typed payload types (`Echo`, `ExtensionErrorMessage`, the network messages) are validated
/// against their model. Returns the message bytes to publish on the respond topic.
#[wasm_bindgen(js_name = buildObjectExtensionReply)]
pub fn build_object_extension_reply(
    invocation: MessageInputArg,
    payload: ObjectExtensionPayloadInputArg,
) -> JsResult<Vec<u8>> {
    let (_, inv) = invocation_from(&invocation)?;
    let r = Reader::new(&payload, "payload")?;
    let payload_type = r.string("payloadType")?;
    let value = r.get("value");
    if value.is_undefined() {
        return Err(invalid_argument(&r.path("value"), "a JSON value"));
    }
    let json = JSON::stringify(&value)?.as_string().unwrap_or_default();
    let payload = schema(ObjectExtensionPayload::decode(&payload_type, &json))?;
    message_out(inv.reply_object_extension(&payload))
}

/// Builds the `API_RESPONSE` answering an `API_REQUEST` message (its bytes or text): the
/// request id is copied, `body` (bytes or UTF-8 text) is encoded the way the request's bytes
/// were (base64 or number array).
#[wasm_bindgen(js_name = buildApiResponse)]
pub fn build_api_response(
    request: MessageInputArg,
    response: ApiResponseInputArg,
) -> JsResult<Vec<u8>> {
    let data = message_bytes(&request, "request")?;
    let req = {
        let message = schema(Message::from_slice(&data))?;
        schema(message.api_request())?
    };
    let r = Reader::new(&response, "response")?;
    let status = r.uint("statusCode", u32::from(u16::MAX))? as u16;
    let mut headers = BTreeMap::new();
    let headers_value = r.get("headers");
    let headers_path = r.path("headers");
    if let Some(h) = Reader::optional(&headers_value, &headers_path)? {
        let keys = js_sys::Object::keys(headers_value.unchecked_ref::<js_sys::Object>());
        for key in keys.iter() {
            let name = key.as_string().unwrap_or_default();
            let value = h.string(&name)?;
            headers.insert(name, value);
        }
    }
    let body = r.opt_bytes("body")?.unwrap_or_default();
    message_out(req.respond(status, headers, body))
}

fn service_js(s: &ExtensionService) -> JsValue {
    let out = Obj::new();
    out.str("vendor", s.vendor())
        .str("name", s.name())
        .str("version", s.version())
        .str("urn", &s.urn())
        .str("monitorTopic", &s.monitor_topic())
        .str("respondTopic", &s.respond_topic())
        .str("userName", &s.user_name());
    out.into_js()
}

/// An extension service's identity, topics and MQTT user name, from `{ vendor, name, version }`
/// or from its URN `urn:vcloud:extension-api:VENDOR:NAME:VERSION`. A part that would break a
/// topic (`/`, `+`, `#`, empty, ...) throws `VCD_TOPIC`.
#[wasm_bindgen(js_name = extensionService, unchecked_return_type = "ExtensionServiceInfo")]
pub fn extension_service(service: ExtensionServiceInputArg) -> JsResult<JsValue> {
    let s = if let Some(urn) = service.as_string() {
        schema(ExtensionService::from_urn(&urn))?
    } else {
        let r = Reader::new(&service, "service")?;
        schema(ExtensionService::new(
            r.string("vendor")?,
            r.string("name")?,
            r.string("version")?,
        ))?
    };
    Ok(service_js(&s))
}

/// The MQTT user name of a notification consumer: `user@org`.
#[wasm_bindgen(js_name = notificationUserName)]
pub fn notification_user_name(user: &str, org: &str) -> JsResult<String> {
    schema(topics::notification_user_name(user, org))
}

/// The WebSocket URL of Cloud Director's MQTT endpoint for `host`:
/// `wss://{host}/messaging/mqtt` (open it with the subprotocol `"mqtt"`).
#[wasm_bindgen(js_name = websocketUrl)]
pub fn websocket_url(host: &str) -> JsResult<String> {
    schema(topics::websocket_url(host))
}
