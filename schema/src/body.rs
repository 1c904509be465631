//! The typed body of a message, one call away from the envelope, and its readable rendering.

use std::fmt;

use crate::api::{ApiRequest, ApiResponse};
use crate::error::Error;
use crate::invocation::BehaviorInvocation;
use crate::message::{Message, MessageType};
use crate::notification::NotificationMessage;
use crate::object_extension::{ObjectExtensionEnvelope, ObjectExtensionPayload};
use crate::response::{BehaviorResponse, ResponseContent};

/// The typed body of a message, chosen by its `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// `BEHAVIOR_INVOCATION`.
    BehaviorInvocation(BehaviorInvocation),
    /// `BEHAVIOR_RESPONSE`.
    BehaviorResponse(BehaviorResponse),
    /// `API_REQUEST`.
    ApiRequest(ApiRequest),
    /// `API_RESPONSE`.
    ApiResponse(ApiResponse),
    /// `EVENT`, `EXTERNAL_EVENT`, `TASK`, `EXTENSION_TASK`.
    Notification(NotificationMessage),
    /// A type this crate does not know: skip the message.
    Unknown,
}

impl Message<'_> {
    /// Decodes the typed body for this message's `type` (all layers below the envelope that the
    /// kind fixes; object-extension envelopes are one more call, see
    /// [`crate::InvocationArguments::object_extension`]).
    ///
    /// ```
    /// use vcd_mqtt_schema::{Body, Message};
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/event-json.json"))?;
    /// let msg = Message::from_slice(&bytes)?;
    /// match msg.body()? {
    ///     Body::Notification(n) => assert_eq!(n.notification.entity.as_deref(), Some("urn:vcloud:vapp:26")),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(&self) -> Result<Body, Error> {
        Ok(match &self.kind {
            MessageType::BehaviorInvocation => {
                Body::BehaviorInvocation(BehaviorInvocation::from_message(self)?)
            }
            MessageType::BehaviorResponse => {
                Body::BehaviorResponse(BehaviorResponse::from_message(self)?)
            }
            MessageType::ApiRequest => Body::ApiRequest(ApiRequest::from_message(self)?),
            MessageType::ApiResponse => Body::ApiResponse(ApiResponse::from_message(self)?),
            k if k.is_notification() => {
                Body::Notification(NotificationMessage::from_message(self)?)
            }
            _ => Body::Unknown,
        })
    }

    /// Decodes this message as a `BEHAVIOR_INVOCATION` (whatever its `type` says).
    ///
    /// The whole object-extension chain is one expression:
    ///
    /// ```
    /// use vcd_mqtt_schema::{Message, ObjectExtensionPayload};
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/object-extension-invocation.json"))?;
    /// let msg = Message::from_slice(&bytes)?;
    /// let payload = msg.behavior_invocation()?.arguments.object_extension()?.payload()?;
    /// match payload {
    ///     ObjectExtensionPayload::Echo(echo) => assert_eq!(echo.message, "Hello World!"),
    ///     other => panic!("unexpected {other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn behavior_invocation(&self) -> Result<BehaviorInvocation, Error> {
        BehaviorInvocation::from_message(self)
    }

    /// Decodes this message as a `BEHAVIOR_RESPONSE`.
    pub fn behavior_response(&self) -> Result<BehaviorResponse, Error> {
        BehaviorResponse::from_message(self)
    }

    /// Decodes this message as an `API_REQUEST`.
    pub fn api_request(&self) -> Result<ApiRequest, Error> {
        ApiRequest::from_message(self)
    }

    /// Decodes this message as an `API_RESPONSE`.
    pub fn api_response(&self) -> Result<ApiResponse, Error> {
        ApiResponse::from_message(self)
    }

    /// Decodes this message as a notification (JSON or XML form).
    pub fn notification(&self) -> Result<NotificationMessage, Error> {
        NotificationMessage::from_message(self)
    }

    /// Every layer of the message decoded as far as it goes, printable in one call.
    ///
    /// Never fails: a layer that does not decode is shown with its error, and decoding stops
    /// there. `Display` gives readable lines; `{:#}` is not special.
    ///
    /// ```
    /// use vcd_mqtt_schema::Message;
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/object-extension-invocation.json"))?;
    /// let msg = Message::from_slice(&bytes)?;
    /// let text = msg.unwrap_all().to_string();
    /// assert!(text.contains("HalfDuplexEnvelope"));
    /// assert!(text.contains("Hello World!"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unwrap_all(&self) -> Unwrapped {
        let body = self.body();
        let object_extension = match &body {
            Ok(Body::BehaviorInvocation(inv)) if inv.arguments.is_object_extension() => {
                Some(inv.object_extension())
            }
            Ok(Body::BehaviorResponse(r)) if looks_like_envelope(&r.content) => {
                Some(r.object_extension())
            }
            _ => None,
        };
        let payload = match &object_extension {
            Some(Ok(env)) => Some(env.payload()),
            _ => None,
        };
        Unwrapped {
            kind: self.kind.as_str().to_owned(),
            body,
            object_extension,
            payload,
        }
    }
}

