//! Shared helpers of the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `shared/vcd/samples` beside the repository clone.
pub fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vcd/samples")
}

/// The bytes of one sample.
pub fn sample(name: &str) -> Vec<u8> {
    let p = samples_dir().join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

/// Every sample as (file name, bytes), sorted.
pub fn all_samples() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(samples_dir())
        .expect("samples dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid json")
}

/// Parses `bytes` as JSON and, recursively, every string member that holds a JSON object or
/// array: compares nested layers independent of their whitespace.
pub fn deep(bytes: &[u8]) -> serde_json::Value {
    fn go(v: serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) if s.trim_start().starts_with(['{', '[']) => {
                match serde_json::from_str::<Value>(&s) {
                    Ok(inner) => go(inner),
                    Err(_) => Value::String(s),
                }
            }
            Value::Array(a) => Value::Array(a.into_iter().map(go).collect()),
            Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, go(v))).collect()),
            other => other,
        }
    }
    go(json(bytes))
}
