//! `API_REQUEST` / `API_RESPONSE`: API extensibility over MQTT.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::error::{from_json_slice, from_json_str, Error, Layer};
use crate::message::{Message, MessageType, RawJson};
use crate::util::deserialize_model;
use crate::util::{nullable, Bytes, BytesForm, Extra};

/// `headers` of an `API_REQUEST`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiRequestHeaders {
    /// `requestId`: echoed in the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `context`: the caller's security context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<SecurityContext>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ApiRequestHeaders {
    request_id: "requestId" opt,
    context: "context" opt,
});

/// The caller's security context (`headers.context`, and `securityContext` in the request bytes).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecurityContext {
    /// `apiAccessToken`: a token to call the Cloud Director API as the caller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_access_token: Option<String>,
    /// `user`: the caller's urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `org`: the caller's organisation urn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// `rights` (`Some(None)` = `null`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "nullable::serialize"
    )]
    pub rights: Option<Option<Vec<String>>>,
    /// `parameters` (any JSON, `null` kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(SecurityContext {
    api_access_token: "apiAccessToken" opt,
    user: "user" opt,
    org: "org" opt,
    rights: "rights" present,
    parameters: "parameters" present,
});

/// The JSON held by the `httpRequest` bytes of an `API_REQUEST`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiRequestPayload {
    /// `message`: the HTTP request.
    pub message: HttpMessage,
    /// `securityContext`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// `context` (an object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ApiRequestPayload {
    message: "message" req,
    security_context: "securityContext" opt,
    context: "context" present,
});

/// `HttpMessage`: an HTTP request (or response) as Cloud Director's Java mapper writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpMessage {
    /// `isRequest` (one of the two spellings in use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_request: Option<bool>,
    /// `request` (the other spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<bool>,
    /// `id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `method`, e.g. `POST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `requestUri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_uri: Option<String>,
    /// `queryString`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_string: Option<String>,
    /// `protocol`, e.g. `HTTP/1.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// `scheme`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// `remoteAddr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_addr: Option<String>,
    /// `remotePort`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_port: Option<u16>,
    /// `localAddr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_addr: Option<String>,
    /// `localPort`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_port: Option<u16>,
    /// `headers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// `formData`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_data: Option<Value>,
    /// `formDataEncoding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_data_encoding: Option<String>,
    /// `body`: the HTTP body bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Bytes>,
    /// `statusCode` (0 in requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<i32>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(HttpMessage {
    is_request: "isRequest" opt,
    request: "request" opt,
    id: "id" opt,
    method: "method" opt,
    request_uri: "requestUri" opt,
    query_string: "queryString" opt,
    protocol: "protocol" opt,
    scheme: "scheme" opt,
    remote_addr: "remoteAddr" opt,
    remote_port: "remotePort" opt,
    local_addr: "localAddr" opt,
    local_port: "localPort" opt,
    headers: "headers" opt,
    form_data: "formData" present,
    form_data_encoding: "formDataEncoding" opt,
    body: "body" opt,
    status_code: "statusCode" opt,
});

impl HttpMessage {
    /// `isRequest` or `request`, whichever is present.
    pub fn is_request(&self) -> Option<bool> {
        self.is_request.or(self.request)
    }
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(self.headers.as_ref(), name)
    }
}

fn header<'a>(headers: Option<&'a BTreeMap<String, String>>, name: &str) -> Option<&'a str> {
    headers?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A decoded `API_REQUEST`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiRequest {
    /// The typed `headers`.
    pub headers: ApiRequestHeaders,
    /// The request decoded from the `httpRequest` bytes.
    pub request: ApiRequestPayload,
    /// How the `httpRequest` bytes were written (base64 string or array).
    pub bytes_form: BytesForm,
    /// `linkApiBaseUrl`.
    pub link_api_base_url: Option<String>,
}

/// Reads a bytes member (base64 string or array of numbers) given as raw JSON.
fn bytes_of(raw: &RawJson<'_>, layer: Layer, path: &str) -> Result<Bytes, Error> {
    from_json_str(layer, path, raw.get())
}

impl ApiRequest {
    /// Decodes the API request body of `msg`.
    pub fn from_message(msg: &Message<'_>) -> Result<Self, Error> {
        let headers: ApiRequestHeaders = msg.headers_as(Layer::ApiRequestHeaders)?;
        let raw = msg
            .http_request
            .as_ref()
            .ok_or_else(|| Error::new(Layer::ApiRequest, "httpRequest", "missing field"))?;
        let bytes = bytes_of(raw, Layer::ApiRequest, "httpRequest")?;
        let request = from_json_slice(Layer::ApiRequest, "httpRequest", &bytes.data)?;
        let link_api_base_url = match (&msg.link_api_base_url, msg.extra.get("linkApiBaseUrl")) {
            (Some(u), _) => Some(u.to_string()),
            (None, None) | (None, Some(Value::Null)) => None,
            (None, Some(v)) => {
                return Err(Error::new(
                    Layer::ApiRequest,
                    "linkApiBaseUrl",
                    format!("expected a string, found {}", crate::message::json_kind(v)),
                ))
            }
        };
        Ok(ApiRequest {
            headers,
            request,
            bytes_form: bytes.form,
            link_api_base_url,
        })
    }

