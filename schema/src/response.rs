//! `BEHAVIOR_RESPONSE`: plain text or a task update, selected by `headers.contentType`.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{from_json_str, to_json_string, Error, Layer};
use crate::message::Message;
use crate::object_extension::ObjectExtensionEnvelope;
use crate::util::deserialize_model;
use crate::util::Extra;

/// `contentType` of a plain-text behavior response (the task result; the task completes).
pub const CONTENT_TYPE_TEXT: &str = "plain/text";
/// `contentType` of a task-update behavior response.
pub const CONTENT_TYPE_TASK: &str = "application/vnd.vmware.vcloud.task+json";

/// `headers` of a `BEHAVIOR_RESPONSE`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BehaviorResponseHeaders {
    /// `taskId`: the task of the invocation answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// `entityId`: the entity of the invocation answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// `contentType`: absent or `plain/text` for text, `application/vnd.vmware.vcloud.task+json`
    /// for a task update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(BehaviorResponseHeaders {
    task_id: "taskId" opt,
    entity_id: "entityId" opt,
    content_type: "contentType" opt,
});

impl BehaviorResponseHeaders {
    /// `true` when `contentType` names a task update (case-insensitive, parameters ignored).
    pub fn is_task_update(&self) -> bool {
        self.content_type.as_deref().is_some_and(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case(CONTENT_TYPE_TASK)
        })
    }
}

/// `status` of a task update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum TaskStatus {
    /// `pending`.
    #[serde(rename = "pending")]
    Pending,
    /// `pre-running`.
    #[serde(rename = "pre-running")]
    PreRunning,
    /// `running`.
    #[serde(rename = "running")]
    Running,
    /// `success` (completes the task).
    #[serde(rename = "success")]
    Success,
    /// `aborted` (completes the task).
    #[serde(rename = "aborted")]
    Aborted,
    /// `error` (completes the task).
    #[serde(rename = "error")]
    Error,
    /// `canceled` (completes the task).
    #[serde(rename = "canceled")]
    Canceled,
    /// `expectingAction`.
    #[serde(rename = "expectingAction")]
    ExpectingAction,
}

impl TaskStatus {
    /// The name as written in JSON, e.g. `pre-running`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::PreRunning => "pre-running",
            TaskStatus::Running => "running",
            TaskStatus::Success => "success",
            TaskStatus::Aborted => "aborted",
            TaskStatus::Error => "error",
            TaskStatus::Canceled => "canceled",
            TaskStatus::ExpectingAction => "expectingAction",
        }
    }

    /// `true` for the statuses that complete a task.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskStatus::Success | TaskStatus::Aborted | TaskStatus::Error | TaskStatus::Canceled
        )
    }
}

/// A task progress percentage, `0..=100` by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[schemars(transparent)]
pub struct Progress(#[schemars(range(min = 0, max = 100))] u8);

impl Progress {
    /// `Some` when `percent <= 100`.
    pub const fn new(percent: u8) -> Option<Progress> {
        if percent <= 100 {
            Some(Progress(percent))
        } else {
            None
        }
    }
    /// The percentage.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Progress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        u8::try_from(v)
            .ok()
            .and_then(Progress::new)
            .ok_or_else(|| serde::de::Error::custom(format_args!("progress {v} is not in 0..=100")))
    }
}

/// The task update JSON of a `BEHAVIOR_RESPONSE` with [`CONTENT_TYPE_TASK`].
///
/// ```
/// use vcd_mqtt_schema::{TaskStatus, TaskUpdate, Progress};
/// let u = TaskUpdate::from_json(r#"{"status":"running","progress":40}"#)?;
/// assert_eq!(u.status, TaskStatus::Running);
/// assert_eq!(u.progress, Progress::new(40));
/// let err = TaskUpdate::from_json(r#"{"status":"running","progress":140}"#).unwrap_err();
/// assert_eq!(err.path(), "progress");
/// # Ok::<(), vcd_mqtt_schema::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[schemars(
    description = "The task update JSON of a BEHAVIOR_RESPONSE with contentType application/vnd.vmware.vcloud.task+json."
)]
pub struct TaskUpdate {
    /// `status`.
    pub status: TaskStatus,
    /// `operation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// `details`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// `progress`: 0..=100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
    /// `result`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<TaskResult>,
    /// `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<TaskError>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(TaskUpdate {
    status: "status" req,
    operation: "operation" opt,
    details: "details" opt,
    progress: "progress" opt,
    result: "result" opt,
    error: "error" opt,
});

