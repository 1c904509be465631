//! Property tests: every model encodes and decodes back to itself, through every layer, and
//! arbitrary input never panics a decoder.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::Value;
use vcd_mqtt_schema::*;

fn text() -> impl Strategy<Value = String> {
    // Printable text with the characters that need escaping in JSON and XML.
    "[a-zA-Z0-9 _:/.\\-\"\\\\<>&'\u{e9}\u{1F600}\n\t]{0,12}"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Unknown members: names that no model knows.
fn extra() -> impl Strategy<Value = Extra> {
    prop::collection::btree_map("zz[a-z]{1,5}", json_value(), 0..3)
        .prop_map(|m| m.into_iter().collect())
}

fn string_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map("[A-Za-z-]{1,10}", text(), 0..4)
}

fn task_status() -> impl Strategy<Value = TaskStatus> {
    prop::sample::select(vec![
        TaskStatus::Pending,
        TaskStatus::PreRunning,
        TaskStatus::Running,
        TaskStatus::Success,
        TaskStatus::Aborted,
        TaskStatus::Error,
        TaskStatus::Canceled,
        TaskStatus::ExpectingAction,
    ])
}

prop_compose! {
    fn task_update()(
        status in task_status(), operation in opt_text(), details in opt_text(),
        progress in prop::option::of(0u8..=100),
        result in prop::option::of((prop::option::of(json_value()), extra())),
        error in prop::option::of((prop::option::of(any::<i64>()), opt_text(), opt_text(), extra())),
        extra in extra(),
    ) -> TaskUpdate {
        TaskUpdate {
            status, operation, details,
            progress: progress.and_then(Progress::new),
            result: result.map(|(result_content, extra)| TaskResult { result_content, extra }),
            error: error.map(|(major_error_code, minor_error_code, message, extra)| TaskError { major_error_code, minor_error_code, message, extra }),
            extra,
        }
    }
}

prop_compose! {
    fn half_duplex()(
        client_request_id in opt_text(), namespace in opt_text(), payload_type in "[A-Za-z]{1,12}",
        phase in text(), payload in text(), correlation_id in opt_text(),
        expected_response_payload_type in opt_text(), extra in extra(),
    ) -> HalfDuplexEnvelope {
        HalfDuplexEnvelope { client_request_id, namespace, payload_type, phase, payload, correlation_id, expected_response_payload_type, extra }
    }
}

prop_compose! {
    fn error_envelope()(
        client_request_id in opt_text(), namespace in opt_text(), payload_type in "[A-Za-z]{1,12}",
        phase in text(), payload in text(), correlation_id_ref in text(), extra in extra(),
    ) -> ErrorMessageEnvelope {
        ErrorMessageEnvelope { client_request_id, namespace, payload_type, phase, payload, correlation_id_ref, extra }
    }
}

fn envelope() -> impl Strategy<Value = ObjectExtensionEnvelope> {
    prop_oneof![
        half_duplex().prop_map(ObjectExtensionEnvelope::HalfDuplexEnvelope),
        error_envelope().prop_map(ObjectExtensionEnvelope::ErrorMessageEnvelope),
    ]
}

fn status() -> impl Strategy<Value = NetworkExtensionOperationStatus> {
    (any::<bool>(), prop::option::of((any::<i32>(), text()))).prop_map(|(success, error)| {
        NetworkExtensionOperationStatus {
            success,
            error: error.map(|(error_code, error_message)| ErrorType {
                error_code,
                error_message,
                extra: Extra::new(),
            }),
            extra: Extra::new(),
        }
    })
}