fn looks_like_envelope(c: &ResponseContent) -> bool {
    matches!(c, ResponseContent::Text(t) if t.trim_start().starts_with('{') && t.contains("\"envelopeType\""))
}

/// All layers of a message, as far as they decode ([`Message::unwrap_all`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrapped {
    /// The `type` name.
    pub kind: String,
    /// The typed body.
    pub body: Result<Body, Error>,
    /// The object-extension envelope, for invocations and responses that carry one.
    pub object_extension: Option<Result<ObjectExtensionEnvelope, Error>>,
    /// The envelope's payload decoded by `payloadType`.
    pub payload: Option<Result<ObjectExtensionPayload, Error>>,
}

fn opt(o: &Option<String>) -> &str {
    o.as_deref().unwrap_or("-")
}

impl fmt::Display for Unwrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        let body = match &self.body {
            Err(e) => return write!(f, "\n  error: {e}"),
            Ok(b) => b,
        };
        match body {
            Body::BehaviorInvocation(inv) => {
                let h = &inv.headers;
                write!(
                    f,
                    " task={} entity={} behavior={}",
                    inv.task_id().unwrap_or("-"),
                    inv.entity_id().unwrap_or("-"),
                    opt(&h.behavior_id)
                )?;
                if let Some(c) = &h.context {
                    write!(
                        f,
                        "\n  context: user={} org={}",
                        opt(&c.user_id),
                        opt(&c.org_id)
                    )?;
                    if let Some(Some(r)) = &c.rights {
                        write!(f, " rights={}", r.join(","))?;
                    }
                }
                let a = &inv.arguments;
                write!(f, "\n  arguments: typeId={}", opt(&a.type_id))?;
                if let Some(p) = &a.execution_properties {
                    write!(f, " serviceId={}", opt(&p.service_id))?;
                    if let Some(t) = p.invocation_timeout {
                        write!(f, " timeout={t}s")?;
                    }
                }
                if let Some(m) = &a.metadata {
                    write!(
                        f,
                        " invocationId={} requestId={}",
                        opt(&m.invocation_id),
                        opt(&m.request_id)
                    )?;
                }
                if self.object_extension.is_none() {
                    if let Some(args) = &a.arguments {
                        write!(f, "\n  user arguments: {args}")?;
                    }
                }
            }
            Body::BehaviorResponse(r) => {
                write!(
                    f,
                    " task={} entity={} contentType={}",
                    opt(&r.headers.task_id),
                    opt(&r.headers.entity_id),
                    opt(&r.headers.content_type)
                )?;
                match &r.content {
                    ResponseContent::TaskUpdate(u) => {
                        write!(f, "\n  task update: status={}", u.status)?;
                        if let Some(p) = u.progress {
                            write!(f, " progress={}%", p.get())?;
                        }
                        if let Some(o) = &u.operation {
                            write!(f, " operation={o:?}")?;
                        }
                        if let Some(d) = &u.details {
                            write!(f, " details={d:?}")?;
                        }
                        if let Some(e) = &u.error {
                            write!(
                                f,
                                "\n  error: major={} minor={} message={:?}",
                                e.major_error_code.map_or("-".into(), |c| c.to_string()),
                                opt(&e.minor_error_code),
                                opt(&e.message)
                            )?;
                        }
                        if let Some(r) = &u.result {
                            if let Some(c) = &r.result_content {
                                write!(f, "\n  result: {c}")?;
                            }
                        }
                    }
                    ResponseContent::Text(t) if self.object_extension.is_none() => {
                        write!(f, "\n  text: {t:?}")?
                    }
                    ResponseContent::Text(_) => {}
                }
            }
            Body::ApiRequest(r) => {
                let m = &r.request.message;
                write!(f, " requestId={}", opt(&r.headers.request_id))?;
                write!(
                    f,
                    "\n  http: {} {}{}{} {}",
                    opt(&m.method),
                    opt(&m.request_uri),
                    if m.query_string.is_some() { "?" } else { "" },
                    m.query_string.as_deref().unwrap_or(""),
                    opt(&m.protocol)
                )?;
                if let Some(c) = &r.request.security_context {
                    write!(f, "\n  caller: user={} org={}", opt(&c.user), opt(&c.org))?;
                }
                if let Some(h) = &m.headers {
                    for (k, v) in h {
                        write!(f, "\n  header: {k}: {v}")?;
                    }
                }
                if let Some(b) = &m.body {
                    write_body(f, b.as_slice())?;
                }
            }
            Body::ApiResponse(r) => {
                write!(
                    f,
                    " requestId={} status={}",
                    opt(&r.headers.request_id),
                    r.response.status_code
                )?;
                if let Some(h) = &r.response.headers {
                    for (k, v) in h {
                        write!(f, "\n  header: {k}: {v}")?;
                    }
                }
                if let Some(b) = &r.response.body {
                    write_body(f, b.as_slice())?;
                }
            }
            Body::Notification(n) => {
                let x = &n.notification;
                write!(
                    f,
                    " ({:?}) {} eventId={}",
                    n.format,
                    opt(&x.event_type),
                    opt(&x.event_id)
                )?;
                write!(
                    f,
                    "\n  at={} success={} entity={} user={} org={} task={} taskOwner={}",
                    opt(&x.timestamp),
                    x.operation_success
                        .map_or("-".to_string(), |b| b.to_string()),
                    opt(&x.entity),
                    opt(&x.user),
                    opt(&x.org),
                    opt(&x.task),
                    opt(&x.task_owner)
                )?;
            }
            Body::Unknown => write!(f, " (unknown type: skipped)")?,
        }
        match &self.object_extension {
            None => {}
            Some(Err(e)) => write!(f, "\n  object extension error: {e}")?,
            Some(Ok(env)) => {
                write!(
                    f,
                    "\n  object extension: {} phase={} payloadType={} correlationId={}",
                    env.envelope_type(),
                    env.phase(),
                    env.payload_type(),
                    env.correlation_id().unwrap_or("-")
                )?;
                if let Some(ns) = env.namespace() {
                    write!(f, " namespace={ns}")?;
                }
            }
        }
        match &self.payload {
            None => {}
            Some(Err(e)) => write!(f, "\n  payload error: {e}")?,
            Some(Ok(p)) => write!(f, "\n  payload {}: {}", p.payload_type(), p.to_value())?,
        }
        Ok(())
    }
}

