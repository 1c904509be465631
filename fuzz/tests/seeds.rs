//! Runs the committed seed corpora through the codec checks (`cargo test` on stable, no fuzzing
//! toolchain needed), so a seed that breaks a property fails the ordinary test run too.

use arbitrary::{Arbitrary, Unstructured};
use std::fs;
use std::path::PathBuf;
use vcd_mqtt_fuzz::codec_checks::{
    check_decode_packet, check_packet_roundtrip, check_stream_decoder,
};
use vcd_mqtt_fuzz::spec::PacketSpec;

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_owned();
            name.starts_with("seed-")
                .then(|| (name, fs::read(&path).expect("readable seed")))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

#[test]
fn decode_packet_seeds_hold_the_properties() {
    let all = seeds("decode_packet");
    let mut decoded = 0;
    for (name, data) in &all {
        check_decode_packet(data);
        if let Ok(vcd_mqtt_codec::Status::Complete(_)) = vcd_mqtt_codec::decode(data) {
            decoded += 1;
            assert!(
                !name.starts_with("seed-bad-"),
                "{name} was meant to be malformed"
            );
        } else {
            assert!(name.starts_with("seed-bad-"), "{name} should decode");
        }
    }
    assert!(decoded >= 20, "only {decoded} valid packet seeds");
}

#[test]
fn stream_decoder_seeds_hold_the_properties() {
    for (_, data) in seeds("stream_decoder") {
        check_stream_decoder(&data);
        // The same stream in every chunk size from 1 to 9 bytes.
        for size in 1..10u8 {
            let mut v = vec![data[0], 1, size];
            v.extend_from_slice(&data[2 + usize::from(data[1] % 32)..]);
            check_stream_decoder(&v);
        }
    }
}

#[test]
fn packet_roundtrip_seeds_hold_the_properties() {
    // Any bytes make a PacketSpec: the target's seeds, the packet seeds and simple patterns.
    let mut inputs: Vec<Vec<u8>> = seeds("packet_roundtrip")
        .into_iter()
        .chain(seeds("decode_packet"))
        .map(|(_, d)| d)
        .collect();
    inputs.extend((0..=255u8).map(|b| vec![b; 64]));
    inputs.extend((0..64u8).map(|n| (0..n).map(|i| i.wrapping_mul(37)).collect()));
    for data in inputs {
        let mut u = Unstructured::new(&data);
        if let Ok(spec) = PacketSpec::arbitrary(&mut u) {
            check_packet_roundtrip(&spec);
        }
    }
}

#[test]
fn message_seeds_hold_the_properties() {
    let all = seeds("message");
    assert!(all.len() >= 10);
    for (name, data) in &all {
        assert!(
            vcd_mqtt_schema::Message::from_slice(data).is_ok(),
            "{name} is a valid envelope"
        );
        vcd_mqtt_fuzz::schema_checks::check_message(data);
        // Every truncation of a sample must be handled as well.
        for cut in (0..data.len()).step_by(37) {
            vcd_mqtt_fuzz::schema_checks::check_message(&data[..cut]);
        }
    }
}

#[test]
fn xml_seeds_hold_the_properties() {
    for (name, data) in seeds("xml_notification") {
        let text = std::str::from_utf8(&data).expect("UTF-8 seed");
        assert!(
            vcd_mqtt_schema::Notification::from_xml(text).is_ok(),
            "{name} parses"
        );
        vcd_mqtt_fuzz::schema_checks::check_xml_notification(&data);
        for cut in 0..data.len() {
            vcd_mqtt_fuzz::schema_checks::check_xml_notification(&data[..cut]);
        }
    }
}
