//! A hand-written decoder for the outer message envelope, tried before `serde_json`.
//!
//! The envelope is a small object, but its `payload` is a long string with an escaped quote
//! every few characters (a JSON document encoded as a string). `serde_json` spends about a
//! hundred instructions on each escape (and grows a scratch buffer by doubling, then copies it
//! out); the scanner below copies the runs between escapes straight into one buffer. Values other
//! than strings (`headers`, `httpRequest`, unknown members) are delimited by `serde_json` itself
//! (as a borrowed `RawValue`).
//!
//! The scanner only ever accepts what the `serde_json` decoder accepts, with the same result:
//! anything else — a syntax error, a duplicate member, a control character, a `\u` escape (left
//! to `serde_json` for its surrogate rules) — makes it give up (`None`), and the caller decodes
//! the text again with `serde_json`, which then reports the error exactly.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::message::{Message, MessageType, RawJson};

/// JSON insignificant whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(i) {
        i += 1;
    }
    i
}

/// `true` for the bytes that end a run of plain string characters: `"`, `\` and controls.
const fn special(c: u8) -> bool {
    c == b'"' || c == b'\\' || c < 0x20
}

/// The index of the first [`special`] byte at or after `i` (or `b.len()`), eight bytes at a
/// time: the high bit of each byte of the mask is set where a byte is a control character,
/// `"` or `\` (the lowest set bit is always exact).
fn skip_plain(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    while let Some(chunk) = b.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(bytes);
        let ctrl = x.wrapping_sub(ONES * 0x20) & !x;
        let q = x ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let s = x ^ (ONES * u64::from(b'\\'));
        let backslash = s.wrapping_sub(ONES) & !s;
        let mask = (ctrl | quote | backslash) & (ONES << 7);
        if mask != 0 {
            return i + (mask.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !special(b[i]) {
        i += 1;
    }
    i
}

/// The JSON string starting at `text[i]` (which must be `"`): its value (borrowed when it has
/// no escape) and the index after the closing quote.
pub(crate) fn string(text: &str, i: usize) -> Option<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut i = i + 1;
    let mut run = i;
    let mut out: Option<String> = None;
    loop {
        i = skip_plain(b, i);
        match *b.get(i)? {
            b'"' => {
                // Runs end at ASCII bytes, so every slice is on character boundaries.
                let value = match out {
                    None => Cow::Borrowed(&text[run..i]),
                    Some(mut s) => {
                        s.push_str(&text[run..i]);
                        Cow::Owned(s)
                    }
                };
                return Some((value, i + 1));
            }
            b'\\' => {
                let s = out.get_or_insert_with(|| String::with_capacity(b.len() - run));
                s.push_str(&text[run..i]);
                let unescaped = match *b.get(i + 1)? {
                    // `\"`, `\\`, `\/` stand for the escaped byte itself: it starts the next run.
                    b'"' | b'\\' | b'/' => None,
                    b'n' => Some('\n'),
                    b't' => Some('\t'),
                    b'r' => Some('\r'),
                    b'b' => Some('\u{8}'),
                    b'f' => Some('\u{c}'),
                    // `\u` (surrogate rules) and invalid escapes: left to serde_json.
                    _ => return None,
                };
                match unescaped {
                    Some(c) => {
                        s.push(c);
                        run = i + 2;
                    }
                    None => run = i + 1,
                }
                i += 2;
            }
            // A control character: not allowed in a JSON string.
            _ => return None,
        }
    }
}

/// The index after the JSON value starting at `b[i]`, checking its syntax as `serde_json`
/// does (strings without control characters and with valid escapes, numbers, literals, nesting
/// up to `serde_json`'s limit of 128); `None` where it would not accept it, or might not.
fn skip_value(b: &[u8], i: usize, depth: usize) -> Option<usize> {
    match *b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' if depth < 127 => {
            let close = if b[i] == b'{' { b'}' } else { b']' };
            let mut i = skip_ws(b, i + 1);
            if b.get(i) == Some(&close) {
                return Some(i + 1);
            }
            loop {
                if close == b'}' {
                    i = skip_string(b, i)?;
                    i = skip_ws(b, i);
                    if b.get(i) != Some(&b':') {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                }
                i = skip_ws(b, skip_value(b, i, depth + 1)?);
                match *b.get(i)? {
                    b',' => i = skip_ws(b, i + 1),
                    c if c == close => return Some(i + 1),
                    _ => return None,
                }
            }
        }
        b't' => b.get(i..i + 4).filter(|w| w == b"true").map(|_| i + 4),
        b'f' => b.get(i..i + 5).filter(|w| w == b"false").map(|_| i + 5),
        b'n' => b.get(i..i + 4).filter(|w| w == b"null").map(|_| i + 4),
        b'-' | b'0'..=b'9' => skip_number(b, i),
        _ => None,
    }
}

