//! The module graph at file level (`.ci/module_cycles.py`): no new cycle
//! may appear. The groups listed here are the ones still to untie; when
//! one is untied, this list shrinks with it.

use crate::prelude::*;

#[test]
fn no_new_cycle_in_the_module_graph() {
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
    let groups: Vec<&str> = text
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("---"))
        .map(|l| l.split_once(' ').map_or(l, |(_, files)| files))
        .collect();
    let first = |g: &&str| {
        g.trim_start_matches("['")
            .split('\'')
            .next()
            .unwrap_or("")
            .to_string()
    };
    let mut firsts: Vec<String> = groups.iter().map(first).collect();
    firsts.sort();
    assert_eq!(firsts, ["site/feed.rs"], "the cycles changed:\n{text}");
}
