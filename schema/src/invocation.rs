//! `BEHAVIOR_INVOCATION`: headers and `InvocationArguments`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{from_json_str, from_json_value, Error, Layer};
use crate::message::{Message, MessageType};
use crate::object_extension::{ObjectExtensionEnvelope, ObjectExtensionPayload};
use crate::response::{BehaviorResponseHeaders, TaskUpdate, CONTENT_TYPE_TASK, CONTENT_TYPE_TEXT};
use crate::util::deserialize_model;
use crate::util::{nullable, Extra};

/// `headers` of a `BEHAVIOR_INVOCATION`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvocationHeaders {
    /// `taskId`: the Cloud Director task tracking the invocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `entityId`: the RDE the behavior is invoked on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// `behaviorId`: the invoked behavior.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior_id: Option<String>,
    /// `context`: who invoked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<InvocationContext>,
    /// `payload`: one documentation example carries the payload string here; it is used when
    /// the top-level `payload` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(InvocationHeaders {
    task_id: "taskId" opt,
    entity_id: "entityId" opt,
    behavior_id: "behaviorId" opt,
    context: "context" opt,
    payload: "payload" opt,
});

/// `headers.context` of a `BEHAVIOR_INVOCATION`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvocationContext {
    /// `userId`: the invoking user's urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// `orgId`: the invoking user's organisation urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// `rights`: only sent when `extensibility.enableRightInfo` is on (`Some(None)` = `null`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "nullable::serialize"
    )]
    pub rights: Option<Option<Vec<String>>>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(InvocationContext {
    user_id: "userId" opt,
    org_id: "orgId" opt,
    rights: "rights" present,
});

/// The `InvocationArguments` JSON carried (as a string) in the `payload` of a `BEHAVIOR_INVOCATION`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvocationArguments {
    /// `entityId`: the RDE urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// `typeId`: the RDE type or interface urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub type_id: Option<String>,
    /// `arguments`: the user's arguments; for object extensions the envelope, as an object or a
    /// JSON-encoded string (decoded by `InvocationArguments::object_extension`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Value>,
    /// `additionalArguments`: an object or `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_arguments: Option<Value>,
    /// `entity`: the RDE contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<Value>,
    /// `_execution_properties`.
    #[serde(
        rename = "_execution_properties",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub execution_properties: Option<ExecutionProperties>,
    /// `_metadata`.
    #[serde(rename = "_metadata", default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<InvocationMetadata>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(InvocationArguments {
    entity_id: "entityId" opt,
    type_id: "typeId" opt,
    arguments: "arguments" present,
    additional_arguments: "additionalArguments" present,
    entity: "entity" present,
    execution_properties: "_execution_properties" opt,
    metadata: "_metadata" opt,
});

/// `_execution_properties` of the invocation arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct ExecutionProperties {
    /// `serviceId`: the extension service urn (`urn:vcloud:extension-api:V:N:X`).
    #[serde(rename = "serviceId", default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// `invocation_timeout` in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_timeout: Option<u64>,
    /// `actAsToken`: whether an act-as token is sent.
    #[serde(
        rename = "actAsToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub act_as_token: Option<bool>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ExecutionProperties {
    service_id: "serviceId" opt,
    invocation_timeout: "invocation_timeout" opt,
    act_as_token: "actAsToken" opt,
});

/// `_metadata` of the invocation arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvocationMetadata {
    /// `executionId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_id: Option<String>,
    /// `invocation` (an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation: Option<Value>,
    /// `apiVersion`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `behaviorId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behavior_id: Option<String>,
    /// `requestId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `executionType` (`MQTT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_type: Option<String>,
    /// `invocationId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation_id: Option<String>,
    /// `taskId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `actAsToken`: only when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act_as_token: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(InvocationMetadata {
    execution_id: "executionId" opt,
    invocation: "invocation" present,
    api_version: "apiVersion" opt,
    behavior_id: "behaviorId" opt,
    request_id: "requestId" opt,
    execution_type: "executionType" opt,
    invocation_id: "invocationId" opt,
    task_id: "taskId" opt,
    act_as_token: "actAsToken" opt,
});

