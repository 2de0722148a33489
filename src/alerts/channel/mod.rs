//! Channels beyond hooks and webhooks (issue 20): Apprise, Alertmanager,
//! email, and the Discord and ntfy webhook bodies; plus what every channel
//! shares: its matcher narrowing a group, its runbook line, and the masking
//! of the tokens its URLs hold.

pub mod alertmanager;
mod alertmanager_kept;
pub mod apprise;
pub mod email;
pub mod email_tls;
pub mod format;
pub mod scope;
pub mod secrets;
pub mod words;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::alerts::deliver::Channels;
    use crate::config::Config;

    #[test]
    fn a_dashboard_that_leaves_hooks_to_a_watcher_leaves_every_remote_channel() {
        let config = Config::parse_str(
            r#"
[alerts]
dashboard_hooks = false
runbook = "call {label}"
[[alerts.apprise]]
urls = ["json://127.0.0.1:1/x"]
[[alerts.alertmanager]]
url = "http://127.0.0.1:9093"
[[alerts.email]]
server = "localhost"
tls = "none"
from = "a@example.com"
to = ["b@example.com"]
"#,
            Path::new("wadash.toml"),
        )
        .unwrap();
        let dashboard = Channels::dashboard(&config.alerts);
        assert!(dashboard.apprise.is_empty() && dashboard.alertmanager.is_empty());
        assert!(dashboard.email.is_empty());
        let watch = Channels::unattended(&config.alerts);
        assert_eq!(
            (
                watch.apprise.len(),
                watch.alertmanager.len(),
                watch.email.len()
            ),
            (1, 1, 1)
        );
        assert_eq!(watch.runbook, "call {label}");
    }
}
