//! QR codes: from the API's `QR` value to a code a phone can scan off the terminal.
//!
//! The pipeline: [`decode_payload`] turns the value (data URL, base64 image,
//! or base64 text) into the pairing text; [`encode`] makes a fresh module
//! grid (error correction L, smallest version); [`choose`] picks a drawing
//! mode for the space available; [`draw`] turns modules into glyph lines;
//! [`QrWidget`] puts them on screen, [`Drawing::to_ansi`] on stdout, and
//! [`to_png`] into a file.
//!
//! # Drawing modes
//! - **half**: `█ ▀ ▄` and space, 1×2 modules per cell. Every font has these.
//!   A WhatsApp pairing code (version 9–10) needs about 61×31 cells.
//! - **compact**: Unicode sextants (U+1FB00–U+1FB3B, "Symbols for Legacy
//!   Computing") plus `▌ ▐ █` and space, 2×3 modules per cell: the same code
//!   in about 31×21 cells, so it fits 80×24.
//!
//! Light modules are the glyphs, so the default light-on-dark terminal shows
//! the right polarity even without colour; explicit colours (white on black)
//! keep it right on light themes; invert swaps which modules are glyphs.
//!
//! # When the font lacks sextants
//! A font without the "Symbols for Legacy Computing" block shows the compact
//! code as boxes, question marks or blank gaps instead of a clean pattern
//! of small blocks: the code looks broken and no phone reads it. Check with
//! `printf '\U0001FB00\U0001FB0B\U0001FB3B\n'` (three small block shapes
//! expected). The fix is to press `m` in the QR pane (or run
//! `wadash qr ID --mode half`) to draw with half blocks, enlarging the
//! terminal if asked. Terminals that draw block characters themselves
//! (kitty, WezTerm, foot) and fonts that carry the block (Cascadia Code,
//! Iosevka) show compact codes correctly.

pub mod ansi_image;
pub mod camera;
mod decode;
mod draw;
mod encode;
mod error;
mod glyphs;
pub mod image;
mod layout;
pub mod placement;
mod png;
mod readback;
pub mod viewer;
mod widget;

pub use decode::decode_payload;
pub use draw::{Drawing, draw};
pub use encode::{Modules, encode};
pub use error::QrError;
pub use layout::{
    DrawMode, Fit, ModeChoice, QUIET, QUIET_TIGHT, cells_needed, choose, describe_sizes,
    enlarge_sizes,
};
pub use png::{PNG_SCALE, to_png};
pub use readback::{decode_buffer, decode_lines};
pub use widget::QrWidget;
