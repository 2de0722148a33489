//! The templates of the parsers' own messages (serde, toml's syntax
//! errors): each English message as its producer writes it, and its
//! Spanish and Portuguese wording. Read before `reader`'s, in this order.

/// (English, Spanish, Portuguese). The English side must match the message
/// as its producer writes it.
pub(super) const PARSERS: &[(&str, &str, &str)] = &[
    // serde and toml
    (
        "unknown field `{f}`, expected one of {list}",
        "campo desconocido `{f}`; se esperaba uno de {list}",
        "campo desconhecido `{f}`; esperava-se um de {list}",
    ),
    (
        "unknown field `{f}`, expected {one}",
        "campo desconocido `{f}`; se esperaba {one}",
        "campo desconhecido `{f}`; esperava-se {one}",
    ),
    (
        "unknown field `{f}`, there are no fields",
        "campo desconocido `{f}`: aquí no hay campos",
        "campo desconhecido `{f}`: aqui não há campos",
    ),
    (
        "unknown variant `{v}`, expected one of {list}",
        "valor desconocido `{v}`; se esperaba uno de {list}",
        "valor desconhecido `{v}`; esperava-se um de {list}",
    ),
    (
        "missing field `{f}`",
        "falta el campo `{f}`",
        "falta o campo `{f}`",
    ),
    (
        "invalid type: map, expected a sequence: write [[account]] and [[instance]] with double brackets",
        "tipo no válido (una tabla donde se esperaba una lista): escriba [[account]] e [[instance]] con corchetes dobles",
        "tipo inválido (uma tabela onde se esperava uma lista): escreva [[account]] e [[instance]] com colchetes duplos",
    ),
    (
        "invalid type: {what}, expected a string",
        "tipo no válido: {what}; se esperaba texto entre comillas",
        "tipo inválido: {what}; esperava-se texto entre aspas",
    ),
    (
        "invalid type: {what}, expected a boolean",
        "tipo no válido: {what}; se esperaba true o false",
        "tipo inválido: {what}; esperava-se true ou false",
    ),
    (
        "invalid type: {what}, expected a sequence",
        "tipo no válido: {what}; se esperaba una lista [ … ]",
        "tipo inválido: {what}; esperava-se uma lista [ … ]",
    ),
    (
        "invalid type: {what}, expected u64",
        "tipo no válido: {what}; se esperaba un número entero no negativo",
        "tipo inválido: {what}; esperava-se um número inteiro não negativo",
    ),
    (
        "invalid type: {what}, expected usize",
        "tipo no válido: {what}; se esperaba un número entero no negativo",
        "tipo inválido: {what}; esperava-se um número inteiro não negativo",
    ),
    (
        "invalid type: {what}, expected u32",
        "tipo no válido: {what}; se esperaba un número entero no negativo",
        "tipo inválido: {what}; esperava-se um número inteiro não negativo",
    ),
    (
        "invalid type: {what}, expected {want}",
        "tipo no válido: {what}; se esperaba {want}",
        "tipo inválido: {what}; esperava-se {want}",
    ),
    (
        "invalid value: {what}, expected {want}",
        "valor no válido: {what}; se esperaba {want}",
        "valor inválido: {what}; esperava-se {want}",
    ),
    // toml's syntax errors: "what, expected what", the first part on its own
    (
        "duplicate key `{k}`",
        "clave repetida `{k}`",
        "chave repetida `{k}`",
    ),
    ("duplicate key", "clave repetida", "chave repetida"),
    (
        "invalid table header",
        "encabezado de tabla no válido",
        "cabeçalho de tabela inválido",
    ),
    ("invalid basic string", "texto no válido", "texto inválido"),
    (
        "invalid literal string",
        "texto literal no válido",
        "texto literal inválido",
    ),
    (
        "invalid multi-line basic string",
        "texto de varias líneas no válido",
        "texto de várias linhas inválido",
    ),
    ("invalid string", "texto no válido", "texto inválido"),
    ("invalid boolean", "booleano no válido", "booleano inválido"),
    (
        "invalid date-time",
        "fecha y hora no válidas",
        "data e hora inválidas",
    ),
    (
        "invalid float",
        "número decimal no válido",
        "número decimal inválido",
    ),
    (
        "invalid integer number",
        "número entero no válido",
        "número inteiro inválido",
    ),
    ("invalid number", "número no válido", "número inválido"),
    (
        "invalid inline table element",
        "elemento de tabla en línea no válido",
        "elemento de tabela em linha inválido",
    ),
    (
        "invalid inline table",
        "tabla en línea no válida",
        "tabela em linha inválida",
    ),
    ("invalid array", "lista no válida", "lista inválida"),
    (
        "invalid key-value pair",
        "par clave-valor no válido",
        "par chave-valor inválido",
    ),
    (
        "invalid unquoted key",
        "clave sin comillas no válida",
        "chave sem aspas inválida",
    ),
    ("invalid key", "clave no válida", "chave inválida"),
    ("invalid table", "tabla no válida", "tabela inválida"),
    ("invalid value", "valor no válido", "valor inválido"),
    (
        "invalid comment character",
        "carácter no válido en un comentario",
        "caractere inválido num comentário",
    ),
    (
        "missing assignment between key-value pairs",
        "falta el signo = entre clave y valor",
        "falta o sinal = entre chave e valor",
    ),
    (
        "missing comma between array elements",
        "falta una coma entre los elementos de la lista",
        "falta uma vírgula entre os elementos da lista",
    ),
    (
        "missing comma between key-value pairs",
        "falta una coma entre los pares clave-valor",
        "falta uma vírgula entre os pares chave-valor",
    ),
    (
        "missing value for key",
        "falta el valor de la clave",
        "falta o valor da chave",
    ),
    ("missing value", "falta el valor", "falta o valor"),
    (
        "missing opening quote",
        "falta la comilla inicial",
        "falta a aspa inicial",
    ),
    (
        "unclosed array table",
        "tabla de lista sin cerrar",
        "tabela de lista não fechada",
    ),
    (
        "unclosed inline table",
        "tabla en línea sin cerrar",
        "tabela em linha não fechada",
    ),
    ("unclosed array", "lista sin cerrar", "lista não fechada"),
    ("unclosed table", "tabla sin cerrar", "tabela não fechada"),
    (
        "unexpected content between comment and newline",
        "contenido inesperado tras el comentario",
        "conteúdo inesperado após o comentário",
    ),
    (
        "unexpected content",
        "contenido inesperado",
        "conteúdo inesperado",
    ),
    (
        "unexpected key or value",
        "clave o valor inesperado",
        "chave ou valor inesperado",
    ),
    (
        "string values must be quoted, expected literal string",
        "los textos deben ir entre comillas",
        "os textos devem ir entre aspas",
    ),
    (
        "{m}, expected {x}",
        "{m}; se esperaba {x}",
        "{m}; esperava-se {x}",
    ),
    (
        "expected {what}",
        "se esperaba {what}",
        "esperava-se {what}",
    ),
];
