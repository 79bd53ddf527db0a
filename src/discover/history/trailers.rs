//! What a commit message says about action items (SPEC section 12): its
//! `Action-Item:` trailers, read by git's own rules (`git help
//! interpret-trailers`), and the commit it reverts, from git's revert line.

/// The trailer key that links a commit to an action item; compared
/// without regard to case, as git does.
const ACTION_ITEM: &str = "Action-Item";

/// Lines git writes itself: one of them in the last paragraph lets that
/// paragraph hold other lines too, as long as a quarter are trailers.
const GIT_GENERATED: [&str; 2] = ["Signed-off-by: ", "(cherry picked from commit "];

/// The item ids of a message's `Action-Item` trailers, in order, each once.
pub(super) fn action_items(message: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (key, value) in trailers(message) {
        if key.eq_ignore_ascii_case(ACTION_ITEM) && !value.is_empty() && !ids.contains(&value) {
            ids.push(value);
        }
    }
    ids
}

/// The full sha named by git's revert line, `This reverts commit <sha>.`
/// (`<sha>, reversing` for a merge).
pub(super) fn reverted_commit(message: &str) -> Option<String> {
    message.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("This reverts commit ")?;
        let sha = rest.get(..40)?;
        let after = rest[40..].chars().next();
        (sha.bytes().all(|b| b.is_ascii_hexdigit()) && matches!(after, Some('.' | ',')))
            .then(|| sha.to_ascii_lowercase())
    })
}

/// Every trailer of a message as (key, value), as `git interpret-trailers
/// --parse` prints them: continuation lines unfolded, key and value
/// trimmed.
pub(super) fn trailers(message: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = body_lines(message);
    let start = block_start(&lines);
    let mut out: Vec<(String, String)> = Vec::new();
    // Whether the line before was a trailer that a continuation extends.
    let mut extends = false;
    for line in &lines[start..] {
        if line.starts_with('#') {
            continue;
        }
        if extends && line.starts_with([' ', '\t']) {
            if let Some((_, value)) = out.last_mut() {
                let more = line.trim();
                if !more.is_empty() {
                    if !value.is_empty() {
                        value.push(' ');
                    }
                    value.push_str(more);
                }
            }
            continue;
        }
        match separator(line) {
            Some(at) => {
                out.push((
                    line[..at].trim().to_string(),
                    line[at + 1..].trim().to_string(),
                ));
                extends = true;
            }
            None => extends = false,
        }
    }
    out
}

/// The message's lines up to git's divider (a line starting with `---`
/// and a space, or `---` alone) and without the comments and blank lines
/// at its end.
fn body_lines(message: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = Vec::new();
    for line in message.split('\n') {
        if let Some(rest) = line.strip_prefix("---") {
            if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace()) {
                break;
            }
        }
        lines.push(line);
    }
    while lines
        .last()
        .is_some_and(|l| is_blank(l) || l.starts_with('#'))
    {
        lines.pop();
    }
    lines
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b.is_ascii_whitespace())
}

/// Where the key of a `Key: value` line ends: letters, digits and `-`,
/// then optional spaces, then `:`. `None` for any other line.
fn separator(line: &str) -> Option<usize> {
    let mut spaces = false;
    for (at, b) in line.bytes().enumerate() {
        if b == b':' {
            return (at >= 1).then_some(at);
        }
        if !spaces && (b.is_ascii_alphanumeric() || b == b'-') {
            continue;
        }
        if at != 0 && (b == b' ' || b == b'\t') {
            spaces = true;
            continue;
        }
        return None;
    }
    None
}

