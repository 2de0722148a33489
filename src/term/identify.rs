//! Which terminal this is, and whether it draws the sextant block
//! (U+1FB00–U+1FB3B) itself or leaves it to the font.
//!
//! Why it matters: the usual desktop fonts (DejaVu Sans Mono, Noto Mono,
//! Liberation Mono) do not hold the block, so a terminal that relies on
//! its font shows a compact QR as boxes. Issue 12's probe under Xvfb
//! (Debian 12, DejaVu/Noto/Liberation only, screenshots decoded with zbar)
//! saw sextant codes scan in kitty 0.26, VTE 0.70 (lxterminal, GNOME
//! Terminal's engine) and konsole 22.12; boxes or broken codes in xterm
//! 379, urxvt 9.30, st 0.9, alacritty 0.11 and mlterm 3.9. Each kind
//! below cites its source.

/// The environment variables that name a terminal (read once; tests build it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub term: Option<String>,
    pub term_program: Option<String>,
    pub term_program_version: Option<String>,
    pub kitty_window_id: Option<String>,
    pub vte_version: Option<String>,
    pub konsole_version: Option<String>,
    pub wt_session: Option<String>,
    pub tmux: Option<String>,
    pub sty: Option<String>,
    pub wezterm_executable: Option<String>,
    pub alacritty_window_id: Option<String>,
    pub xterm_version: Option<String>,
    pub mlterm: Option<String>,
    pub lc_terminal: Option<String>,
    pub colorterm: Option<String>,
    pub no_color: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            term: var("TERM"),
            term_program: var("TERM_PROGRAM"),
            term_program_version: var("TERM_PROGRAM_VERSION"),
            kitty_window_id: var("KITTY_WINDOW_ID"),
            vte_version: var("VTE_VERSION"),
            konsole_version: var("KONSOLE_VERSION"),
            wt_session: var("WT_SESSION"),
            tmux: var("TMUX"),
            sty: var("STY"),
            wezterm_executable: var("WEZTERM_EXECUTABLE"),
            alacritty_window_id: var("ALACRITTY_WINDOW_ID"),
            xterm_version: var("XTERM_VERSION"),
            mlterm: var("MLTERM"),
            lc_terminal: var("LC_TERMINAL"),
            colorterm: var("COLORTERM"),
            no_color: var("NO_COLOR").is_some(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Kitty,
    Vte,
    Konsole,
    WezTerm,
    Alacritty,
    Rio,
    Foot,
    Ghostty,
    WindowsTerminal,
    ITerm2,
    Xterm,
    Urxvt,
    St,
    Mlterm,
    Unknown,
}

/// A terminal multiplexer between wadash and the real terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mux {
    Tmux,
    Screen,
}

/// Issue 12's three kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SextantSupport {
    /// (a) The terminal draws the block itself: compact codes scan with any font.
    Draws,
    /// (b) The terminal relies on its font (or shows boxes): never choose
    /// compact by itself.
    Font,
    /// (c) Not known (multiplexer in between, or unidentified): as before,
    /// compact when only it fits, with a warning and the `m` override.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub family: Family,
    /// What to call it on screen ("kitty 0.26.5", "xterm 379", "VTE 0.70.6").
    pub name: String,
    pub mux: Option<Mux>,
    pub sextants: SextantSupport,
    /// Where the name came from ("XTVERSION", "KITTY_WINDOW_ID"…), for `doctor`.
    pub source: &'static str,
}

