//! The README and the user guide show real output: every `console` example
//! that runs on the bundled example repository, explains a code, or walks
//! the tour in a fresh repository is run here, and each line it shows must
//! be a line the command prints, in order (`...` stands for lines left
//! out). The Neovim 0.7 set-up the guide gives is run in Debian's Neovim.

use crate::prelude::*;
use std::process::Command as StdCommand;

/// Files whose examples are checked.
const DOCUMENTS: &[&str] = &[
    "README.md",
    "docs/src/getting-started.md",
    "docs/src/postmortems.md",
    "docs/src/runbooks.md",
    "docs/src/lint.md",
    "docs/src/reviews.md",
    "docs/src/teams.md",
];

/// One `$ hindsight ...` line of a console block and the lines shown under it.
struct Example {
    file: String,
    command: String,
    shown: Vec<String>,
}

fn console_examples(file: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let mut examples = Vec::new();
    let mut in_console = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                file: file.to_string(),
                command: command.to_string(),
                shown: Vec::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.shown.push(line.trim_end().to_string());
        }
    }
    // The blank line that separates one command from the next is not output.
    for example in &mut examples {
        while example.shown.last().is_some_and(String::is_empty) {
            example.shown.pop();
        }
    }
    examples
}

/// The words of a command line, with "double quotes" grouping words.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Every shown line is a printed line, in the order shown.
fn assert_shown(example: &Example, printed: &str) {
    let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
    let mut at = 0;
    for line in example.shown.iter().filter(|l| l.as_str() != "...") {
        match printed[at..].iter().position(|p| p == line) {
            Some(n) => at += n + 1,
            None => panic!(
                "{}: `{}` shows a line it does not print:\n  {line}\nIt prints:\n{}",
                example.file,
                example.command,
                printed.join("\n")
            ),
        }
    }
}

fn printed(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn the_examples_show_what_hindsight_prints() {
    let mut checked = 0;
    for file in DOCUMENTS {
        // The tour's commands run in order in a repository of their own.
        let scratch = TempDir::new().unwrap();
        StdCommand::new("git")
            .args(["init", "-q"])
            .current_dir(scratch.path())
            .status()
            .unwrap();
        for example in console_examples(file) {
            let words = words(&example.command);
            if words.first().map(String::as_str) != Some("hindsight") || words.contains(&"#".into())
            {
                continue;
            }
            let args = &words[1..];
            let mut cmd = bin();
            match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
                ["-C", "examples", ..] => {
                    cmd.arg("-C").arg(fixture("examples")).args(&args[2..]);
                }
                ["lint", "--explain", _] => {
                    cmd.args(args);
                }
                ["init"] | ["new", ..] => {
                    cmd.current_dir(scratch.path()).args(args);
                }
                _ => continue, // a made-up repository, or output that changes run to run
            }
            assert_shown(&example, &printed(&mut cmd));
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} examples checked");
}

/// The `<!-- neovim-0.7 -->` Lua block of the editors chapter, loaded into
/// Neovim as a user's init.lua would be, attaches `hindsight lsp` to a
/// postmortem and shows its diagnostics. Skipped without Neovim, except in
/// CI (env `CI` set), like the other editor test.
#[test]
fn the_guides_neovim_07_setup_attaches_the_server() {
    if StdCommand::new("nvim").arg("--version").output().is_err() {
        let notice = "editor test needs: apt-get install -y neovim";
        if std::env::var_os("CI").is_some() {
            panic!("{notice}");
        }
        eprintln!("skipped: {notice}");
        return;
    }
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/editors.md"))
            .unwrap();
    let block = guide
        .split_once("<!-- neovim-0.7 -->\n```lua\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the editors chapter has the Neovim 0.7 block")
        .0;
    let dir = TempDir::new().unwrap();
    let root = dir.path().canonicalize().unwrap();
    write(&root, "hindsight.yaml", "title: Neovim\n");
    write(
        &root,
        "incidents/a.md",
        "---\nid: INC-1\ntitle: t\nstatus: draft\nseverity: SEV9\nstarted_at: 2026-03-14T09:00:00Z\n---\n",
    );
    write(&root, "init.lua", block);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_hindsight")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let wait = "lua if vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 20) \
                then io.stdout:write('diagnostics: ' .. #vim.diagnostic.get(0) .. '\\n') \
                vim.cmd('qall!') else vim.cmd('cquit 1') end";
    let out = StdCommand::new("nvim")
        .args(["--headless", "--clean", "-n", "-c", "luafile init.lua"])
        .args(["-c", "edit incidents/a.md", "-c", wait])
        .current_dir(&root)
        .env("PATH", path)
        .output()
        .expect("nvim runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && printed.contains("diagnostics: "),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The commands the guide says take `--today` do take it.
#[test]
fn the_commands_said_to_take_today_do() {
    let guide = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/src/getting-started.md"),
    )
    .unwrap();
    let said = "answer depends on the day (`actions`, `runbooks`, `postmortems`, `report`,\n`build`) take `--today YYYY-MM-DD`";
    assert!(guide.contains(said), "the guide no longer lists them");
    for command in ["actions", "runbooks", "postmortems", "report", "build"] {
        let help = stdout_of(bin().args([command, "--help"]));
        assert!(
            help.contains("--today <"),
            "`{command}` takes no --today:\n{help}"
        );
    }
}

/// A Neovim set-up shown anywhere says which Neovim it needs: the one with
/// `vim.lsp.start` says 0.8 or later, and the 0.7 form is given beside it
/// (the README links to the editors chapter rather than carrying one).
#[test]
fn every_neovim_setup_says_it_needs_08_and_gives_the_07_form() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for file in ["README.md", "docs/src/editors.md"] {
        let text = std::fs::read_to_string(manifest.join(file)).unwrap();
        let Some(at) = text.find("vim.lsp.start(") else {
            continue;
        };
        seen += 1;
        let before = &text[..at];
        let heading = before.rfind("Neovim 0.8 or later").expect(file);
        // The note heads the block that calls it: one Lua block between.
        assert_eq!(
            before[heading..].matches("```lua").count(),
            1,
            "{file}: the 0.8 note is for another block"
        );
        assert!(
            text.contains("<!-- neovim-0.7 -->\n```lua\n"),
            "{file}: no Neovim 0.7 form beside the 0.8 one"
        );
        assert!(text.contains("**Neovim 0.7**"), "{file}");
    }
    assert!(
        seen >= 1,
        "no Neovim set-up found in the README or the guide"
    );
    let readme = std::fs::read_to_string(manifest.join("README.md")).unwrap();
    assert!(
        readme.contains("(docs/src/editors.md)"),
        "the README links the editors chapter"
    );
}

/// `init` pins the action by tag; the workflow it writes and the CI chapter
/// both say how to pin it by commit SHA instead.
#[test]
fn pinning_the_action_by_commit_is_documented() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workflow = std::fs::read_to_string(manifest.join("scaffold/github-workflow.yml")).unwrap();
    assert!(
        workflow
            .contains("# To pin by commit instead of tag (a tag can be moved; a commit cannot),"),
        "{workflow}"
    );
    assert!(workflow.contains("#   - uses: hindsight-dev/hindsight@<40-character commit SHA> # v"));
    let ci = std::fs::read_to_string(manifest.join("docs/src/ci.md")).unwrap();
    assert!(
        ci.contains("**Pinning.** `hindsight init` pins the action by tag."),
        "{ci}"
    );
    assert!(
        ci.contains("- uses: hindsight-dev/hindsight@<40-hex commit>   # v"),
        "{ci}"
    );
}
