//! Topics, CONNECT user names and the WebSocket URL of the VCD message bus.
//!
//! ```
//! use vcd_mqtt_schema::topics::{ExtensionService, notification_user_name, websocket_url};
//! let svc: ExtensionService = "urn:vcloud:extension-api:acme:sizer:1.2.3".parse()?;
//! assert_eq!(svc.monitor_topic(), "topic/extension/acme/sizer/1.2.3/ext");
//! assert_eq!(svc.respond_topic(), "topic/extension/acme/sizer/1.2.3/vcd");
//! assert_eq!(svc.user_name(), "acme/sizer/1.2.3");
//! assert_eq!(notification_user_name("admin", "System")?, "admin@System");
//! assert_eq!(websocket_url("vcd.example.com")?, "wss://vcd.example.com/messaging/mqtt");
//! assert!(ExtensionService::new("ac/me", "sizer", "1").is_err());
//! # Ok::<(), vcd_mqtt_schema::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use crate::error::{Error, Layer};

/// The urn prefix of an extension service: `urn:vcloud:extension-api:VENDOR:NAME:VERSION`.
pub const EXTENSION_URN_PREFIX: &str = "urn:vcloud:extension-api:";
/// The path of the MQTT WebSocket endpoint on a Cloud Director host.
pub const WEBSOCKET_PATH: &str = "/messaging/mqtt";
/// The WebSocket subprotocol.
pub const WEBSOCKET_SUBPROTOCOL: &str = "mqtt";

/// An extension service: vendor, name and version (the triplet of its urn).
///
/// Each part is non-empty and holds no `/`, `+`, `#` or U+0000 (they would break the topic);
/// nor `:` (it would break the urn).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExtensionService {
    vendor: String,
    name: String,
    version: String,
}

fn check_part(what: &str, part: &str, colon_allowed: bool) -> Result<(), Error> {
    let bad = |msg: String| Err(Error::new(Layer::Topic, what, msg));
    if part.is_empty() {
        return bad("must not be empty".into());
    }
    if let Some(c) = part
        .chars()
        .find(|c| matches!(c, '/' | '+' | '#' | '\0') || (!colon_allowed && *c == ':'))
    {
        return bad(format!("must not contain {c:?} (in {part:?})"));
    }
    if part.len() > 1024 {
        return bad(format!("is {} bytes long (at most 1024)", part.len()));
    }
    Ok(())
}

impl ExtensionService {
    /// Validates and builds an extension service.
    pub fn new(
        vendor: impl Into<String>,
        name: impl Into<String>,
        version: impl Into<String>,
    ) -> Result<Self, Error> {
        let (vendor, name, version) = (vendor.into(), name.into(), version.into());
        check_part("vendor", &vendor, false)?;
        check_part("name", &name, false)?;
        check_part("version", &version, false)?;
        Ok(ExtensionService {
            vendor,
            name,
            version,
        })
    }

    /// Parses `urn:vcloud:extension-api:VENDOR:NAME:VERSION`.
    pub fn from_urn(urn: &str) -> Result<Self, Error> {
        let rest = urn.strip_prefix(EXTENSION_URN_PREFIX).ok_or_else(|| {
            Error::new(
                Layer::Topic,
                "urn",
                format!("expected prefix {EXTENSION_URN_PREFIX:?} in {urn:?}"),
            )
        })?;
        let parts: Vec<&str> = rest.split(':').collect();
        let [vendor, name, version] = parts.as_slice() else {
            return Err(Error::new(
                Layer::Topic,
                "urn",
                format!(
                    "expected VENDOR:NAME:VERSION after the prefix, found {} part(s) in {urn:?}",
                    parts.len()
                ),
            ));
        };
        check_part("vendor", vendor, false)?;
        check_part("name", name, false)?;
        check_part("version", version, false)?;
        Ok(ExtensionService {
            vendor: (*vendor).into(),
            name: (*name).into(),
            version: (*version).into(),
        })
    }

    /// The vendor.
    pub fn vendor(&self) -> &str {
        &self.vendor
    }
    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The version.
    pub fn version(&self) -> &str {
        &self.version
    }
    /// `urn:vcloud:extension-api:V:N:X`.
    pub fn urn(&self) -> String {
        format!(
            "{EXTENSION_URN_PREFIX}{}:{}:{}",
            self.vendor, self.name, self.version
        )
    }
    /// Monitor topic (Cloud Director -> extension): `topic/extension/V/N/X/ext`.
    pub fn monitor_topic(&self) -> String {
        format!(
            "topic/extension/{}/{}/{}/ext",
            self.vendor, self.name, self.version
        )
    }
    /// Respond topic (extension -> Cloud Director): `topic/extension/V/N/X/vcd`.
    pub fn respond_topic(&self) -> String {
        format!(
            "topic/extension/{}/{}/{}/vcd",
            self.vendor, self.name, self.version
        )
    }
    /// CONNECT user name: `V/N/X` (the password is an extension token).
    pub fn user_name(&self) -> String {
        format!("{}/{}/{}", self.vendor, self.name, self.version)
    }
}

impl FromStr for ExtensionService {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ExtensionService::from_urn(s)
    }
}

impl fmt::Display for ExtensionService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.urn())
    }
}

/// CONNECT user name for notifications: `user@organisation` (the password is the session JWT).
/// Both parts must be non-empty and hold no `@` or U+0000.
pub fn notification_user_name(user: &str, org: &str) -> Result<String, Error> {
    for (what, part) in [("user", user), ("org", org)] {
        if part.is_empty() {
            return Err(Error::new(Layer::Topic, what, "must not be empty"));
        }
        if let Some(c) = part.chars().find(|c| matches!(c, '@' | '\0')) {
            return Err(Error::new(
                Layer::Topic,
                what,
                format!("must not contain {c:?} (in {part:?})"),
            ));
        }
    }
    Ok(format!("{user}@{org}"))
}

/// The WebSocket URL of the message bus on `host` (optionally `host:port`):
/// `wss://{host}/messaging/mqtt`.
pub fn websocket_url(host: &str) -> Result<String, Error> {
    if host.is_empty() {
        return Err(Error::new(Layer::Topic, "host", "must not be empty"));
    }
    if let Some(c) = host
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '?' | '#' | '@'))
    {
        return Err(Error::new(
            Layer::Topic,
            "host",
            format!("must not contain {c:?} (in {host:?}); give a host name, not a URL"),
        ));
    }
    Ok(format!("wss://{host}{WEBSOCKET_PATH}"))
}
