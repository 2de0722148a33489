//! `S` in the QR pane: ask the worker for a one-time share link, and show
//! it in the pane when it comes.

use crate::app::modes::Mode;
use crate::app::state::{App, FlashKind};
use crate::engine::effect::Effect;
use crate::engine::pairing::qr_pane::Stage;

/// A link only while there is something to scan; one per pane.
pub fn share_key(app: &mut App, effects: &mut Vec<Effect>) {
    let (lang, refresh) = (app.lang, app.qr_refresh);
    let Mode::Qr(pane) = &mut app.mode else {
        return;
    };
    if pane.stage != Stage::Waiting || matches!(pane.share, Some(Ok(_))) {
        return;
    }
    effects.push(Effect::Share {
        instance: pane.instance.clone(),
        label: pane.label.clone(),
        account: pane.account,
        lang,
        refresh,
    });
}

pub fn on_share_opened(app: &mut App, instance: &str, result: Result<String, String>) {
    if let Err(e) = &result {
        app.flash(e.clone(), FlashKind::Error, crate::app::modes::FLASH * 2);
    }
    if let Mode::Qr(pane) = &mut app.mode
        && pane.instance == instance
    {
        pane.share = Some(result);
    }
    app.dirty = true;
}
