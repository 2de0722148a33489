//! Every UI string, one table per language. A new string is a new field, so
//! the compiler refuses a language that lacks it.
//!
//! Server texts are never translated: they are shown as the server sent them.
//!
//! [`Strings`] names every field; each language's table is a file of its own.

pub mod cli;
mod current;
mod en;
mod es;
pub mod mailtls;
pub mod modes;
mod pt;
mod status_word;
mod strings;

pub use current::{current, fill, set_current, strings};
pub use en::EN;
pub use es::ES;
pub use pt::PT;
pub use strings::Strings;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    En,
    Es,
    Pt,
}

impl Lang {
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
            Lang::Pt => &PT,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['_', '-', '.', '@']).next().unwrap_or("");
        match primary {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "pt" => Some(Lang::Pt),
            _ => None,
        }
    }

    /// `--lang`, else `ui.lang`, else LC_ALL / LC_MESSAGES / LANG, else English.
    pub fn choose(
        flag: Option<Lang>,
        config: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Lang {
        if let Some(lang) = flag {
            return lang;
        }
        if let Some(lang) = config.and_then(Lang::parse) {
            return lang;
        }
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(value) = env(var).filter(|v| !v.is_empty()) {
                // The first variable that is set decides, as POSIX does.
                return Lang::parse(&value).unwrap_or_default();
            }
        }
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice_order() {
        let env = |v: &str| match v {
            "LANG" => Some("es_PE.UTF-8".to_string()),
            _ => None,
        };
        assert_eq!(Lang::choose(None, None, &env), Lang::Es);
        assert_eq!(Lang::choose(None, Some("pt"), &env), Lang::Pt);
        assert_eq!(Lang::choose(Some(Lang::En), Some("pt"), &env), Lang::En);
        let c_locale = |v: &str| (v == "LC_ALL").then(|| "C".to_string());
        assert_eq!(Lang::choose(None, None, &c_locale), Lang::En);
        assert_eq!(Lang::choose(None, None, &|_| None), Lang::En);
    }
}
