//! A local server implementing the API contract with state: for the demo,
//! the tests and the benchmarks. `/api/config/*` behaves like the vendor's
//! service (seed texts, both answer shapes, three QR forms, image decoding);
//! `/_sandbox/*` lets a test read state, play the phone and inject faults.

mod api;
mod app;
mod control;
mod demo;
pub mod faults;
mod flap;
mod pairing;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use demo::{DemoInstance, instance_id as demo_instance_id};

use faults::FaultSettings;

/// `wadash sandbox` flags (the CLI flattens these).
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxOptions {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Number of demo instances.
    #[arg(long, default_value_t = 6)]
    pub instances: usize,
    /// The api key clients must send (default: a generated one, printed at start).
    #[arg(long)]
    pub api_key: Option<String>,
    /// Form of the `QR` value: PNG data URL, bare base64 PNG, or base64 of the pairing text.
    #[arg(long, value_enum, default_value = "dataurl")]
    pub qr: QrFormat,
    /// Answer shape: `{"success":…}` or `{"200":{"success":…}}` as the vendor's page shows.
    #[arg(long, value_enum, default_value = "wrapped")]
    pub shape: Shape,
    /// How often an unlinked instance gets a new pairing code.
    #[arg(long, default_value = "20s", value_parser = humantime::parse_duration)]
    pub qr_rotate: Duration,
    /// Every pairing code at its longest (about 234 characters, a version 10
    /// QR): the worst case for fitting a terminal, instead of a random length.
    #[arg(long)]
    pub qr_longest: bool,
    /// Delay before every /api/ answer, in ms.
    #[arg(long, default_value_t = 0)]
    pub latency: u64,
    /// Extra random delay, 0..=jitter ms.
    #[arg(long, default_value_t = 0)]
    pub jitter: u64,
    /// Probability (0..=1) that an /api/ request gets `--fault` (default with
    /// `--fault`: 1, every request).
    #[arg(long, requires = "fault")]
    pub fault_rate: Option<f64>,
    /// The failure to inject.
    #[arg(long, value_enum)]
    pub fault: Option<Fault>,
    /// Share of instances active at start.
    #[arg(long, default_value_t = 0.5)]
    pub active_ratio: f64,
    /// Linked instances drop and relink at random: the chance per instance per
    /// minute (0.2 ≈ one drop each 5 min); most back in 5–30 s, some in 1–5 min.
    #[arg(long, default_value_t = 0.0, value_name = "RATE")]
    pub flap: f64,
}

impl SandboxOptions {
    /// The clap defaults on any free loopback port: 6 instances, no latency, no faults.
    pub fn for_tests() -> Self {
        #[derive(clap::Parser)]
        struct Defaults {
            #[command(flatten)]
            options: SandboxOptions,
        }
        let parsed =
            <Defaults as clap::Parser>::try_parse_from(["sandbox", "--listen", "127.0.0.1:0"]);
        parsed.expect("the sandbox's own defaults parse").options
    }