impl InvocationArguments {
    /// Decodes `InvocationArguments` JSON text on its own (paths relative to it).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        from_json_str(Layer::InvocationArguments, "", json)
    }

    /// Encodes as JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        crate::error::to_json_string(self)
    }

    /// Decodes `arguments` as an object-extension envelope (object or JSON-encoded string).
    /// Error paths start at `payload.arguments` (the position of these arguments in an invocation).
    pub fn object_extension(&self) -> Result<ObjectExtensionEnvelope, Error> {
        const AT: &str = "payload.arguments";
        match &self.arguments {
            None => Err(Error::new(
                Layer::ObjectExtensionEnvelope,
                AT,
                "missing field",
            )),
            Some(Value::String(s)) => ObjectExtensionEnvelope::from_json_at(s, AT),
            Some(v @ Value::Object(_)) => ObjectExtensionEnvelope::from_value_at(v, AT),
            Some(v) => Err(Error::new(
                Layer::ObjectExtensionEnvelope,
                AT,
                format!(
                    "expected an object or a JSON-encoded string, found {}",
                    crate::message::json_kind(v)
                ),
            )),
        }
    }

    /// `true` when `arguments` looks like an object-extension envelope (has `envelopeType`).
    pub fn is_object_extension(&self) -> bool {
        match &self.arguments {
            Some(Value::Object(m)) => m.contains_key("envelopeType"),
            Some(Value::String(s)) => s.contains("\"envelopeType\""),
            _ => false,
        }
    }

    /// Decodes `arguments` into any user type `T`.
    pub fn arguments_as<'a, T: Deserialize<'a>>(&'a self) -> Result<T, Error> {
        const AT: &str = "payload.arguments";
        match &self.arguments {
            Some(v) => from_json_value(Layer::InvocationArguments, AT, v),
            None => Err(Error::new(Layer::InvocationArguments, AT, "missing field")),
        }
    }
}

/// A decoded `BEHAVIOR_INVOCATION`: typed headers and invocation arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviorInvocation {
    /// The typed `headers`.
    pub headers: InvocationHeaders,
    /// The `InvocationArguments` decoded from `payload` (or from `headers.payload`).
    pub arguments: InvocationArguments,
}

impl BehaviorInvocation {
    /// Decodes the invocation body of `msg` (whatever its `type`).
    pub fn from_message(msg: &Message<'_>) -> Result<Self, Error> {
        let headers: InvocationHeaders = msg.headers_as(Layer::InvocationHeaders)?;
        let arguments = match (&msg.payload, &headers.payload) {
            (Some(p), _) => from_json_str(Layer::InvocationArguments, "payload", p)?,
            (None, Some(p))
                if msg
                    .extra
                    .get("payload")
                    .is_none_or(serde_json::Value::is_null) =>
            {
                from_json_str(Layer::InvocationArguments, "headers.payload", p)?
            }
            _ => {
                let p = msg.payload_str().map_err(|e| {
                    Error::new(
                        Layer::InvocationArguments,
                        e.path(),
                        e.message().to_string(),
                    )
                })?;
                from_json_str(Layer::InvocationArguments, "payload", p)?
            }
        };
        Ok(BehaviorInvocation { headers, arguments })
    }

    /// The task id: `headers.taskId`, else `_metadata.taskId`.
    pub fn task_id(&self) -> Option<&str> {
        self.headers.task_id.as_deref().or_else(|| {
            self.arguments
                .metadata
                .as_ref()
                .and_then(|m| m.task_id.as_deref())
        })
    }

    /// The entity id: `headers.entityId`, else `entityId` of the arguments.
    pub fn entity_id(&self) -> Option<&str> {
        self.headers
            .entity_id
            .as_deref()
            .or(self.arguments.entity_id.as_deref())
    }

    /// Shortcut for `self.arguments.object_extension()`.
    pub fn object_extension(&self) -> Result<ObjectExtensionEnvelope, Error> {
        self.arguments.object_extension()
    }

    fn response_headers(&self, content_type: Option<&str>) -> BehaviorResponseHeaders {
        response_headers(
            self.task_id(),
            self.headers.entity_id.as_deref(),
            content_type,
        )
    }

    /// A `BEHAVIOR_RESPONSE` completing the task with plain text (`contentType: plain/text`),
    /// `taskId` and `entityId` copied from this invocation.
    ///
    /// ```
    /// # use vcd_mqtt_schema::Message;
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/behavior-invocation.json"))?;
    /// let msg = Message::from_slice(&bytes)?;
    /// let reply = msg.behavior_invocation()?.reply_text("resized to large")?;
    /// let resp = reply.behavior_response()?;
    /// assert_eq!(resp.headers.task_id.as_deref(), Some("c359ea34-2db6-419f-bad6-468a9704d49e"));
    /// assert_eq!(resp.content.text(), Some("resized to large"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reply_text(&self, text: &str) -> Result<Message<'static>, Error> {
        response_message(
            &self.response_headers(Some(CONTENT_TYPE_TEXT)),
            text.to_owned(),
        )
    }

    /// A `BEHAVIOR_RESPONSE` carrying a task update
    /// (`contentType: application/vnd.vmware.vcloud.task+json`), ids copied from this invocation.
    pub fn reply_task_update(&self, update: &TaskUpdate) -> Result<Message<'static>, Error> {
        response_message(
            &self.response_headers(Some(CONTENT_TYPE_TASK)),
            update.to_json()?,
        )
    }

    /// A `BEHAVIOR_RESPONSE` answering an object-extension request: `payload` is wrapped in a
    /// `HalfDuplexEnvelope` whose `correlationId`, `phase`, `clientRequestId` and `namespace` are
    /// copied from the request envelope, `payloadType` is the payload's type, and every layer is
    /// encoded (payload string inside envelope inside the message payload string).
    pub fn reply_object_extension(
        &self,
        payload: &ObjectExtensionPayload,
    ) -> Result<Message<'static>, Error> {
        self.object_extension()?.reply_message(
            self.task_id(),
            self.headers.entity_id.as_deref(),
            payload,
        )
    }
}

