//! The module graph at file level (`.ci/module_cycles.py`): no group of
//! files may reach each other.

use crate::prelude::*;

#[test]
fn no_cycle_in_the_module_graph() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new("python3")
        .arg(root.join(".ci/module_cycles.py"))
        .arg(root)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert!(
        lines.next().is_some_and(|l| l.ends_with(" 0 cycles")) && lines.next().is_none(),
        "files that reach each other:\n{text}"
    );
}
