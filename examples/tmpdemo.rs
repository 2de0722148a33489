use std::time::Duration;
use wadash::config::{Roster, RosterInstance};
#[tokio::main]
async fn main() {
    let mut opts = wadash::sandbox::SandboxOptions::for_tests();
    opts.instances = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let sb = wadash::sandbox::start(opts).await.unwrap();
    let account = wadash::api::Account::new(
        "demo",
        &sb.base_url(),
        wadash::secret::Secret::new(sb.api_key.clone()),
        false,
    )
    .unwrap();
    let roster = Roster {
        accounts: vec![account],
        instances: sb
            .instances
            .iter()
            .map(|d| RosterInstance {
                id: d.id.clone(),
                label: d.label.clone(),
                account: 0,
                tags: d.tags.clone(),
            })
            .collect(),
    };
    let lang = wadash::i18n::Lang::choose(None, None, &|v| std::env::var(v).ok());
    let r = wadash::dashboard::run(wadash::dashboard::DashboardOptions {
        roster,
        config_path: None,
        memory_path: None,
        lang,
        interval: Duration::from_secs(10),
        concurrency: 16,
        bell: true,
        read_only: false,
        qr_refresh: Duration::from_secs(20),
        notice: None,
        log_path: None,
    })
    .await;
    println!("exit: {r:?}");
}
