//! Small serde helpers shared by the models.

use std::borrow::Cow;

use base64::Engine as _;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Unknown members of a JSON object, kept so that re-encoding gives the same document.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// A string that borrows from the input when it holds no escapes.
pub(crate) struct BorrowedStr<'de>(pub Cow<'de, str>);

impl<'de> Deserialize<'de> for BorrowedStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = BorrowedStr<'de>;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// `Option<Option<T>>` fields: absent = `None`, `null` = `Some(None)`, value = `Some(Some(v))`.
/// Serialization side; decoding is done by `deserialize_model!`'s `present` kind.
pub(crate) mod nullable {
    use serde::{Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(Some(v)) => v.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

/// How a byte string was written in JSON; kept so that re-encoding is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BytesForm {
    /// A standard base64 string with padding (what Java's JSON mappers write).
    #[default]
    Base64,
    /// A standard base64 string without padding.
    Base64Unpadded,
    /// An array of numbers (0..=255, or -128..=127 as Java's signed bytes).
    Array,
    /// An array of Java signed bytes (-128..=127) with at least one negative value.
    SignedArray,
}

/// A byte string written in JSON as base64 text or as an array of numbers (both forms occur).
///
/// ```
/// use vcd_mqtt_schema::Bytes;
/// let b: Bytes = serde_json::from_str("\"aGk=\"").unwrap();
/// assert_eq!(b.as_slice(), b"hi");
/// let a: Bytes = serde_json::from_str("[104, 105]").unwrap();
/// assert_eq!(a, b); // equality ignores the form
/// assert_eq!(serde_json::to_string(&a).unwrap(), "[104,105]");
/// ```
#[derive(Debug, Clone, Default, Eq)]
pub struct Bytes {
    /// The bytes.
    pub data: Vec<u8>,
    /// How they are written in JSON.
    pub form: BytesForm,
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Self) -> bool {
        self.data == other.data
    }
}

impl Bytes {
    /// Bytes written as padded base64.
    pub fn new(data: impl Into<Vec<u8>>) -> Self {
        Bytes {
            data: data.into(),
            form: BytesForm::Base64,
        }
    }
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.data
    }
    /// The bytes as UTF-8 text, if they are.
    pub fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.data).ok()
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes::new(v)
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.form {
            BytesForm::Base64 => {
                s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.data))
            }
            BytesForm::Base64Unpadded => s.serialize_str(
                &base64::engine::general_purpose::STANDARD_NO_PAD.encode(&self.data),
            ),
            BytesForm::Array => s.collect_seq(self.data.iter()),
            BytesForm::SignedArray => s.collect_seq(self.data.iter().map(|b| *b as i8)),
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("bytes as a base64 string or an array of numbers")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Bytes, E> {
                decode_base64(v).map_err(E::custom)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Bytes, A::Error> {
                let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                let mut signed = false;
                while let Some(n) = seq.next_element::<i64>()? {
                    let b = match n {
                        0..=255 => n as u8,
                        -128..=-1 => {
                            signed = true;
                            n as i8 as u8
                        }
                        _ => {
                            return Err(serde::de::Error::custom(format_args!(
                                "byte value {n} out of range -128..=255"
                            )))
                        }
                    };
                    data.push(b);
                }
                let form = if signed {
                    BytesForm::SignedArray
                } else {
                    BytesForm::Array
                };
                Ok(Bytes { data, form })
            }
        }
        d.deserialize_any(V)
    }
}

/// Decodes standard base64 with or without padding.
pub(crate) fn decode_base64(v: &str) -> Result<Bytes, String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    match STANDARD.decode(v) {
        Ok(data) => Ok(Bytes {
            data,
            form: BytesForm::Base64,
        }),
        Err(first) => match STANDARD_NO_PAD.decode(v) {
            Ok(data) => Ok(Bytes {
                data,
                form: BytesForm::Base64Unpadded,
            }),
            Err(_) => Err(format!("invalid base64: {first}")),
        },
    }
}

impl JsonSchema for Bytes {
    fn schema_name() -> Cow<'static, str> {
        "Bytes".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Bytes: a standard base64 string (padded or not) or an array of byte values (0..=255, or Java's signed -128..=127).",
            "anyOf": [
                { "type": "string", "pattern": "^[A-Za-z0-9+/]*={0,2}$" },
                { "type": "array", "items": { "type": "integer", "minimum": -128, "maximum": 255 } }
            ]
        })
    }
}

/// Implements `Deserialize` for a model struct with a map visitor: listed members by JSON name,
/// every other member into `extra` (a `serde_json::Value` each). This replaces
/// `#[serde(flatten)]` on the decoding side, which buffers the whole object first and loses
/// the member paths in errors; the `Serialize` derive keeps `flatten` (cheap when writing).
///
/// Field kinds: `req` (required), `opt` (absent = `Default`), `present` (an `Option<T>` field
/// where an explicit `null` is kept as `Some(T::null)`: `Option<Value>`, `Option<Option<T>>`).
macro_rules! deserialize_model {
    ($name:ident { $($field:ident : $json:literal $kind:ident),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str(concat!("an object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $field = None; )*
                        let mut extra = $crate::util::Extra::new();
                        while let Some(key) = map.next_key::<$crate::util::BorrowedStr<'de>>()? {
                            match &*key.0 {
                                $(
                                    $json => {
                                        if $field.is_some() {
                                            return Err(serde::de::Error::duplicate_field($json));
                                        }
                                        $field = Some(deserialize_model!(@read map $kind));
                                    }
                                )*
                                _ => {
                                    let value: serde_json::Value = map.next_value()?;
                                    if extra.insert(key.0.into_owned(), value).is_some() {
                                        return Err(serde::de::Error::custom("duplicate field"));
                                    }
                                }
                            }
                        }
                        Ok($name {
                            $( $field: deserialize_model!(@finish $field $json $kind), )*
                            extra,
                        })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
    (@read $map:ident req) => { $map.next_value()? };
    (@read $map:ident opt) => { $map.next_value()? };
    (@read $map:ident present) => { Some($map.next_value()?) };
    (@finish $field:ident $json:literal req) => {
        match $field { Some(v) => v, None => return Err(serde::de::Error::missing_field($json)) }
    };
    (@finish $field:ident $json:literal opt) => { $field.unwrap_or_default() };
    (@finish $field:ident $json:literal present) => { $field.unwrap_or_default() };
}
pub(crate) use deserialize_model;