/// A JSON string at `b[i]` (`"`), escapes checked but not decoded.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut i = i + 1;
    loop {
        i = skip_plain(b, i);
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'n' | b't' | b'r' | b'b' | b'f' => i += 2,
                b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                _ => return None,
            },
            _ => return None,
        }
    }
}

/// A JSON number at `b[i]`: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn skip_number(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| -> Option<usize> {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        _ => digits(b, i)?,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

/// Walks the JSON object `text` (the whole text, whitespace around it allowed): for each member,
/// `on_member(key, i)` reads the value starting at `text[i]` and returns the index after it.
/// `None` when the text is not an object this scanner accepts, or `on_member` gives up.
pub(crate) fn walk_object<'t>(
    text: &'t str,
    mut on_member: impl FnMut(Cow<'t, str>, usize) -> Option<usize>,
) -> Option<()> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) != Some(&b'}') {
        loop {
            let (key, j) = string(text, i)?;
            i = skip_ws(b, j);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, on_member(key, skip_ws(b, i + 1))?);
            match *b.get(i)? {
                b',' => i = skip_ws(b, i + 1),
                b'}' => break,
                _ => return None,
            }
        }
    }
    (skip_ws(b, i + 1) == b.len()).then_some(())
}

/// A JSON value at `text[i]` decoded into a `serde_json::Value` (for unknown members).
pub(crate) fn value(text: &str, i: usize) -> Option<(serde_json::Value, usize)> {
    let (raw, end) = raw_value(text, i)?;
    Some((serde_json::from_str(raw.get()).ok()?, end))
}

/// The raw JSON text of member `name` of the object `text`, every other member skipped (syntax
/// checked, nothing decoded); `Some(None)` when the object has no such member, `None` when the
/// text is not an object this scanner accepts or `name` appears twice.
pub(crate) fn member<'t>(text: &'t str, name: &str) -> Option<Option<&'t str>> {
    let mut found = None;
    walk_object(text, |key, i| {
        // Depth 1: the members are inside this object.
        let end = skip_value(text.as_bytes(), i, 1)?;
        if key == name {
            if found.is_some() {
                return None;
            }
            found = Some(text.get(i..end)?);
        }
        Some(end)
    })?;
    Some(found)
}

/// Any JSON value starting at `text[i]`, delimited by `serde_json`: the raw value (borrowed) and
/// the index after it.
fn raw_value(text: &str, i: usize) -> Option<(&RawValue, usize)> {
    let rest = text.get(i..)?;
    let mut de = serde_json::Deserializer::from_str(rest);
    let raw = <&RawValue>::deserialize(&mut de).ok()?;
    let end = raw.get().as_ptr() as usize - rest.as_ptr() as usize + raw.get().len();
    Some((raw, i + end))
}

