//! Tokens in channel URLs (a Telegram bot token, a Slack or Discord webhook
//! path, a password in `mailto://user:pass@…`) join the api keys in
//! [`crate::redact`], so every place that already cuts keys out of logs,
//! errors and the event log cuts these out too. An account's `base_url`
//! has only its password registered (`crate::url_secret`, whose decoding
//! this shares); a channel URL has every piece that may be a token.

use crate::alerts::deliver::Channels;

/// Register every secret-looking piece of every channel URL in `alerts`.
pub fn register(alerts: &Channels) {
    for a in &alerts.apprise {
        for url in &a.urls {
            register_url(url, true);
        }
    }
    for w in &alerts.webhooks {
        register_url(w.url.as_str(), false);
    }
    for m in &alerts.alertmanager {
        register_url(m.url.as_str(), false);
    }
}

/// The pieces of `url` after its scheme that may be secret. In an Apprise
/// URL the host position often holds the token (`tgram://TOKEN/CHAT`), so
/// `host_too` registers that as well unless it looks like a host name.
pub fn pieces(url: &str, host_too: bool) -> Vec<String> {
    let Some((_, rest)) = url.split_once("://") else {
        return vec![url.to_string()];
    };
    let mut out = vec![rest.to_string()];
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let (userinfo, host) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if let Some(u) = userinfo {
        out.push(u.to_string());
        out.extend(u.split(':').map(str::to_string));
    }
    if host_too && !looks_like_host(host) {
        out.push(host.to_string());
        out.extend(host.split(':').map(str::to_string));
    }
    out.extend(
        path.split(['/', '?', '&', '=', '#'])
            .filter(|p| !looks_like_host(p))
            .map(str::to_string),
    );
    out.retain(|p| !p.is_empty());
    out
}

fn register_url(url: &str, host_too: bool) {
    for piece in pieces(url, host_too) {
        // Percent-encoded or not, both forms may be printed.
        if let Some(decoded) = crate::url_secret::percent_decode(&piece) {
            crate::redact::register(&decoded);
        }
        crate::redact::register(&piece);
    }
}

/// `example.com`, `127.0.0.1:9093`: names everyone sees, not secrets.
fn looks_like_host(piece: &str) -> bool {
    let name = piece.split(':').next().unwrap_or_default();
    name.contains('.')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_token_chat_and_password_are_pieces_and_host_names_are_not() {
        let p = pieces(
            "tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-1001234567",
            true,
        );
        assert!(p.contains(&"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw".to_string()));
        assert!(p.contains(&"-1001234567".to_string()));
        let p = pieces("mailto://ana:s3cretpass@gmail.com", true);
        assert!(p.contains(&"s3cretpass".to_string()));
        assert!(!p.contains(&"gmail.com".to_string()));
        let p = pieces("https://discord.com/api/webhooks/123/TOKENtoken", false);
        assert!(p.contains(&"TOKENtoken".to_string()));
        assert!(!p.iter().any(|x| x == "discord.com"));
    }

    #[test]
    fn registered_pieces_are_cut_out_of_text() {
        register_url(
            "tgram://987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDxyz/-100777",
            true,
        );
        let text = "apprise: tgram://987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDxyz/-100777 failed";
        let cut = crate::redact::redact(text);
        assert!(!cut.contains("ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDxyz"), "{cut}");
        assert!(cut.contains("apprise: tgram://"), "{cut}");
    }
}