fn payload() -> impl Strategy<Value = ObjectExtensionPayload> {
    prop_oneof![
        (text(), extra()).prop_map(|(message, extra)| Echo { message, extra }.into()),
        (text(), any::<i32>(), opt_text(), opt_text(), opt_text()).prop_map(
            |(m, c, minor, vendor, trace)| {
                ExtensionErrorMessage {
                    message: m,
                    major_error_code: c,
                    minor_error_code: minor,
                    vendor_specific_error_code: vendor,
                    error_stack_trace: trace,
                    extra: Extra::new(),
                }
                .into()
            }
        ),
        (text(), text(), prop::collection::vec(text(), 1..4)).prop_map(|(tz, rp, ids)| {
            ResolveNetworksBackingRequest {
                transport_zone_id: tz,
                resource_pool: rp,
                network_ids: NetworkIdType {
                    network_id: ids,
                    extra: Extra::new(),
                },
                extra: Extra::new(),
            }
            .into()
        }),
        (
            status(),
            text(),
            prop::option::of(prop::collection::vec((text(), text(), text()), 1..3))
        )
            .prop_map(|(s, rp, b)| {
                ResolveNetworksBackingResponse {
                    status: s,
                    resource_pool: rp,
                    networks_information: b.map(|v| NetworkBackingsType {
                        network_backing: v
                            .into_iter()
                            .map(|(n, w, d)| NetworkBackingType {
                                network_id: n,
                                virtual_wire_id: w,
                                dvpg_mo_ref: d,
                                extra: Extra::new(),
                            })
                            .collect(),
                        extra: Extra::new(),
                    }),
                    extra: Extra::new(),
                }
                .into()
            }),
        (
            text(),
            text(),
            text(),
            opt_text(),
            prop::collection::vec(text(), 1..3)
        )
            .prop_map(|(p, n, name, d, hubs)| {
                CreateTransportZoneRequest {
                    provider_vdc_id: p,
                    network_pool_id: n,
                    name,
                    description: d,
                    hubs: Hubs {
                        hub: hubs
                            .into_iter()
                            .map(|h| Hub {
                                hub_uri: h,
                                extra: Extra::new(),
                            })
                            .collect(),
                        extra: Extra::new(),
                    },
                    extra: Extra::new(),
                }
                .into()
            }),
        (text(), text(), prop::collection::vec(text(), 1..3)).prop_map(|(n, t, s)| {
            MergeTransportZonesRequest {
                target_network_pool_id: n,
                target_transport_zone_id: t,
                source_transport_zones: SourceTransportZones {
                    source_transport_zone_id: s,
                    extra: Extra::new(),
                },
                extra: Extra::new(),
            }
            .into()
        }),
        (status(), opt_text()).prop_map(|(s, n)| NetworkCreationResponse {
            status: s,
            network_id: n,
            extra: Extra::new()
        }
        .into()),
        ("[A-Z][a-z]{1,10}", json_value()).prop_filter_map("typed name", |(t, json)| {
            (!ObjectExtensionPayload::TYPED.contains(&t.as_str())).then_some(
                ObjectExtensionPayload::Other {
                    payload_type: t,
                    json,
                },
            )
        }),
    ]
}

prop_compose! {
    fn notification()(
        event_id in opt_text(), event_type in opt_text(), timestamp in opt_text(), operation_success in prop::option::of(any::<bool>()),
        user in opt_text(), org in opt_text(), entity in opt_text(), task in opt_text(), task_owner in opt_text(), extra in extra(),
    ) -> Notification {
        Notification { event_id, event_type, timestamp, operation_success, user, org, entity, task, task_owner, entity_resolver: None, entity_links: None, extra }
    }
}

fn entity_link() -> impl Strategy<Value = EntityLink> {
    (
        prop::sample::select(vec!["entity", "up", "down", "task", "task:owner"]),
        prop::option::of(prop::sample::select(vec![
            "vcloud:user",
            "vcloud:org",
            "vcloud:vapp",
        ])),
        opt_text(),
        opt_text(),
    )
        .prop_map(|(rel, t, name, id)| EntityLink {
            rel: rel.into(),
            link_type: t.map(Into::into),
            name,
            id,
        })
}

fn bytes() -> impl Strategy<Value = Bytes> {
    (
        prop::collection::vec(any::<u8>(), 0..40),
        prop::sample::select(vec![
            BytesForm::Base64,
            BytesForm::Base64Unpadded,
            BytesForm::Array,
            BytesForm::SignedArray,
        ]),
    )
        .prop_map(|(data, form)| Bytes { data, form })
}

prop_compose! {
    fn http_message()(
        is_request in prop::option::of(any::<bool>()), method in opt_text(), request_uri in opt_text(), query_string in opt_text(),
        remote_port in prop::option::of(any::<u16>()), headers in prop::option::of(string_map()),
        body in prop::option::of(bytes()), status_code in prop::option::of(any::<i32>()), form_data in prop::option::of(json_value()),
    ) -> HttpMessage {
        HttpMessage { is_request, method, request_uri, query_string, remote_port, headers, body, status_code, form_data, ..Default::default() }
    }
}

