//! A sandbox of three instances, a config naming them and a history store
//! in a temporary folder: the setup the dashboard's history pty tests share.

use std::path::PathBuf;

use wadash::sandbox::{self, DemoInstance, RunningSandbox, SandboxOptions};

pub struct StoreFixture {
    pub rt: tokio::runtime::Runtime,
    pub sandbox: RunningSandbox,
    /// An instance the sandbox starts active.
    pub target: DemoInstance,
    pub config_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl StoreFixture {
    pub fn new() -> StoreFixture {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let mut opts = SandboxOptions::for_tests();
        opts.instances = 3;
        let sandbox = rt.block_on(sandbox::start(opts)).unwrap();
        // Installs the TLS crypto provider the tests' own reqwest clients need.
        let _ = wadash::api::Client::new();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("history.db");
        let target = sandbox.instances.iter().find(|i| i.active).unwrap().clone();
        let mut config = format!(
            "[[account]]\nname = \"t\"\nbase_url = \"{}\"\napi_key = \"{}\"\n\n",
            sandbox.base_url(),
            sandbox.api_key
        );
        for i in &sandbox.instances {
            config.push_str(&format!(
                "[[instance]]\nid = \"{}\"\nlabel = \"{}\"\n\n",
                i.id, i.label
            ));
        }
        config.push_str(&format!("[history]\npath = \"{}\"\n", db.display()));
        let config_path = dir.path().join("config.toml");
        std::fs::write(&config_path, config).unwrap();
        StoreFixture {
            rt,
            sandbox,
            target,
            config_path,
            _dir: dir,
        }
    }

    /// `--config PATH`, as a string for the command line.
    pub fn cfg(&self) -> &str {
        self.config_path.to_str().unwrap()
    }
}
