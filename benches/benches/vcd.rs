//! The VCD message layers: the object-extension invocation sample, from the MQTT payload bytes
//! down to the innermost payload, with `vcd-mqtt-schema`'s typed models and with
//! `serde_json::Value` layer by layer. Both routes are checked to reach the same payload first.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vcd_mqtt_benches::vcd::{innermost_typed, innermost_value, unwrap_typed, unwrap_value, SAMPLE};

fn vcd_benches(c: &mut Criterion) {
    let bytes = SAMPLE.as_bytes();
    let typed = innermost_typed(bytes);
    let value = innermost_value(bytes);
    let mut group = c.benchmark_group("vcd_unwrap");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    match (&typed, &value) {
        (Ok(t), Ok(v)) if t == v => {
            group.bench_function("vcd-mqtt-schema", |b| {
                b.iter(|| black_box(unwrap_typed(black_box(bytes)).is_ok()));
            });
            group.bench_function("serde_json::Value", |b| {
                b.iter(|| black_box(unwrap_value(black_box(bytes)).is_ok()));
            });
        }
        _ => eprintln!(
            "vcd_unwrap: not timed, the routes disagree: typed {typed:?}, value {value:?}"
        ),
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = vcd_benches
}
criterion_main!(benches);
