//! The open-file limit. Most systems start a process with a soft limit of
//! 1,024 descriptors and a hard limit far above it (systemd: 524,288); a
//! watcher of a large fleet with its metrics listener can need more than
//! 1,024, and at the limit every new status check fails with "Too many open
//! files". The soft limit may be raised to the hard one without privileges,
//! so it is, once, at start. `listener_cap` then keeps the metrics listener
//! well away from the descriptors the API client needs.

/// Connections the metrics listener serves at once at most: Prometheus
/// (one or two servers, kept alive) and a few people with curl.
pub const LISTENER_MAX: usize = 256;
/// Descriptors kept for everything but the listener and the API client:
/// stdio, the runtime's epoll and wakers, the history database and its WAL,
/// alert hooks' pipes, the config and key commands.
const RESERVED: usize = 128;

/// Raise the soft RLIMIT_NOFILE to the hard limit; returns the soft limit
/// now in force (None when it cannot be read). Call early in `main`.
// rlim_t is u64 on Linux but not everywhere.
#[allow(clippy::unnecessary_cast)]
pub fn raise() -> Option<u64> {
    // SAFETY: getrlimit/setrlimit only read and write the struct given.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
        Some(limit.rlim_cur as u64)
    }
}

/// The soft limit in force now (None: unknown or unlimited).
#[allow(clippy::unnecessary_cast)]
pub fn current() -> Option<u64> {
    // SAFETY: as in `raise`.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        (libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0
            && limit.rlim_cur != libc::RLIM_INFINITY)
            .then_some(limit.rlim_cur as u64)
    }
}

/// How many connections the metrics listener may hold with `limit`
/// descriptors and `concurrency` checks in flight: what is left after the
/// reserve and two descriptors per check (a socket, and one more for a
/// reconnect while the old socket closes), and never more than a quarter of
/// the limit, so the checks always keep the larger share.
pub fn listener_cap(limit: Option<u64>, concurrency: usize) -> usize {
    let Some(limit) = limit else {
        return LISTENER_MAX;
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let left = limit
        .saturating_sub(RESERVED)
        .saturating_sub(concurrency.saturating_mul(2));
    left.min(limit / 4).clamp(1, LISTENER_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_limit_leaves_room_for_the_checks() {
        assert_eq!(listener_cap(Some(1024), 16), 256);
        assert_eq!(listener_cap(Some(524_288), 64), LISTENER_MAX);
        assert_eq!(listener_cap(None, 16), LISTENER_MAX);
    }

    #[test]
    fn a_tight_limit_shrinks_the_listener_first() {
        assert_eq!(listener_cap(Some(256), 16), 64);
        assert_eq!(listener_cap(Some(200), 64), 1);
        assert_eq!(listener_cap(Some(0), 1), 1);
    }

    #[test]
    fn raising_never_lowers() {
        let before = current();
        let after = raise();
        if let (Some(b), Some(a)) = (before, after) {
            assert!(a >= b);
        }
    }
}
