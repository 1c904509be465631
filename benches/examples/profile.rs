//! Runs one library on one case in a tight loop, for profilers that count instructions
//! (`valgrind --tool=callgrind`) rather than time:
//!
//! ```text
//! cargo build -p vcd-mqtt-benches --profile bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile vcd-mqtt-codec decode publish 100000
//! ```
//! `<library>` is a crate name from the report, `<op>` one of decode, encode, stream, `<case>` a
//! case id (publish, publish_16k, connect, subscribe, puback; ignored for stream), or
//! `vcd typed|direct|value <iterations>` for the VCD unwrap routes.

use std::hint::black_box;
use std::process::ExitCode;

use vcd_mqtt_benches::fixtures::fixtures;
use vcd_mqtt_benches::peers::{self, Library};
use vcd_mqtt_benches::vcd;

fn run<L: Library>(op: &str, case: &str, iterations: usize) -> Result<(), String> {
    let f = fixtures();
    match op {
        "decode" => {
            let case = f
                .cases
                .iter()
                .find(|c| c.id == case)
                .ok_or("unknown case")?;
            let mut inputs: Vec<L::Input> = (0..256).map(|_| L::input(&case.wire)).collect();
            for i in 0..iterations {
                // Refill consumed inputs (BytesMut libraries split the packet off) outside the
                // decode itself; the profile shows both, attributed to separate functions.
                let slot = i % inputs.len();
                if i >= inputs.len() {
                    inputs[slot] = L::input(&case.wire);
                }
                let r = L::decode(black_box(&mut inputs[slot]));
                black_box(&r);
            }
        }
        "encode" => {
            let case = f
                .cases
                .iter()
                .find(|c| c.id == case)
                .ok_or("unknown case")?;
            let packet = L::build(&case.msg)?;
            let mut out = L::output(case.wire.len() + 16);
            for _ in 0..iterations {
                L::encode(black_box(&packet), &mut out)?;
                black_box(L::written(&out));
            }
        }
        "stream" => {
            for _ in 0..iterations {
                let mut state = L::stream();
                let mut n = 0usize;
                for chunk in f.stream.chunks() {
                    L::feed(&mut state, black_box(chunk), |p| n += L::payload_len(p))?;
                }
                black_box(n);
            }
        }
        other => return Err(format!("unknown operation {other:?}")),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let iterations = |i: usize| arg(i).parse::<usize>().unwrap_or(100_000);
    let result = match arg(0) {
        "vcd" => {
            let bytes = vcd::SAMPLE.as_bytes();
            for _ in 0..iterations(2) {
                match arg(1) {
                    "typed" => {
                        black_box(vcd::unwrap_typed(black_box(bytes)).is_ok());
                    }
                    "direct" => {
                        black_box(vcd::unwrap_direct(black_box(bytes)).is_ok());
                    }
                    _ => {
                        black_box(vcd::unwrap_value(black_box(bytes)).is_ok());
                    }
                }
            }
            Ok(())
        }
        "vcd-mqtt-codec" => run::<peers::ours::Ours>(arg(1), arg(2), iterations(3)),
        "mqttrs" => run::<peers::mqttrs::Mqttrs>(arg(1), arg(2), iterations(3)),
        "rumqttc" => run::<peers::rumqttc::Rumqttc>(arg(1), arg(2), iterations(3)),
        "mqttbytes" => run::<peers::mqttbytes::Mqttbytes>(arg(1), arg(2), iterations(3)),
        "mqtt-proto" => run::<peers::mqtt_proto::MqttProto>(arg(1), arg(2), iterations(3)),
        "mqtt-protocol" => run::<peers::mqtt_protocol::MqttProtocol>(arg(1), arg(2), iterations(3)),
        other => Err(format!(
            "unknown library {other:?}; usage: profile <library> <op> <case> [iterations]"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("profile: {e}");
            ExitCode::FAILURE
        }
    }
}
