//! Decode benchmarks: one criterion group per case, every library that decodes it correctly.
//!
//! Single packets: each iteration decodes one packet from a fresh copy of its bytes in the
//! library's native buffer type (`Vec<u8>` or `BytesMut`); the copies are made outside the timed
//! section, in batches, and whatever the decode returns is dropped inside it.
//! Stream: the 1 MiB mixed stream fed in 1,500-byte chunks to each library's streaming
//! interface, counting packets and payload bytes.

mod common;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, Throughput,
};
use vcd_mqtt_benches::fixtures::{fixtures, Case, Stream};
use vcd_mqtt_benches::floor;
use vcd_mqtt_benches::for_each_library;
use vcd_mqtt_benches::peers::{mqttrs::Mqttrs, ours::Ours, Library};
use vcd_mqtt_benches::verify::{check_decode, check_stream};

/// Single-packet inputs per timed batch: enough to hide the timer, few enough to stay in cache.
fn batch_for(len: usize) -> u64 {
    if len > 4096 {
        64
    } else {
        1024
    }
}

fn decode_one<L: Library>(group: &mut BenchmarkGroup<'_, WallTime>, case: &'static Case) {
    let outcome = check_decode::<L>(case);
    if !outcome.is_ok() {
        eprintln!("decode_{}/{}: not timed, {outcome}", case.id, L::CRATE);
        return;
    }
    group.bench_function(L::CRATE, |b| {
        b.iter_batched_ref(
            || L::input(&case.wire),
            |input| {
                let result = L::decode(black_box(input));
                black_box(&result);
            },
            BatchSize::NumIterations(batch_for(case.wire.len())),
        );
    });
}

fn stream_all<L: Library>(group: &mut BenchmarkGroup<'_, WallTime>, stream: &'static Stream) {
    let outcome = check_stream::<L>(stream);
    if !outcome.is_ok() {
        eprintln!("decode_stream_1mib/{}: not timed, {outcome}", L::CRATE);
        return;
    }
    group.bench_function(L::CRATE, |b| {
        b.iter(|| {
            let mut state = L::stream();
            let (mut packets, mut payload, mut errors) = (0usize, 0usize, 0usize);
            for chunk in stream.chunks() {
                let fed = L::feed(&mut state, black_box(chunk), |p| {
                    packets += 1;
                    payload += L::payload_len(p);
                });
                errors += usize::from(fed.is_err());
            }
            black_box((packets, payload, errors))
        });
    });
}

fn decode_benches(c: &mut Criterion) {
    let f = fixtures();
    for case in &f.cases {
        let mut group = c.benchmark_group(format!("decode_{}", case.id));
        group.throughput(Throughput::Bytes(case.wire.len() as u64));
        for_each_library!(decode_one(&mut group, case));
        group.finish();
    }
    let mut group = c.benchmark_group("decode_stream_1mib");
    group.throughput(Throughput::Bytes(f.stream.bytes.len() as u64));
    group.sample_size(20);
    for_each_library!(stream_all(&mut group, &f.stream));
    group.finish();
}

/// The lower bound of the 2× `mqttrs` goal (see `vcd_mqtt_benches::floor`): the topic's `&str`
/// alone by `from_utf8` and by the ASCII route, and the least a safe decoder does, beside our
/// codec and `mqttrs`, in one group so the five share a run.
fn floor_benches(c: &mut Criterion) {
    let case = fixtures().case("publish");
    let mut group = c.benchmark_group(floor::GROUP);
    group.throughput(Throughput::Bytes(case.wire.len() as u64));
    assert!(
        floor::publish(&case.wire).is_some(),
        "the floor must read the fixture"
    );
    let topic = floor::PUBLISH_TOPIC;
    on_wire(&mut group, floor::UTF8_ID, case, |w| {
        black_box(&floor::topic_utf8(&w[topic.clone()]));
    });
    on_wire(&mut group, floor::STR_ID, case, |w| {
        black_box(&floor::topic_str(&w[topic.clone()]));
    });
    on_wire(&mut group, floor::FLOOR_ID, case, |w| {
        black_box(&floor::publish(w));
    });
    decode_one::<Ours>(&mut group, case);
    decode_one::<Mqttrs>(&mut group, case);
    group.finish();
}

/// Times `f` (a generic, so inlined like a decoder's own call) on a fresh copy of the case's
/// bytes per iteration, in batches as [`decode_one`] does.
fn on_wire(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    case: &'static Case,
    f: impl Fn(&[u8]),
) {
    group.bench_function(id, |b| {
        b.iter_batched_ref(
            || case.wire.clone(),
            |input| f(black_box(input)),
            BatchSize::NumIterations(batch_for(case.wire.len())),
        );
    });
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = decode_benches, floor_benches
}
criterion_main!(benches);