/// Identify from the XTVERSION answer (preferred: it is the terminal's own
/// word, and inside tmux it names tmux) and the environment.
pub fn identify(env: &Env, xtversion: Option<&str>) -> Identity {
    let mux = if env.tmux.is_some()
        || env.term.as_deref().is_some_and(|t| t.starts_with("tmux"))
        || env.term_program.as_deref() == Some("tmux")
    {
        Some(Mux::Tmux)
    } else if env.sty.is_some() || env.term.as_deref().is_some_and(|t| t.starts_with("screen")) {
        Some(Mux::Screen)
    } else {
        None
    };
    let (family, name, source) = from_xtversion(xtversion)
        .map(|(f, n)| (f, n, "XTVERSION"))
        .or_else(|| from_env(env))
        .unwrap_or((
            Family::Unknown,
            String::from("unidentified terminal"),
            "none",
        ));
    // Behind a multiplexer what draws the glyphs is the outer terminal,
    // which the environment may describe wrongly (variables inherited by
    // a tmux server started elsewhere): kind (c).
    let sextants = if mux.is_some() {
        SextantSupport::Unknown
    } else {
        sextants_of(family, &name)
    };
    let name = match mux {
        Some(Mux::Tmux) if family == Family::Unknown => "tmux".to_string(),
        Some(Mux::Screen) if family == Family::Unknown => "GNU screen".to_string(),
        _ => name,
    };
    Identity {
        family,
        name,
        mux,
        sextants,
        source,
    }
}

