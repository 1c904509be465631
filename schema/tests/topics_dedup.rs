//! Topics, credentials and the duplicate filter.

mod common;

use common::{all_samples, sample};
use proptest::prelude::*;
use vcd_mqtt_schema::dedup::{DuplicateFilter, MessageIdentity};
use vcd_mqtt_schema::topics::*;
use vcd_mqtt_schema::Message;

#[test]
fn extension_service_topics_and_user_name() {
    let svc = ExtensionService::new("vmware", "echo", "0.0.1").unwrap();
    assert_eq!(svc.monitor_topic(), "topic/extension/vmware/echo/0.0.1/ext");
    assert_eq!(svc.respond_topic(), "topic/extension/vmware/echo/0.0.1/vcd");
    assert_eq!(svc.user_name(), "vmware/echo/0.0.1");
    assert_eq!(svc.urn(), "urn:vcloud:extension-api:vmware:echo:0.0.1");
    assert_eq!(svc.to_string(), svc.urn());
    assert_eq!(
        (svc.vendor(), svc.name(), svc.version()),
        ("vmware", "echo", "0.0.1")
    );
    // The serviceId of the object-extension sample names the same service.
    let msg_bytes = sample("object-extension-invocation.json");
    let msg = Message::from_slice(&msg_bytes).unwrap();
    let inv = msg.behavior_invocation().unwrap();
    let id = inv
        .arguments
        .execution_properties
        .unwrap()
        .service_id
        .unwrap();
    assert_eq!(id.parse::<ExtensionService>().unwrap(), svc);
    assert_eq!(
        notification_user_name("administrator", "System").unwrap(),
        "administrator@System"
    );
    assert_eq!(
        websocket_url("vcd.example.com:8443").unwrap(),
        "wss://vcd.example.com:8443/messaging/mqtt"
    );
    assert_eq!(WEBSOCKET_SUBPROTOCOL, "mqtt");
}

/// Parts without the forbidden characters, including spaces, dots and non-ASCII letters.
const PART: &str = "[a-zA-Z0-9 ._~\u{e9}\u{4e2d}-]{1,20}";

#[cfg(feature = "codec")]
#[test]
fn topics_are_valid_mqtt_topic_names() {
    let svc = ExtensionService::new("a b", "ü", "1.0").unwrap();
    vcd_mqtt_codec::TopicName::new(&svc.monitor_topic()).unwrap();
    vcd_mqtt_codec::TopicFilter::new(&svc.respond_topic()).unwrap();
}

proptest! {
    #[test]
    fn urn_round_trips(v in PART, n in PART, x in PART) {
        let svc = ExtensionService::new(v.clone(), n.clone(), x.clone()).unwrap();
        prop_assert_eq!(ExtensionService::from_urn(&svc.urn()).unwrap(), svc.clone());
        prop_assert_eq!(svc.monitor_topic().split('/').count(), 6);
        prop_assert_eq!(svc.user_name(), format!("{v}/{n}/{x}"));
    }

    #[test]
    fn invalid_characters_are_rejected(pre in "[a-z]{0,5}", bad in prop::sample::select(vec!['/', '+', '#', '\0', ':']), post in "[a-z]{0,5}") {
        let part = format!("{pre}{bad}{post}");
        prop_assert!(ExtensionService::new(part.clone(), "n", "1").is_err());
        prop_assert!(ExtensionService::new("v", part.clone(), "1").is_err());
        prop_assert!(ExtensionService::new("v", "n", part).is_err());
    }
}

#[test]
fn identities_of_the_samples() {
    let ids: Vec<(String, MessageIdentity)> = all_samples()
        .into_iter()
        .map(|(name, bytes)| {
            let id = MessageIdentity::of(&Message::from_slice(&bytes).unwrap(), &bytes);
            (name, id)
        })
        .collect();
    let get = |n: &str| ids.iter().find(|(name, _)| name == n).unwrap().1.clone();
    assert_eq!(
        get("behavior-invocation.json"),
        MessageIdentity::Task {
            kind: "BEHAVIOR_INVOCATION".into(),
            task_id: "c359ea34-2db6-419f-bad6-468a9704d49e".into()
        }
    );
    assert_eq!(
        get("object-extension-invocation.json"),
        MessageIdentity::Correlation {
            kind: "BEHAVIOR_INVOCATION".into(),
            correlation_id: "16e8a458-ec93-4285-888e-293c94b5e004".into()
        }
    );
    assert!(
        matches!(get("behavior-response-plain.json"), MessageIdentity::TaskUpdate { task_id, .. } if task_id == "c359ea34-2db6-419f-bad6-468a9704d49e")
    );
    assert_ne!(
        get("behavior-response-plain.json"),
        get("behavior-response-task.json"),
        "two updates of one task differ"
    );
    assert_eq!(
        get("event-json.json"),
        MessageIdentity::Event("a1440dd8-60ae-46c7-b216-44693bc00c90".into())
    );
    assert_eq!(
        get("event-xml.json"),
        MessageIdentity::Event("a1440dd8-60ae-46c7-b216-44693bc00c90".into())
    );
    assert_eq!(
        get("api-request.json"),
        MessageIdentity::Request {
            kind: "API_REQUEST".into(),
            request_id: "21c9ed76-036d-45c4-a122-ca2f623dca2a".into()
        }
    );
    assert_ne!(get("api-request.json"), get("api-response.json"));
    assert!(matches!(
        get("unknown-type.json"),
        MessageIdentity::PayloadHash(_)
    ));
    // All ten are distinct except the two forms of the same event.
    let mut digests: Vec<u64> = ids.iter().map(|(_, id)| id.digest()).collect();
    digests.sort();
    digests.dedup();
    assert_eq!(digests.len(), 9);
}

#[test]
fn filter_drops_redeliveries() {
    let mut f = DuplicateFilter::new(16);
    for (_, bytes) in all_samples() {
        let msg = Message::from_slice(&bytes).unwrap();
        let first = f.first_time(&msg, &bytes);
        // The XML event repeats the JSON event's id.
        let is_xml_event = bytes.windows(9).any(|w| w == b"vmext:Not");
        assert_eq!(first, !is_xml_event);
        assert!(!f.first_time(&msg, &bytes), "redelivery");
    }
    assert_eq!(f.len(), 9);
    f.clear();
    assert!(f.is_empty());
}

#[test]
fn filter_memory_is_bounded() {
    let mut f = DuplicateFilter::new(100);
    for i in 0..100_000u64 {
        assert!(f.insert_digest(i));
        assert!(f.len() <= 100);
    }
    assert_eq!(f.len(), 100);
    // The last 100 are remembered, older ones forgotten.
    assert!(!f.insert_digest(99_999));
    assert!(!f.insert_digest(99_900));
    assert!(f.insert_digest(99_899));
    assert_eq!(f.capacity(), 100);
    assert_eq!(DuplicateFilter::new(0).capacity(), 1);
}

proptest! {
    #[test]
    fn filter_matches_a_model(cap in 1usize..20, ops in prop::collection::vec(0u64..40, 0..300)) {
        let mut f = DuplicateFilter::new(cap);
        let mut model: std::collections::VecDeque<u64> = Default::default();
        for d in ops {
            let expected = !model.contains(&d);
            if expected {
                if model.len() == cap {
                    model.pop_front();
                }
                model.push_back(d);
            }
            prop_assert_eq!(f.insert_digest(d), expected);
            prop_assert_eq!(f.len(), model.len());
        }
    }
}
