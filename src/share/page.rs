//! The share page: plain HTML, one nonce'd style and one nonce'd script
//! (no framework, nothing external). Without JavaScript a meta refresh
//! reloads it; with it, a poll of `state` swaps the picture as the code
//! rotates, ticks the countdowns and turns the page into "linked ✓".
//!
//! Paths are relative (`qr.png`, `state`), so the page works behind a
//! reverse proxy at any prefix (`--public-url`).

use std::time::{Duration, Instant};

use super::state::{LiveCode, View};
use crate::i18n::Lang;

/// Seconds between reloads when JavaScript is off.
const NO_SCRIPT_REFRESH: u32 = 5;

const STYLE: &str = "\
body{margin:0;font:16px/1.4 system-ui,sans-serif;background:#fff;color:#111;text-align:center}\
main{max-width:40rem;margin:0 auto;padding:1rem}\
h1{font-size:1.3rem;margin:.5rem 0;overflow-wrap:anywhere}\
img{display:block;margin:.5rem auto;width:min(92vw,70vh);height:auto;image-rendering:pixelated}\
.ok{font-size:2rem;color:#0a7a2f}\
.muted{color:#555;font-size:.9rem}";

/// Polls `state` every 2 s; texts come from data attributes, never code.
const SCRIPT: &str = "\
(function(){var m=document.getElementById('share');\
var img=document.getElementById('qr'),left=document.getElementById('left'),ends=document.getElementById('ends');\
var n=+m.dataset.n,t=+m.dataset.left,e=+m.dataset.ends;\
function show(text,cls){m.textContent='';var p=document.createElement('p');p.className=cls;p.id='done';p.textContent=text;m.appendChild(p);}\
setInterval(function(){if(t>0){t--;if(left)left.textContent=t;}if(e>0){e--;if(ends)ends.textContent=e;}},1000);\
function poll(){fetch('state',{cache:'no-store'}).then(function(r){\
if(r.status===404){show(m.dataset.gone,'muted');return null;}return r.ok?r.json():{};}).then(function(s){\
if(!s)return;if(s.state==='linked'){show(m.dataset.linked,'ok');return;}\
if(s.n&&s.n!==n){if(!img){location.reload();return;}n=s.n;img.src='qr.png?n='+n;}\
if(typeof s.left==='number')t=s.left;if(typeof s.ends==='number')e=s.ends;setTimeout(poll,2000);\
}).catch(function(){setTimeout(poll,4000);});}\
setTimeout(poll,2000);})();";

/// The page for what the token may see; `nonce` also goes in the CSP header.
pub fn render(view: &View, nonce: &str, now: Instant) -> String {
    let (label, lang) = match view {
        View::Live { label, lang, .. } | View::Linked { label, lang } => (label, *lang),
    };
    let s = lang.strings();
    let mut body = format!("<h1>{}</h1>\n", escape(label));
    let (mut n, mut left, mut ends) = (0, 0, 0);
    match view {
        View::Live { code, ends_at, .. } => {
            ends = secs(ends_at.saturating_duration_since(now));
            body.push_str(&live_body(code.as_ref(), lang, now, &mut n, &mut left));
            body.push_str(&format!(
                "<p class=\"muted\">{} <span id=\"ends\">{ends}</span> s</p>\n",
                escape(s.share_link_ends)
            ));
        }
        View::Linked { .. } => {
            body.push_str(&format!(
                "<p class=\"ok\" id=\"done\">{}</p>\n",
                escape(s.share_linked)
            ));
        }
    }
    let refresh = match view {
        View::Live { .. } => format!(
            "<noscript><meta http-equiv=\"refresh\" content=\"{NO_SCRIPT_REFRESH}\"></noscript>\n"
        ),
        View::Linked { .. } => String::new(),
    };
    let script = match view {
        View::Live { .. } => format!("<script nonce=\"{nonce}\">{SCRIPT}</script>\n"),
        View::Linked { .. } => String::new(),
    };
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n{refresh}\
         <title>{title}</title>\n<style nonce=\"{nonce}\">{STYLE}</style></head>\n\
         <body><main id=\"share\" data-n=\"{n}\" data-left=\"{left}\" data-ends=\"{ends}\" \
         data-linked=\"{linked}\" data-gone=\"{gone}\">\n{body}</main>\n{script}</body></html>\n",
        code = lang_code(lang),
        title = escape(s.share_page_title),
        linked = escape(s.share_linked),
        gone = escape(s.share_gone),
    )
}

fn live_body(
    code: Option<&LiveCode>,
    lang: Lang,
    now: Instant,
    n: &mut u32,
    left: &mut u64,
) -> String {
    let s = lang.strings();
    let Some(code) = code else {
        return format!("<p>{}</p>\n", escape(s.share_waiting));
    };
    *n = code.number;
    *left = code
        .next_at
        .map_or(0, |at| secs(at.saturating_duration_since(now)));
    format!(
        "<img id=\"qr\" src=\"qr.png?n={n}\" alt=\"{alt}\">\n\
         <p>{on_phone} {instructions}</p>\n\
         <p class=\"muted\">{next_in} <span id=\"left\">{left}</span> s</p>\n",
        n = code.number,
        alt = escape(s.share_qr_alt),
        on_phone = escape(s.qr_on_phone),
        instructions = escape(s.qr_instructions),
        next_in = escape(s.qr_next_in),
    )
}

fn secs(d: Duration) -> u64 {
    d.as_secs_f64().ceil() as u64
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Es => "es",
        Lang::Pt => "pt",
    }
}

/// Text as HTML text or attribute value: a label is data, never markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn labels_are_text_not_markup() {
        let view = View::Linked {
            label: "<script>alert(1)</script>\"x".into(),
            lang: Lang::En,
        };
        let html = render(&view, "N0NCE", Instant::now());
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;x"));
        assert!(html.contains("linked ✓") || html.contains("Linked ✓"));
        assert!(!html.contains("<script"), "a linked page needs no script");
    }

    #[test]
    fn a_live_page_shows_the_code_and_its_countdown() {
        let now = Instant::now();
        let view = View::Live {
            label: "Shop".into(),
            lang: Lang::Es,
            code: Some(LiveCode {
                number: 3,
                png: Arc::from(&b"png"[..]),
                next_at: Some(now + Duration::from_millis(12_300)),
            }),
            ends_at: now + Duration::from_secs(900),
        };
        let html = render(&view, "N0NCE", now);
        assert!(html.contains("src=\"qr.png?n=3\""), "{html}");
        assert!(html.contains("<span id=\"left\">13</span>"), "{html}");
        assert!(html.contains("<span id=\"ends\">900</span>"), "{html}");
        assert!(html.contains("<script nonce=\"N0NCE\">"));
        assert!(html.contains("<style nonce=\"N0NCE\">"));
        assert!(html.contains("lang=\"es\""));
    }
}
