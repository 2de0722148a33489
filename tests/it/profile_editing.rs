//! End to end over real HTTP: the dashboard's state machine driven by key
//! events, its effects run by the real worker against the in-process
//! sandbox, the answers fed back until the state settles. The sandbox's
//! control routes say whether the server state really changed.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use tokio::sync::mpsc;
use wadash::api::{Account, Client};
use wadash::app::init::AppInit;
use wadash::app::modes::form::FormKind;
use wadash::app::order::SortKey;
use wadash::app::{App, Mode, Msg, update};
use wadash::engine::monitor::InstanceSeed;
use wadash::engine::msg::CoreMsg;
use wadash::memory::Memory;
use wadash::sandbox::{self, RunningSandbox, SandboxOptions};
use wadash::secret::Secret;
use wadash::worker::{Worker, WorkerPaths};

/// Longest a scenario may take to settle before the test fails.
const SETTLE: Duration = Duration::from_secs(15);

struct Harness {
    sandbox: RunningSandbox,
    app: App,
    worker: Worker,
    rx: mpsc::UnboundedReceiver<CoreMsg>,
    http: reqwest::Client,
    state_file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Harness {
    async fn new() -> Harness {
        let sandbox = sandbox::start(SandboxOptions::for_tests())
            .await
            .expect("sandbox starts");
        let account = Account::new(
            "sandbox",
            &sandbox.base_url(),
            Secret::new(sandbox.api_key.clone()),
            false,
        )
        .expect("loopback http is allowed");
        let dir = tempfile::tempdir().unwrap();
        let state_file = dir.path().join("state.toml");
        let (tx, rx) = mpsc::unbounded_channel();
        let worker = Worker::spawn(
            Client::new(),
            vec![account],
            4,
            tx,
            WorkerPaths {
                config: None,
                memory: Some(state_file.clone()),
            },
        );
        let instances = sandbox
            .instances
            .iter()
            .map(|d| {
                let tags: Vec<&str> = d.tags.iter().map(String::as_str).collect();
                InstanceSeed::new(d.id.clone(), d.label.clone(), &tags)
            })
            .collect();
        let mut app = App::new(AppInit {
            concurrency: 4,
            wall: SystemTime::now(),
            ..AppInit::sample(instances, Instant::now())
        });
        app.sort = SortKey::Label;
        app.view_stale = true;
        app.settle();
        Harness {
            sandbox,
            app,
            worker,
            rx,
            http: reqwest::Client::new(),
            state_file,
            _dir: dir,
        }
    }

    fn feed(&mut self, msg: Msg) {
        for effect in update(&mut self.app, msg) {
            self.worker.run(effect);
        }
    }

    fn press(&mut self, code: KeyCode) {
        self.feed(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c));
        }
    }

    /// Feed worker answers and ticks (every 50 ms, as the run loop would)
    /// until `done` holds.
    async fn settle(&mut self, what: &str, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + SETTLE;
        while !done(&self.app) {
            assert!(
                Instant::now() < deadline,
                "{what}: did not settle; mode {:?}, flash {:?}",
                self.app.mode.kind(),
                self.app.flash.as_ref().map(|f| &f.text)
            );
            match tokio::time::timeout(Duration::from_millis(50), self.rx.recv()).await {
                Ok(Some(msg)) => self.feed(Msg::Core(msg)),
                Ok(None) => panic!("worker channel closed"),
                Err(_) => self.feed(Msg::tick(Instant::now())),
            }
        }
    }

    /// Move the selection onto `id` with j/k, as a user would.
    fn select(&mut self, id: &str) {
        self.app.settle();
        let target = self
            .app
            .view
            .iter()
            .position(|&i| self.app.monitor.rows[i].id == id)
            .expect("instance shown");
        self.press(KeyCode::Char('g'));
        for _ in 0..target {
            self.press(KeyCode::Char('j'));
        }
        assert_eq!(self.app.selected_id().as_deref(), Some(id));
    }

    fn id(&self, active: bool) -> String {
        self.sandbox
            .instances
            .iter()
            .find(|i| i.active == active)
            .expect("demo has both kinds")
            .id
            .clone()
    }

    async fn server(&self, id: &str) -> Value {
        let url = format!("{}/_sandbox/instances/{id}", self.sandbox.base_url());
        let resp = self.http.get(url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        resp.json().await.unwrap()
    }

    async fn requests(&self) -> Vec<Value> {
        let url = format!("{}/_sandbox/requests", self.sandbox.base_url());
        let resp = self.http.get(url).send().await.unwrap();
        resp.json().await.unwrap()
    }

    async fn clear_requests(&self) {
        let url = format!("{}/_sandbox/requests", self.sandbox.base_url());
        self.http.delete(url).send().await.unwrap();
    }

    /// Submit the open form and wait until its request came back.
    async fn submit_and_settle(&mut self, what: &str) {
        self.press(KeyCode::Enter);
        self.settle(what, |app| {
            app.busy.is_empty() && !matches!(&app.mode, Mode::Form(f) if f.submitting)
        })
        .await;
    }
}

