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
        while i < b.len() && !special(b[i]) {
            i += 1;
        }
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
                let unescaped = match *b.get(i + 1)? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    // `\u` (surrogate rules) and invalid escapes: left to serde_json.
                    _ => return None,
                };
                let s = out.get_or_insert_with(|| String::with_capacity(b.len() - run));
                s.push_str(&text[run..i]);
                s.push(unescaped);
                i += 2;
                run = i;
            }
            // A control character: not allowed in a JSON string.
            _ => return None,
        }
    }
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
    let b = text.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut kind = None;
    let mut msg = Message::new(MessageType::Event);
    loop {
        let (key, j) = string(text, i)?;
        i = skip_ws(b, j);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        match &*key {
            "type" => {
                if kind.is_some() {
                    return None;
                }
                let (name, j) = string(text, i)?;
                kind = Some(MessageType::from_name(name));
                i = j;
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
                i = j;
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
                if b.get(i) == Some(&b'"') {
                    let (value, j) = string(text, i)?;
                    *slot = Some(value);
                    i = j;
                } else {
                    let (raw, j) = raw_value(text, i)?;
                    let value = serde_json::from_str(raw.get()).ok()?;
                    msg.extra.insert(key.into_owned(), value);
                    i = j;
                }
            }
            _ => {
                if msg.extra.contains_key(&*key) {
                    return None;
                }
                let (raw, j) = raw_value(text, i)?;
                let value = serde_json::from_str(raw.get()).ok()?;
                msg.extra.insert(key.into_owned(), value);
                i = j;
            }
        }
        i = skip_ws(b, i);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    if skip_ws(b, i + 1) != b.len() {
        return None;
    }
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
        match message(text) {
            Some(fast) => assert_eq!(Ok(fast), slow, "{text}"),
            None => {}
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

    #[test]
    fn strings() {
        assert_eq!(string(r#""abc" "#, 0), Some((Cow::Borrowed("abc"), 5)));
        let (s, end) = string(r#""a\"b\\c\/d\n\t\r\b\fé""#, 0).unwrap();
        assert_eq!(s, "a\"b\\c/d\n\t\r\u{8}\u{c}é");
        assert!(matches!(s, Cow::Owned(_)));
        assert_eq!(end, 25);
        assert_eq!(string(r#""\u0041""#, 0), None);
        assert_eq!(string("\"a\u{1}\"", 0), None);
        assert_eq!(string(r#""\x""#, 0), None);
        assert_eq!(string(r#""abc"#, 0), None);
        assert_eq!(string(r#""ab\"#, 0), None);
        assert_eq!(string("x", 0), None);
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
