//! Notifications (`EVENT`, `EXTERNAL_EVENT`, `TASK`, `EXTENSION_TASK`): JSON and XML forms,
//! both decoded into one [`Notification`] type.

use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{from_json_str, to_json_string, Error, Layer};
use crate::message::Message;
use crate::util::deserialize_model;
use crate::util::Extra;

/// The XML namespace of the `Notification` element.
pub const NOTIFICATION_NAMESPACE: &str = "http://www.vmware.com/vcloud/extension/v1.5";

/// A notification, from its JSON form or its (older) XML form.
///
/// JSON members map one to one. From XML: attributes `type` and `eventId`; `Link rel="entityResolver"`
/// gives `entityResolver`; every `EntityLink` is kept in `entityLinks` and also fills `entity`
/// (rel `entity`), `task` (rel `task`), `taskOwner` (rel `task:owner`), `user` / `org` (other links
/// whose `type` ends in `:user` / `:org`); `Timestamp` and `OperationSuccess` their fields.
///
/// ```
/// use vcd_mqtt_schema::Notification;
/// let xml = r#"<n:Notification xmlns:n="http://www.vmware.com/vcloud/extension/v1.5" type="com/vmware/vcloud/event/vm/create" eventId="e1">
///   <n:EntityLink rel="entity" type="vcloud:vm" id="urn:vcloud:vm:1"/><n:OperationSuccess>true</n:OperationSuccess></n:Notification>"#;
/// let n = Notification::from_xml(xml)?;
/// assert_eq!(n.event_id.as_deref(), Some("e1"));
/// assert_eq!(n.entity.as_deref(), Some("urn:vcloud:vm:1"));
/// assert_eq!(n.operation_success, Some(true));
/// assert_eq!(Notification::from_xml(&n.to_xml())?, n);
/// # Ok::<(), vcd_mqtt_schema::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    description = "A notification (EVENT, EXTERNAL_EVENT, TASK, EXTENSION_TASK) in its JSON form; the XML form decodes into the same model (entityResolver and entityLinks come from it)."
)]
pub struct Notification {
    /// `eventId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// `type`: `com/vmware/vcloud/event/<object>/<event>`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// `timestamp` (xs:dateTime text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// `operationSuccess`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_success: Option<bool>,
    /// `user` urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `org` urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// `entity` urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// `task` urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// `taskOwner` urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_owner: Option<String>,
    /// `entityResolver`: the `href` of the XML form's `Link rel="entityResolver"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_resolver: Option<String>,
    /// `entityLinks`: the XML form's `EntityLink` elements in document order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_links: Option<Vec<EntityLink>>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(Notification {
    event_id: "eventId" opt,
    event_type: "type" opt,
    timestamp: "timestamp" opt,
    operation_success: "operationSuccess" opt,
    user: "user" opt,
    org: "org" opt,
    entity: "entity" opt,
    task: "task" opt,
    task_owner: "taskOwner" opt,
    entity_resolver: "entityResolver" opt,
    entity_links: "entityLinks" opt,
});

/// An `EntityLink` of the XML notification form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntityLink {
    /// `rel`: `entity`, `up`, `down`, `task` or `task:owner`.
    pub rel: String,
    /// `type`, e.g. `vcloud:vapp`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    /// `name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `id` (urn).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// Which form a notification was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationFormat {
    /// The JSON event form.
    Json,
    /// The XML `Notification` element.
    Xml,
}

/// `headers` of a notification message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationHeaders {
    /// `contentType`: `application/json` or `application/xml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(NotificationHeaders {
    content_type: "contentType" opt,
});

/// A decoded notification message.
#[derive(Debug, Clone, PartialEq)]
pub struct NotificationMessage {
    /// The typed `headers`.
    pub headers: NotificationHeaders,
    /// The notification.
    pub notification: Notification,
    /// The form of the payload.
    pub format: NotificationFormat,
}

impl NotificationMessage {
    /// Decodes the notification body of `msg`: by `headers.contentType` (`…xml` / `…json`), else
    /// by the payload's first character (`<` means XML).
    pub fn from_message(msg: &Message<'_>) -> Result<Self, Error> {
        let headers: NotificationHeaders = msg.headers_as(Layer::NotificationHeaders)?;
        let payload = msg.payload_str()?;
        let ct = headers
            .content_type
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        let xml = if ct.contains("xml") {
            true
        } else if ct.contains("json") {
            false
        } else {
            payload.trim_start().starts_with('<')
        };
        let (notification, format) = if xml {
            (
                Notification::from_xml(payload).map_err(|e| e.with_prefix("payload"))?,
                NotificationFormat::Xml,
            )
        } else {
            (
                from_json_str(Layer::NotificationJson, "payload", payload)?,
                NotificationFormat::Json,
            )
        };
        Ok(NotificationMessage {
            headers,
            notification,
            format,
        })
    }
}

