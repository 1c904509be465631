//! Property tests of the benchmark's oracle: for arbitrary valid packets, the reference encoder
//! (`Msg::to_wire`) and our codec agree in both directions, so a "wrong result" verdict in the
//! report always means the library under test, not the reference, is wrong.

use proptest::prelude::*;
use vcd_mqtt_benches::fixtures::Case;
use vcd_mqtt_benches::msg::{Msg, Will};
use vcd_mqtt_benches::peers::ours::Ours;
use vcd_mqtt_benches::peers::Library;
use vcd_mqtt_benches::verify::{check_decode, check_encode, Outcome};

fn topic() -> impl Strategy<Value = String> {
    // Valid topic names: no wildcards, no U+0000, at least one character.
    "[a-zA-Z0-9/_:.é-]{1,40}"
}

fn filter() -> impl Strategy<Value = String> {
    prop_oneof![
        topic(),
        Just("#".to_string()),
        Just("a/+/b".to_string()),
        Just("+/x/#".to_string())
    ]
}

fn pid() -> impl Strategy<Value = u16> {
    1u16..=u16::MAX
}

fn msg() -> impl Strategy<Value = Msg> {
    prop_oneof![
        (
            topic(),
            proptest::collection::vec(any::<u8>(), 0..300),
            0u8..3,
            pid(),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(topic, payload, qos, id, retain, dup)| Msg::Publish {
                dup: dup && qos > 0,
                qos,
                retain,
                pid: (qos > 0).then_some(id),
                topic,
                payload,
            }),
        (
            "[a-z0-9-]{0,23}",
            any::<u16>(),
            proptest::option::of((
                topic(),
                proptest::collection::vec(any::<u8>(), 0..50),
                0u8..3,
                any::<bool>()
            )),
            proptest::option::of((
                "[a-z/0-9.]{0,30}",
                proptest::option::of(proptest::collection::vec(any::<u8>(), 0..80))
            )),
        )
            .prop_map(|(client_id, keep_alive, will, login)| Msg::Connect {
                client_id,
                clean_session: true,
                keep_alive,
                will: will.map(|(topic, message, qos, retain)| Will {
                    topic,
                    message,
                    qos,
                    retain
                }),
                username: login.as_ref().map(|(u, _)| u.clone()),
                password: login.and_then(|(_, p)| p),
            }),
        (pid(), proptest::collection::vec((filter(), 0u8..3), 1..8))
            .prop_map(|(pid, filters)| Msg::Subscribe { pid, filters }),
        (
            pid(),
            proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(0x80)], 1..8)
        )
            .prop_map(|(pid, codes)| Msg::Suback { pid, codes }),
        (pid(), proptest::collection::vec(filter(), 1..5))
            .prop_map(|(pid, filters)| Msg::Unsubscribe { pid, filters }),
        pid().prop_map(Msg::Puback),
        pid().prop_map(Msg::Pubrec),
        pid().prop_map(Msg::Pubrel),
        pid().prop_map(Msg::Pubcomp),
        pid().prop_map(Msg::Unsuback),
        Just(Msg::Pingreq),
        Just(Msg::Pingresp),
        Just(Msg::Disconnect),
    ]
}

proptest! {
    #[test]
    fn reference_and_our_codec_agree(m in msg()) {
        let wire = m.to_wire();
        let case: &'static Case = Box::leak(Box::new(Case { id: "prop", title: String::new(), msg: m.clone(), wire }));
        prop_assert_eq!(check_decode::<Ours>(case), Outcome::Ok);
        // Our encoder only has to express the packets the encode benchmark uses.
        if matches!(m, Msg::Publish { .. } | Msg::Connect { .. } | Msg::Subscribe { .. } | Msg::Puback(_)) {
            prop_assert_eq!(check_encode::<Ours>(case), Outcome::Ok);
        }
    }
}

#[test]
fn the_checks_can_fail() {
    // A wrong expectation is reported as a wrong result naming the field, for every library.
    let wire = Msg::Puback(7).to_wire();
    let case: &'static Case = Box::leak(Box::new(Case {
        id: "neg",
        title: String::new(),
        msg: Msg::Puback(8),
        wire,
    }));
    let outcome = check_decode::<Ours>(case);
    assert!(
        matches!(&outcome, Outcome::Wrong(d) if d.contains("Puback(7)")),
        "{outcome}"
    );
    assert!(!check_decode::<vcd_mqtt_benches::peers::mqttrs::Mqttrs>(case).is_ok());
    assert!(!check_encode::<Ours>(case).is_ok());

    // A truncated packet is an error (or a wrong result), never a pass, for every library.
    let full = vcd_mqtt_benches::fixtures::fixtures().case("publish");
    let case: &'static Case = Box::leak(Box::new(Case {
        id: "truncated",
        title: String::new(),
        msg: full.msg.clone(),
        wire: full.wire[..full.wire.len() - 1].to_vec(),
    }));
    fn not_ok<L: Library>(case: &'static Case) {
        let o = check_decode::<L>(case);
        assert!(!o.is_ok(), "{} accepted a truncated packet", L::CRATE);
    }
    vcd_mqtt_benches::for_each_library!(not_ok(case));
}