prop_compose! {
    fn security_context()(
        api_access_token in opt_text(), user in opt_text(), org in opt_text(),
        rights in prop::option::of(prop::option::of(prop::collection::vec(text(), 0..3))),
        parameters in prop::option::of(json_value()), extra in extra(),
    ) -> SecurityContext {
        SecurityContext { api_access_token, user, org, rights, parameters, extra }
    }
}

fn message_type() -> impl Strategy<Value = MessageType<'static>> {
    prop_oneof![
        prop::sample::select(MessageType::KNOWN.to_vec()),
        "[A-Z_]{1,12}".prop_map(MessageType::from_name),
    ]
}

fn raw(v: &Value) -> RawJson<'static> {
    RawJson::from_serialize(v).unwrap()
}

prop_compose! {
    fn message()(
        kind in message_type(), headers in prop::option::of(json_value()), payload in opt_text(),
        http_request in prop::option::of(json_value()), link in opt_text(),
        extra in prop::collection::btree_map("zz[a-z]{1,5}", json_value(), 0..3),
    ) -> Message<'static> {
        let mut m = Message::new(kind);
        m.headers = headers.as_ref().map(raw);
        m.payload = payload.map(Into::into);
        m.http_request = http_request.as_ref().map(raw);
        m.link_api_base_url = link.map(Into::into);
        m.extra = extra.into_iter().collect();
        m
    }
}

