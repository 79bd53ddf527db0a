//! `hindsight serve` on a scratch copy of a repository: pages over HTTP,
//! the wait that open pages reload on, problems of changed documents, the
//! next free port, and nothing written into the repository. The browser
//! half (tests/browser/serve.mjs) runs in Debian's headless Chromium; set
//! up as for tests/browser.rs, skipped without it except in CI.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";
const PAGE: &str = "incidents/2026/2026-02-03-admin-login-latency-session-cache.md";
const ID: &str = "INC-2026-001";

struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path, port: u16) -> (Serve, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_hindsight"))
        .arg("-C")
        .arg(root)
        .args([
            "serve",
            "--today",
            "2026-11-22",
            "--port",
            &port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Owned by the guard at once, so the server is killed and reaped even
    // when the test fails before it is up.
    let mut served = Serve { child, port: 0 };
    let mut stderr = BufReader::new(served.child.stderr.take().unwrap());
    let mut said = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "serve stopped: {said}"
        );
        said.push_str(&line);
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            let port = rest.split('/').next().unwrap().parse().unwrap();
            // Keep draining stderr so the server never blocks on it.
            std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
            served.port = port;
            return (served, said);
        }
    }
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let status = reply[9..12].parse().unwrap();
    let body = reply
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(snapshot(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

fn scratch_examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::prelude::copy_dir(Path::new("examples"), dir.path());
    dir
}

#[test]
fn pages_follow_the_repository() {
    let dir = scratch_examples();
    let root = dir.path();
    let (server, _) = serve(root, 0);
    let port = server.port;

    let (status, index) = get(port, "/");
    assert_eq!(status, 200);
    assert!(index.contains("<script data-hindsight-live data-version=\"0\">"));
    assert!(index.contains("/__hindsight/wait?version="));
    let page = format!("/incidents/{ID}/");
    let (status, html) = get(port, &page);
    assert_eq!(status, 200);
    assert!(html.contains("Slow staff logins"), "{html}");
    assert_eq!(get(port, "/assets/style.css").0, 200);
    assert_eq!(get(port, "/no/such/page/").0, 404);
    assert_eq!(get(port, "/files/../hindsight.yaml").0, 400);
    assert_eq!(
        get(port, "/__hindsight/state").1,
        r#"{"version":0,"problems":[]}"#
    );

    // An edit on disk: the wait returns with a new version, the page has it.
    let file = root.join(PAGE);
    let original = std::fs::read_to_string(&file).unwrap();
    let waiter = std::thread::spawn(move || get(port, "/__hindsight/wait?version=0").1);
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(
        &file,
        original.replace("title: Slow staff logins", "title: Renamed logins"),
    )
    .unwrap();
    assert_eq!(waiter.join().unwrap(), r#"{"version":1}"#);
    let (_, html) = get(port, &page);
    assert!(html.contains("Renamed logins"));
    assert!(html.contains("data-version=\"1\""));

    // A schema error of the changed document is reported; the page is
    // still built from it.
    std::fs::write(&file, original.replace("severity: SEV", "severity: LEVEL")).unwrap();
    let state = wait_for(port, |s| s.contains("\"code\":\"schema\""));
    assert!(state.contains(PAGE), "{state}");
    // Clean again: no problem left.
    std::fs::write(&file, &original).unwrap();
    wait_for(port, |s| s.ends_with("\"problems\":[]}"));

    // A new runbook gets its page; a duplicate id is reported for the new file.
    let runbook = std::fs::read_to_string(
        root.join("runbooks")
            .read_dir()
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("README.md"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(root.join("runbooks/copy.md"), &runbook).unwrap();
    let state = wait_for(port, |s| s.contains("duplicate-id"));
    assert!(state.contains("runbooks/copy.md"), "{state}");
    drop(server);
    std::fs::remove_file(root.join("runbooks/copy.md")).unwrap();

    // Nothing was written into the repository.
    let fresh = scratch_examples();
    let strip = |snap: Vec<(PathBuf, Vec<u8>)>, base: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        snap.into_iter()
            .map(|(p, b)| (p.strip_prefix(base).unwrap().to_path_buf(), b))
            .collect()
    };
    assert_eq!(
        strip(snapshot(root), root),
        strip(snapshot(fresh.path()), fresh.path())
    );
}

/// The live state once `ready` holds (within ten seconds).
fn wait_for(port: u16, ready: impl Fn(&str) -> bool) -> String {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, state) = get(port, "/__hindsight/state");
        if ready(&state) {
            return state;
        }
        assert!(Instant::now() < until, "never ready: {state}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_taken_port_gives_the_next_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = scratch_examples();
    let (server, said) = serve(dir.path(), port);
    assert!(server.port > port, "{said}");
    assert!(
        said.contains(&format!("port {port} is taken; using {}", server.port)),
        "{said}"
    );
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn an_open_page_follows_edits_in_chromium() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules = manifest.join("tests/browser/node_modules/playwright-core");
    let node = Command::new("node").arg("--version").output().is_ok();
    if !(Path::new(CHROMIUM).is_file() && modules.is_dir() && node) {
        let notice = "serve browser test needs: apt-get install -y chromium; npm ci --prefix tests/browser; Node.js";
        if std::env::var_os("CI").is_some() {
            panic!("{notice}");
        }
        eprintln!("skipped: {notice}");
        return;
    }
    let dir = scratch_examples();
    let (server, _) = serve(dir.path(), 0);
    let out = Command::new("node")
        .arg(manifest.join("tests/browser/serve.mjs"))
        .arg(format!("http://127.0.0.1:{}/incidents/{ID}/", server.port))
        .arg(dir.path().join(PAGE))
        .output()
        .expect("node runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "{report}");
    assert!(report.contains("6 passed, 0 failed"), "{report}");
}

/// The full-text search files are served as `build` writes them, and a
/// file that the index does not have is a 404.
#[test]
fn search_files_are_served_as_built() {
    let repo = scratch_examples();
    let out = tempfile::tempdir().unwrap();
    crate::prelude::hindsight(repo.path())
        .args(["build", "--today", "2026-11-22", "--out"])
        .arg(out.path().join("site"))
        .assert()
        .success();
    let (server, _) = serve(repo.path(), 0);
    let dir = out.path().join("site/assets/search");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() > 3, "{files:?}");
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let (status, body) = get(server.port, &format!("/assets/search/{name}"));
        assert_eq!(status, 200, "{name}");
        assert_eq!(body, std::fs::read_to_string(file).unwrap(), "{name}");
    }
    assert_eq!(get(server.port, "/assets/search/t-ffff.js").0, 404);
}
