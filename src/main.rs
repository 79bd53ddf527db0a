//! The `hindsight` command: everything is in the library.

// Parsing thousands of documents on every core is allocation-bound; the
// system allocator serialises much of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (the version
/// `mimalloc` builds; `libmimalloc-sys` names only version 2's options).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // No transparent huge pages: each one is zeroed whole, 2 MB, when it
    // is first touched, and a command's heap touches its pages sparsely;
    // on 100,000 incidents this was a third of lint's system time and half
    // of the build's (bench/scale.sh). The kernel refuses them to the
    // whole process, the allocator's own requests for them included.
    // SAFETY: prctl with PR_SET_THP_DISABLE only sets a flag of this
    // process; its result (an old kernel's refusal) changes nothing else.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    // A command runs for seconds: memory it frees is kept for its next
    // allocations instead of going back to the system, to be faulted in
    // and zeroed again a moment later (a tenth of a 10,000-incident
    // build). Left alone under another major version of mimalloc (whose
    // options are numbered differently) and when MIMALLOC_PURGE_DELAY is
    // set.
    // SAFETY: these calls only read mimalloc's version and set one entry
    // of its table of options.
    unsafe {
        if libmimalloc_sys::mi_version() / 10_000 == 3
            && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
        {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
    hindsight::run()
}
