//! A real `wadash watch` process against an in-process sandbox: its config
//! file, its stderr lines as they come, signals, and its /metrics.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

pub const BIN: &str = env!("CARGO_BIN_EXE_wadash");
/// The environment variable the test configs name with `api_key_env`.
pub const KEY_VAR: &str = "WADASH_TEST_WATCH_KEY";

/// A config for `ids` on the sandbox at `base_url`; `extra` is appended to the account.
pub fn config_text(base_url: &str, ids: &[String], account_extra: &str) -> String {
    let mut text = format!(
        "[[account]]\nname = \"sandbox\"\nbase_url = \"{base_url}\"\napi_key_env = \"{KEY_VAR}\"\n{account_extra}\n"
    );
    for (n, id) in ids.iter().enumerate() {
        text.push_str(&format!(
            "[[instance]]\nid = \"{id}\"\nlabel = \"Número {n}\"\ntags = [\"t{}\"]\n\n",
            n % 3
        ));
    }
    text
}

/// Replace a file the way an editor's save does (write aside, rename).
pub fn write_atomic(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

pub struct Watch {
    pub child: Child,
    pub lines: Arc<Mutex<Vec<String>>>,
    pub home: tempfile::TempDir,
    pub config: PathBuf,
}

impl Watch {
    /// `wadash watch ARGS` with `config` as its config file and `key` in its environment.
    pub fn spawn(config_text: &str, key: &str, args: &[&str]) -> Watch {
        Watch::spawn_via(&[], config_text, key, args)
    }

    /// [`Watch::spawn`] with more environment variables.
    pub fn spawn_env(config_text: &str, key: &str, args: &[&str], envs: &[(&str, &str)]) -> Watch {
        Watch::spawn_via_env(&[], config_text, key, args, envs)
    }

    /// The same, run by `wrapper` (e.g. `prlimit --nofile=1024:1024`), which
    /// must exec the binary (same pid).
    pub fn spawn_via(wrapper: &[&str], config_text: &str, key: &str, args: &[&str]) -> Watch {
        Watch::spawn_via_env(wrapper, config_text, key, args, &[])
    }

    fn spawn_via_env(
        wrapper: &[&str],
        config_text: &str,
        key: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> Watch {
        let home = tempfile::tempdir().unwrap();
        let config = home.path().join("config.toml");
        std::fs::write(&config, config_text).unwrap();
        let mut command = match wrapper.split_first() {
            Some((program, rest)) => {
                let mut c = Command::new(program);
                c.args(rest).arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        let child = command
            .arg("watch")
            .args(args)
            .env("WADASH_CONFIG", &config)
            .env(KEY_VAR, key)
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_CONFIG_HOME", home.path().join("cfg"))
            .env_remove("JOURNAL_STREAM")
            .env_remove("WADASH_API_KEY")
            .envs(envs.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wadash watch starts");
        Watch::attach(child, home, config)
    }

    /// Follow a `wadash watch` started some other way (its stderr piped).
    pub fn attach(mut child: Child, home: tempfile::TempDir, config: PathBuf) -> Watch {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                sink.lock().unwrap().push(line);
            }
        });
        Watch {
            child,
            lines,
            home,
            config,
        }
    }

    pub fn stderr(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// The first line (from `from` on) that `pred` accepts, within `within`.
    pub fn wait_line_from(
        &mut self,
        from: usize,
        what: &str,
        within: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> (usize, String) {
        let deadline = Instant::now() + within;
        loop {
            {
                let lines = self.lines.lock().unwrap();
                if let Some((at, line)) = lines.iter().enumerate().skip(from).find(|(_, l)| pred(l))
                {
                    return (at, line.clone());
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(100));
                panic!("watch exited ({status}) before {what}:\n{}", self.stderr());
            }
            assert!(
                Instant::now() < deadline,
                "no {what} within {within:?}:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_line(
        &mut self,
        what: &str,
        within: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        self.wait_line_from(0, what, within, pred).1
    }

    pub fn line_count(&self) -> usize {
        self.lines.lock().unwrap().len()
    }

    /// The metrics URL from the start line.
    pub fn metrics_url(&mut self) -> String {
        let start = self.wait_line("the start line", Duration::from_secs(20), |l| {
            l.contains(" start ") && l.contains("metrics=")
        });
        let url = start
            .split_whitespace()
            .find_map(|f| f.strip_prefix("metrics="))
            .expect("metrics= in the start line");
        url.to_string()
    }

    pub fn signal(&self, signal: Signal) {
        kill(Pid::from_raw(self.child.id() as i32), signal).expect("signal delivered");
    }

    /// Wait for exit, at most `within`.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET the metrics text.
pub async fn scrape(url: &str) -> String {
    reqwest::get(url)
        .await
        .expect("metrics answer")
        .text()
        .await
        .unwrap()
}

/// `family{…}` lines of a scrape, as (labels text, value).
pub fn series<'a>(text: &'a str, family: &str) -> Vec<(&'a str, &'a str)> {
    let prefix = format!("{family}{{");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| rest.rsplit_once("} "))
        .collect()
}

/// The value of label `name` in a labels text (`id="A",label="B"`).
pub fn label<'a>(labels: &'a str, name: &str) -> Option<&'a str> {
    let start = labels.find(&format!("{name}=\""))? + name.len() + 2;
    let end = labels[start..].find('"')? + start;
    Some(&labels[start..end])
}

/// What an alert hook that writes `$WADASH_EVENT-$$.env` into `dir` left
/// for `event`: one file per run, so a second page shows.
pub fn hook_runs(dir: &Path, event: &str) -> Vec<String> {
    let mut runs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{event}-"))
        })
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    runs.sort();
    runs
}