fn form_error(app: &App) -> Option<String> {
    match &app.mode {
        Mode::Form(f) => f.error.clone(),
        _ => None,
    }
}

fn avatar() -> String {
    format!("{}/assets/demo-avatar.png", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn name_and_description_reach_the_server_and_the_memory() {
    let mut h = Harness::new().await;
    let id = h.id(true);
    h.select(&id);

    h.press(KeyCode::Char('n'));
    h.type_text("Tienda Lima Centro");
    h.submit_and_settle("name").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    assert_eq!(h.server(&id).await["name"], "Tienda Lima Centro");
    assert!(
        h.app
            .flash
            .as_ref()
            .unwrap()
            .text
            .contains("Nombre Actualizado")
    );

    h.press(KeyCode::Char('d'));
    h.type_text("Abierto de 9 a 18 h · envíos a todo el Perú");
    h.submit_and_settle("description").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    assert_eq!(
        h.server(&id).await["description"],
        "Abierto de 9 a 18 h · envíos a todo el Perú"
    );

    // Remembered, and written to the state file by the worker.
    let remembered = h.app.memory.get(&id).unwrap().clone();
    assert_eq!(remembered.name.unwrap().value, "Tienda Lima Centro");
    h.settle("memory saved", |_| true).await;
    let deadline = Instant::now() + SETTLE;
    loop {
        let (saved, _) = Memory::load(&h.state_file);
        if saved
            .get(&id)
            .and_then(|r| r.description.as_ref())
            .is_some()
        {
            assert_eq!(
                saved.get(&id).unwrap().name.as_ref().unwrap().value,
                "Tienda Lima Centro"
            );
            break;
        }
        assert!(Instant::now() < deadline, "state file never written");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A name over 25 characters is refused locally: nothing is sent.
    h.clear_requests().await;
    h.press(KeyCode::Char('n'));
    h.type_text(" y alrededores");
    h.press(KeyCode::Enter);
    assert!(form_error(&h.app).unwrap().contains("/25"));
    h.press(KeyCode::Esc);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let sent = h.requests().await;
    assert!(
        !sent.iter().any(|r| r["path"] == "/api/config/name"),
        "{sent:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_id_keeps_the_form_open_with_the_server_text() {
    let mut h = Harness::new().await;
    // An instance the sandbox does not know: the server answers 400.
    h.app.monitor.rows[0].id = "no-such-instance".into();
    h.app.reindex();
    h.app.settle();
    h.select("no-such-instance");
    h.press(KeyCode::Char('n'));
    h.type_text("Lima");
    h.submit_and_settle("wrong id").await;
    let error = form_error(&h.app).expect("form stays open with the reason");
    assert!(
        error.to_lowercase().contains("instancia no encontrada"),
        "{error}"
    );
    assert!(error.contains("check the apiKey and id"), "{error}");
    let Mode::Form(form) = &h.app.mode else {
        unreachable!()
    };
    assert_eq!(form.value(0), "Lima");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picture_from_a_file_is_previewed_then_sent_as_a_square_jpeg() {
    let mut h = Harness::new().await;
    let id = h.id(true);
    h.select(&id);
    h.press(KeyCode::Char('i'));
    h.feed(Msg::Paste(avatar()));
    // The preview arrives once the field stopped changing (ticks).
    h.settle("preview", |app| app.picture.result.is_some())
        .await;
    let (for_value, preview) = h.app.picture.result.clone().unwrap();
    assert_eq!(for_value, avatar());
    let preview = preview.expect("the demo avatar decodes");
    assert_eq!((preview.width, preview.height), (640, 640));
    assert!(preview.bytes > 0 && preview.preview.is_some());

    h.submit_and_settle("picture").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    let image = &h.server(&id).await["image"];
    assert_eq!(image["source"], "multipart");
    assert_eq!(image["width"], 640);
    assert_eq!(image["height"], 640);
    assert_eq!(
        h.app
            .memory
            .get(&id)
            .unwrap()
            .picture
            .as_ref()
            .unwrap()
            .value,
        avatar()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picture_as_data_url_and_as_https_url_reach_the_server_in_their_shapes() {
    let mut h = Harness::new().await;
    let id = h.id(false);
    h.select(&id);

    let png = std::fs::read(avatar()).unwrap();
    let data_url = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    h.press(KeyCode::Char('i'));
    h.feed(Msg::Paste(data_url));
    h.submit_and_settle("data url").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    assert_eq!(h.server(&id).await["image"]["source"], "base64");
    let remembered = h
        .app
        .memory
        .get(&id)
        .unwrap()
        .picture
        .clone()
        .unwrap()
        .value;
    assert!(remembered.starts_with("base64 ("), "{remembered}");

    h.press(KeyCode::Char('i'));
    h.type_text("https://cdn.example.com/perfil.jpg");
    h.submit_and_settle("url").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    let image = &h.server(&id).await["image"];
    assert_eq!(image["source"], "url");
    assert_eq!(image["url"], "https://cdn.example.com/perfil.jpg");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_text_file_named_png_is_refused_locally_and_nothing_is_sent() {
    let mut h = Harness::new().await;
    let id = h.id(true);
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("x.png");
    std::fs::write(&fake, "this is not a picture\n").unwrap();
    h.clear_requests().await;
    let before = h.server(&id).await["image"].clone();

    h.select(&id);
    h.press(KeyCode::Char('i'));
    h.feed(Msg::Paste(fake.display().to_string()));
    // Submitted at once, before any preview: the worker refuses it locally.
    h.submit_and_settle("fake png").await;
    let error = form_error(&h.app).expect("refused with a reason");
    assert!(error.contains("not an image"), "{error}");
    // And once the preview has said so, Enter does not even reach the worker.
    h.settle("preview", |app| app.picture.result.is_some())
        .await;
    h.press(KeyCode::Enter);
    assert!(h.app.busy.is_empty());
    assert!(form_error(&h.app).unwrap().contains("not an image"));

    let sent = h.requests().await;
    assert!(
        !sent.iter().any(|r| r["path"] == "/api/config/image"),
        "{sent:?}"
    );
    assert_eq!(h.server(&id).await["image"], before);
    assert!(h.app.memory.get(&id).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_read_asks_when_unknown_then_toggles() {
    let mut h = Harness::new().await;
    let id = h.id(true);
    let initial = h.server(&id).await["auto_read"].as_bool().unwrap();
    h.select(&id);

    h.press(KeyCode::Char('a'));
    assert!(matches!(&h.app.mode, Mode::Form(f) if matches!(f.kind, FormKind::AutoRead { .. })));
    // The choice starts on "on"; pick the opposite of the server's value.
    if initial {
        h.press(KeyCode::Right);
    }
    h.submit_and_settle("auto-read").await;
    assert!(matches!(h.app.mode, Mode::List), "{:?}", form_error(&h.app));
    assert_eq!(h.server(&id).await["auto_read"], !initial);

    // Now known: `a` flips it back at once.
    h.press(KeyCode::Char('a'));
    h.settle("toggle", |app| app.busy.is_empty()).await;
    assert_eq!(h.server(&id).await["auto_read"], initial);
    assert_eq!(
        h.app
            .memory
            .get(&id)
            .unwrap()
            .auto_read
            .as_ref()
            .unwrap()
            .value,
        initial
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn disconnect_needs_confirmation() {
    let mut h = Harness::new().await;
    let id = h.id(true);
    assert_eq!(h.server(&id).await["active"], true);
    h.select(&id);

    // "No" is the default: Enter cancels.
    h.press(KeyCode::Char('D'));
    assert!(matches!(h.app.mode, Mode::Confirm(_)));
    h.press(KeyCode::Enter);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(h.server(&id).await["active"], true);

    h.press(KeyCode::Char('D'));
    h.press(KeyCode::Char('y'));
    h.settle("disconnect", |app| app.busy.is_empty()).await;
    assert_eq!(h.server(&id).await["active"], false);
    assert!(h.app.flash.as_ref().unwrap().text.contains("desconectada"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_auto_read_on_marked_instances_with_one_failure_kept_marked() {
    let mut h = Harness::new().await;
    // One marked instance the server does not know.
    h.app.monitor.rows[0].id = "ghost".into();
    h.app.reindex();
    h.app.settle();
    h.press(KeyCode::Char('*'));
    let total = h.app.marks.len();
    h.press(KeyCode::Char('a'));
    h.press(KeyCode::Enter); // "on"
    h.settle("bulk", |app| {
        app.bulk.as_ref().is_some_and(|b| b.finished())
    })
    .await;
    let run = h.app.bulk.clone().unwrap();
    assert_eq!((run.total, run.done), (total, total));
    assert_eq!(run.failures.len(), 1);
    assert_eq!(run.failures[0].id, "ghost");
    assert_eq!(h.app.marks.iter().collect::<Vec<_>>(), ["ghost"]);
    for d in &h.sandbox.instances {
        if h.app.monitor.index.contains_key(&d.id) {
            assert_eq!(h.server(&d.id).await["auto_read"], true, "{}", d.id);
        }
    }
}
