//! `[keys.<mode>]` and `[theme]` from a config file to the screen: errors
//! with file:line:col, the bar and `?` showing the user's keys, keys doing
//! what they are bound to (in the pure update and in the real binary in a
//! pty), the palette reaching the cells, the QR's black and white kept, and
//! NO_COLOR winning.

use std::path::Path;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use wadash::app::init::AppInit;
use wadash::app::modes::Mode;
use wadash::app::msg::Msg;
use wadash::app::state::App;
use wadash::app::update::update;
use wadash::cli::context::keys_and_theme;
use wadash::config::Config;
use wadash::engine::monitor::InstanceSeed;
use wadash::keys::rebind::Keymap;
use wadash::theme::{Palette, Preset};
use wadash::ui::Theme;

use crate::common::pty::PtySession;

/// The key table and palette a face makes of a config's `[keys]` and `[theme]`.
#[derive(Debug)]
struct Loaded {
    keys: Keymap,
    palette: Palette,
}

fn parse(text: &str) -> Result<Loaded, String> {
    let config = Config::parse_str(text, Path::new("/tmp/wa.toml")).map_err(|e| e.to_string())?;
    let (keys, palette) = keys_and_theme(&config.ui).map_err(|e| e.to_string())?;
    Ok(Loaded { keys, palette })
}

fn app(config: &Loaded) -> App {
    let seeds = (0..3)
        .map(|i| InstanceSeed::new(format!("ID{i}"), format!("Tienda {i}"), &[]))
        .collect();
    App::new(AppInit {
        keys: config.keys.clone(),
        ..AppInit::sample(seeds, Instant::now())
    })
}

fn render(app: &mut App, theme: &Theme, w: u16, h: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    for _ in 0..2 {
        app.settle();
        let mut regions = Default::default();
        terminal
            .draw(|f| regions = wadash::ui::draw(f, app, theme))
            .unwrap();
        app.regions = regions;
    }
    terminal.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    update(app, Msg::Key(KeyEvent::new(code, mods)));
}

#[test]
fn errors_point_at_the_line_and_column() {
    for (toml, place, words) in [
        ("[keys.list]\nquit = \"j\"\n", "2:8", "`down`"),
        (
            "[keys.list]\n\nqiut = \"x\"\n",
            "3:1",
            "unknown action `qiut`",
        ),
        ("[keys.list]\nquit = [\"x\", \"ctrl-\"]\n", "2:8", "no key"),
        (
            "[keys.lists]\nquit = \"x\"\n",
            "1:7",
            "unknown mode `lists`",
        ),
        ("[keys.list]\nquit = 5\n", "2:8", "found integer"),
        ("[keys.filter]\nclose = \"q\"\n", "2:9", "typed"),
        (
            "[theme]\npreset = \"solarized\"\n",
            "2:10",
            "dark, light, mono",
        ),
        ("[theme]\nok = \"#12345\"\n", "2:6", "six hex"),
        (
            "[theme]\nbackground = \"red\"\n",
            "2:1",
            "unknown theme key",
        ),
    ] {
        let err = parse(toml).unwrap_err();
        assert!(
            err.starts_with(&format!("/tmp/wa.toml:{place}:")) && err.contains(words),
            "{toml:?} gave {err}"
        );
    }
}

