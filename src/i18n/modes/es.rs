use super::ModesStrings;

pub static ES: ModesStrings = ModesStrings {
    log_errors_word: "errores",
    this_row: "(esta fila)",
    marks_note: "Con filas marcadas: {bulk} actúan sobre las filas marcadas; {row} editan solo la fila del cursor.",
};
