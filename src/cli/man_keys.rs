//! The man page's DASHBOARD KEYS section, generated from the key table in
//! `src/keys/` (the same rows `?` and the key bar show), so the page cannot
//! drift from what the keys do. Default keys only: `[keys.MODE]` in the
//! config replaces them, and the page says so.

use clap_mangen::roff::{Roff, bold, roman};

use crate::i18n::Lang;
use crate::keys::{self as keymap, ModeKind};

/// One subsection per mode, one `.TP` per binding: the keys as the help
/// writes them, then what they do.
pub fn section(roff: &mut Roff) {
    roff.control("SH", ["DASHBOARD KEYS"]);
    roff.control("PP", []);
    roff.text([roman(
        "The keys of the dashboard (wadash with no subcommand), mode by mode, as ? lists \
         them. These are the defaults; [keys.MODE] in the config replaces them (see \
         CONFIGURATION), and ? then shows yours.",
    )]);
    for mode in ModeKind::ALL {
        roff.control("SS", [mode.title(Lang::En)]);
        for binding in keymap::bindings(mode) {
            roff.control("TP", []);
            roff.text([bold(binding.label)]);
            roff.text([roman(keymap::describe(binding.action, Lang::En))]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_binding_of_every_mode_is_on_the_page() {
        let mut roff = Roff::new();
        section(&mut roff);
        let page = roff.to_roff();
        for mode in ModeKind::ALL {
            assert!(page.contains(mode.title(Lang::En)), "{mode:?}");
            for binding in keymap::bindings(mode) {
                let label = roff_text(binding.label);
                assert!(page.contains(&label), "{mode:?}: {}", binding.label);
            }
        }
    }

    /// What the roff crate makes of a label (it escapes `-` and `\`).
    fn roff_text(text: &str) -> String {
        let mut r = Roff::new();
        r.text([bold(text)]);
        let out = r.to_roff();
        out.trim().to_string()
    }
}
