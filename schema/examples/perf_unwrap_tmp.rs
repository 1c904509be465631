use serde_json::Value;
use std::time::Instant;
use vcd_mqtt_schema::Message;
fn value_route(b: &[u8]) -> Value {
    let m: Value = serde_json::from_slice(b).unwrap();
    let inv: Value = serde_json::from_str(m["payload"].as_str().unwrap()).unwrap();
    let env = inv["arguments"].clone();
    serde_json::from_str(env["payload"].as_str().unwrap()).unwrap()
}
fn main() {
    let b = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vcd/samples/object-extension-invocation.json"
    ))
    .unwrap();
    let n = 200_000;
    for round in 0..3 {
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(value_route(std::hint::black_box(&b)));
        }
        let v = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        for _ in 0..n {
            let m = Message::from_slice(std::hint::black_box(&b)).unwrap();
            std::hint::black_box(
                m.behavior_invocation()
                    .unwrap()
                    .arguments
                    .object_extension()
                    .unwrap()
                    .payload()
                    .unwrap(),
            );
        }
        let ty = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        for _ in 0..n {
            let m = Message::from_slice(std::hint::black_box(&b)).unwrap();
            std::hint::black_box(m);
        }
        let env = t.elapsed().as_nanos() as f64 / n as f64;
        let t = Instant::now();
        let m = Message::from_slice(&b).unwrap();
        for _ in 0..n {
            std::hint::black_box(
                vcd_mqtt_schema::InvocationArguments::from_json(m.payload.as_deref().unwrap())
                    .unwrap(),
            );
        }
        let args = t.elapsed().as_nanos() as f64 / n as f64;
        println!("round {round}: value {v:.0} ns, typed {ty:.0} ns, ratio {:.2}; envelope {env:.0} ns, args {args:.0} ns", v / ty);
    }
}