impl ObjectExtensionEnvelope {
    /// The `BEHAVIOR_RESPONSE` answering this request envelope with `payload` (see
    /// [`BehaviorInvocation::reply_object_extension`]), for when only the invocation's task id
    /// (`headers.taskId`, else `_metadata.taskId`) and `headers.entityId` were kept.
    pub fn reply_message(
        &self,
        task_id: Option<&str>,
        entity_id: Option<&str>,
        payload: &ObjectExtensionPayload,
    ) -> Result<Message<'static>, Error> {
        let envelope = self.reply(payload)?;
        let body =
            crate::error::to_json_string(&ObjectExtensionEnvelope::HalfDuplexEnvelope(envelope))?;
        response_message(&response_headers(task_id, entity_id, None), body)
    }
}

/// The headers of a `BEHAVIOR_RESPONSE`: the invocation's task and entity ids, and the content
/// type of a text or task-update response.
fn response_headers(
    task_id: Option<&str>,
    entity_id: Option<&str>,
    content_type: Option<&str>,
) -> BehaviorResponseHeaders {
    BehaviorResponseHeaders {
        task_id: task_id.map(str::to_owned),
        entity_id: entity_id.map(str::to_owned),
        content_type: content_type.map(str::to_owned),
        extra: Extra::new(),
    }
}

impl Message<'_> {
    /// The object-extension envelope this message carries, in one call: the `payload` of a
    /// `BEHAVIOR_RESPONSE`, else (read as a `BEHAVIOR_INVOCATION`, whatever the `type`) the
    /// `arguments` of its invocation arguments.
    ///
    /// For an invocation this is the fast way down to the envelope: only the members on the way
    /// (`payload` → `arguments`) are decoded; the typed headers and the other invocation members
    /// (`_metadata`, `entity`, …) are skipped after checking that they are valid JSON, so a
    /// malformed member there does not stop it (use [`Message::behavior_invocation`] to decode
    /// and check them). Any error is the same as that of
    /// `msg.behavior_invocation()?.object_extension()` (layer and path).
    ///
    /// ```
    /// use vcd_mqtt_schema::{Message, ObjectExtensionPayload};
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/object-extension-invocation.json"))?;
    /// let envelope = Message::from_slice(&bytes)?.object_extension()?;
    /// assert_eq!(envelope.correlation_id(), Some("16e8a458-ec93-4285-888e-293c94b5e004"));
    /// let ObjectExtensionPayload::Echo(echo) = envelope.payload()? else { panic!("not an echo") };
    /// assert_eq!(echo.message, "Hello World!");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn object_extension(&self) -> Result<ObjectExtensionEnvelope, Error> {
        if self.kind == MessageType::BehaviorResponse {
            return self.behavior_response()?.object_extension();
        }
        match self.invocation_envelope_fast() {
            Some(Ok(envelope)) => Ok(envelope),
            // Errors (and the rare `headers.payload` form) come from the full decode, so that
            // they are exactly those of the layer-by-layer route.
            _ => BehaviorInvocation::from_message(self)?.object_extension(),
        }
    }

    /// `payload` → `arguments` → envelope without building `BehaviorInvocation`; `None` when
    /// the way is not the plain one (no string `payload`, arguments missing or not JSON).
    fn invocation_envelope_fast(&self) -> Option<Result<ObjectExtensionEnvelope, Error>> {
        const AT: &str = "payload.arguments";
        // Only `arguments` is taken out; the other members are skipped, syntax checked.
        let raw = crate::scan::member(self.payload.as_deref()?, "arguments")??;
        match raw.as_bytes().first()? {
            b'{' => Some(ObjectExtensionEnvelope::from_json_at(raw, AT)),
            b'"' => {
                let text: crate::util::BorrowedStr<'_> = serde_json::from_str(raw).ok()?;
                Some(ObjectExtensionEnvelope::from_json_at(&text.0, AT))
            }
            _ => None,
        }
    }
}

pub(crate) fn response_message(
    headers: &BehaviorResponseHeaders,
    payload: String,
) -> Result<Message<'static>, Error> {
    let mut msg = Message::new(MessageType::BehaviorResponse);
    msg.headers = Some(crate::message::RawJson::from_serialize(headers)?);
    msg.payload = Some(payload.into());
    Ok(msg)
}
