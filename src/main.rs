//! The `hindsight` command: everything is in the library.

// Parsing thousands of documents on every core is allocation-bound; the
// system allocator serialises much of it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    hindsight::run()
}