impl Notification {
    /// Decodes the JSON form on its own.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        from_json_str(Layer::NotificationJson, "", json)
    }

    /// Encodes the JSON form.
    pub fn to_json(&self) -> Result<String, Error> {
        to_json_string(self)
    }

    /// Decodes the XML form (`Notification` in any namespace prefix, or none).
    ///
    /// Errors ([`Layer::NotificationXml`]) name the element or attribute (`Notification.@eventId`,
    /// `Notification.OperationSuccess`) and the byte offset in the XML text.
    pub fn from_xml(xml: &str) -> Result<Self, Error> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(true);
        let mut n = Notification::default();
        let mut depth = 0usize;
        let mut current: Option<&'static str> = None; // child element whose text is read
        let mut text = String::new();
        let mut seen_root = false;
        loop {
            let pos = reader.buffer_position();
            let ev = reader
                .read_event()
                .map_err(|e| xml_error("Notification", format!("at byte {pos}: {e}")))?;
            match ev {
                Event::Start(e) if depth == 0 => {
                    root(&mut n, &e, &mut seen_root, pos)?;
                    depth = 1;
                }
                Event::Empty(e) if depth == 0 => {
                    root(&mut n, &e, &mut seen_root, pos)?;
                }
                Event::Start(e) => {
                    if depth == 1 {
                        current = child_text_field(&e);
                        text.clear();
                        handle_child(&mut n, &e, pos)?;
                    }
                    depth += 1;
                }
                Event::Empty(e) if depth == 1 => {
                    handle_child(&mut n, &e, pos)?;
                }
                Event::Text(t) if depth == 2 && current.is_some() => {
                    let s = t
                        .unescape()
                        .map_err(|e| xml_error("Notification", format!("at byte {pos}: {e}")))?;
                    text.push_str(&s);
                }
                Event::CData(t) if depth == 2 && current.is_some() => {
                    text.push_str(&String::from_utf8_lossy(&t));
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    if depth == 1 {
                        if let Some(field) = current.take() {
                            set_text_field(&mut n, field, text.trim(), pos)?;
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !seen_root {
            return Err(xml_error("", "no Notification element"));
        }
        Ok(n)
    }

    /// Encodes the XML form (prefix `vmext`). `EntityLink`s are written from `entity_links`, or
    /// made from `entity`, `user`, `org`, `task`, `task_owner` when there are none.
    pub fn to_xml(&self) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = write!(
            s,
            "<vmext:Notification xmlns:vmext=\"{NOTIFICATION_NAMESPACE}\""
        );
        if let Some(t) = &self.event_type {
            let _ = write!(s, " type=\"{}\"", esc(t));
        }
        if let Some(t) = &self.event_id {
            let _ = write!(s, " eventId=\"{}\"", esc(t));
        }
        s.push('>');
        if let Some(h) = &self.entity_resolver {
            let _ = write!(
                s,
                "<vmext:Link rel=\"entityResolver\" href=\"{}\"/>",
                esc(h)
            );
        }
        let made;
        let links = match &self.entity_links {
            Some(l) => l,
            None => {
                made = self.synthesized_links();
                &made
            }
        };
        for l in links {
            let _ = write!(s, "<vmext:EntityLink rel=\"{}\"", esc(&l.rel));
            for (k, v) in [("type", &l.link_type), ("name", &l.name), ("id", &l.id)] {
                if let Some(v) = v {
                    let _ = write!(s, " {k}=\"{}\"", esc(v));
                }
            }
            s.push_str("/>");
        }
        if let Some(t) = &self.timestamp {
            let _ = write!(s, "<vmext:Timestamp>{}</vmext:Timestamp>", esc(t));
        }
        if let Some(b) = self.operation_success {
            let _ = write!(s, "<vmext:OperationSuccess>{b}</vmext:OperationSuccess>");
        }
        s.push_str("</vmext:Notification>");
        s
    }

    fn synthesized_links(&self) -> Vec<EntityLink> {
        let mut v = Vec::new();
        let mut add = |rel: &str, ty: &str, id: &Option<String>| {
            if let Some(id) = id {
                v.push(EntityLink {
                    rel: rel.into(),
                    link_type: Some(ty.into()),
                    name: None,
                    id: Some(id.clone()),
                });
            }
        };
        add("entity", "vcloud:entity", &self.entity);
        add("down", "vcloud:user", &self.user);
        add("up", "vcloud:org", &self.org);
        add("task", "vcloud:task", &self.task);
        add("task:owner", "vcloud:entity", &self.task_owner);
        v
    }
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

fn root(
    n: &mut Notification,
    e: &BytesStart<'_>,
    seen_root: &mut bool,
    pos: u64,
) -> Result<(), Error> {
    if *seen_root {
        return Err(xml_error(
            "",
            format!("at byte {pos}: a second root element"),
        ));
    }
    let local = e.local_name();
    if local.as_ref() != b"Notification" {
        return Err(xml_error(
            "",
            format!(
                "at byte {pos}: expected root element Notification, found {}",
                String::from_utf8_lossy(local.as_ref())
            ),
        ));
    }
    *seen_root = true;
    for (k, v) in attributes(e, "Notification", pos)? {
        match k.as_str() {
            "type" => n.event_type = Some(v),
            "eventId" => n.event_id = Some(v),
            _ => {}
        }
    }
    Ok(())
}

fn xml_error(path: impl Into<String>, msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(Layer::NotificationXml, path, msg)
}

fn attributes(e: &BytesStart<'_>, element: &str, pos: u64) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| xml_error(element, format!("at byte {pos}: {err}")))?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        if a.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let value = a
            .unescape_value()
            .map_err(|err| xml_error(format!("{element}.@{key}"), format!("at byte {pos}: {err}")))?
            .into_owned();
        out.push((key, value));
    }
    Ok(out)
}

fn child_text_field(e: &BytesStart<'_>) -> Option<&'static str> {
    match e.local_name().as_ref() {
        b"Timestamp" => Some("Timestamp"),
        b"OperationSuccess" => Some("OperationSuccess"),
        _ => None,
    }
}

fn handle_child(n: &mut Notification, e: &BytesStart<'_>, pos: u64) -> Result<(), Error> {
    match e.local_name().as_ref() {
        b"Link" => {
            let attrs = attributes(e, "Notification.Link", pos)?;
            let rel = attrs
                .iter()
                .find(|(k, _)| k == "rel")
                .map(|(_, v)| v.as_str());
            let href = attrs
                .iter()
                .find(|(k, _)| k == "href")
                .map(|(_, v)| v.clone());
            if rel == Some("entityResolver") {
                n.entity_resolver = href;
            }
        }
        b"EntityLink" => {
            let mut link = EntityLink::default();
            let mut has_rel = false;
            for (k, v) in attributes(e, "Notification.EntityLink", pos)? {
                match k.as_str() {
                    "rel" => {
                        link.rel = v;
                        has_rel = true;
                    }
                    "type" => link.link_type = Some(v),
                    "name" => link.name = Some(v),
                    "id" => link.id = Some(v),
                    _ => {}
                }
            }
            if !has_rel {
                return Err(xml_error(
                    "Notification.EntityLink.@rel",
                    format!("at byte {pos}: missing attribute"),
                ));
            }
            let slot = match link.rel.as_str() {
                "entity" => Some(&mut n.entity),
                "task" => Some(&mut n.task),
                "task:owner" => Some(&mut n.task_owner),
                _ => match link.link_type.as_deref() {
                    Some(t) if t.ends_with(":user") => Some(&mut n.user),
                    Some(t) if t.ends_with(":org") => Some(&mut n.org),
                    _ => None,
                },
            };
            if let Some(slot) = slot {
                if slot.is_none() {
                    slot.clone_from(&link.id);
                }
            }
            n.entity_links.get_or_insert_with(Vec::new).push(link);
        }
        _ => {}
    }
    Ok(())
}

fn set_text_field(n: &mut Notification, field: &str, text: &str, pos: u64) -> Result<(), Error> {
    match field {
        "Timestamp" => n.timestamp = Some(text.to_owned()),
        "OperationSuccess" => {
            n.operation_success = Some(match text {
                "true" | "1" => true,
                "false" | "0" => false,
                other => {
                    return Err(xml_error(
                        "Notification.OperationSuccess",
                        format!("at byte {pos}: expected xs:boolean, found {other:?}"),
                    ))
                }
            })
        }
        _ => {}
    }
    Ok(())
}
