//! Pictures that are not what they seem: a named pipe (which used to hang
//! for ever and keep the instance busy), a preparation that overruns its
//! time, `ftp://` links, pasted garbage, and a 20000×20000 picture — each
//! refused quickly with a message that says what was expected.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use wadash::profile_image::{ImageError, ImageSource, PrepareOptions, prepare, prepare_within};

/// `prepare` on another thread, failing the test instead of hanging it.
fn prepare_quickly(source: ImageSource) -> Result<(), ImageError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(prepare(&source, &PrepareOptions::default()).map(|_| ()));
    });
    rx.recv_timeout(Duration::from_secs(5))
        .expect("preparation must not hang")
}

#[cfg(unix)]
fn fifo(dir: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let path = dir.join("pipe.png");
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    path
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let err = prepare_quickly(ImageSource::File(fifo(dir.path()))).unwrap_err();
    assert!(matches!(err, ImageError::NotAFile { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("is a named pipe, not a picture file"),
        "{err}"
    );
    let err = prepare_quickly(ImageSource::File("/dev/zero".into())).unwrap_err();
    assert!(err.to_string().contains("is a device"), "{err}");
}

/// The dashboard's path: the worker answers a picture action on a pipe, so
/// the row's busy mark is cleared and the instance takes actions again.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_picture_action_on_a_pipe_answers_and_frees_the_instance() {
    use wadash::engine::effect::{Call, Effect, Purpose};
    use wadash::engine::msg::{CallError, CoreMsg};
    let dir = tempfile::tempdir().unwrap();
    let pipe = fifo(dir.path());
    let account =
        wadash::api::Account::new("t", "http://127.0.0.1:9", "k-0123456789abc".into(), false)
            .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = wadash::worker::Worker::spawn(
        wadash::api::Client::new(),
        vec![account],
        4,
        tx,
        Default::default(),
    );
    worker.run(Effect::Api {
        instance: "ID1".into(),
        account: 0,
        call: Call::Picture(pipe.display().to_string()),
        purpose: Purpose::Action,
    });
    let msg = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("an answer, not a hang")
        .unwrap();
    let CoreMsg::Api(done) = msg else {
        panic!("{msg:?}")
    };
    let Err(CallError::Local(text)) = done.result else {
        panic!("{:?}", done.result)
    };
    assert!(text.contains("named pipe"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_preparation_that_overruns_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.png");
    let img = image::RgbImage::from_pixel(3000, 3000, image::Rgb([9, 9, 9]));
    img.save(&path).unwrap();
    let err = prepare_within(
        ImageSource::File(path),
        PrepareOptions::default(),
        Duration::from_millis(1),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ImageError::TimedOut { .. }), "{err:?}");
    assert!(err.to_string().contains("took longer than"), "{err}");
}

#[test]
fn ftp_and_other_schemes_are_urls_refused_for_their_scheme() {
    let source = wadash::profile_image::classify("ftp://example.com/logo.png");
    assert!(matches!(source, ImageSource::Url(_)), "{source:?}");
    let err = prepare_quickly(source).unwrap_err().to_string();
    assert!(err.contains("ftp:// links are not supported"), "{err}");
    assert!(err.contains("https://"), "{err}");
    assert!(!err.contains("no such file"), "{err}");
}

#[test]
fn pasted_garbage_says_what_was_expected_and_is_cut_short() {
    let garbage = "Zm9v!!#".repeat(600);
    let err = prepare_quickly(wadash::profile_image::classify(&garbage))
        .unwrap_err()
        .to_string();
    assert!(
        err.chars().count() < 300,
        "{} characters: {err}",
        err.chars().count()
    );
    assert!(err.contains("https://") && err.contains("base64"), "{err}");
    assert!(err.contains("4200 characters"), "{err}");
}

/// A BMP header announcing 20000×20000 24-bit pixels and no pixel data
/// (within the side limit, over the memory one): the message names the
/// memory, not "limit 20000×20000".
#[test]
fn a_20000_square_picture_is_refused_for_memory_not_for_its_sides() {
    let mut b = Vec::new();
    b.extend_from_slice(b"BM");
    b.extend_from_slice(&1000u32.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&54u32.to_le_bytes());
    b.extend_from_slice(&40u32.to_le_bytes());
    b.extend_from_slice(&20_000i32.to_le_bytes());
    b.extend_from_slice(&20_000i32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&24u16.to_le_bytes());
    b.extend_from_slice(&[0u8; 24]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.bmp");
    std::fs::write(&path, b).unwrap();
    let err = prepare_quickly(ImageSource::File(path)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err:?}");
    assert!(text.contains("20000×20000 would need about"), "{text}");
    assert!(!text.contains("limit 20000×20000"), "{text}");
}