    /// `--fault` alone means every request; `--fault-rate` without a fault is refused.
    fn fault_settings(&self) -> Result<FaultSettings, String> {
        let rate = match (self.fault_rate, self.fault) {
            (Some(rate), Some(_)) => rate,
            (None, Some(_)) => 1.0,
            (Some(rate), None) if rate != 0.0 => {
                return Err("--fault-rate needs --fault (which failure to inject)".into());
            }
            (_, None) => 0.0,
        };
        let settings = FaultSettings {
            rate,
            fault: self.fault,
            latency_ms: self.latency,
            jitter_ms: self.jitter,
            ..FaultSettings::default()
        };
        settings.validate()?;
        Ok(settings)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QrFormat {
    /// `data:image/png;base64,…`
    Dataurl,
    /// Bare base64 of a PNG.
    Png,
    /// Base64 of the pairing text itself.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shape {
    Plain,
    Wrapped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Never answer.
    Hang,
    /// 502 with an nginx HTML page.
    #[value(name = "http502-html")]
    #[serde(rename = "http502-html")]
    Http502Html,
    /// 200, then the connection ends mid-body.
    Truncated,
    /// A ~12 MiB 200 answer.
    Huge,
    /// 200 with a text/plain body.
    NotJson,
    /// Connection dropped with no answer.
    Reset,
    /// HTTP 500 whose error text echoes the request headers (the key among
    /// them, raw and as `Bearer …`), as a misconfigured proxy might.
    EchoHeaders,
    /// HTTP 500 whose error text holds terminal escapes: OSC window title,
    /// clear screen, BEL, colours, a bidi override.
    ControlChars,
}

/// A sandbox serving on the current tokio runtime.
pub struct RunningSandbox {
    pub addr: SocketAddr,
    pub api_key: String,
    pub instances: Vec<DemoInstance>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningSandbox {
    /// `http://addr` (an unspecified listen address is reached via loopback).
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(if addr.is_ipv4() {
                std::net::Ipv4Addr::LOCALHOST.into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        format!("http://{addr}")
    }

    /// Stop accepting, end hanging answers, wait (briefly) for open connections.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(mut task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
        {
            task.abort();
        }
    }
}

impl Drop for RunningSandbox {
    /// A sandbox dropped without `shutdown` still stops serving.
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Bind, spawn the server on the current runtime, return at once.
pub async fn start(opts: SandboxOptions) -> std::io::Result<RunningSandbox> {
    let invalid = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, msg);
    let fault_settings = opts.fault_settings().map_err(invalid)?;
    flap::validate(opts.flap).map_err(invalid)?;
    if opts.qr_rotate.is_zero() {
        return Err(invalid("--qr-rotate must be longer than 0".into()));
    }
    let api_key = match opts.api_key {
        Some(key) if !key.is_empty() => key,
        Some(_) => return Err(invalid("--api-key is empty".into())),
        None => demo::generate_api_key(),
    };

    let instances = demo::demo_instances(opts.instances, opts.active_ratio);
    let now = Instant::now();
    let states = instances
        .iter()
        .map(|d| {
            let state = state::InstanceState::new(
                d.id.clone(),
                d.label.clone(),
                d.tags.clone(),
                d.active,
                now,
            );
            if opts.qr_longest {
                state.with_longest_qr()
            } else {
                state
            }
        })
        .collect();
    let (stop, stopped) = watch::channel(false);
    let shared = Arc::new(app::Shared::new(
        api_key.clone(),
        opts.shape,
        opts.qr,
        state::Store::new(states, opts.qr_rotate),
        fault_settings,
        stopped.clone(),
    ));

    let listener = tokio::net::TcpListener::bind(opts.listen).await?;
    let addr = listener.local_addr()?;
    if opts.flap > 0.0 {
        tokio::spawn(flap_task(shared.clone(), opts.flap, stopped.clone()));
    }
    let router = app::router(shared);
    let mut stopped_signal = stopped;
    let task = tokio::spawn(async move {
        // The peer address lets the control routes refuse other machines.
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped_signal.wait_for(|stop| *stop).await;
        })
        .await
    });
    Ok(RunningSandbox {
        addr,
        api_key,
        instances,
        stop,
        task: Some(task),
    })
}

/// Drops and relinks instances every second until the sandbox stops.
async fn flap_task(shared: Arc<app::Shared>, rate: f64, mut stopped: watch::Receiver<bool>) {
    let mut flapper = flap::Flapper::new(rate);
    let mut ticker = tokio::time::interval(flap::STEP);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
        let now = Instant::now();
        shared
            .store
            .with_all(|instances| flapper.step(instances, now, flap::STEP, &mut rand::rng()));
    }
}

/// `wadash sandbox`: print where and how to reach it, serve until Ctrl-C.
pub async fn run_forever(opts: SandboxOptions) -> std::io::Result<()> {
    let sandbox = start(opts).await?;
    print!("{}", banner(&sandbox));
    if !sandbox.addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can reach the /api/ routes with the key above \
             (the /_sandbox/ control routes still answer loopback clients only)",
            sandbox.addr
        );
    }
    tokio::signal::ctrl_c().await?;
    println!("stopping…");
    sandbox.shutdown().await;
    Ok(())
}

