//! Children that never outlive their command. A command's output is read
//! until it *exits*, not until its pipes close: `echo KEY; sleep 100 &`
//! leaves a grandchild holding them open long after the answer is in. Once
//! the command has exited (or timed out, or failed to be waited for) its
//! whole process group is killed, so nothing it started lingers, and the
//! pipes close.
//!
//! Commands run with [`own_group`]; a daemon that must outlive its parent
//! leaves the group itself (`setsid`), as daemons do.

use std::io::Read;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

/// How long to wait for the pipes to close once the group is killed; a
/// process that left the group (`setsid`) may still hold them.
pub const DRAIN: Duration = Duration::from_secs(1);

/// The command leads a process group of its own (pid = group id).
pub fn own_group(cmd: &mut std::process::Command) {
    std::os::unix::process::CommandExt::process_group(cmd, 0);
}

/// SIGKILL to the group the child `pid` leads. Harmless when the group is
/// already empty: the kernel does not hand out a pid still used as a group
/// id, so this cannot reach a stranger while any member lives.
pub fn kill_group(pid: u32) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    if let Ok(pid) = i32::try_from(pid) {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}

/// A pipe read on a thread of its own, kept as it arrives (at most `limit`
/// bytes), so what was written before the exit is there even if the pipe
/// never closes.
pub struct Collector {
    buf: Arc<Mutex<Vec<u8>>>,
    closed: mpsc::Receiver<()>,
}

impl Collector {
    pub fn start<R: Read + Send + 'static>(pipe: Option<R>, limit: u64) -> Collector {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let (tx, closed) = mpsc::channel();
        let kept = Arc::clone(&buf);
        std::thread::spawn(move || {
            if let Some(pipe) = pipe {
                let mut pipe = pipe.take(limit);
                let mut chunk = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut chunk) {
                    lock(&kept).extend_from_slice(&chunk[..n]);
                }
            }
            let _ = tx.send(());
        });
        Collector { buf, closed }
    }

    /// What was read, once the pipe closed or `grace` passed.
    pub fn finish(self, grace: Duration) -> Vec<u8> {
        let _ = self.closed.recv_timeout(grace);
        std::mem::take(&mut *lock(&self.buf))
    }
}

/// [`Collector`] for a tokio child's pipe.
pub struct AsyncCollector {
    buf: Arc<Mutex<Vec<u8>>>,
    task: tokio::task::JoinHandle<()>,
}

impl AsyncCollector {
    pub fn start<R: AsyncRead + Unpin + Send + 'static>(
        pipe: Option<R>,
        limit: u64,
    ) -> AsyncCollector {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&buf);
        let task = tokio::spawn(async move {
            let Some(pipe) = pipe else { return };
            let mut pipe = pipe.take(limit);
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut chunk).await {
                lock(&kept).extend_from_slice(&chunk[..n]);
            }
        });
        AsyncCollector { buf, task }
    }

    pub async fn finish(mut self, grace: Duration) -> Vec<u8> {
        let _ = tokio::time::timeout(grace, &mut self.task).await;
        self.task.abort();
        std::mem::take(&mut *lock(&self.buf))
    }
}

fn lock(buf: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    // A reader that panicked mid-append left whole chunks: still usable.
    buf.lock().unwrap_or_else(|e| e.into_inner())
}
