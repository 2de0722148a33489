//! `wadash doctor` and `:doctor`: what wadash found out about the terminal
//! and what the QR pane will draw at this size, with samples to compare by
//! eye. Pure: the faces pass the terminal and its size.

use ratatui::layout::Rect;

use super::{SextantSupport, Terminal};
use crate::qr::placement::{self as qr_layout, CHROME_ROWS, Caps, Drawing, TextPlace};
use crate::qr::{DrawMode, ModeChoice};

/// A WhatsApp pairing code is QR version 9 or 10 (53 or 57 modules a
/// side); the report uses the larger.
pub const PAIRING_MODULES: usize = 57;

/// (label, value) lines.
pub fn report(term: &Terminal, size: (u16, u16)) -> Vec<(&'static str, String)> {
    let id = &term.identity;
    let mut out = Vec::new();
    let mux = match id.mux {
        Some(super::Mux::Tmux) => " inside tmux",
        Some(super::Mux::Screen) => " inside GNU screen",
        None => "",
    };
    out.push(("terminal", format!("{}{mux} (from {})", id.name, id.source)));
    out.push((
        "answered",
        match &term.reply {
            Some(r) if r.answered => format!(
                "in {} ms; XTVERSION {}; sixel in device attributes: {}; kitty graphics: {}",
                r.elapsed.as_millis(),
                r.xtversion.as_deref().unwrap_or("(no answer)"),
                yes(r.sixel),
                yes(r.kitty_graphics)
            ),
            Some(r) => format!("nothing within {} ms", r.elapsed.as_millis()),
            None => "not asked (not a terminal)".into(),
        },
    ));
    out.push((
        "images",
        match term.images.protocol {
            Some(p) => {
                let extra = if term.images.note.is_empty() {
                    String::new()
                } else {
                    format!("; {}", term.images.note)
                };
                format!("yes, {p}{extra}")
            }
            None => term.images.note.clone(),
        },
    ));
    out.push((
        "cell size",
        term.cell_px
            .map_or("unknown".into(), |(w, h)| format!("{w}×{h} pixels")),
    ));
    out.push(("colours", term.colors.label().to_string()));
    out.push((
        "sextants",
        match id.sextants {
            SextantSupport::Draws => {
                "drawn by the terminal itself: compact codes scan with any font".into()
            }
            SextantSupport::Font => {
                "left to the font (usual fonts lack them: boxes): never chosen by itself".into()
            }
            SextantSupport::Unknown => {
                "unknown here: chosen only when half blocks do not fit; compare the sample below"
                    .into()
            }
        },
    ));
    out.push(("size", format!("{}×{}", size.0, size.1)));
    out.push(("QR pane", pane_drawing(term, size)));
    out.push((
        "sample, half",
        "▀▄█▀ █▄▀▄ ▄█▀█  (the QR's half blocks: must look solid)".into(),
    ));
    out.push((
        "sample, sextants",
        "🬀🬁🬂🬃🬇🬋🬏🬞🬭🬰🬹🬻  (small blocks in 2×3 cells; boxes or ? = no sextants)".into(),
    ));
    out
}

/// What the dashboard's QR pane draws for a pairing code at `size`.
pub fn pane_drawing(term: &Terminal, (cols, rows): (u16, u16)) -> String {
    let body = Rect::new(0, 1, cols, rows.saturating_sub(CHROME_ROWS));
    let caps = Caps {
        sextants: term.identity.sextants,
        image_cell_px: term.images.protocol.and(term.images.cell_px),
    };
    // The pane's text is about 45 columns wide and 8 rows.
    let place = qr_layout::place(body, PAIRING_MODULES, ModeChoice::Auto, caps, 45, |w| {
        360u16.div_ceil(w.max(1))
    });
    let Some(place) = place else {
        let sizes =
            qr_layout::terminal_needed(PAIRING_MODULES, ModeChoice::Auto, term.identity.sextants);
        return format!(
            "no code fits: the pane shows what helps (zoom out, enlarge to{}, images, s/o for a PNG)",
            crate::qr::describe_sizes(&sizes, "with half blocks")
        );
    };
    let text = match place.text_place {
        TextPlace::Beside => "text beside",
        TextPlace::Below => "text below",
        TextPlace::OneLine => "one line of text",
        TextPlace::None => "code alone",
    };
    match place.drawing {
        Drawing::Image(fit) => format!(
            "image, {} px per module, {}×{} cells, {text}",
            fit.scale, fit.cols, fit.rows
        ),
        Drawing::Glyphs { mode, quiet } => format!(
            "{} ({}×{} cells, quiet zone {quiet}), {text}",
            match mode {
                DrawMode::Half => "half blocks",
                DrawMode::Compact => "sextants",
            },
            place.qr.width,
            place.qr.height
        ),
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The report as text lines, `label: value`, labels aligned.
pub fn lines(term: &Terminal, size: (u16, u16)) -> Vec<String> {
    report(term, size)
        .into_iter()
        .map(|(label, value)| format!("{label:>16}: {value}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::term::{Env, GraphicsChoice, ProbeReply};

    fn terminal(xt: &str, kitty: bool, sixel: bool, px: Option<(u16, u16)>) -> Terminal {
        let reply = ProbeReply {
            xtversion: Some(xt.into()),
            kitty_graphics: kitty,
            sixel,
            answered: true,
            ..ProbeReply::default()
        };
        Terminal::from_parts(&Env::default(), Some(reply), px, GraphicsChoice::Auto)
    }

    #[test]
    fn the_pane_drawing_follows_the_terminal() {
        let xterm = terminal("XTerm(379)", false, false, Some((6, 13)));
        assert!(
            pane_drawing(&xterm, (80, 24)).starts_with("no code fits"),
            "{}",
            pane_drawing(&xterm, (80, 24))
        );
        assert!(pane_drawing(&xterm, (100, 40)).starts_with("half blocks"));
        let vt340 = terminal("XTerm(379)", false, true, Some((6, 13)));
        assert!(
            pane_drawing(&vt340, (80, 24)).starts_with("image, 4 px per module"),
            "{}",
            pane_drawing(&vt340, (80, 24))
        );
        let kitty = terminal("kitty(0.26.5)", false, false, None);
        assert!(pane_drawing(&kitty, (80, 24)).starts_with("sextants"));
        let text = lines(&vt340, (80, 24)).join("\n");
        assert!(text.contains("images: yes, sixel"), "{text}");
        assert!(text.contains("sextants: left to the font"), "{text}");
    }
}
