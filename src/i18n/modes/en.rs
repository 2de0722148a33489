use super::ModesStrings;

pub static EN: ModesStrings = ModesStrings {
    log_errors_word: "errors",
    this_row: "(this row)",
    marks_note: "With rows marked: {bulk} act on the marked rows; {row} edit only the row under the cursor.",
};
