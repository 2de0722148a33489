use super::ModesStrings;

pub static PT: ModesStrings = ModesStrings {
    log_errors_word: "erros",
    this_row: "(esta linha)",
    marks_note: "Com linhas marcadas: {bulk} agem nas linhas marcadas; {row} editam só a linha do cursor.",
};