fn write_body(f: &mut fmt::Formatter<'_>, b: &[u8]) -> fmt::Result {
    match core::str::from_utf8(b) {
        Ok(s) => write!(f, "\n  body ({} bytes): {s}", b.len()),
        Err(_) => write!(f, "\n  body ({} bytes, binary)", b.len()),
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

impl Error {
    /// `{"layer": …, "path": …, "message": …}`.
    pub fn to_json_value(&self) -> serde_json::Value {
        serde_json::json!({ "layer": self.layer().name(), "path": self.path(), "message": self.message() })
    }
}

impl Body {
    /// The body as one JSON object with every decoded layer (strings that held JSON replaced by
    /// the decoded objects), e.g. `{"kind": "behaviorInvocation", "headers": {…}, "arguments": {…}}`.
    pub fn to_json_value(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Body::BehaviorInvocation(b) => json!({
                "kind": "behaviorInvocation", "headers": to_value(&b.headers), "arguments": to_value(&b.arguments),
            }),
            Body::BehaviorResponse(r) => {
                let mut v = json!({ "kind": "behaviorResponse", "headers": to_value(&r.headers) });
                match &r.content {
                    ResponseContent::Text(t) => v["text"] = t.as_str().into(),
                    ResponseContent::TaskUpdate(u) => v["taskUpdate"] = to_value(u),
                }
                v
            }
            Body::ApiRequest(r) => json!({
                "kind": "apiRequest", "headers": to_value(&r.headers), "request": to_value(&r.request),
                "linkApiBaseUrl": r.link_api_base_url,
            }),
            Body::ApiResponse(r) => json!({
                "kind": "apiResponse", "headers": to_value(&r.headers), "response": to_value(&r.response),
            }),
            Body::Notification(n) => json!({
                "kind": "notification", "headers": to_value(&n.headers), "notification": to_value(&n.notification),
                "format": match n.format { crate::NotificationFormat::Json => "json", crate::NotificationFormat::Xml => "xml" },
            }),
            Body::Unknown => json!({ "kind": "unknown" }),
        }
    }
}

impl Unwrapped {
    /// Every layer as one JSON value:
    /// `{"type", "body" | "bodyError", "objectExtension" | "objectExtensionError",
    ///   "payloadType", "payload" | "payloadError"}` (absent members: layer not present).
    /// Errors are `{"layer", "path", "message"}`.
    ///
    /// ```
    /// use vcd_mqtt_schema::Message;
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/object-extension-invocation.json"))?;
    /// let v = Message::from_slice(&bytes)?.unwrap_all().to_json_value();
    /// assert_eq!(v["body"]["kind"], "behaviorInvocation");
    /// assert_eq!(v["objectExtension"]["envelopeType"], "HalfDuplexEnvelope");
    /// assert_eq!(v["payloadType"], "Echo");
    /// assert_eq!(v["payload"]["message"], "Hello World!");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json_value(&self) -> serde_json::Value {
        let mut v = serde_json::json!({ "type": self.kind });
        match &self.body {
            Ok(b) => v["body"] = b.to_json_value(),
            Err(e) => v["bodyError"] = e.to_json_value(),
        }
        match &self.object_extension {
            Some(Ok(e)) => v["objectExtension"] = to_value(e),
            Some(Err(e)) => v["objectExtensionError"] = e.to_json_value(),
            None => {}
        }
        match &self.payload {
            Some(Ok(p)) => {
                v["payloadType"] = p.payload_type().into();
                v["payload"] = p.to_value();
            }
            Some(Err(e)) => v["payloadError"] = e.to_json_value(),
            None => {}
        }
        v
    }
}