proptest! {
    #[test]
    fn message_round_trips(m in message()) {
        let bytes = m.to_vec().unwrap();
        let back = Message::from_slice(&bytes).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(back.into_owned(), m);
    }

    #[test]
    fn task_update_round_trips(u in task_update(), task_id in opt_text()) {
        prop_assert_eq!(TaskUpdate::from_json(&u.to_json().unwrap()).unwrap(), u.clone());
        // …and through a whole behavior response.
        let r = BehaviorResponse {
            headers: BehaviorResponseHeaders { task_id, entity_id: None, content_type: Some(CONTENT_TYPE_TASK.into()), extra: Extra::new() },
            content: ResponseContent::TaskUpdate(u),
        };
        let bytes = r.to_message().unwrap().to_vec().unwrap();
        prop_assert_eq!(Message::from_slice(&bytes).unwrap().behavior_response().unwrap(), r);
    }

    #[test]
    fn text_response_round_trips(t in text(), ct in prop::option::of(Just(CONTENT_TYPE_TEXT.to_string()))) {
        let r = BehaviorResponse {
            headers: BehaviorResponseHeaders { task_id: Some("t".into()), content_type: ct, ..Default::default() },
            content: ResponseContent::Text(t),
        };
        let bytes = r.to_message().unwrap().to_vec().unwrap();
        prop_assert_eq!(Message::from_slice(&bytes).unwrap().behavior_response().unwrap(), r);
    }

    #[test]
    fn envelope_and_payload_round_trip(e in envelope(), p in payload()) {
        prop_assert_eq!(ObjectExtensionEnvelope::from_json(&e.to_json().unwrap()).unwrap(), e.clone());
        prop_assert_eq!(ObjectExtensionPayload::decode(p.payload_type(), &p.to_json().unwrap()).unwrap(), p.clone());
        // A reply built from the envelope decodes back through every layer.
        let reply = e.reply(&p).unwrap();
        prop_assert_eq!(reply.correlation_id.as_deref(), e.correlation_id());
        let env = ObjectExtensionEnvelope::HalfDuplexEnvelope(reply);
        prop_assert_eq!(env.payload().unwrap(), p);
    }

    #[test]
    fn invocation_round_trips_through_every_layer(
        e in envelope(), p in payload(), as_string in any::<bool>(), task in text(), entity in opt_text(),
        rights in prop::option::of(prop::option::of(prop::collection::vec(text(), 0..3))), extra in extra(),
    ) {
        let mut e = e;
        let payload_json = p.to_json().unwrap();
        match &mut e {
            ObjectExtensionEnvelope::HalfDuplexEnvelope(h) => { h.payload = payload_json; h.payload_type = p.payload_type().into(); }
            ObjectExtensionEnvelope::ErrorMessageEnvelope(h) => { h.payload = payload_json; h.payload_type = p.payload_type().into(); }
        }
        let env_value = serde_json::to_value(&e).unwrap();
        let arguments = if as_string { Value::String(env_value.to_string()) } else { env_value };
        let args = InvocationArguments { arguments: Some(arguments), entity_id: entity.clone(), extra, ..Default::default() };
        let headers = InvocationHeaders {
            task_id: Some(task.clone()),
            entity_id: entity,
            context: Some(InvocationContext { rights, ..Default::default() }),
            ..Default::default()
        };
        let mut m = Message::new(MessageType::BehaviorInvocation);
        m.headers = Some(RawJson::from_serialize(&headers).unwrap());
        m.payload = Some(args.to_json().unwrap().into());
        let bytes = m.to_vec().unwrap();
        let msg = Message::from_slice(&bytes).unwrap();
        let inv = msg.behavior_invocation().unwrap();
        prop_assert_eq!(&inv.headers, &headers);
        prop_assert_eq!(&inv.arguments, &args);
        prop_assert_eq!(inv.arguments.object_extension().unwrap(), e.clone());
        prop_assert_eq!(msg.behavior_invocation().unwrap().arguments.object_extension().unwrap().payload().unwrap(), p.clone());
        // Replying and unwrapping the reply gives the payload back, ids copied.
        let reply = inv.reply_object_extension(&p).unwrap();
        let reply_bytes = reply.to_vec().unwrap();
        let r = Message::from_slice(&reply_bytes).unwrap().behavior_response().unwrap();
        prop_assert_eq!(r.headers.task_id.as_deref(), Some(task.as_str()));
        let renv = r.object_extension().unwrap();
        prop_assert_eq!(renv.correlation_id(), e.correlation_id());
        prop_assert_eq!(renv.phase(), e.phase());
        prop_assert_eq!(renv.payload().unwrap(), p);
        // Rendering never fails.
        prop_assert!(msg.unwrap_all().to_string().contains("object extension"));
    }

    #[test]
    fn api_request_and_response_round_trip(
        request_id in opt_text(), ctx in security_context(), m in http_message(), form in prop::sample::select(vec![BytesForm::Base64, BytesForm::Array]),
        link in opt_text(), status in any::<u16>(), headers in string_map(), body in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let req = ApiRequest {
            headers: ApiRequestHeaders { request_id: request_id.clone(), context: Some(ctx.clone()), extra: Extra::new() },
            request: ApiRequestPayload { message: m, security_context: Some(ctx), context: Some(serde_json::json!({})), extra: Extra::new() },
            bytes_form: form,
            link_api_base_url: link,
        };
        let bytes = req.to_message().unwrap().to_vec().unwrap();
        let msg = Message::from_slice(&bytes).unwrap();
        let back = msg.api_request().unwrap();
        prop_assert_eq!(&back, &req);
        let reply = back.respond(status, headers.clone(), body.clone()).unwrap().to_vec().unwrap();
        let resp = Message::from_slice(&reply).unwrap().api_response().unwrap();
        prop_assert_eq!(resp.headers.request_id, request_id);
        prop_assert_eq!(resp.response.status_code, status);
        prop_assert_eq!(resp.response.headers, Some(headers));
        prop_assert_eq!(resp.response.body.unwrap().data, body);
    }

    #[test]
    fn api_response_as_bytes_round_trips(status in any::<u16>(), body in bytes(), form in prop::option::of(prop::sample::select(vec![BytesForm::Base64, BytesForm::Array]))) {
        let r = ApiResponse {
            headers: ApiResponseHeaders { request_id: Some("r".into()), extra: Extra::new() },
            response: HttpResponse { status_code: status, headers: None, body: Some(body), extra: Extra::new() },
            response_form: form,
        };
        let bytes = r.to_message().unwrap().to_vec().unwrap();
        prop_assert_eq!(Message::from_slice(&bytes).unwrap().api_response().unwrap(), r);
    }

    #[test]
    fn bytes_round_trip(b in bytes()) {
        let text = serde_json::to_string(&b).unwrap();
        let back: Bytes = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back.data, &b.data);
        // The form survives unless it is not distinguishable (no negative / no padding needed).
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn notification_json_round_trips(n in notification()) {
        prop_assert_eq!(Notification::from_json(&n.to_json().unwrap()).unwrap(), n.clone());
        let mut m = Message::new(MessageType::Event);
        m.headers = Some(RawJson::from_serialize(&serde_json::json!({"contentType": "application/json"})).unwrap());
        m.payload = Some(n.to_json().unwrap().into());
        let bytes = m.to_vec().unwrap();
        prop_assert_eq!(Message::from_slice(&bytes).unwrap().notification().unwrap().notification, n);
    }

    #[test]
    fn notification_xml_round_trips(n in notification(), links in prop::collection::vec(entity_link(), 1..5), resolver in opt_text(), prefix in "[a-z]{0,4}") {
        // The XML form carries no unknown members.
        let mut n = n;
        n.extra = Extra::new();
        n.entity_resolver = resolver;
        let first = Notification::from_xml(&n.to_xml()).unwrap();
        // Decoding is a fixpoint after one pass (links fill user/org/entity/task fields).
        prop_assert_eq!(Notification::from_xml(&first.to_xml()).unwrap(), first.clone());
        prop_assert_eq!(&first.event_id, &n.event_id);
        prop_assert_eq!(&first.event_type, &n.event_type);
        prop_assert_eq!(first.operation_success, n.operation_success);
        prop_assert_eq!(&first.timestamp, &n.timestamp.as_ref().map(|t| t.trim().to_string()));
        // With explicit links under any prefix.
        n.entity_links = Some(links);
        let xml = n.to_xml();
        let xml = if prefix.is_empty() {
            xml.replace("vmext:", "").replace("xmlns:vmext", "xmlns")
        } else {
            xml.replace("vmext:", &format!("{prefix}:")).replace("xmlns:vmext", &format!("xmlns:{prefix}"))
        };
        let back = Notification::from_xml(&xml).unwrap();
        prop_assert_eq!(&back.entity_links, &n.entity_links);
        prop_assert_eq!(Notification::from_xml(&back.to_xml()).unwrap(), back);
    }

    #[test]
    fn decoders_never_panic(data in prop::collection::vec(any::<u8>(), 0..200), s in ".{0,200}") {
        if let Ok(m) = Message::from_slice(&data) {
            let _ = m.body();
            let _ = m.unwrap_all().to_string();
        }
        if let Ok(m) = Message::from_json(&s) {
            let _ = m.unwrap_all().to_string();
        }
        let _ = InvocationArguments::from_json(&s);
        let _ = ObjectExtensionEnvelope::from_json(&s);
        let _ = ObjectExtensionPayload::decode("Echo", &s);
        let _ = TaskUpdate::from_json(&s);
        let _ = ApiRequest::payload_from_bytes(&data);
        let _ = Notification::from_xml(&s);
        let _ = Notification::from_xml(&String::from_utf8_lossy(&data));
    }

    #[test]
    fn message_shaped_garbage_never_panics(kind in message_type(), payload in json_value(), headers in json_value(), req in json_value()) {
        let doc = serde_json::json!({"type": kind.as_str(), "headers": headers, "payload": payload, "httpRequest": req, "httpResponse": req});
        let text = doc.to_string();
        let m = Message::from_json(&text).unwrap();
        let _ = m.unwrap_all().to_string();
        prop_assert_eq!(serde_json::from_slice::<Value>(&m.to_vec().unwrap()).unwrap(), doc);
    }
}

