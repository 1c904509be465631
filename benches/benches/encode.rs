//! Encode benchmarks: each library writes its own packet value (built once, outside timing)
//! into a reused output buffer; only libraries whose bytes match the reference are timed.

mod common;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use vcd_mqtt_benches::fixtures::{fixtures, Case};
use vcd_mqtt_benches::for_each_library;
use vcd_mqtt_benches::peers::Library;
use vcd_mqtt_benches::verify::check_encode;

fn encode_one<L: Library>(group: &mut BenchmarkGroup<'_, WallTime>, case: &'static Case) {
    let outcome = check_encode::<L>(case);
    if !outcome.is_ok() {
        eprintln!("encode_{}/{}: not timed, {outcome}", case.id, L::CRATE);
        return;
    }
    let Ok(packet) = L::build(&case.msg) else {
        return;
    };
    let mut out = L::output(case.wire.len() + 16);
    group.bench_function(L::CRATE, |b| {
        b.iter(|| {
            let result = L::encode(black_box(&packet), &mut out);
            black_box(L::written(&out).len());
            result.is_ok()
        });
    });
}

fn encode_benches(c: &mut Criterion) {
    for case in &fixtures().cases {
        let mut group = c.benchmark_group(format!("encode_{}", case.id));
        group.throughput(Throughput::Bytes(case.wire.len() as u64));
        for_each_library!(encode_one(&mut group, case));
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = encode_benches
}
criterion_main!(benches);