/// Decodes the envelope `text` like `Message`'s `Deserialize` does, or gives up (`None`).
pub(crate) fn message(text: &str) -> Option<Message<'_>> {
    let mut kind = None;
    let mut msg = Message::new(MessageType::Event);
    walk_object(text, |key, i| match &*key {
        "type" => {
            if kind.is_some() {
                return None;
            }
            let (name, j) = string(text, i)?;
            kind = Some(MessageType::from_name(name));
            Some(j)
        }
        "headers" | "httpRequest" | "httpResponse" => {
            let slot = match &*key {
                "headers" => &mut msg.headers,
                "httpRequest" => &mut msg.http_request,
                _ => &mut msg.http_response,
            };
            if slot.is_some() {
                return None;
            }
            let (raw, j) = raw_value(text, i)?;
            *slot = Some(RawJson::borrowed(raw));
            Some(j)
        }
        "payload" | "linkApiBaseUrl" => {
            let slot = if &*key == "payload" {
                &mut msg.payload
            } else {
                &mut msg.link_api_base_url
            };
            if slot.is_some() || msg.extra.contains_key(&*key) {
                return None;
            }
            if text.as_bytes().get(i) == Some(&b'"') {
                let (s, j) = string(text, i)?;
                *slot = Some(s);
                Some(j)
            } else {
                let (v, j) = value(text, i)?;
                msg.extra.insert(key.into_owned(), v);
                Some(j)
            }
        }
        _ => {
            if msg.extra.contains_key(&*key) {
                return None;
            }
            let (v, j) = value(text, i)?;
            msg.extra.insert(key.into_owned(), v);
            Some(j)
        }
    })?;
    msg.kind = kind?;
    Some(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scanner's answer must equal serde_json's whenever it gives one.
    #[track_caller]
    fn same(text: &str) {
        let slow = Message::from_json_serde(text);
        if let Some(fast) = message(text) {
            assert_eq!(Ok(fast), slow, "{text}");
        }
    }

    #[test]
    fn agrees_with_serde_on_the_samples() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut scanned = 0;
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                same(&text);
                scanned += usize::from(message(&text).is_some());
            }
        }
        assert!(scanned > 0, "the scanner decoded no sample");
    }

    proptest::proptest! {
        /// Random texts built from the characters that matter to the scanner: whatever it
        /// accepts, serde_json decodes to the same message.
        #[test]
        fn agrees_with_serde_on_random_text(
            payload in "[a\\\\\"/nu0é\u{1}]{0,24}",
            text in "[ {}\\[\\]:,\"a-z0-9\\\\\u{1}é]{0,40}",
        ) {
            same(&format!(r#"{{"type":"EVENT","payload":"{payload}"}}"#));
            same(&format!(r#"{{"payload":"{payload}", "type" : "{payload}"}}"#));
            same(&text);
            same(&format!(r#"{{"type":"EVENT",{text}}}"#));
        }
    }

    #[test]
    fn members_and_skipping() {
        let text = r#" {"a": [1, -2.5e+3, {"x": null}, true, false, "s\"\u00e9"], "arguments" : {"k": "v"}, "z": 0 } "#;
        assert_eq!(member(text, "arguments"), Some(Some(r#"{"k": "v"}"#)));
        assert_eq!(member(text, "missing"), Some(None));
        assert_eq!(member("{}", "a"), Some(None));
        for bad in [
            r#"{"a": 01}"#,
            r#"{"a": 1.}"#,
            r#"{"a": -}"#,
            r#"{"a": 1e}"#,
            r#"{"a": tru}"#,
            r#"{"a": [1,]}"#,
            r#"{"a": {"b" 1}}"#,
            r#"{"a": "\x"}"#,
            r#"{"a": "\u12"}"#,
            r#"{"a": 1,}"#,
            r#"{"a": 1} x"#,
            r#"{"arguments": 1, "arguments": 2}"#,
            "[]",
        ] {
            assert_eq!(member(bad, "arguments"), None, "{bad}");
            if !bad.contains("arguments") && bad != "[]" {
                assert!(
                    serde_json::from_str::<serde_json::Value>(bad).is_err(),
                    "{bad}"
                );
            }
        }
        for levels in [126, 127, 128, 200] {
            let deep = format!(
                r#"{{"a":{}{}}}"#,
                "[".repeat(levels - 1),
                "]".repeat(levels - 1)
            );
            let serde = serde_json::from_str::<serde::de::IgnoredAny>(&deep).is_ok();
            // Never more permissive than serde_json (less is safe: serde_json then decides).
            assert!(serde || member(&deep, "a").is_none(), "{levels} levels");
            assert_eq!(
                member(&deep, "a").is_some(),
                levels <= 127,
                "{levels} levels"
            );
        }
    }

    proptest::proptest! {
        /// Whatever the skipper accepts, serde_json accepts too.
        #[test]
        fn skipper_accepts_only_json(text in "[ {}\\[\\]:,\"a-z0-9.eE+\\-\\\\\u{1}é]{0,40}") {
            if let Some(end) = skip_value(text.as_bytes(), 0, 0) {
                let prefix = &text[..end];
                proptest::prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(prefix).is_ok(), "{prefix}");
            }
        }
    }

    #[test]
    fn strings() {
        assert_eq!(string(r#""abc" "#, 0), Some((Cow::Borrowed("abc"), 5)));
        let text = r#""a\"b\\c\/d\n\t\r\b\fé" "#;
        let (s, end) = string(text, 0).unwrap();
        assert_eq!(s, "a\"b\\c/d\n\t\r\u{8}\u{c}é");
        assert!(matches!(s, Cow::Owned(_)));
        assert_eq!(end, text.len() - 1);
        assert_eq!(string(r#""\u0041""#, 0), None);
        assert_eq!(string("\"a\u{1}\"", 0), None);
        assert_eq!(string(r#""\x""#, 0), None);
        assert_eq!(string(r#""abc"#, 0), None);
        assert_eq!(string(r#""ab\"#, 0), None);
        assert_eq!(string("x", 0), None);
        // Specials at every position of the eight-byte steps.
        for n in 0..20 {
            let plain = "é".repeat(n / 2) + &"a".repeat(n % 2);
            for (special, expect) in [("\\\"", Some("\"")), ("\u{1f}", None), ("\\n", Some("\n"))] {
                let text = format!("\"{plain}{special}{plain}\"");
                let got = string(&text, 0).map(|(s, end)| (s.into_owned(), end));
                let want = expect.map(|e| (format!("{plain}{e}{plain}"), text.len()));
                assert_eq!(got, want, "{text:?}");
            }
        }
    }

    #[test]
    fn gives_up_or_agrees() {
        for text in [
            r#"{"type":"EVENT"}"#,
            " {\n\t\"type\" : \"EVENT\" , \"headers\" : null , \"payload\" : \"x\" } \r\n",
            r#"{"type":"EVENT","payload":{"a":[1,2]},"x":1.5,"headers":{"a":"\u0041"}}"#,
            r#"{"type":"NEW","linkApiBaseUrl":"u","httpRequest":[1,2],"httpResponse":"aGk="}"#,
            r#"{"type":"EVENT","payload":5,"payload":"x"}"#,
            r#"{"type":"EVENT","type":"TASK"}"#,
            r#"{"type":"EVENT","x":1,"x":2}"#,
            r#"{"type":"EVENT","headers":{},"headers":{}}"#,
            r#"{"type":"EVENT"} x"#,
            r#"{"type":"EVENT",}"#,
            r#"{"type":5}"#,
            r#"{"headers":{}}"#,
            r#"{}"#,
            r#"[]"#,
            r#"{"type":"EVENT","payload":"a\u0041"}"#,
            r#"{"ty\"pe":"EVENT","type":"TASK"}"#,
            r#"{"type":"EVENT","headers":}"#,
            r#"{"type":"EVENT""#,
            "",
        ] {
            same(text);
        }
        assert!(message(r#"{"type":"EVENT","payload":"{\"a\": 1}"}"#).is_some());
        assert!(message(r#"{"type":"EVENT","type":"TASK"}"#).is_none());
    }
}