fn samples() -> Vec<Vec<u8>> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vcd/samples");
    let mut v: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    v.sort();
    v
}

proptest! {
    // 8× the default cases (`PROPTEST_CASES` scales it; 256 unless set).
    #![proptest_config(ProptestConfig::with_cases(ProptestConfig::default().cases * 8))]

    /// Samples with a few bytes changed, removed or inserted never panic any layer, and whatever
    /// still decodes re-encodes to an equal document.
    #[test]
    fn mutated_samples_never_panic(which in 0usize..10, edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4)) {
        let all = samples();
        let mut data = all[which % all.len()].clone();
        for (at, byte, op) in edits {
            if data.is_empty() { break; }
            let i = at.index(data.len());
            match op {
                0 => data[i] = byte,
                1 => { data.remove(i); }
                _ => data.insert(i, byte),
            }
        }
        if let Ok(m) = Message::from_slice(&data) {
            let _ = m.unwrap_all().to_string();
            let _ = m.unwrap_all().to_json_value();
            let again = m.to_vec().unwrap();
            prop_assert_eq!(serde_json::from_slice::<Value>(&again).unwrap(), serde_json::from_slice::<Value>(&data).unwrap());
            let _ = dedup::MessageIdentity::of(&m, &data);
        }
    }
}
