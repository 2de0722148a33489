//! `wadash doctor` and `:doctor`: what wadash found out about the terminal
//! and what the QR pane will draw at this size, with samples to compare by
//! eye. Pure: the faces pass the terminal and its size.

use ratatui::layout::Rect;

use super::{ColorSupport, SextantSupport, Terminal};
use crate::i18n::{self, fill};
use crate::qr::placement::{self as qr_layout, CHROME_ROWS, Caps, Drawing, TextPlace};
use crate::qr::{DrawMode, ModeChoice};

/// A WhatsApp pairing code is QR version 9 or 10 (53 or 57 modules a
/// side); the report uses the larger.
pub const PAIRING_MODULES: usize = 57;

/// (label, value) lines, in the user's language.
pub fn report(term: &Terminal, size: (u16, u16)) -> Vec<(&'static str, String)> {
    let t = i18n::strings().cli;
    let id = &term.identity;
    let mut out = Vec::new();
    let mux = match id.mux {
        Some(super::Mux::Tmux) => t.doc_inside_tmux,
        Some(super::Mux::Screen) => t.doc_inside_screen,
        None => "",
    };
    let (name, source) = match id.family {
        super::Family::Unknown => (t.doc_unidentified, t.doc_source_none),
        _ => (id.name.as_str(), id.source),
    };
    out.push((
        t.doc_terminal,
        fill(
            t.doc_from,
            &[("name", name), ("mux", mux), ("source", source)],
        ),
    ));
    out.push((
        t.doc_answered,
        match &term.reply {
            Some(r) if r.answered => fill(
                t.doc_answer,
                &[
                    ("ms", &r.elapsed.as_millis().to_string()),
                    ("xt", r.xtversion.as_deref().unwrap_or(t.doc_no_answer)),
                    ("sixel", yes(r.sixel)),
                    ("kitty", yes(r.kitty_graphics)),
                ],
            ),
            Some(r) => fill(t.doc_silent, &[("ms", &r.elapsed.as_millis().to_string())]),
            None => t.doc_not_asked.into(),
        },
    ));
    out.push((
        t.doc_images,
        match term.images.protocol {
            Some(p) => {
                let extra = if term.images.note.is_empty() {
                    String::new()
                } else {
                    format!("; {}", term.images.note)
                };
                fill(
                    t.doc_images_yes,
                    &[("protocol", &p.to_string()), ("extra", &extra)],
                )
            }
            None => term.images.note.clone(),
        },
    ));
    out.push((
        t.doc_cell_size,
        term.cell_px.map_or(t.doc_unknown.into(), |(w, h)| {
            fill(
                t.doc_pixels,
                &[("w", &w.to_string()), ("h", &h.to_string())],
            )
        }),
    ));
    out.push((t.doc_colours, colours(term.colors).to_string()));
    out.push((
        t.doc_sextants,
        match id.sextants {
            SextantSupport::Draws => t.doc_sextants_draws.into(),
            SextantSupport::Font => t.doc_sextants_font.into(),
            SextantSupport::Unknown => t.doc_sextants_unknown.into(),
        },
    ));
    out.push((t.doc_size, format!("{}×{}", size.0, size.1)));
    out.push((t.doc_qr_pane, pane_drawing(term, size)));
    out.push((
        t.doc_sample_half,
        format!("▀▄█▀ █▄▀▄ ▄█▀█  {}", t.doc_half_note),
    ));
    out.push((
        t.doc_sample_sextants,
        format!("🬀🬁🬂🬃🬇🬋🬏🬞🬭🬰🬹🬻  {}", t.doc_sextant_note),
    ));
    out
}

fn colours(support: ColorSupport) -> &'static str {
    let t = i18n::strings().cli;
    match support {
        ColorSupport::None => t.doc_colours_none,
        ColorSupport::Basic => t.doc_colours_16,
        ColorSupport::Ansi256 => t.doc_colours_256,
        ColorSupport::TrueColor => t.doc_colours_true,
    }
}

/// What the dashboard's QR pane draws for a pairing code at `size`.
pub fn pane_drawing(term: &Terminal, (cols, rows): (u16, u16)) -> String {
    let t = i18n::strings().cli;
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
        let sizes = crate::qr::describe_sizes(&sizes, t.doc_with_half);
        return fill(t.doc_no_fit, &[("sizes", &sizes)]);
    };
    let text = match place.text_place {
        TextPlace::Beside => t.doc_text_beside,
        TextPlace::Below => t.doc_text_below,
        TextPlace::OneLine => t.doc_text_line,
        TextPlace::None => t.doc_text_none,
    };
    match place.drawing {
        Drawing::Image(fit) => fill(
            t.doc_image,
            &[
                ("scale", &fit.scale.to_string()),
                ("cols", &fit.cols.to_string()),
                ("rows", &fit.rows.to_string()),
                ("text", text),
            ],
        ),
        Drawing::Glyphs { mode, quiet } => fill(
            t.doc_glyphs,
            &[
                (
                    "mode",
                    match mode {
                        DrawMode::Half => t.doc_half_blocks,
                        DrawMode::Compact => t.doc_sextants,
                    },
                ),
                ("cols", &place.qr.width.to_string()),
                ("rows", &place.qr.height.to_string()),
                ("quiet", &quiet.to_string()),
                ("text", text),
            ],
        ),
    }
}

fn yes(b: bool) -> &'static str {
    let t = i18n::strings().cli;
    if b { t.doc_yes } else { t.doc_no }
}

/// The report as text lines, `label: value`, labels aligned.
pub fn lines(term: &Terminal, size: (u16, u16)) -> Vec<String> {
    let report = report(term, size);
    // Labels in other languages run longer than the English 16.
    let width = report
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .max(16);
    report
        .into_iter()
        .map(|(label, value)| format!("{label:>width$}: {value}"))
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