/// The start-up text: URL, key, and a table of instances.
fn banner(sandbox: &RunningSandbox) -> String {
    const SHOWN: usize = 50;
    let mut out = format!(
        "wadash sandbox listening on {}\napi key: {}\n\n",
        sandbox.base_url(),
        sandbox.api_key
    );
    let label_width = sandbox
        .instances
        .iter()
        .take(SHOWN)
        .map(|i| i.label.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    out.push_str(&format!(
        "{:<24}  {:<label_width$}  {:<8}  tags\n",
        "id", "label", "status"
    ));
    for inst in sandbox.instances.iter().take(SHOWN) {
        out.push_str(&format!(
            "{:<24}  {:<label_width$}  {:<8}  {}\n",
            inst.id,
            inst.label,
            if inst.active { "active" } else { "inactive" },
            inst.tags.join(", ")
        ));
    }
    if sandbox.instances.len() > SHOWN {
        out.push_str(&format!(
            "… and {} more (GET {}/_sandbox/instances)\n",
            sandbox.instances.len() - SHOWN,
            sandbox.base_url()
        ));
    }
    out.push_str("\nControl: /_sandbox/instances[/{id}[/scan|/drop]], /_sandbox/requests, /_sandbox/faults. Ctrl-C stops.\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_options_are_refused() {
        let mut opts = SandboxOptions::for_tests();
        opts.fault = Some(Fault::Reset);
        opts.fault_rate = Some(2.0);
        assert!(start(opts).await.is_err());
        let mut opts = SandboxOptions::for_tests();
        opts.fault_rate = Some(0.5);
        assert!(start(opts).await.is_err(), "a rate without a fault");
        let mut opts = SandboxOptions::for_tests();
        opts.api_key = Some(String::new());
        assert!(start(opts).await.is_err());
    }

    #[tokio::test]
    async fn banner_lists_ids_and_key() {
        let mut opts = SandboxOptions::for_tests();
        opts.instances = 60;
        let sandbox = start(opts).await.unwrap();
        let text = banner(&sandbox);
        assert!(text.contains(&sandbox.api_key));
        assert!(text.contains(&sandbox.instances[0].id));
        assert!(text.contains("Tienda Lima"));
        assert!(text.contains("and 10 more"));
        sandbox.shutdown().await;
    }

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        sandbox: SandboxOptions,
    }

    fn parse(args: &[&str]) -> Result<SandboxOptions, clap::Error> {
        use clap::Parser;
        Cli::try_parse_from(std::iter::once("x").chain(args.iter().copied())).map(|c| c.sandbox)
    }

    #[test]
    fn fault_alone_hits_every_request_and_a_rate_needs_a_fault() {
        let settings = parse(&["--fault", "hang"])
            .unwrap()
            .fault_settings()
            .unwrap();
        assert_eq!((settings.fault, settings.rate), (Some(Fault::Hang), 1.0));
        let settings = parse(&["--fault", "reset", "--fault-rate", "0.25"])
            .unwrap()
            .fault_settings()
            .unwrap();
        assert_eq!(settings.rate, 0.25);
        assert!(parse(&["--fault-rate", "0.5"]).is_err());
        let quiet = parse(&[]).unwrap().fault_settings().unwrap();
        assert_eq!((quiet.fault, quiet.rate), (None, 0.0));
    }

    #[test]
    fn test_options_are_the_cli_defaults_on_a_free_port() {
        let defaults = parse(&[]).unwrap();
        let tests = SandboxOptions::for_tests();
        assert_eq!(tests.listen, SocketAddr::from(([127, 0, 0, 1], 0)));
        assert_eq!(
            (
                tests.instances,
                tests.qr,
                tests.shape,
                tests.qr_rotate,
                tests.fault
            ),
            (
                defaults.instances,
                defaults.qr,
                defaults.shape,
                defaults.qr_rotate,
                None
            )
        );
    }

    #[test]
    fn cli_flags_parse() {
        use clap::Parser;
        let cli = Cli::try_parse_from([
            "x",
            "--fault",
            "http502-html",
            "--qr",
            "text",
            "--shape",
            "plain",
            "--qr-rotate",
            "300ms",
        ])
        .unwrap();
        assert_eq!(cli.sandbox.fault, Some(Fault::Http502Html));
        assert_eq!(cli.sandbox.qr, QrFormat::Text);
        assert_eq!(cli.sandbox.shape, Shape::Plain);
        assert_eq!(cli.sandbox.qr_rotate, Duration::from_millis(300));
        assert_eq!(cli.sandbox.listen.port(), 8080);
        let not_json = Cli::try_parse_from(["x", "--fault", "not-json"]).unwrap();
        assert_eq!(not_json.sandbox.fault, Some(Fault::NotJson));
    }
}
