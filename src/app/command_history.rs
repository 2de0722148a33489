//! The `:` line's history: Up recalls older lines, Down newer ones, as in
//! a shell. Kept for the session only.

const KEEP: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct CommandHistory {
    entries: Vec<String>,
    /// Which entry Up/Down is showing (None: the line being typed).
    pos: Option<usize>,
    /// What was typed before Up, given back by Down past the newest.
    draft: String,
}

impl CommandHistory {
    /// A line was run: remember it (once, newest last) and stop recalling.
    pub fn push(&mut self, line: &str) {
        self.pos = None;
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        self.entries.retain(|e| e != line);
        self.entries.push(line.to_string());
        if self.entries.len() > KEEP {
            self.entries.remove(0);
        }
    }

    /// Up: the previous line, if any (`typed` is kept to come back to).
    pub fn older(&mut self, typed: &str) -> Option<&str> {
        let next = match self.pos {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = typed.to_string();
                self.entries.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.pos = Some(next);
        Some(&self.entries[next])
    }

    /// Down: the next newer line, or what was being typed.
    pub fn newer(&mut self) -> Option<&str> {
        let i = self.pos?;
        if i + 1 < self.entries.len() {
            self.pos = Some(i + 1);
            Some(&self.entries[i + 1])
        } else {
            self.pos = None;
            Some(&self.draft)
        }
    }

    /// A new `:` line opened: start from the bottom again.
    pub fn reset(&mut self) {
        self.pos = None;
        self.draft.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::CommandHistory;

    #[test]
    fn up_and_down_walk_the_lines_and_come_back_to_the_draft() {
        let mut h = CommandHistory::default();
        assert_eq!(h.older("x"), None);
        h.push("sort latency");
        h.push("filter tag:peru");
        h.push("sort latency");
        assert_eq!(
            h.older("dra").map(str::to_string),
            Some("sort latency".into())
        );
        assert_eq!(
            h.older("").map(str::to_string),
            Some("filter tag:peru".into())
        );
        assert_eq!(
            h.older("").map(str::to_string),
            Some("filter tag:peru".into())
        );
        assert_eq!(h.newer().map(str::to_string), Some("sort latency".into()));
        assert_eq!(h.newer().map(str::to_string), Some("dra".into()));
        assert_eq!(h.newer(), None);
    }
}
