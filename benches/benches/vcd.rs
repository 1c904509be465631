//! The VCD message layers: the object-extension invocation sample, from the MQTT payload bytes
//! down to the innermost payload, with `vcd-mqtt-schema` (the fully typed route and the direct
//! route) and with `serde_json::Value` layer by layer. Each schema route is checked to reach the
//! same payload as the `Value` route first; a route that does not is reported and not timed.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vcd_mqtt_benches::vcd::{
    innermost_direct, innermost_typed, innermost_value, unwrap_direct, unwrap_typed, unwrap_value,
    Innermost, DIRECT, GROUP, SAMPLE, TYPED, VALUE,
};

fn vcd_benches(c: &mut Criterion) {
    let bytes = SAMPLE.as_bytes();
    let value = innermost_value(bytes);
    let mut group = c.benchmark_group(GROUP);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    let Ok(reference) = &value else {
        eprintln!("{GROUP}: not timed, the serde_json::Value route fails: {value:?}");
        group.finish();
        return;
    };
    let agrees = |id: &str, got: &Result<Innermost, String>| match got {
        Ok(g) if g == reference => true,
        _ => {
            eprintln!(
                "{GROUP}: {id} not timed, it disagrees with {}: {got:?} vs {reference:?}",
                VALUE.id
            );
            false
        }
    };
    if agrees(TYPED.id, &innermost_typed(bytes)) {
        group.bench_function(TYPED.id, |b| {
            b.iter(|| black_box(unwrap_typed(black_box(bytes)).is_ok()));
        });
    }
    if agrees(DIRECT.id, &innermost_direct(bytes)) {
        group.bench_function(DIRECT.id, |b| {
            b.iter(|| black_box(unwrap_direct(black_box(bytes)).is_ok()));
        });
    }
    group.bench_function(VALUE.id, |b| {
        b.iter(|| black_box(unwrap_value(black_box(bytes)).is_ok()));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = vcd_benches
}
criterion_main!(benches);