/// `result` of a task update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct TaskResult {
    /// `resultContent`.
    #[serde(
        rename = "resultContent",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub result_content: Option<Value>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(TaskResult {
    result_content: "resultContent" present,
});

/// `error` of a task update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskError {
    /// `majorErrorCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub major_error_code: Option<i64>,
    /// `minorErrorCode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_error_code: Option<String>,
    /// `message`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(TaskError {
    major_error_code: "majorErrorCode" opt,
    minor_error_code: "minorErrorCode" opt,
    message: "message" opt,
});

impl TaskUpdate {
    /// A task update with `status` and nothing else.
    pub fn new(status: TaskStatus) -> Self {
        TaskUpdate {
            status,
            operation: None,
            details: None,
            progress: None,
            result: None,
            error: None,
            extra: Extra::new(),
        }
    }
    /// Decodes task-update JSON on its own (paths relative to it).
    pub fn from_json(json: &str) -> Result<Self, Error> {
        from_json_str(Layer::TaskUpdate, "", json)
    }
    /// Encodes as JSON text.
    pub fn to_json(&self) -> Result<String, Error> {
        to_json_string(self)
    }
}

/// The payload of a behavior response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseContent {
    /// The task result as text (`contentType` absent or `plain/text`).
    Text(String),
    /// A task update.
    TaskUpdate(TaskUpdate),
}

impl ResponseContent {
    /// The text, if this is a text response.
    pub fn text(&self) -> Option<&str> {
        match self {
            ResponseContent::Text(t) => Some(t),
            ResponseContent::TaskUpdate(_) => None,
        }
    }
    /// The task update, if this is one.
    pub fn task_update(&self) -> Option<&TaskUpdate> {
        match self {
            ResponseContent::TaskUpdate(t) => Some(t),
            ResponseContent::Text(_) => None,
        }
    }
}

/// A decoded `BEHAVIOR_RESPONSE`.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviorResponse {
    /// The typed `headers`.
    pub headers: BehaviorResponseHeaders,
    /// The payload, by `contentType`.
    pub content: ResponseContent,
}

impl BehaviorResponse {
    /// Decodes the behavior-response body of `msg`.
    pub fn from_message(msg: &Message<'_>) -> Result<Self, Error> {
        let headers: BehaviorResponseHeaders = msg.headers_as(Layer::BehaviorResponseHeaders)?;
        let payload = msg.payload_str()?;
        let content = if headers.is_task_update() {
            ResponseContent::TaskUpdate(from_json_str(Layer::TaskUpdate, "payload", payload)?)
        } else {
            ResponseContent::Text(payload.to_owned())
        };
        Ok(BehaviorResponse { headers, content })
    }

    /// Decodes a text response as an object-extension envelope (the extension's reply); paths
    /// start at `payload`.
    pub fn object_extension(&self) -> Result<ObjectExtensionEnvelope, Error> {
        match &self.content {
            ResponseContent::Text(t) => ObjectExtensionEnvelope::from_json_at(t, "payload"),
            ResponseContent::TaskUpdate(_) => Err(Error::new(
                Layer::ObjectExtensionEnvelope,
                "payload",
                "a task update is not an object-extension envelope",
            )),
        }
    }

    /// Encodes back into a message.
    pub fn to_message(&self) -> Result<Message<'static>, Error> {
        let payload = match &self.content {
            ResponseContent::Text(t) => t.clone(),
            ResponseContent::TaskUpdate(u) => u.to_json()?,
        };
        crate::invocation::response_message(&self.headers, payload)
    }
}

impl core::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
