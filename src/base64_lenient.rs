//! The one reading of base64 and `data:` URLs, for every face that takes
//! them: QR values from the server, pictures pasted by a user, picture
//! uploads to the sandbox. People and servers differ on the alphabet
//! (standard or URL-safe), padding, line breaks and the case of the data URL
//! header, so all of those are accepted here, once.

use std::fmt;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{DecodeError, Engine};

/// A `data:` URL that does not carry base64 data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataUrlError {
    NoComma,
    /// The header (before the comma) does not end in `;base64`.
    NotBase64 {
        header: String,
    },
}

impl fmt::Display for DataUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataUrlError::NoComma => write!(f, "data URL without a comma before the data"),
            DataUrlError::NotBase64 { header } => {
                // A pasted blob can make the "header" kilobytes long: cut it.
                let mut shown: String = header.chars().take(60).collect();
                if header.chars().count() > 60 {
                    shown.push('…');
                }
                write!(f, "data URL header {shown:?} does not say ;base64")
            }
        }
    }
}

impl std::error::Error for DataUrlError {}

/// The base64 part of a data URL (scheme and `;base64` in any case), or the
/// whole value when it is not a data URL.
pub fn strip_data_url(value: &str) -> Result<&str, DataUrlError> {
    let is_data_url = value
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("data:"));
    if !is_data_url {
        return Ok(value);
    }
    let (header, data) = value.split_once(',').ok_or(DataUrlError::NoComma)?;
    let is_base64 = header
        .rsplit(';')
        .next()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("base64"));
    if is_base64 {
        Ok(data)
    } else {
        Err(DataUrlError::NotBase64 {
            header: header.to_string(),
        })
    }
}

/// Standard or URL-safe alphabet, padded or not, whitespace ignored.
pub fn decode(encoded: &str) -> Result<Vec<u8>, DecodeError> {
    let compact: String = encoded.chars().filter(|c| !c.is_whitespace()).collect();
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let standard = GeneralPurpose::new(&alphabet::STANDARD, config).decode(&compact);
    let url_safe = || GeneralPurpose::new(&alphabet::URL_SAFE, config).decode(&compact);
    match standard {
        Ok(bytes) => Ok(bytes),
        // Report the failure of the alphabet the text seems to use.
        Err(e) => url_safe().map_err(|url_e| {
            if compact.contains(['-', '_']) {
                url_e
            } else {
                e
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_url_header_variants() {
        assert_eq!(strip_data_url("data:image/png;base64,QUJD"), Ok("QUJD"));
        assert_eq!(strip_data_url("DATA:image/png;BASE64,QUJD"), Ok("QUJD"));
        assert_eq!(strip_data_url("QUJD"), Ok("QUJD"));
        assert_eq!(
            strip_data_url("data:text/plain,hello"),
            Err(DataUrlError::NotBase64 {
                header: "data:text/plain".into()
            })
        );
        assert_eq!(
            strip_data_url("data:image/png;base64"),
            Err(DataUrlError::NoComma)
        );
    }

    #[test]
    fn base64_is_read_tolerantly() {
        assert_eq!(decode("QUJD").unwrap(), b"ABC");
        assert_eq!(decode("QUI").unwrap(), b"AB");
        assert_eq!(decode("QU\nI=").unwrap(), b"AB");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(decode("/+8=").unwrap(), [0xff, 0xef]);
        assert!(decode("not base64!").is_err());
    }
}
