//! A bounded duplicate filter for QoS 1 redeliveries.
//!
//! QoS 1 delivers at least once, so the same message may arrive twice. [`DuplicateFilter`]
//! remembers the identities of the last `capacity` messages in a fixed-capacity ring plus a hash
//! set; it never grows past the capacity it was created with.
//!
//! ```
//! use vcd_mqtt_schema::{dedup::DuplicateFilter, Message};
//! # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/event-json.json"))?;
//! let mut seen = DuplicateFilter::new(1024);
//! let msg = Message::from_slice(&bytes)?;
//! assert!(seen.first_time(&msg, &bytes));   // new: process it
//! assert!(!seen.first_time(&msg, &bytes));  // the redelivery: drop it
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::message::{Message, MessageType};
use crate::notification::Notification;
use crate::InvocationArguments;

/// What makes a message unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MessageIdentity {
    /// A behavior invocation: the message type and `taskId`.
    Task {
        /// `type`.
        kind: String,
        /// `headers.taskId`.
        task_id: String,
    },
    /// A behavior response: `taskId` plus a hash of the payload (a task gets several updates).
    TaskUpdate {
        /// `headers.taskId`.
        task_id: String,
        /// Hash of the payload string.
        payload_hash: u64,
    },
    /// An object-extension message: `correlationId` (and the type, as request and reply share it).
    Correlation {
        /// `type`.
        kind: String,
        /// `correlationId`.
        correlation_id: String,
    },
    /// A notification: `eventId`.
    Event(String),
    /// An API message: the type and `requestId`.
    Request {
        /// `type`.
        kind: String,
        /// `headers.requestId`.
        request_id: String,
    },
    /// Anything else: a hash of the whole PUBLISH payload.
    PayloadHash(u64),
}

fn hash_of<T: Hash + ?Sized>(v: &T) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

#[derive(serde::Deserialize, Default)]
struct IdHeaders {
    #[serde(rename = "taskId")]
    task_id: Option<String>,
    #[serde(rename = "requestId")]
    request_id: Option<String>,
}

impl MessageIdentity {
    /// The identity of `msg` whose PUBLISH payload was `raw`. Never fails: when the identifying
    /// field cannot be read, the payload hash is used.
    pub fn of(msg: &Message<'_>, raw: &[u8]) -> MessageIdentity {
        let fallback = || MessageIdentity::PayloadHash(hash_of(raw));
        let headers: IdHeaders = serde_json::from_str::<Option<IdHeaders>>(msg.headers_json())
            .ok()
            .flatten()
            .unwrap_or_default();
        let kind = msg.kind.as_str().to_owned();
        match &msg.kind {
            MessageType::BehaviorInvocation => {
                let args = msg
                    .payload
                    .as_deref()
                    .and_then(|p| InvocationArguments::from_json(p).ok());
                if let Some(env) = args
                    .as_ref()
                    .filter(|a| a.is_object_extension())
                    .and_then(|a| a.object_extension().ok())
                {
                    if let Some(c) = env.correlation_id() {
                        return MessageIdentity::Correlation {
                            kind,
                            correlation_id: c.to_owned(),
                        };
                    }
                }
                let task = headers
                    .task_id
                    .or_else(|| args.and_then(|a| a.metadata).and_then(|m| m.task_id));
                task.map_or_else(fallback, |task_id| MessageIdentity::Task { kind, task_id })
            }
            MessageType::BehaviorResponse => match headers.task_id {
                Some(task_id) => MessageIdentity::TaskUpdate {
                    task_id,
                    payload_hash: hash_of(msg.payload.as_deref().unwrap_or("")),
                },
                None => fallback(),
            },
            MessageType::ApiRequest | MessageType::ApiResponse => {
                headers
                    .request_id
                    .map_or_else(fallback, |request_id| MessageIdentity::Request {
                        kind,
                        request_id,
                    })
            }
            k if k.is_notification() => {
                let payload = msg.payload.as_deref().unwrap_or("");
                let n = if payload.trim_start().starts_with('<') {
                    Notification::from_xml(payload).ok()
                } else {
                    Notification::from_json(payload).ok()
                };
                n.and_then(|n| n.event_id)
                    .map_or_else(fallback, MessageIdentity::Event)
            }
            _ => fallback(),
        }
    }

    /// A 64-bit digest of the identity (what the filter stores).
    pub fn digest(&self) -> u64 {
        hash_of(self)
    }
}

/// Remembers the last `capacity` message identities (as 64-bit digests) and says whether a
/// message was seen before. Memory is fixed at creation: a ring of `capacity` digests and a hash
/// set allocated up front for twice `capacity` entries (so that it never needs to grow or
/// rehash into a larger table while holding at most `capacity`); the oldest identity is forgotten when a new one arrives
/// at capacity.
#[derive(Debug, Clone)]
pub struct DuplicateFilter {
    ring: Vec<u64>,
    next: usize,
    set: HashSet<u64>,
    capacity: usize,
}

impl DuplicateFilter {
    /// A filter remembering up to `capacity` identities (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        DuplicateFilter {
            ring: Vec::with_capacity(capacity),
            next: 0,
            set: HashSet::with_capacity(capacity.saturating_mul(2)),
            capacity,
        }
    }

    /// The number of identities the filter remembers at most.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of identities remembered now.
    pub fn len(&self) -> usize {
        self.ring.len()
    }

    /// `true` when nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.ring.is_empty()
    }

    /// `true` if `msg` (whose PUBLISH payload was `raw`) was not seen among the remembered
    /// identities; it is then remembered. `false` means a duplicate: drop it.
    pub fn first_time(&mut self, msg: &Message<'_>, raw: &[u8]) -> bool {
        self.insert(&MessageIdentity::of(msg, raw))
    }

    /// `true` if `id` is new (and remembers it), `false` if it is a duplicate.
    pub fn insert(&mut self, id: &MessageIdentity) -> bool {
        self.insert_digest(id.digest())
    }

    /// `true` if `digest` is new (and remembers it), `false` if it is a duplicate.
    pub fn insert_digest(&mut self, digest: u64) -> bool {
        if self.set.contains(&digest) {
            return false;
        }
        if self.ring.len() < self.capacity {
            self.ring.push(digest);
        } else {
            let old = std::mem::replace(&mut self.ring[self.next], digest);
            self.set.remove(&old);
            self.next = (self.next + 1) % self.capacity;
        }
        self.set.insert(digest);
        true
    }

    /// `true` if `id` is remembered (does not remember it).
    pub fn contains(&self, id: &MessageIdentity) -> bool {
        self.set.contains(&id.digest())
    }

    /// Forgets everything (keeps the allocation).
    pub fn clear(&mut self) {
        self.ring.clear();
        self.set.clear();
        self.next = 0;
    }
}
