//! glibc gives each thread that allocates its own malloc arena (up to 8 per
//! core). The dashboard and `watch` run tokio's workers beside the history
//! writer and reader threads for days; with an arena each, memory freed in
//! one is not reused by the others and RSS creeps (the 5-minute soak: +0.4
//! MB a minute still at minute 4, flat from minute 2 with two arenas). Two
//! arenas are plenty for a program whose hot path is one loop.

/// Blocks this large or larger get their own mapping, given back to the
/// system when freed. glibc's default starts at 128 KiB but rises to the
/// size of any such block once it is freed: after the first `/metrics`
/// scrape of 10,000 instances (a 4 MiB text) every later one was carved
/// out of the heap instead, and the heap stayed that much bigger between
/// scrapes. Setting it fixes it at this value.
const MMAP_THRESHOLD: i32 = 1024 * 1024;

/// Cap glibc's malloc arenas at two, unless the user set
/// `MALLOC_ARENA_MAX` (theirs wins), and keep big blocks in their own
/// mappings (`MMAP_THRESHOLD`, unless `MALLOC_MMAP_THRESHOLD_` is set).
/// Call first thing in `main`, before any thread starts: arenas already
/// made stay.
pub fn cap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
            // SAFETY: mallopt only sets a tunable; called before other threads exist.
            unsafe {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
        }
        if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
            // SAFETY: as above.
            unsafe {
                libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            }
        }
    }
}

/// Give the memory freed so far back to the system. Reading a large config
/// (10,000 instances) builds a TOML tree many times the file's size, freed
/// at once but kept by malloc in the middle of the heap; a long-running face
/// calls this once the tree is gone, so it does not carry that for days.
pub fn trim() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages; any thread may call it.
    unsafe {
        libc::malloc_trim(0);
    }
}
