//! `wadash qr --wait ID1 ID2 …`: the dashboard's reconnect queue run
//! headless, one instance's code after another, then a summary.

use std::time::Instant;

use super::{Screen, check_png_target, wait_for_link};
use crate::api::{Client, InstanceStatus};
use crate::cli::args::{GlobalArgs, QrArgs};
use crate::cli::context::Context;
use crate::cli::{CliError, Outcome};

/// `wadash qr --wait ID1 ID2 …`: the dashboard's reconnect queue, headless:
/// each instance's code until it links (or `--wait-max` passes for it),
/// then the next; a summary at the end. Exit 0 when all linked (or were
/// active), 1 otherwise.
pub(super) async fn run_queue(global: &GlobalArgs, args: &QrArgs) -> Result<Outcome, CliError> {
    use crate::engine::pairing::reconnect_queue::{
        Outcome as Done, QueueItem, ReconnectQueue, Words,
    };
    if !args.wait {
        return Err(CliError(
            crate::i18n::strings().cli.qr_several_need_wait.into(),
        ));
    }
    let ids: Vec<String> = std::iter::once(args.id.clone())
        .chain(args.more.iter().cloned())
        .collect();
    let ctx = Context::load_for(global, &ids).await?;
    ctx.print_notices();
    check_png_target(&ctx, args)?;
    let mut items = Vec::new();
    for id in &ids {
        let (inst, _) = ctx.find(id)?;
        items.push(QueueItem {
            id: inst.id.clone(),
            label: inst.label.clone(),
            account: inst.account,
        });
    }
    let mut queue = ReconnectQueue::new(items);
    let client = Client::new();
    let mut screen = Screen::new(ctx.qr_graphics(global));
    while let Some(item) = queue.current().cloned() {
        let (inst, account) = ctx.find(&item.id)?;
        crate::say!(
            "[{}] {} ({})",
            queue.progress(&Words::from_strings(crate::i18n::strings())),
            inst.label,
            inst.id
        );
        screen.rows_drawn = 0;
        let started = Instant::now();
        let done = if client
            .status(account, &inst.id)
            .await
            .is_ok_and(|s| s.status == InstanceStatus::Active)
        {
            Done::AlreadyActive
        } else {
            match wait_for_link(&ctx, &client, account, inst, args, &mut screen).await {
                Ok(Outcome::Ok) => Done::Linked {
                    took: started.elapsed(),
                },
                Ok(Outcome::NotActive) => {
                    Done::Failed(crate::i18n::strings().cli.qr_not_linked_in_time.into())
                }
                Err(e) => Done::Failed(e.0),
            }
        };
        queue.resolve(done);
    }
    for line in queue.summary(&Words::from_strings(crate::i18n::strings())) {
        crate::say!("{}", line);
    }
    let c = queue.counts();
    Ok(if c.linked + c.already == queue.len() {
        Outcome::Ok
    } else {
        Outcome::NotActive
    })
}
