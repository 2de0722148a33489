//! What the seven endpoints (plus the webhook extra) answer, once parsed.

use std::fmt;

pub use crate::domain::InstanceStatus;

/// `status` answer: the mapped status and the server's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReply {
    pub status: InstanceStatus,
    pub text: String,
}

/// `qr` answer: the server's text and the raw `QR` value (base64, data URL…),
/// handed to `crate::qr` to decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrReply {
    pub text: String,
    pub qr: String,
}

/// `disconnect` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisconnectReply {
    pub text: String,
    /// The server said the instance was already disconnected.
    pub already: bool,
}

/// Any of the profile setters: only the server's confirmation text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub text: String,
}

/// How an account sends a local picture: the vendor accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UploadShape {
    /// multipart/form-data, file field `image` (the default).
    #[default]
    Multipart,
    /// JSON `{"image": "<base64>"}`.
    Base64,
}

/// The body of `PUT /api/config/image`, in one of the three shapes the
/// vendor's error text lists.
#[derive(Clone, PartialEq, Eq)]
pub enum ImageBody {
    /// multipart/form-data with a file field `image`.
    Multipart {
        bytes: Vec<u8>,
        file_name: String,
        mime: String,
    },
    /// JSON `{"image": "<base64 or data URL>"}`.
    Base64(String),
    /// JSON `{"image": "https://…"}`, sent untouched.
    Url(String),
}

impl ImageBody {
    /// Short human description, safe for logs (never the bytes).
    pub fn describe(&self) -> String {
        match self {
            ImageBody::Multipart {
                bytes,
                file_name,
                mime,
            } => format!("multipart {file_name} ({mime}, {} bytes)", bytes.len()),
            ImageBody::Base64(s) => format!("base64 ({} chars)", s.len()),
            ImageBody::Url(u) => format!("url {u}"),
        }
    }
}

impl fmt::Debug for ImageBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The endpoints, for logs and the event pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    Status,
    Qr,
    Disconnect,
    Name,
    Description,
    Automatic,
    Image,
    /// Not in the vendor's config page: the neighbouring webhook endpoint.
    Webhook,
}

impl Endpoint {
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Status => "/api/config/status",
            Endpoint::Qr => "/api/config/qr",
            Endpoint::Disconnect => "/api/config/disconnect",
            Endpoint::Name => "/api/config/name",
            Endpoint::Description => "/api/config/description",
            Endpoint::Automatic => "/api/config/automatic",
            Endpoint::Image => "/api/config/image",
            Endpoint::Webhook => "/api/config/sent",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Status => "status",
            Endpoint::Qr => "qr",
            Endpoint::Disconnect => "disconnect",
            Endpoint::Name => "name",
            Endpoint::Description => "description",
            Endpoint::Automatic => "automatic",
            Endpoint::Image => "image",
            Endpoint::Webhook => "webhook",
        }
    }

    /// Body-size cap: the QR answer carries an image, everything else is a line of text.
    pub fn body_limit(self) -> usize {
        match self {
            Endpoint::Qr => 8 * 1024 * 1024,
            _ => 1024 * 1024,
        }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
