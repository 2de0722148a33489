//! The templates of the config reader's own messages (accounts, keys,
//! sections, durations, alerts, channels, edits): each English message as
//! its producer writes it, and its Spanish and Portuguese wording.

/// (English, Spanish, Portuguese). The English side must match the message
/// as its producer writes it.
pub(super) const READER: &[(&str, &str, &str)] = &[
    // accounts and instances
    (
        "account name is empty",
        "el nombre de la cuenta está vacío",
        "o nome da conta está vazio",
    ),
    (
        "duplicate account name `{name}`; each [[account]] needs its own name",
        "nombre de cuenta repetido `{name}`; cada [[account]] necesita su propio nombre",
        "nome de conta repetido `{name}`; cada [[account]] precisa de um nome próprio",
    ),
    ("rate: {m}", "rate: {m}", "rate: {m}"),
    (
        "duplicate instance id `{id}`",
        "id de instancia repetido `{id}`",
        "id de instância repetido `{id}`",
    ),
    (
        "instance `{id}` names account `{a}`, which is not defined; known accounts: {list}",
        "la instancia `{id}` nombra la cuenta `{a}`, que no está definida; cuentas conocidas: {list}",
        "a instância `{id}` nomeia a conta `{a}`, que não está definida; contas conhecidas: {list}",
    ),
    (
        "instance `{id}` has no `account` and there are {n} accounts; add account = \"…\" (one of {list})",
        "la instancia `{id}` no tiene `account` y hay {n} cuentas; añada account = \"…\" (una de {list})",
        "a instância `{id}` não tem `account` e há {n} contas; adicione account = \"…\" (uma de {list})",
    ),
    (
        "instance `{id}` names account `{a}`, which is not defined",
        "la instancia `{id}` nombra la cuenta `{a}`, que no está definida",
        "a instância `{id}` nomeia a conta `{a}`, que não está definida",
    ),
    (
        "instance `{id}` has no account to use: add an [[account]] to the config, or pass --base-url and --api-key",
        "la instancia `{id}` no tiene cuenta que usar: añada una [[account]] a la configuración, o use --base-url y --api-key",
        "a instância `{id}` não tem conta para usar: adicione uma [[account]] à configuração, ou use --base-url e --api-key",
    ),
    (
        "instance `{id}` has no `account` and there are several accounts",
        "la instancia `{id}` no tiene `account` y hay varias cuentas",
        "a instância `{id}` não tem `account` e há várias contas",
    ),
    (
        "account `{name}` has no key: set exactly one of api_key, api_key_env or api_key_cmd",
        "la cuenta `{name}` no tiene clave: indique exactamente una de api_key, api_key_env o api_key_cmd",
        "a conta `{name}` não tem chave: defina exatamente uma de api_key, api_key_env ou api_key_cmd",
    ),
    (
        "{field} of account `{name}` is empty",
        "{field} de la cuenta `{name}` está vacío",
        "{field} da conta `{name}` está vazio",
    ),
    (
        "api_key of account `{name}` contains a control character (a line break?)",
        "api_key de la cuenta `{name}` contiene un carácter de control (¿un salto de línea?)",
        "api_key da conta `{name}` contém um caractere de controle (uma quebra de linha?)",
    ),
    (
        "api_key_env of account `{name}` must be a variable name (letters, digits, _), not {var}",
        "api_key_env de la cuenta `{name}` debe ser un nombre de variable (letras, dígitos, _), no {var}",
        "api_key_env da conta `{name}` deve ser um nome de variável (letras, dígitos, _), não {var}",
    ),
    (
        "account `{name}` sets both {a} and {b}: keep exactly one of api_key, api_key_env or api_key_cmd",
        "la cuenta `{name}` indica a la vez {a} y {b}: deje exactamente una de api_key, api_key_env o api_key_cmd",
        "a conta `{name}` define ao mesmo tempo {a} e {b}: mantenha exatamente uma de api_key, api_key_env ou api_key_cmd",
    ),
    (
        "instance id is empty",
        "el id de instancia está vacío",
        "o id da instância está vazio",
    ),
    (
        "instance id {id} contains spaces or control characters",
        "el id de instancia {id} contiene espacios o caracteres de control",
        "o id da instância {id} contém espaços ou caracteres de controle",
    ),
    // keys from the environment or a command
    (
        "the api key is empty",
        "la api key está vacía",
        "a api key está vazia",
    ),
    (
        "the api key contains control characters and cannot be sent in a header",
        "la api key contiene caracteres de control y no puede enviarse en una cabecera",
        "a api key contém caracteres de controle e não pode ser enviada num cabeçalho",
    ),
    (
        "environment variable {var} (api_key_env) is empty",
        "la variable de entorno {var} (api_key_env) está vacía",
        "a variável de ambiente {var} (api_key_env) está vazia",
    ),
    (
        "environment variable {var} (api_key_env) is not set",
        "la variable de entorno {var} (api_key_env) no está definida",
        "a variável de ambiente {var} (api_key_env) não está definida",
    ),
    (
        "environment variable {var} (api_key_env) is not valid UTF-8",
        "la variable de entorno {var} (api_key_env) no es UTF-8 válido",
        "a variável de ambiente {var} (api_key_env) não é UTF-8 válido",
    ),
    (
        "could not run api_key_cmd with sh: {e}",
        "no se pudo ejecutar api_key_cmd con sh: {e}",
        "não foi possível executar api_key_cmd com sh: {e}",
    ),
    (
        "api_key_cmd did not finish within {t}",
        "api_key_cmd no terminó en {t}",
        "api_key_cmd não terminou em {t}",
    ),
    (
        "api_key_cmd failed (exit status {code}): {rest}",
        "api_key_cmd falló (código de salida {code}): {rest}",
        "api_key_cmd falhou (código de saída {code}): {rest}",
    ),
    (
        "api_key_cmd failed (exit status {code})",
        "api_key_cmd falló (código de salida {code})",
        "api_key_cmd falhou (código de saída {code})",
    ),
    (
        "api_key_cmd failed (exit a signal)",
        "api_key_cmd falló (terminado por una señal)",
        "api_key_cmd falhou (terminado por um sinal)",
    ),
    (
        "api_key_cmd printed nothing on standard output",
        "api_key_cmd no escribió nada en la salida estándar",
        "api_key_cmd não escreveu nada na saída padrão",
    ),
    // [ui], [history], [theme], [keys], [views]
    (
        "unknown language {lang}: use one of {list}",
        "idioma desconocido {lang}: use uno de {list}",
        "idioma desconhecido {lang}: use um de {list}",
    ),
    (
        "concurrency must be between 1 and {n}",
        "concurrency debe estar entre 1 y {n}",
        "concurrency deve estar entre 1 e {n}",
    ),
    (
        "qr_graphics must be one of auto, kitty, sixel, iterm2, off",
        "qr_graphics debe ser auto, kitty, sixel, iterm2 u off",
        "qr_graphics deve ser auto, kitty, sixel, iterm2 ou off",
    ),
    (
        "history.path is empty",
        "history.path está vacío",
        "history.path está vazio",
    ),
    (
        "history.path: no home directory",
        "history.path: no hay carpeta personal",
        "history.path: não há pasta pessoal",
    ),
    (
        "{field} must be greater than zero (turn flapping off with flap_changes = 0)",
        "{field} debe ser mayor que cero (desactive el aviso de inestabilidad con flap_changes = 0)",
        "{field} deve ser maior que zero (desative o aviso de instabilidade com flap_changes = 0)",
    ),
    (
        "{field} must be greater than zero",
        "{field} debe ser mayor que cero",
        "{field} deve ser maior que zero",
    ),
    (
        "{field}: invalid duration {text} ({m}); write it like {a}, {b} or {c}",
        "{field}: duración no válida {text} ({m}); escríbala como {a}, {b} o {c}",
        "{field}: duração inválida {text} ({m}); escreva-a como {a}, {b} ou {c}",
    ),
    (
        "{field}: invalid duration {text} ({m}); write it like {a}",
        "{field}: duración no válida {text} ({m}); escríbala como {a}",
        "{field}: duração inválida {text} ({m}); escreva-a como {a}",
    ),
    // humantime's reasons, quoted in the duration messages
    (
        "unknown time unit {u}, supported units: {list} (and few variations)",
        "unidad de tiempo desconocida {u}; unidades admitidas: {list}",
        "unidade de tempo desconhecida {u}; unidades aceitas: {list}",
    ),
    (
        "time unit needed, for example {a} or {b}",
        "falta la unidad de tiempo, por ejemplo {a} o {b}",
        "falta a unidade de tempo, por exemplo {a} ou {b}",
    ),
    (
        "expected number at {n}",
        "se esperaba un número en la posición {n}",
        "esperava-se um número na posição {n}",
    ),
    (
        "value was empty",
        "el valor está vacío",
        "o valor está vazio",
    ),
    (
        "number is too large",
        "el número es demasiado grande",
        "o número é grande demais",
    ),
    (
        "unknown theme preset {p}: use one of {list}",
        "tema predefinido desconocido {p}: use uno de {list}",
        "tema predefinido desconhecido {p}: use um de {list}",
    ),
    (
        "unknown theme key `{k}`: use preset, or one of {list}",
        "clave de tema desconocida `{k}`: use preset, o una de {list}",
        "chave de tema desconhecida `{k}`: use preset, ou uma de {list}",
    ),
    (
        "bad colour {c}: write #rrggbb with six hex digits",
        "color no válido {c}: escriba #rrggbb con seis dígitos hexadecimales",
        "cor inválida {c}: escreva #rrggbb com seis dígitos hexadecimais",
    ),
    (
        "unknown colour {c}: use a name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, white, light… as lightred), #rrggbb, or 0–255",
        "color desconocido {c}: use un nombre (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, white, light… como lightred), #rrggbb, o 0–255",
        "cor desconhecida {c}: use um nome (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, white, light… como lightred), #rrggbb, ou 0–255",
    ),
    (
        "unknown mode `{mode}` in [keys.{m2}]: use one of {list}",
        "modo desconocido `{mode}` en [keys.{m2}]: use uno de {list}",
        "modo desconhecido `{mode}` em [keys.{m2}]: use um de {list}",
    ),
    (
        "[keys.{mode}] {action}: expected a key like \"ctrl-q\" or a list of them, found {found}",
        "[keys.{mode}] {action}: se esperaba una tecla como \"ctrl-q\" o una lista de ellas; se encontró {found}",
        "[keys.{mode}] {action}: esperava-se uma tecla como \"ctrl-q\" ou uma lista delas; encontrou-se {found}",
    ),
    (
        "unknown column `{c}` in ui.columns: use some of {list}",
        "columna desconocida `{c}` en ui.columns: use algunas de {list}",
        "coluna desconhecida `{c}` em ui.columns: use algumas de {list}",
    ),
    (
        "unknown sort `{s}` in a view: use one of {list}",
        "orden desconocido `{s}` en una vista: use uno de {list}",
        "ordem desconhecida `{s}` numa vista: use uma de {list}",
    ),
    // [alerts]
    (
        "alerts.{field} must be between {min} and {max}",
        "alerts.{field} debe estar entre {min} y {max}",
        "alerts.{field} deve estar entre {min} e {max}",
    ),
    (
        "alerts.runbook is empty",
        "alerts.runbook está vacío",
        "alerts.runbook está vazio",
    ),
    (
        "alerts.hook command is empty: write the program and its arguments, e.g. {example}",
        "la orden de alerts.hook está vacía: escriba el programa y sus argumentos, p. ej. {example}",
        "o comando de alerts.hook está vazio: escreva o programa e seus argumentos, p. ex. {example}",
    ),
    (
        "alerts.hook command names no program",
        "la orden de alerts.hook no nombra ningún programa",
        "o comando de alerts.hook não nomeia nenhum programa",
    ),
    (
        "alerts.hook argument {arg}: {m}",
        "argumento de alerts.hook {arg}: {m}",
        "argumento de alerts.hook {arg}: {m}",
    ),
    (
        "{tail} opens a brace that nothing closes: write {{{{ for a literal {{",
        "{tail} abre una llave que nada cierra: escriba {{{{ para una llave literal",
        "{tail} abre uma chave que nada fecha: escreva {{{{ para uma chave literal",
    ),
    (
        "{whole} is not a placeholder: use {list} (and {{{{ for a literal {{)",
        "{whole} no es un marcador: use {list} (y {{{{ para una llave literal)",
        "{whole} não é um marcador: use {list} (e {{{{ para uma chave literal)",
    ),
    (
        "alerts.webhook url is not a URL ({e})",
        "la url de alerts.webhook no es una URL ({e})",
        "a url de alerts.webhook não é uma URL ({e})",
    ),
    (
        "alerts.webhook url must be an http:// or https:// address",
        "la url de alerts.webhook debe ser una dirección http:// o https://",
        "a url de alerts.webhook deve ser um endereço http:// ou https://",
    ),
    (
        "alerts.webhook format {f} is not known: use \"json\", \"slack\", \"discord\" or \"ntfy\"",
        "el formato {f} de alerts.webhook no se conoce: use \"json\", \"slack\", \"discord\" o \"ntfy\"",
        "o formato {f} de alerts.webhook não é conhecido: use \"json\", \"slack\", \"discord\" ou \"ntfy\"",
    ),
    (
        "alerts.escalate after must be greater than zero",
        "alerts.escalate after debe ser mayor que cero",
        "alerts.escalate after deve ser maior que zero",
    ),
    (
        "alerts.maintenance: give either every, or start and end, not both",
        "alerts.maintenance: indique every, o start y end, no ambos",
        "alerts.maintenance: defina every, ou start e end, não ambos",
    ),
    (
        "alerts.maintenance: a one-off window needs both start and end",
        "alerts.maintenance: un periodo único necesita start y end",
        "alerts.maintenance: um período único precisa de start e end",
    ),
    (
        "alerts.maintenance: say when, with every = \"sun 02:00-04:00\" or start and end",
        "alerts.maintenance: indique cuándo, con every = \"sun 02:00-04:00\" o start y end",
        "alerts.maintenance: diga quando, com every = \"sun 02:00-04:00\" ou start e end",
    ),
    // alert channels, escalation and maintenance
    (
        "alerts.{kind}: write `match` or `only`, not both (they mean the same)",
        "alerts.{kind}: escriba `match` u `only`, no ambos (significan lo mismo)",
        "alerts.{kind}: escreva `match` ou `only`, não ambos (significam o mesmo)",
    ),
    (
        "alerts.{kind} name is empty",
        "el nombre de alerts.{kind} está vacío",
        "o nome de alerts.{kind} está vazio",
    ),
    (
        "alerts.{kind} name {text} is already used by another channel",
        "el nombre {text} de alerts.{kind} ya lo usa otro canal",
        "o nome {text} de alerts.{kind} já é usado por outro canal",
    ),
    (
        "alerts.apprise urls is empty: list Apprise URLs such as {a} or {b}",
        "alerts.apprise urls está vacío: indique URLs de Apprise como {a} o {b}",
        "alerts.apprise urls está vazio: liste URLs do Apprise como {a} ou {b}",
    ),
    (
        "alerts.apprise url #{n} is not an Apprise URL (scheme://…, no spaces)",
        "la url n.º {n} de alerts.apprise no es una URL de Apprise (esquema://…, sin espacios)",
        "a url n.º {n} de alerts.apprise não é uma URL do Apprise (esquema://…, sem espaços)",
    ),
    (
        "alerts.alertmanager url is not a URL ({e})",
        "la url de alerts.alertmanager no es una URL ({e})",
        "a url de alerts.alertmanager não é uma URL ({e})",
    ),
    (
        "alerts.alertmanager url must be an http:// or https:// address, e.g. {ex}",
        "la url de alerts.alertmanager debe ser una dirección http:// o https://, p. ej. {ex}",
        "a url de alerts.alertmanager deve ser um endereço http:// ou https://, p. ex. {ex}",
    ),
    (
        "alerts.alertmanager resend must be a duration of at least 1s, like {ex}",
        "alerts.alertmanager resend debe ser una duración de al menos 1s, como {ex}",
        "alerts.alertmanager resend deve ser uma duração de pelo menos 1s, como {ex}",
    ),
    (
        "alerts.email server must be a host name, e.g. {ex}",
        "alerts.email server debe ser un nombre de servidor, p. ej. {ex}",
        "alerts.email server deve ser um nome de servidor, p. ex. {ex}",
    ),
    (
        "alerts.email tls {v} is not known: use {a}, {b} or {c}",
        "alerts.email tls {v} no se conoce: use {a}, {b} o {c}",
        "alerts.email tls {v} não é conhecido: use {a}, {b} ou {c}",
    ),
    (
        "alerts.email tls = {v} is only allowed for a server on this machine (localhost, 127.0.0.1, ::1)",
        "alerts.email tls = {v} solo se permite para un servidor en esta máquina (localhost, 127.0.0.1, ::1)",
        "alerts.email tls = {v} só é permitido para um servidor nesta máquina (localhost, 127.0.0.1, ::1)",
    ),
    (
        "alerts.email port must be between 1 and 65535",
        "alerts.email port debe estar entre 1 y 65535",
        "alerts.email port deve estar entre 1 e 65535",
    ),
    (
        "alerts.email: write password_env or password_cmd, not both",
        "alerts.email: escriba password_env o password_cmd, no ambos",
        "alerts.email: escreva password_env ou password_cmd, não ambos",
    ),
    (
        "alerts.email: username and password_env/password_cmd go together",
        "alerts.email: username y password_env/password_cmd van juntos",
        "alerts.email: username e password_env/password_cmd andam juntos",
    ),
    (
        "alerts.email from {v} is not an address",
        "alerts.email from {v} no es una dirección",
        "alerts.email from {v} não é um endereço",
    ),
    (
        "alerts.email to is empty",
        "alerts.email to está vacío",
        "alerts.email to está vazio",
    ),
    (
        "alerts.email to {v} is not an address",
        "alerts.email to {v} no es una dirección",
        "alerts.email to {v} não é um endereço",
    ),
    ("only: {m}", "only: {m}", "only: {m}"),
    ("match: {m}", "match: {m}", "match: {m}"),
    (
        "alerts.escalate channel {c} names no channel: give a hook, webhook, apprise, alertmanager or email channel name = {c2} (named now: {list})",
        "alerts.escalate channel {c} no nombra ningún canal: dé a un canal hook, webhook, apprise, alertmanager o email name = {c2} (con nombre ahora: {list})",
        "alerts.escalate channel {c} não nomeia nenhum canal: dê a um canal hook, webhook, apprise, alertmanager ou email name = {c2} (com nome agora: {list})",
    ),
    (
        "alerts.escalate channel {c} names no channel: give a hook, webhook, apprise, alertmanager or email channel name = {c2}",
        "alerts.escalate channel {c} no nombra ningún canal: dé a un canal hook, webhook, apprise, alertmanager o email name = {c2}",
        "alerts.escalate channel {c} não nomeia nenhum canal: dê a um canal hook, webhook, apprise, alertmanager ou email name = {c2}",
    ),
    (
        "alerts.maintenance only: {m}",
        "alerts.maintenance only: {m}",
        "alerts.maintenance only: {m}",
    ),
    (
        "unknown action `{a}` in [keys.{mode}]; its actions are: {list}",
        "acción desconocida `{a}` en [keys.{mode}]; sus acciones son: {list}",
        "ação desconhecida `{a}` em [keys.{mode}]; suas ações são: {list}",
    ),
    (
        "[keys.{mode}] {a} has no keys: give one key or a list",
        "[keys.{mode}] {a} no tiene teclas: indique una tecla o una lista",
        "[keys.{mode}] {a} não tem teclas: indique uma tecla ou uma lista",
    ),
    (
        "[keys.{mode}] {a}: `{k}` would stop that character from being typed; use a key with ctrl- or alt-, or a named key (enter, esc, f1…)",
        "[keys.{mode}] {a}: `{k}` impediría escribir ese carácter; use una tecla con ctrl- o alt-, o una tecla con nombre (enter, esc, f1…)",
        "[keys.{mode}] {a}: `{k}` impediria digitar esse caractere; use uma tecla com ctrl- ou alt-, ou uma tecla com nome (enter, esc, f1…)",
    ),
    (
        "[keys.{mode}] {a}: {m}",
        "[keys.{mode}] {a}: {m}",
        "[keys.{mode}] {a}: {m}",
    ),
    (
        "unknown modifier `{h}` in {t} (use ctrl, alt or shift)",
        "modificador desconocido `{h}` en {t} (use ctrl, alt o shift)",
        "modificador desconhecido `{h}` em {t} (use ctrl, alt ou shift)",
    ),
    (
        "{t} has a modifier but no key",
        "{t} tiene un modificador pero ninguna tecla",
        "{t} tem um modificador mas nenhuma tecla",
    ),
    (
        "unknown key {k} in {t}: write one character, or enter, esc, tab, backtab, space, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, f1…f12, with ctrl-, alt-, shift- before it",
        "tecla desconocida {k} en {t}: escriba un carácter, o enter, esc, tab, backtab, space, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, f1…f12, con ctrl-, alt-, shift- delante",
        "tecla desconhecida {k} em {t}: escreva um caractere, ou enter, esc, tab, backtab, space, backspace, delete, insert, up, down, left, right, home, end, pageup, pagedown, f1…f12, com ctrl-, alt-, shift- antes",
    ),
    (
        "`{k}` is also the key of `{a}` in this mode; rebind that one too",
        "`{k}` también es la tecla de `{a}` en este modo; cámbiela también",
        "`{k}` também é a tecla de `{a}` neste modo; troque-a também",
    ),
    // editing the file (instances add/remove)
    (
        "instance `{id}` is already in the config",
        "la instancia `{id}` ya está en la configuración",
        "a instância `{id}` já está na configuração",
    ),
    (
        "there is no account named `{name}` in the config",
        "no hay ninguna cuenta llamada `{name}` en la configuración",
        "não há nenhuma conta chamada `{name}` na configuração",
    ),
    (
        "the config has several accounts: say which one this instance uses",
        "la configuración tiene varias cuentas: indique cuál usa esta instancia",
        "a configuração tem várias contas: diga qual esta instância usa",
    ),
    (
        "`instance` is not an array of tables; edit the file by hand",
        "`instance` no es una lista de tablas; edite el archivo a mano",
        "`instance` não é uma lista de tabelas; edite o arquivo à mão",
    ),
    (
        "refusing to save a config that does not load: {m}",
        "no se guarda una configuración que no se puede cargar: {m}",
        "não se salva uma configuração que não carrega: {m}",
    ),
    (
        "refusing to overwrite a file that does not load; fix it first: {m}",
        "no se sobrescribe un archivo que no se puede cargar; corríjalo primero: {m}",
        "não se sobrescreve um arquivo que não carrega; corrija-o primeiro: {m}",
    ),
    (
        "{path} is readable by other users (mode {mode}) and holds an api key; run: chmod 600 {p2}",
        "{path} lo pueden leer otros usuarios (modo {mode}) y contiene una api key; ejecute: chmod 600 {p2}",
        "{path} pode ser lido por outros usuários (modo {mode}) e contém uma api key; execute: chmod 600 {p2}",
    ),
    (
        "larger than {n} KiB: not a {what}",
        "más de {n} KiB: no es {what}",
        "mais de {n} KiB: não é {what}",
    ),
    (
        "another wadash is still changing {path} (waited {s} s for {who}); nothing was changed, try again",
        "otro wadash sigue modificando {path} (se esperó {s} s a {who}); no se cambió nada, inténtelo de nuevo",
        "outro wadash ainda está alterando {path} (esperou-se {s} s por {who}); nada foi alterado, tente de novo",
    ),
    (
        "cannot lock {path}: {e}",
        "no se puede bloquear {path}: {e}",
        "não é possível bloquear {path}: {e}",
    ),
    (
        "cannot open {path}: {e}",
        "no se puede abrir {path}: {e}",
        "não é possível abrir {path}: {e}",
    ),
    // what an Io error was doing (`could not {action}`)
    (
        "read the config file",
        "leer el archivo de configuración",
        "ler o arquivo de configuração",
    ),
    (
        "write the config file",
        "escribir el archivo de configuración",
        "escrever o arquivo de configuração",
    ),
    (
        "lock the config file",
        "bloquear el archivo de configuración",
        "bloquear o arquivo de configuração",
    ),
    (
        "read the symlink",
        "leer el enlace simbólico",
        "ler o link simbólico",
    ),
];
