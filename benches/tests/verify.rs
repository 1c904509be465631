//! The setup step as a test: every library's result on every case is checked before anything
//! is timed. Our codec must pass everything; every peer's outcome must be the one recorded in
//! [`EXPECTED_PEER_FAILURES`] (so a peer upgrade that changes behaviour is noticed).

use vcd_mqtt_benches::verify::{all_checks, Op, Outcome};

/// (library, operation, case, outcome prefix) of every known peer failure.
const EXPECTED_PEER_FAILURES: &[(&str, Op, &str, &str)] = &[];

#[test]
fn every_check_is_as_recorded() {
    let checks = all_checks();
    for c in &checks {
        println!(
            "{:<15} {:<7} {:<12} {}",
            c.library,
            format!("{:?}", c.op),
            c.case,
            c.outcome
        );
    }
    assert_eq!(checks.len(), 6 * (5 * 2 + 1));
    for c in &checks {
        let expected = EXPECTED_PEER_FAILURES
            .iter()
            .find(|(l, op, case, _)| *l == c.library && *op == c.op && *case == c.case);
        match (expected, &c.outcome) {
            (None, Outcome::Ok) => {}
            (None, other) => panic!("{} {:?} {}: {other}", c.library, c.op, c.case),
            (Some((.., prefix)), outcome) => {
                let text = outcome.to_string();
                assert!(
                    text.starts_with(prefix),
                    "{} {:?} {}: expected `{prefix}…`, got `{text}`",
                    c.library,
                    c.op,
                    c.case
                );
            }
        }
    }
}
