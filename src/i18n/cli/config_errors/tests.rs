//! Config errors in Spanish and Portuguese, from templates and from the
//! messages the config reader really writes.

use super::*;

#[test]
fn located_messages_read_in_spanish() {
    let es = |m: &str| translate_config_message(m, Lang::Es);
    assert_eq!(
        es("unknown field `colour`, expected one of `lang`, `interval`"),
        "campo desconocido `colour`; se esperaba uno de `lang`, `interval`"
    );
    assert_eq!(es("missing field `id`"), "falta el campo `id`");
    assert_eq!(
        es("invalid type: integer `3`, expected a string"),
        "tipo no válido: integer `3`; se esperaba texto entre comillas"
    );
    assert_eq!(
        es("invalid type: string \"yes\", expected a boolean"),
        "tipo no válido: string \"yes\"; se esperaba true o false"
    );
    assert_eq!(
        es("duplicate instance id `tienda-1`"),
        "id de instancia repetido `tienda-1`"
    );
    assert_eq!(
        es("environment variable WA_KEY (api_key_env) is not set"),
        "la variable de entorno WA_KEY (api_key_env) no está definida"
    );
    assert_eq!(
        es(
            "interval: invalid duration \"5 parsecs\" (unknown time unit \"parsecs\", supported units: ns, ms (and few variations)); write it like \"15s\", \"2m\" or \"500ms\""
        ),
        "interval: duración no válida \"5 parsecs\" (unidad de tiempo desconocida \"parsecs\"; unidades admitidas: ns, ms); escríbala como \"15s\", \"2m\" o \"500ms\""
    );
    assert_eq!(
        es("invalid table header\nexpected `.`, `]`"),
        "encabezado de tabla no válido\nse esperaba `.`, `]`"
    );
}

#[test]
fn nested_messages_and_braces() {
    let es = |m: &str| translate_config_message(m, Lang::Es);
    assert_eq!(
        es("refusing to save a config that does not load: duplicate instance id `a`"),
        "no se guarda una configuración que no se puede cargar: id de instancia repetido `a`"
    );
    assert_eq!(
        es(
            "alerts.hook argument \"{id\": \"{id\" opens a brace that nothing closes: write {{ for a literal {"
        ),
        "argumento de alerts.hook \"{id\": \"{id\" abre una llave que nada cierra: escriba {{ para una llave literal"
    );
    assert_eq!(
        translate_config_message("missing field `id`", Lang::Pt),
        "falta o campo `id`"
    );
}

#[test]
fn english_and_unknown_lines_stay_as_written() {
    let line = "missing field `id`";
    assert_eq!(translate_config_message(line, Lang::En), line);
    let other = "something no template knows";
    assert_eq!(translate_config_message(other, Lang::Es), other);
}

/// English words that a Spanish config error must not hold (values
/// from the file and `code` aside).
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "not",
    "of",
    "and",
    "or",
    "with",
    "must",
    "unknown",
    "expected",
    "missing",
    "field",
    "duplicate",
    "instance",
    "account",
    "names",
    "which",
    "defined",
    "empty",
    "invalid",
    "write",
    "set",
    "one",
    "be",
    "between",
    "has",
    "could",
];

fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    // Code and table names (`…`, [[…]]) are the file's words.
    let mut in_code = false;
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if in_code || depth > 0 => {}
            _ => plain.push(c),
        }
    }
    // Quoted values are the file's own text.
    let plain: String = plain.split('"').step_by(2).collect::<Vec<_>>().join(" ");
    plain
        .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '.' && c != '-')
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// The messages the config reader really writes, read in Spanish: each
/// keeps its file:line:col and has no English word left.
#[test]
fn real_config_errors_read_in_spanish() {
    let cases = [
        "[[instance]]\nid = \"a\"\ncolour = 1\n",
        "[[instance]]\nlabel = \"x\"\n",
        "[[instance]]\nid = \"a\"\n[[instance]]\nid = \"a\"\n",
        "[[account]]\nname = \"m\"\napi_key_env = \"K\"\n[[instance]]\nid = \"a\"\naccount = \"z\"\n",
        "[[account]]\nname = \"m\"\n",
        "[[account]]\napi_key_env = \"A B\"\n",
        "[ui]\ninterval = \"5 parsecs\"\n",
        "[ui]\nlang = \"fr\"\n",
        "[ui]\nconcurrency = 0\n",
        "[instance]\nid = \"a\"\n",
        "[theme]\naccent = \"#12\"\n",
        "[ui]\ncolumns = [\"nope\"]\n",
        "[[alerts.hook]]\ncommand = []\n",
        "[[alerts.hook]]\ncommand = [\"x\", \"{nope}\"]\n",
        "[[alerts.webhook]]\nurl = \"ftp://x\"\n",
        "[alerts]\nafter = 0\n",
        "[[alerts.apprise]]\nurls = []\n",
        "[[alerts.email]]\nserver = \"smtp.example.com\"\nfrom = \"a@b.c\"\nto = [\"d@e.f\"]\ntls = \"maybe\"\n",
        "[[alerts.email]]\nserver = \"smtp.example.com\"\nfrom = \"nobody\"\nto = [\"d@e.f\"]\n",
        "[[alerts.escalate]]\nafter = \"30m\"\nchannel = \"boss\"\n",
        "[[alerts.maintenance]]\nname = \"x\"\n",
        "[keys.list]\nfly = \"f\"\n",
        "[keys.list]\nquit = []\n",
        "[keys.list]\nquit = \"hyper-q\"\n",
        "[keys.list]\nquit = 3\n",
        "[keys.nowhere]\nquit = \"q\"\n",
        "[[alerts.webhook]]\nurl = \"https://x.example\"\nformat = \"xml\"\n",
        "[[instance]\nid = \"a\"\n",
    ];
    let dir = tempfile::tempdir().unwrap();
    for (n, text) in cases.iter().enumerate() {
        let path = dir.path().join(format!("c{n}.toml"));
        std::fs::write(&path, text).unwrap();
        let err = crate::config::Config::load(&path).expect_err(text);
        let crate::config::ConfigError::At {
            line,
            column,
            message,
            ..
        } = &err
        else {
            panic!("{text}: not located: {err}");
        };
        let spanish = translate_config_message(message, Lang::Es);
        assert_ne!(&spanish, message, "{text}: no template for {message:?}");
        let left = english_words(&spanish);
        assert!(left.is_empty(), "{text}: {spanish:?} keeps {left:?}");
        assert!(*line >= 1 && *column >= 1);
    }
}

#[test]
fn the_english_word_check_sees_english() {
    assert_eq!(
        english_words("unknown field `colour`"),
        ["unknown", "field"]
    );
    assert!(english_words("campo desconocido `the field`").is_empty());
}
