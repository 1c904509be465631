//! Small helpers to build plain JavaScript objects and to read option objects with precise
//! `INVALID_ARGUMENT` errors (the error names the option's path, e.g. `will.qos`).

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::invalid_argument;

/// A plain object under construction.
pub(crate) struct Obj(Object);

impl Obj {
    pub(crate) fn new() -> Self {
        Obj(Object::new())
    }

    /// Sets a property; the key is interned so repeated keys are not re-encoded.
    pub(crate) fn set(&self, key: &str, value: &JsValue) -> &Self {
        // Defining a property on a fresh ordinary object cannot fail.
        let _ = Reflect::set(
            &self.0,
            &JsValue::from_str(wasm_bindgen::intern(key)),
            value,
        );
        self
    }

    pub(crate) fn str(&self, key: &str, value: &str) -> &Self {
        self.set(key, &JsValue::from_str(value))
    }

    pub(crate) fn into_js(self) -> JsValue {
        self.0.into()
    }
}

/// Joins an option path: `join("will", "qos")` is `will.qos`.
pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Reads the properties of an options object, reporting wrong shapes by path.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'a> {
    value: &'a JsValue,
    path: &'a str,
}

impl<'a> Reader<'a> {
    /// `value` must be an object (not `null`, not an array).
    pub(crate) fn new(value: &'a JsValue, path: &'a str) -> Result<Self, JsValue> {
        if !value.is_object() || Array::is_array(value) {
            return Err(invalid_argument(path, "an object"));
        }
        Ok(Reader { value, path })
    }

    /// Like `new`, but `undefined`/`null` give `None`.
    pub(crate) fn optional(value: &'a JsValue, path: &'a str) -> Result<Option<Self>, JsValue> {
        if value.is_undefined() || value.is_null() {
            Ok(None)
        } else {
            Self::new(value, path).map(Some)
        }
    }

    pub(crate) fn path(&self, key: &str) -> String {
        join(self.path, key)
    }

    /// The raw property (`undefined` when absent).
    pub(crate) fn get(&self, key: &str) -> JsValue {
        Reflect::get(self.value, &JsValue::from_str(wasm_bindgen::intern(key)))
            .unwrap_or(JsValue::UNDEFINED)
    }

    fn absent(v: &JsValue) -> bool {
        v.is_undefined() || v.is_null()
    }

    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, JsValue> {
        let v = self.get(key);
        if Self::absent(&v) {
            return Ok(None);
        }
        v.as_bool()
            .map(Some)
            .ok_or_else(|| invalid_argument(&self.path(key), "a boolean"))
    }

    pub(crate) fn bool_or(&self, key: &str, default: bool) -> Result<bool, JsValue> {
        Ok(self.opt_bool(key)?.unwrap_or(default))
    }

    /// An integer in `0..=max` (JavaScript numbers only; no strings, no fractions).
    pub(crate) fn opt_uint(&self, key: &str, max: u32) -> Result<Option<u32>, JsValue> {
        let v = self.get(key);
        if Self::absent(&v) {
            return Ok(None);
        }
        uint(&v, max).map(Some).ok_or_else(|| {
            invalid_argument(&self.path(key), &format!("an integer from 0 to {max}"))
        })
    }

    pub(crate) fn uint(&self, key: &str, max: u32) -> Result<u32, JsValue> {
        self.opt_uint(key, max)?.ok_or_else(|| {
            invalid_argument(&self.path(key), &format!("an integer from 0 to {max}"))
        })
    }

    pub(crate) fn opt_string(&self, key: &str) -> Result<Option<String>, JsValue> {
        let v = self.get(key);
        if Self::absent(&v) {
            return Ok(None);
        }
        v.as_string()
            .map(Some)
            .ok_or_else(|| invalid_argument(&self.path(key), "a string"))
    }

    pub(crate) fn string(&self, key: &str) -> Result<String, JsValue> {
        self.opt_string(key)?
            .ok_or_else(|| invalid_argument(&self.path(key), "a string"))
    }

    /// A `Uint8Array` (copied) or a string (UTF-8 encoded).
    pub(crate) fn opt_bytes(&self, key: &str) -> Result<Option<Vec<u8>>, JsValue> {
        let v = self.get(key);
        if Self::absent(&v) {
            return Ok(None);
        }
        bytes(&v)
            .map(Some)
            .ok_or_else(|| invalid_argument(&self.path(key), "a Uint8Array or a string"))
    }

    pub(crate) fn array(&self, key: &str) -> Result<Array, JsValue> {
        let v = self.get(key);
        if Array::is_array(&v) {
            Ok(v.unchecked_into())
        } else {
            Err(invalid_argument(&self.path(key), "an array"))
        }
    }
}

/// An integer-valued JavaScript number in `0..=max`.
pub(crate) fn uint(v: &JsValue, max: u32) -> Option<u32> {
    let f = v.as_f64()?;
    if f.fract() == 0.0 && (0.0..=f64::from(max)).contains(&f) {
        Some(f as u32)
    } else {
        None
    }
}

/// A `Uint8Array` (copied) or a string (UTF-8 encoded).
pub(crate) fn bytes(v: &JsValue) -> Option<Vec<u8>> {
    if let Some(s) = v.as_string() {
        Some(s.into_bytes())
    } else {
        v.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec)
    }
}