/// XTVERSION (`CSI > 0 q`) answers: `kitty(0.26.5)`, `XTerm(379)`,
/// `WezTerm 20240203-…`, `foot(1.16.2)`, `tmux 3.3a`, `ghostty 1.1.0`,
/// `Konsole 23.08.5`, `mlterm(3.9.3)`.
fn from_xtversion(text: Option<&str>) -> Option<(Family, String)> {
    let text = text?.trim();
    if text.is_empty() {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let pretty = text.replace(['(', ')'], " ").trim().to_string();
    let family = if lower.starts_with("kitty") {
        Family::Kitty
    } else if lower.starts_with("xterm") {
        Family::Xterm
    } else if lower.starts_with("wezterm") {
        Family::WezTerm
    } else if lower.starts_with("foot") {
        Family::Foot
    } else if lower.starts_with("ghostty") {
        Family::Ghostty
    } else if lower.starts_with("konsole") {
        Family::Konsole
    } else if lower.starts_with("mlterm") {
        Family::Mlterm
    } else if lower.starts_with("alacritty") {
        Family::Alacritty
    } else if lower.starts_with("vte") {
        Family::Vte
    } else if lower.starts_with("iterm2") {
        Family::ITerm2
    } else {
        // tmux, screen and anything else: the environment may know better.
        return None;
    };
    Some((family, pretty))
}

fn from_env(env: &Env) -> Option<(Family, String, &'static str)> {
    let term = env.term.as_deref().unwrap_or("");
    let program = env.term_program.as_deref().unwrap_or("");
    let version = |v: &Option<String>| v.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    if env.kitty_window_id.is_some() || term == "xterm-kitty" {
        return Some((Family::Kitty, "kitty".into(), "KITTY_WINDOW_ID/TERM"));
    }
    if env.wezterm_executable.is_some() || program == "WezTerm" {
        let v = version(&env.term_program_version);
        return Some((Family::WezTerm, format!("WezTerm{v}"), "TERM_PROGRAM"));
    }
    if let Some(k) = &env.konsole_version {
        return Some((
            Family::Konsole,
            format!("Konsole {}", vte_like(k)),
            "KONSOLE_VERSION",
        ));
    }
    if let Some(v) = &env.vte_version {
        return Some((Family::Vte, format!("VTE {}", vte_like(v)), "VTE_VERSION"));
    }
    if program == "ghostty" || term == "xterm-ghostty" {
        return Some((Family::Ghostty, "Ghostty".into(), "TERM_PROGRAM"));
    }
    if env.wt_session.is_some() {
        return Some((
            Family::WindowsTerminal,
            "Windows Terminal".into(),
            "WT_SESSION",
        ));
    }
    if program == "iTerm.app" || env.lc_terminal.as_deref() == Some("iTerm2") {
        return Some((Family::ITerm2, "iTerm2".into(), "TERM_PROGRAM"));
    }
    if env.alacritty_window_id.is_some() || term == "alacritty" {
        return Some((
            Family::Alacritty,
            "Alacritty".into(),
            "ALACRITTY_WINDOW_ID/TERM",
        ));
    }
    if program == "rio" || term == "rio" {
        return Some((Family::Rio, "Rio".into(), "TERM_PROGRAM"));
    }
    if term.starts_with("foot") {
        return Some((Family::Foot, "foot".into(), "TERM"));
    }
    if env.mlterm.is_some() || term.starts_with("mlterm") {
        return Some((
            Family::Mlterm,
            format!("mlterm{}", version(&env.mlterm)),
            "MLTERM",
        ));
    }
    if term.starts_with("rxvt-unicode") {
        return Some((Family::Urxvt, "rxvt-unicode".into(), "TERM"));
    }
    if term.starts_with("st-") || term == "st" {
        return Some((Family::St, "st".into(), "TERM"));
    }
    if let Some(v) = &env.xterm_version {
        return Some((
            Family::Xterm,
            v.replace(['(', ')'], " ").trim().to_string(),
            "XTERM_VERSION",
        ));
    }
    None
}

/// VTE_VERSION 7006 means 0.70.6; KONSOLE_VERSION 221204 means 22.12.4.
fn vte_like(v: &str) -> String {
    match v.parse::<u32>() {
        Ok(n) if n >= 10000 => format!("{}.{:02}.{}", n / 10000, n / 100 % 100, n % 100),
        Ok(n) => format!("0.{}.{}", n / 100, n % 100),
        Err(_) => v.to_string(),
    }
}

fn sextants_of(family: Family, name: &str) -> SextantSupport {
    match family {
        // kitty renders box drawing and block characters itself
        // (kitty/fonts/box_drawing.py, which carries the sextants);
        // issue 12's probe: kitty 0.26 scanned with fonts lacking them.
        Family::Kitty => SextantSupport::Draws,
        // VTE draws "Symbols for Legacy Computing" with its minifont
        // (GNOME/vte src/minifont.cc); issue 12's probe: VTE 0.70 scanned.
        Family::Vte => SextantSupport::Draws,
        // Konsole draws block and legacy-computing characters as line
        // graphics; issue 12's probe: konsole 22.12 scanned.
        Family::Konsole => SextantSupport::Draws,
        // WezTerm docs, config `custom_block_glyphs` (default true): "U1FB00
        // Symbols for Legacy Computing (Sextants…)" since 20210814-124438.
        Family::WezTerm => SextantSupport::Draws,
        // Rio's `use-fontconfig`/builtin font "for … legacy computing symbols
        // (U+1FB00 - U+1FB3B)" (raphamorim/rio#974, after alacritty's).
        Family::Rio => SextantSupport::Draws,
        // Alacritty CHANGELOG 0.13.2: "Use built-in font for sextant symbols
        // from U+1FB00 to U+1FB3B"; 0.11 (issue 12's probe) relied on the
        // font. Without a version we cannot tell: assume the font.
        Family::Alacritty => match version_at_least(name, (0, 13, 2)) {
            Some(true) => SextantSupport::Draws,
            _ => SextantSupport::Font,
        },
        // Issue 12's probe: boxes or unscannable with the usual fonts.
        // xterm draws only U+2500-259F itself (its "line drawing" fallback);
        // urxvt and mlterm show boxes with every font; st needs the
        // out-of-tree boxdraw-legacycomputing patch (st.suckless.org).
        Family::Xterm | Family::Urxvt | Family::St | Family::Mlterm => SextantSupport::Font,
        // Windows Terminal stored astral-plane characters in two cells
        // (j4james in dankamongmen/notcurses#2443); foot, Ghostty and
        // iTerm2 not verified here: kind (c), the user's `m` decides.
        Family::WindowsTerminal | Family::Foot | Family::Ghostty | Family::ITerm2 => {
            SextantSupport::Unknown
        }
        Family::Unknown => SextantSupport::Unknown,
    }
}

/// Compare the first `a.b.c` found in `name` with `min`; None without one.
fn version_at_least(name: &str, min: (u32, u32, u32)) -> Option<bool> {
    let start = name.find(|c: char| c.is_ascii_digit())?;
    let digits: Vec<u32> = name[start..]
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|p| !p.is_empty())
        .take(3)
        .filter_map(|p| p.parse().ok())
        .collect();
    let get = |i: usize| digits.get(i).copied().unwrap_or(0);
    Some((get(0), get(1), get(2)) >= min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(f: impl FnOnce(&mut Env)) -> Env {
        let mut e = Env::default();
        f(&mut e);
        e
    }

    #[test]
    fn the_probes_terminals_fall_into_the_kinds_seen() {
        let cases: [(Env, Option<&str>, Family, SextantSupport); 9] = [
            (
                env(|e| e.term = Some("xterm-kitty".into())),
                Some("kitty(0.26.5)"),
                Family::Kitty,
                SextantSupport::Draws,
            ),
            (
                env(|e| e.vte_version = Some("7006".into())),
                None,
                Family::Vte,
                SextantSupport::Draws,
            ),
            (
                env(|e| e.konsole_version = Some("221204".into())),
                None,
                Family::Konsole,
                SextantSupport::Draws,
            ),
            (
                env(|e| e.term = Some("xterm".into())),
                Some("XTerm(379)"),
                Family::Xterm,
                SextantSupport::Font,
            ),
            (
                env(|e| e.term = Some("rxvt-unicode-256color".into())),
                None,
                Family::Urxvt,
                SextantSupport::Font,
            ),
            (
                env(|e| e.term = Some("st-256color".into())),
                None,
                Family::St,
                SextantSupport::Font,
            ),
            (
                env(|e| e.term = Some("alacritty".into())),
                None,
                Family::Alacritty,
                SextantSupport::Font,
            ),
            (
                env(|e| e.mlterm = Some("3.9.3".into())),
                None,
                Family::Mlterm,
                SextantSupport::Font,
            ),
            (
                env(|e| e.term_program = Some("WezTerm".into())),
                None,
                Family::WezTerm,
                SextantSupport::Draws,
            ),
        ];
        for (e, xt, family, kind) in cases {
            let id = identify(&e, xt);
            assert_eq!((id.family, id.sextants), (family, kind), "{e:?} {xt:?}");
            assert_eq!(id.mux, None);
        }
    }

    #[test]
    fn versions_are_read_for_display_and_for_alacritty() {
        assert_eq!(
            identify(&env(|e| e.vte_version = Some("7006".into())), None).name,
            "VTE 0.70.6"
        );
        assert_eq!(
            identify(&Env::default(), Some("kitty(0.26.5)")).name,
            "kitty 0.26.5"
        );
        assert_eq!(
            identify(&Env::default(), Some("alacritty 0.13.2")).sextants,
            SextantSupport::Draws
        );
        assert_eq!(
            identify(&Env::default(), Some("alacritty 0.11.0")).sextants,
            SextantSupport::Font
        );
    }

    #[test]
    fn multiplexers_make_it_unknown_even_inside_kitty() {
        let e = env(|e| {
            e.tmux = Some("/tmp/tmux-0/default,1,0".into());
            e.term = Some("tmux-256color".into());
            e.kitty_window_id = Some("1".into());
        });
        let id = identify(&e, Some("tmux 3.3a"));
        assert_eq!(id.mux, Some(Mux::Tmux));
        assert_eq!(id.sextants, SextantSupport::Unknown);
        let screen = identify(&env(|e| e.sty = Some("123.pts-0".into())), None);
        assert_eq!(
            (screen.mux, screen.name.as_str()),
            (Some(Mux::Screen), "GNU screen")
        );
    }

    #[test]
    fn xtversion_beats_stale_environment() {
        // KITTY_WINDOW_ID inherited into an xterm started from kitty.
        let e = env(|e| e.kitty_window_id = Some("3".into()));
        let id = identify(&e, Some("XTerm(379)"));
        assert_eq!((id.family, id.source), (Family::Xterm, "XTVERSION"));
        assert_eq!(
            identify(&Env::default(), None).sextants,
            SextantSupport::Unknown
        );
    }
}
