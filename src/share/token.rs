//! The one-time share token: 256 bits from the operating system's RNG
//! (`OsRng`, i.e. getrandom), URL-safe base64, compared in constant time.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::TryRngCore;
use rand::rngs::OsRng;

/// Random bytes per token: twice the 128 bits an unguessable URL needs.
const TOKEN_BYTES: usize = 32;

#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A fresh token, or why the OS could not give randomness (never a
    /// weaker fallback: a guessable link would hand the number to anyone).
    pub fn generate() -> Result<Token, String> {
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| format!("the system's random source failed: {e}"))?;
        Ok(Token(URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `candidate` is this token, in time that does not depend on
    /// where the first differing byte is.
    pub fn matches(&self, candidate: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), candidate.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

/// Masked, so a debug print or log line never carries a working link.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token(…{})", &self.0[self.0.len().saturating_sub(4)..])
    }
}

/// A nonce for one page's inline style and script (CSP `'nonce-…'`).
pub fn nonce() -> String {
    let bytes: [u8; 16] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_differ() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(a.as_str()).unwrap().len(), 32);
        assert_ne!(a, b);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
    }

    #[test]
    fn only_the_exact_token_matches() {
        let t = Token::generate().unwrap();
        assert!(t.matches(t.as_str()));
        assert!(!t.matches(""));
        assert!(!t.matches(&t.as_str()[1..]));
        let mut other = t.as_str().to_string();
        let last = if other.ends_with('A') { "B" } else { "A" };
        other.replace_range(other.len() - 1.., last);
        assert!(!t.matches(&other));
        assert!(!format!("{t:?}").contains(t.as_str()));
    }
}