/// The first line of the trailer block: the last paragraph, when it is
/// not the title and its lines are all trailers (continuations allowed),
/// or when it holds a line git writes itself and at least a quarter of
/// its lines are trailers. `lines.len()` when there is no block.
fn block_start(lines: &[&str]) -> usize {
    // The first paragraph is the title.
    let end_of_title = lines
        .iter()
        .position(|l| !l.starts_with('#') && is_blank(l))
        .unwrap_or(lines.len());
    let (mut trailers, mut others, mut continuations) = (0usize, 0usize, 0usize);
    let mut git_line = false;
    let mut only_blank = true;
    for at in (end_of_title..lines.len()).rev() {
        let line = lines[at];
        if line.starts_with('#') {
            others += continuations;
            continuations = 0;
            continue;
        }
        if is_blank(line) {
            if only_blank {
                continue;
            }
            others += continuations;
            if (git_line && trailers * 3 >= others) || (trailers > 0 && others == 0) {
                return at + 1;
            }
            return lines.len();
        }
        only_blank = false;
        if GIT_GENERATED.iter().any(|p| line.starts_with(p)) {
            trailers += 1;
            continuations = 0;
            git_line = true;
        } else if separator(line).is_some() && !line.starts_with([' ', '\t']) {
            trailers += 1;
            continuations = 0;
        } else if line.starts_with([' ', '\t']) {
            continuations += 1;
        } else {
            others += 1 + continuations;
            continuations = 0;
        }
    }
    lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages that exercise each of git's rules.
    const MESSAGES: &[&str] = &[
        "Fix the pool\n\nAction-Item: INC-1#2\n",
        "Fix the pool\n\nAction-Item: INC-1#2\naction-item: INC-1#3\nACTION-ITEM:INC-2#1\n",
        // Not the last paragraph.
        "Fix the pool\n\nAction-Item: INC-1#2\n\nMore words about it.\n",
        // The title alone is never trailers.
        "Action-Item: INC-1#2\n",
        "Action-Item: INC-1#2\nAction-Item: INC-1#3\n",
        // A paragraph with prose and trailers, no line of git's.
        "Fix\n\nSome prose here.\nAction-Item: INC-1#2\n",
        // A quarter trailers, one of git's lines among them.
        "Fix\n\nprose one\nprose two\nSigned-off-by: A <a@example.com>\nAction-Item: INC-9#1\n",
        // Fewer than a quarter.
        "Fix\n\none\ntwo\nthree\nfour\nfive\nsix\nseven\nSigned-off-by: A <a@example.com>\n",
        // Continuation lines, unfolded.
        "Fix\n\nAction-Item: INC-1#2\nNote: a long\n  value that wraps\n\tand wraps again\n",
        // Spaces before the colon, trailing blank lines and comments.
        "Fix\n\nAction-Item : INC-4#1\n\n\n# a comment\n",
        // The patch divider ends the message.
        "Fix\n\nAction-Item: INC-5#1\n---\n diff --git a b\nAction-Item: INC-6#1\n",
        // A key with a space inside is not a key.
        "Fix\n\nAction Item: INC-1#2\n",
        // A merge's own message.
        "Merge branch 'fix'\n\nAction-Item: INC-7#1\n",
        // URLs are not keys.
        "Fix\n\nSee https://example.com/x\nAction-Item: INC-8#1\n",
        "Fix\n\n(cherry picked from commit 0123456789012345678901234567890123456789)\nAction-Item: INC-8#2\n",
        "",
        "\n\n\n",
        "Fix\n\n   \nAction-Item: INC-10#1\n",
    ];

    #[test]
    fn reads_trailers_as_git_does() {
        // The reference is git itself; without git on the machine there
        // is nothing to compare with.
        let Ok(version) = std::process::Command::new("git").arg("--version").output() else {
            eprintln!("note: git not found; trailer parsing not compared with git");
            return;
        };
        assert!(version.status.success());
        for message in MESSAGES {
            let mut child = std::process::Command::new("git")
                .args([
                    "-c",
                    "trailer.separators=:",
                    "interpret-trailers",
                    "--parse",
                ])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(message.as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            assert!(output.status.success());
            let git = String::from_utf8(output.stdout).unwrap();
            let ours: String = trailers(message)
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}\n"))
                .collect();
            assert_eq!(ours, git, "message {message:?}");
        }
    }

    #[test]
    fn action_items_by_key_in_any_case() {
        assert_eq!(action_items(MESSAGES[1]), ["INC-1#2", "INC-1#3", "INC-2#1"]);
        assert!(action_items(MESSAGES[2]).is_empty());
        assert!(action_items(MESSAGES[3]).is_empty());
        assert!(action_items(MESSAGES[5]).is_empty());
        assert_eq!(action_items(MESSAGES[6]), ["INC-9#1"]);
        assert_eq!(action_items(MESSAGES[12]), ["INC-7#1"]);
        // The same id twice is one link.
        assert_eq!(
            action_items("x\n\nAction-Item: A#1\naction-item: A#1\n"),
            ["A#1"]
        );
    }

    #[test]
    fn revert_line() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let message = format!("Revert \"Fix\"\n\nThis reverts commit {sha}.\n");
        assert_eq!(reverted_commit(&message).as_deref(), Some(sha));
        let merge = format!(
            "Revert\n\nThis reverts commit {}, reversing\nchanges made to x.\n",
            sha.to_uppercase()
        );
        assert_eq!(reverted_commit(&merge).as_deref(), Some(sha));
        assert_eq!(reverted_commit("This reverts commit 0123abc."), None);
        assert_eq!(reverted_commit("Fix\n\nNo revert here.\n"), None);
    }
}