    /// Decodes the `httpRequest` bytes on their own (JSON text of [`ApiRequestPayload`]).
    pub fn payload_from_bytes(bytes: &[u8]) -> Result<ApiRequestPayload, Error> {
        from_json_slice(Layer::ApiRequest, "", bytes)
    }

    /// Encodes back into an `API_REQUEST` message.
    pub fn to_message(&self) -> Result<Message<'static>, Error> {
        let mut msg = Message::new(MessageType::ApiRequest);
        msg.headers = Some(RawJson::from_serialize(&self.headers)?);
        let data = serde_json::to_vec(&self.request)
            .map_err(|e| Error::new(Layer::Encode, "httpRequest", e.to_string()))?;
        msg.http_request = Some(RawJson::from_serialize(&Bytes {
            data,
            form: self.bytes_form,
        })?);
        msg.link_api_base_url = self.link_api_base_url.clone().map(Into::into);
        Ok(msg)
    }

    /// The `API_RESPONSE` answering this request: `requestId` copied, `httpResponse` with
    /// `status`, `headers` and `body` (written as base64).
    ///
    /// ```
    /// # use vcd_mqtt_schema::Message;
    /// # let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/vcd/samples/api-request.json"))?;
    /// let msg = Message::from_slice(&bytes)?;
    /// let req = msg.api_request()?;
    /// assert_eq!(req.request.message.method.as_deref(), Some("POST"));
    /// let headers = [("Content-Type".to_string(), "application/json".to_string())].into();
    /// let reply = req.respond(200, headers, br#"{"recommended":"large"}"#.to_vec())?;
    /// assert_eq!(reply.api_response()?.response.status_code, 200);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn respond(
        &self,
        status_code: u16,
        headers: BTreeMap<String, String>,
        body: Vec<u8>,
    ) -> Result<Message<'static>, Error> {
        ApiResponse {
            headers: ApiResponseHeaders {
                request_id: self.headers.request_id.clone(),
                extra: Extra::new(),
            },
            response: HttpResponse {
                status_code,
                headers: Some(headers),
                body: Some(Bytes::new(body)),
                extra: Extra::new(),
            },
            response_form: None,
        }
        .to_message()
    }
}

/// `headers` of an `API_RESPONSE`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiResponseHeaders {
    /// `requestId` of the request answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(ApiResponseHeaders {
    request_id: "requestId" opt,
});

/// `httpResponse` of an `API_RESPONSE`. Cloud Director drops the headers
/// `x-vcloud-authorization`, `Authorization` and `Set-Cookie`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HttpResponse {
    /// `statusCode`.
    pub status_code: u16,
    /// `headers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// `body` bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Bytes>,
    /// Other members.
    #[serde(flatten)]
    pub extra: Extra,
}

deserialize_model!(HttpResponse {
    status_code: "statusCode" req,
    headers: "headers" opt,
    body: "body" opt,
});

impl HttpResponse {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(self.headers.as_ref(), name)
    }
}

/// A decoded `API_RESPONSE`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    /// The typed `headers`.
    pub headers: ApiResponseHeaders,
    /// `httpResponse`.
    pub response: HttpResponse,
    /// `None` when `httpResponse` was a JSON object; the bytes form when it was bytes of JSON.
    pub response_form: Option<BytesForm>,
}

impl ApiResponse {
    /// Decodes the API response body of `msg`. `httpResponse` may be an object or bytes
    /// (base64 string / array of numbers) holding its JSON.
    pub fn from_message(msg: &Message<'_>) -> Result<Self, Error> {
        let headers: ApiResponseHeaders = msg.headers_as(Layer::ApiResponse)?;
        let raw = msg
            .http_response
            .as_ref()
            .ok_or_else(|| Error::new(Layer::ApiResponse, "httpResponse", "missing field"))?;
        let text = raw.get();
        let (response, response_form) = if text.starts_with('{') {
            (
                from_json_str(Layer::ApiResponse, "httpResponse", text)?,
                None,
            )
        } else {
            let bytes = bytes_of(raw, Layer::ApiResponse, "httpResponse")?;
            (
                from_json_slice(Layer::ApiResponse, "httpResponse", &bytes.data)?,
                Some(bytes.form),
            )
        };
        Ok(ApiResponse {
            headers,
            response,
            response_form,
        })
    }

    /// Encodes into an `API_RESPONSE` message.
    pub fn to_message(&self) -> Result<Message<'static>, Error> {
        let mut msg = Message::new(MessageType::ApiResponse);
        msg.headers = Some(RawJson::from_serialize(&self.headers)?);
        msg.http_response = Some(match self.response_form {
            None => RawJson::from_serialize(&self.response)?,
            Some(form) => {
                let data = serde_json::to_vec(&self.response)
                    .map_err(|e| Error::new(Layer::Encode, "httpResponse", e.to_string()))?;
                RawJson::from_serialize(&Bytes { data, form })?
            }
        });
        Ok(msg)
    }
}
