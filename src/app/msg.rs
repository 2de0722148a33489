//! Everything that can happen to the dashboard, as one type: the engine's
//! messages (ticks, answers), terminal events, and the layout of the last
//! frame coming back from drawing.

use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::engine::msg::CoreMsg;
use crate::ui::Regions;

#[derive(Debug)]
pub enum Msg {
    /// A tick, an executor's answer, a reload: the engine's own messages.
    Core(CoreMsg),
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// SIGTERM, SIGHUP or another outside request to leave.
    Quit,
    /// A frame is about to be drawn: settle the visible order.
    Frame,
    /// Where the last frame put things (for mouse clicks and paging).
    Drawn(Regions),
    /// The terminal came back after a suspend: draw everything again.
    Resumed,
    /// The terminal's cell size in pixels changed (zoom): images follow.
    CellPixels((u16, u16)),
}

impl Msg {
    /// A tick that keeps the last wall-clock reading (tests, benches).
    pub fn tick(now: Instant) -> Msg {
        Msg::Core(CoreMsg::tick(now))
    }
}

impl From<CoreMsg> for Msg {
    fn from(msg: CoreMsg) -> Msg {
        Msg::Core(msg)
    }
}
