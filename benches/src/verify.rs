//! The setup step: does each library decode / encode / stream each case correctly?
//!
//! The benchmarks time a library on a case only when its check here is [`Outcome::Ok`]; the
//! report prints every other outcome in place of a time, so no library is timed on a failed
//! decode and none is left out silently.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::fixtures::{fixtures, Case, Stream};
use crate::msg::Msg;
use crate::peers::Library;

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Same field values (decode) or the same bytes (encode) as the reference.
    Ok,
    /// The library returned an error or panicked.
    Error(String),
    /// The library returned something, but not the right thing.
    Wrong(String),
    /// The library's types cannot express the packet.
    Unsupported(String),
}

impl Outcome {
    /// Whether the library may be timed on this case.
    pub fn is_ok(&self) -> bool {
        matches!(self, Outcome::Ok)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok => f.write_str("ok"),
            Outcome::Error(e) => write!(f, "error: {e}"),
            Outcome::Wrong(e) => write!(f, "wrong result: {e}"),
            Outcome::Unsupported(e) => write!(f, "cannot express it: {e}"),
        }
    }
}

/// Which operation a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Single-packet decode.
    Decode,
    /// Single-packet encode.
    Encode,
    /// The 1 MiB stream through the library's streaming interface.
    Stream,
}

/// One library × operation × case result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Crate name of the library.
    pub library: &'static str,
    /// The operation.
    pub op: Op,
    /// Case identifier (`"stream_1mib"` for the stream).
    pub case: &'static str,
    /// What happened.
    pub outcome: Outcome,
}

/// Case identifier of the streaming benchmark.
pub const STREAM_CASE: &str = "stream_1mib";

fn guarded(f: impl FnOnce() -> Outcome) -> Outcome {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(o) => o,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            Outcome::Error(format!("panicked: {msg}"))
        }
    }
}

/// Decodes `case` with `L` and compares field values.
pub fn check_decode<L: Library>(case: &Case) -> Outcome {
    guarded(|| {
        let mut input = L::input(&case.wire);
        let outcome = match L::decode(&mut input) {
            Ok(p) => match L::to_msg(&p).diff(&case.msg) {
                None => Outcome::Ok,
                Some(d) => Outcome::Wrong(d),
            },
            Err(e) => Outcome::Error(format!("{e:?}")),
        };
        outcome
    })
}

/// Builds `case` as `L`'s packet value, encodes it and compares the bytes with the reference.
pub fn check_encode<L: Library>(case: &'static Case) -> Outcome {
    guarded(|| {
        let packet = match L::build(&case.msg) {
            Ok(p) => p,
            Err(e) => return Outcome::Unsupported(e),
        };
        let mut out = L::output(case.wire.len() + 16);
        if let Err(e) = L::encode(&packet, &mut out) {
            return Outcome::Error(e);
        }
        // Encode twice: the benchmark reuses the output buffer, so the second result counts.
        if let Err(e) = L::encode(&packet, &mut out) {
            return Outcome::Error(format!("second encode into the same buffer: {e}"));
        }
        let got = L::written(&out);
        if got == case.wire.as_slice() {
            return Outcome::Ok;
        }
        match got.iter().zip(&case.wire).position(|(a, b)| a != b) {
            Some(i) => Outcome::Wrong(format!(
                "byte {i} is 0x{:02X}, expected 0x{:02X} ({} bytes written, {} expected)",
                got[i],
                case.wire[i],
                got.len(),
                case.wire.len()
            )),
            None => Outcome::Wrong(format!(
                "{} bytes written, {} expected (one is a prefix of the other)",
                got.len(),
                case.wire.len()
            )),
        }
    })
}

/// Feeds the stream to `L` in 1,500-byte chunks and compares every packet, in order.
pub fn check_stream<L: Library>(stream: &Stream) -> Outcome {
    guarded(|| {
        let mut state = L::stream();
        let mut got: Vec<Msg> = Vec::with_capacity(stream.msgs.len());
        for chunk in stream.chunks() {
            if let Err(e) = L::feed(&mut state, chunk, |p| got.push(L::to_msg(p))) {
                return Outcome::Error(format!("after {} packets: {e}", got.len()));
            }
        }
        for (i, (g, want)) in got.iter().zip(&stream.msgs).enumerate() {
            if let Some(d) = g.diff(want) {
                return Outcome::Wrong(format!("packet {i}: {d}"));
            }
        }
        if got.len() != stream.msgs.len() {
            return Outcome::Wrong(format!(
                "{} packets decoded, {} in the stream",
                got.len(),
                stream.msgs.len()
            ));
        }
        Outcome::Ok
    })
}

fn collect<L: Library>(out: &mut Vec<Check>) {
    let f = fixtures();
    for case in &f.cases {
        out.push(Check {
            library: L::CRATE,
            op: Op::Decode,
            case: case.id,
            outcome: check_decode::<L>(case),
        });
        out.push(Check {
            library: L::CRATE,
            op: Op::Encode,
            case: case.id,
            outcome: check_encode::<L>(case),
        });
    }
    out.push(Check {
        library: L::CRATE,
        op: Op::Stream,
        case: STREAM_CASE,
        outcome: check_stream::<L>(&f.stream),
    });
}

/// Every check for every library, ours first.
pub fn all_checks() -> Vec<Check> {
    let mut out = Vec::new();
    // Peers that panic are caught by `guarded`; keep their panic messages off stderr.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    crate::for_each_library!(collect(&mut out));
    std::panic::set_hook(hook);
    out
}
