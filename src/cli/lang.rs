//! The language of headless output and CLI errors: `--lang`, then the
//! config's `ui.lang`, then the locale (LC_ALL / LC_MESSAGES / LANG), as the
//! dashboard chooses. `--help` and the man page stay English.

use super::args::GlobalArgs;
use crate::i18n::{self, Lang};

/// Choose and remember the language; called before the config is read
/// (flag and locale only) and again once `ui.lang` is known.
pub fn choose(global: &GlobalArgs, config_lang: Option<&str>) -> Lang {
    let lang = Lang::choose(global.lang, config_lang, &|var| std::env::var(var).ok());
    i18n::set_current(lang);
    lang
}