#[test]
fn the_bar_and_help_show_the_users_keys_and_the_keys_work() {
    let config = parse(
        "[keys.list]\nquit = [\"x\", \"ctrl-q\"]\nconnect = \"enter\"\nopen = \"ctrl-o\"\n\
         help = \"f1\"\n",
    )
    .unwrap();
    let mut app = app(&config);
    let theme = Theme::new(false);
    let screen = text(&render(&mut app, &theme, 120, 30));
    let bar = screen.lines().last().unwrap();
    assert!(bar.contains("x/^Q quit"), "{bar}");
    assert!(bar.contains("F1 help"), "{bar}");
    assert!(bar.contains("Enter connect"), "{bar}");
    assert!(!bar.contains("q quit"), "{bar}");

    // The old key does nothing, the new one quits; untouched defaults work.
    press(&mut app, KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(app.selected, 1, "j still moves down");
    press(&mut app, KeyCode::Char('q'), KeyModifiers::NONE);
    assert!(!app.quit, "q was rebound away");
    press(&mut app, KeyCode::F(1), KeyModifiers::NONE);
    assert!(matches!(app.mode, Mode::Help { .. }));
    let help = text(&render(&mut app, &theme, 120, 60));
    assert!(help.contains("x/^Q"), "{help}");
    assert!(help.contains("^O"), "{help}");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert!(app.quit, "ctrl-q quits");
}

#[test]
fn the_palette_reaches_the_cells_and_the_qr_stays_black_and_white() {
    let config = parse(
        "[theme]\npreset = \"light\"\nok = \"#00aa00\"\naccent = \"magenta\"\n\
         selection = \"#334455\"\n",
    )
    .unwrap();
    assert_eq!(config.palette.ok, Some(Color::Rgb(0, 0xaa, 0)));
    assert_eq!(config.palette.warn, Palette::preset(Preset::Light).warn);
    let theme = Theme {
        color: true,
        palette: config.palette,
    };
    let mut app = app(&config);
    let buf = render(&mut app, &theme, 100, 30);
    let bar_y = buf.area.height - 1;
    let key_cell = (0..buf.area.width)
        .map(|x| &buf[(x, bar_y)])
        .find(|c| c.symbol() == "?")
        .unwrap();
    assert_eq!(key_cell.fg, Color::Magenta, "keys use the accent");
    let selected = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .any(|p| buf[p].bg == Color::Rgb(0x33, 0x44, 0x55));
    assert!(selected, "the selection colour is drawn");

    // Under NO_COLOR (color: false) no cell has a colour, whatever the file says.
    let plain = Theme {
        color: false,
        palette: config.palette,
    };
    let buf = render(&mut app, &plain, 100, 30);
    for cell in buf.content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    assert!(
        buf.content()
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED)),
        "the selection is still visible"
    );
}

#[test]
fn mono_and_light_keep_the_qr_code_explicitly_black_and_white() {
    use wadash::qr::{DrawMode, QrWidget, draw, encode};
    let code = encode("2@theme-test,abc,def").unwrap();
    for preset in ["dark", "light", "mono"] {
        let config = parse(&format!("[theme]\npreset = \"{preset}\"\n")).unwrap();
        let theme = Theme {
            color: true,
            palette: config.palette,
        };
        let drawing = draw(&code, DrawMode::Half, 4, false);
        let mut buf = Buffer::empty(ratatui::layout::Rect::new(0, 0, 80, 50));
        ratatui::widgets::Widget::render(
            QrWidget::new(&drawing).color(theme.color),
            buf.area,
            &mut buf,
        );
        let cells: Vec<_> = buf.content().iter().filter(|c| c.symbol() != " ").collect();
        assert!(!cells.is_empty());
        assert!(
            cells
                .iter()
                .all(|c| (c.fg, c.bg) == (Color::White, Color::Black)),
            "{preset}: the QR lost its explicit colours"
        );
    }
}

#[test]
fn the_real_dashboard_uses_the_rebound_keys() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("wa.toml");
    std::fs::write(
        &config,
        "[keys.list]\nquit = \"x\"\n\n[theme]\npreset = \"mono\"\n",
    )
    .unwrap();
    let path = config.to_str().unwrap();
    let mut s = PtySession::spawn(&["--demo", "--config", path], &[], 100, 30);
    let wait = Duration::from_secs(20);
    s.wait_for("the bar with x quit", wait, |sc| sc.contains("x quit"));
    s.send("q");
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "q quit although it was rebound"
    );
    s.send("x");
    let status = s.wait_exit(wait);
    assert!(status.success(), "{status:?}");

    // A [keys] error in the file: the demo still starts and says why.
    std::fs::write(&config, "[keys.list]\nquit = \"j\"\n").unwrap();
    let mut s = PtySession::spawn(&["--demo", "--config", path], &[], 120, 30);
    s.wait_for("the config error in the notice", wait, |sc| {
        sc.contains("wa.toml:2:8")
    });
    s.send("q");
    assert!(s.wait_exit(wait).success());
}
