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
    serve_with(root, port, &[], None)
}

/// `serve` with more arguments, optionally with at most `open_files`
/// file descriptors (a shell's `ulimit -n`).
fn serve_with(root: &Path, port: u16, extra: &[&str], open_files: Option<u32>) -> (Serve, String) {
    let bin = env!("CARGO_BIN_EXE_hindsight");
    let mut command = match open_files {
        Some(n) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let child = command
        .arg("-C")
        .arg(root)
        .args([
            "serve",
            "--today",
            "2026-11-22",
            "--port",
            &port.to_string(),
        ])
        .args(extra)
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

/// The raw answer to `request`, as (status, whole reply); a server that
/// does not answer within `within` fails the test.
fn exchange(port: u16, request: &[u8], within: Duration) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(within)).unwrap();
    s.write_all(request).unwrap();
    let mut reply = Vec::new();
    let _ = s.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).into_owned();
    assert!(reply.len() >= 12, "no answer within {within:?}: {reply:?}");
    (reply[9..12].parse().unwrap(), reply)
}

fn get_as(port: u16, host: &str, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    exchange(port, request.as_bytes(), Duration::from_secs(5))
}

/// A page in another tab whose name was rebound to 127.0.0.1 sends its
/// own name as `Host`: it gets nothing, not even the live state.
#[test]
fn only_loopback_host_names_are_answered() {
    let dir = scratch_examples();
    let (server, _) = serve(dir.path(), 0);
    let port = server.port;
    for host in [
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
        format!("docs.localhost:{port}"),
    ] {
        assert_eq!(get_as(port, &host, "/").0, 200, "{host}");
    }
    for path in [
        "/",
        "/__hindsight/state",
        "/__hindsight/wait?version=0",
        "/assets/style.css",
    ] {
        let (status, reply) = get_as(port, "evil.example", path);
        assert_eq!(status, 403, "{path}: {reply}");
        assert!(reply.contains("--host evil.example"), "{reply}");
        assert!(!reply.contains("problems"), "{reply}");
        assert_eq!(get_as(port, &format!("evil.example:{port}"), path).0, 403);
    }
    assert_eq!(get_as(port, "localhost.evil.example", "/").0, 403);
    // No Host header at all: nothing a browser would send, refused too.
    let (status, _) = exchange(port, b"GET / HTTP/1.0\r\n\r\n", Duration::from_secs(5));
    assert_eq!(status, 403);

    // --host adds a name on purpose.
    let (other, _) = serve_with(dir.path(), 0, &["--host", "preview.internal"], None);
    assert_eq!(get_as(other.port, "Preview.Internal:4000", "/").0, 200);
    assert_eq!(get_as(other.port, "evil.example", "/").0, 403);
}

/// Headers past 16 KiB are refused without reading them whole; requests
/// that are not HTTP get 400.
#[test]
fn oversized_and_malformed_requests_are_refused() {
    let dir = scratch_examples();
    let (server, _) = serve(dir.path(), 0);
    let port = server.port;
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    assert_eq!(
        exchange(port, big.as_bytes(), Duration::from_secs(5)).0,
        431
    );
    assert_eq!(
        exchange(port, b"NOT HTTP AT ALL\r\n\r\n", Duration::from_secs(5)).0,
        400
    );
    let (status, _) = exchange(
        port,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc",
        Duration::from_secs(5),
    );
    assert_eq!(status, 405);
    // Two requests on one kept-alive connection.
    let (status, reply) = exchange(
        port,
        b"GET /__hindsight/state HTTP/1.1\r\nHost: localhost\r\n\r\n\
          GET /__hindsight/state HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        Duration::from_secs(5),
    );
    assert_eq!(status, 200);
    assert_eq!(reply.matches("HTTP/1.1 200 OK").count(), 2, "{reply}");
    assert_eq!(get(port, "/").0, 200);
}

/// Raise this process's soft limit on open files to `want` (or the hard
/// limit): the test holds thousands of sockets.
#[cfg(unix)]
fn open_files_at_least(want: libc::rlim_t) -> libc::rlim_t {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < want {
            limit.rlim_cur = want.min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    limit.rlim_cur
}

/// 2,000 connections that never finish a request (and 100 pages waiting
/// for a change) leave the server listening, and a page is answered
/// within a second; waiters past the bound get 503.
#[cfg(unix)]
#[test]
fn thousands_of_idle_connections_do_not_stop_the_server() {
    let dir = scratch_examples();
    let (server, _) = serve(dir.path(), 0);
    let port = server.port;
    let idle = 2_000u64.min(open_files_at_least(2_400).saturating_sub(300));
    assert!(idle >= 900, "too few open files allowed to test: {idle}");
    let mut held = Vec::new();
    for n in 0..idle {
        let Ok(mut s) =
            TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))
        else {
            continue;
        };
        // Half of them start a request and never end it.
        if n % 2 == 0 {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
        }
        held.push(s);
    }
    let waiting: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
            s.write_all(b"GET /__hindsight/wait?version=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, reply) = exchange(
        port,
        format!("GET /incidents/{ID}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .as_bytes(),
        Duration::from_secs(1),
    );
    let took = started.elapsed();
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains("Slow staff logins"));
    assert!(took < Duration::from_secs(1), "{took:?}");
    // Some of the waiters past the bound were told to come back.
    let mut refused = 0;
    for mut s in waiting {
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut buf = [0u8; 12];
        if s.read_exact(&mut buf).is_ok() && &buf[9..12] == b"503" {
            refused += 1;
        }
    }
    assert!(refused >= 100 - 64, "{refused} of 100 waiters refused");
    drop(held);
    assert_eq!(get(port, "/").0, 200);
}

/// A document changed into a link out of the repository, a link to
/// /dev/zero or a FIFO is refused as lint refuses it: the page keeps its
/// last version, the overlay says why, and every page still answers.
#[cfg(unix)]
#[test]
fn changed_documents_are_read_through_the_gate() {
    let dir = scratch_examples();
    let root = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root.join(PAGE)).unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        original.replace("title: Slow staff logins", "title: OUTSIDE-SECRET"),
    )
    .unwrap();
    let (server, _) = serve(root, 0);
    let port = server.port;
    let page = format!("/incidents/{ID}/");
    assert_eq!(get(port, &page).0, 200);

    let file = root.join(PAGE);
    // Swapped in at once (a rename), as editors save.
    let swap = |make: &dyn Fn(&Path)| {
        let tmp = file.with_file_name(".swap");
        make(&tmp);
        std::fs::rename(&tmp, &file).unwrap();
    };
    swap(&|p| std::os::unix::fs::symlink("/dev/zero", p).unwrap());
    let state = wait_for(port, |s| s.contains("unreadable"));
    assert!(state.contains("outside the repository"), "{state}");

    swap(&|p| assert!(Command::new("mkfifo").arg(p).status().unwrap().success()));
    let state = wait_for(port, |s| s.contains("FIFO"));
    assert!(state.contains(PAGE), "{state}");
    let started = Instant::now();
    let (status, html) = get(port, &page);
    assert_eq!(status, 200);
    assert!(html.contains("Slow staff logins"));
    assert_eq!(get(port, "/").0, 200);
    assert!(started.elapsed() < Duration::from_secs(2));

    swap(&|p| std::os::unix::fs::symlink(outside.path().join("secret.md"), p).unwrap());
    let state = wait_for(port, |s| {
        s.contains("outside the repository") && !s.contains("FIFO")
    });
    assert!(!state.contains("OUTSIDE-SECRET"), "{state}");
    let (_, html) = get(port, &page);
    assert!(html.contains("Slow staff logins") && !html.contains("OUTSIDE-SECRET"));

    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, &original).unwrap();
    wait_for(port, |s| s.ends_with("\"problems\":[]}"));
}

/// Out of file descriptors (here 128), the server closes connections
/// that sent nothing to make room and keeps listening: a page is still
/// answered within a second. (Half-open connections used to end the
/// accept loop for good.)
#[cfg(unix)]
#[test]
fn running_out_of_file_descriptors_does_not_stop_listening() {
    let dir = scratch_examples();
    let (server, _) = serve_with(dir.path(), 0, &[], Some(128));
    let port = server.port;
    open_files_at_least(1_000);
    let held: Vec<TcpStream> = (0..400)
        .filter_map(|_| {
            TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok()
        })
        .collect();
    assert!(held.len() > 300, "{}", held.len());
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..3 {
        let started = Instant::now();
        let (status, _) = exchange(
            port,
            format!(
                "GET /incidents/{ID}/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
            Duration::from_secs(1),
        );
        assert_eq!(status, 200);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    drop(held);
}

/// The store keeps what the full load computed: an image in a drill's
/// body is served as `build` copies it, and a postmortem's publication
/// day read from the history survives an edit of its file.
#[test]
fn drill_images_and_history_days_are_served_as_built() {
    let dir = scratch_examples();
    let root = dir.path();
    let incident = root.join("incidents/2026/2026-05-20-payments-webhook-delays-kafka-disk.md");
    let text = std::fs::read_to_string(&incident).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("published_on:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&incident, &text).unwrap();
    let drill = root.join("drills/2026/2026-10-21-game-day-pg-main-failover.md");
    let mut body = std::fs::read_to_string(&drill).unwrap();
    body.push_str("\n![The failover map](failover-map.png)\n");
    std::fs::write(&drill, body).unwrap();
    std::fs::write(root.join("drills/2026/failover-map.png"), b"PNG map").unwrap();
    let when = [
        ("GIT_AUTHOR_DATE", "2026-05-29T12:00:00Z"),
        ("GIT_COMMITTER_DATE", "2026-05-29T12:00:00Z"),
    ];
    crate::prelude::git_with(root, &when, &["init", "-q"]);
    crate::prelude::git_with(root, &when, &["add", "-A"]);
    crate::prelude::git_with(root, &when, &["commit", "-q", "-m", "Postmortems"]);

    let (server, _) = serve(root, 0);
    let port = server.port;
    let (status, image) = get(port, "/files/drills/2026/failover-map.png");
    assert_eq!((status, image.as_str()), (200, "PNG map"));
    let page = "/incidents/INC-2026-003/";
    let published = "published 2026-05-29";
    assert!(get(port, page).1.contains(published));
    std::fs::write(&incident, text.replace("\ntitle: ", "\ntitle: Edited ")).unwrap();
    wait_for(port, |s| s.starts_with("{\"version\":1"));
    let (_, html) = get(port, page);
    assert!(html.contains("Edited "), "the edit was not served");
    assert!(html.contains(published), "the day was lost after the edit");
}

/// The team pages (SPEC section 10) come from the same list of pages as
/// `build`'s: the index and each emergency card are served, without
/// contacts, and follow edits of the plans.
#[test]
fn team_pages_are_served_and_follow_their_plans() {
    let dir = scratch_examples();
    let root = dir.path();
    let (server, _) = serve(root, 0);
    let port = server.port;
    let (status, index) = get(port, "/teams/");
    assert_eq!(status, 200);
    assert!(index.contains(r#"<a href="../teams/payments/index.html">Payments</a>"#));
    let (status, card) = get(port, "/teams/payments/index.html");
    assert_eq!(status, 200);
    assert!(card.contains("<b>Priya Nair</b>"), "{card}");
    assert!(
        !card.contains("7946 0101"),
        "no phone number without site.contacts"
    );
    assert_eq!(get(port, "/teams/nobody/").0, 404);

    let file = root.join("teams/payments.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("name: Payments\n", "name: Payments and billing\n"),
    )
    .unwrap();
    wait_for(port, |s| s.starts_with("{\"version\":1"));
    assert!(get(port, "/teams/payments/")
        .1
        .contains(r#"<h1 id="hs-team-name">Payments and billing</h1>"#));

    // A new plan gets its card and a row in the index.
    let edge = std::fs::read_to_string(root.join("teams/edge.md")).unwrap();
    let search = edge
        .replace("id: edge", "id: search-team")
        .replace("services: [dns, cdn, auth]", "services: [queue]");
    std::fs::write(root.join("teams/search-team.md"), search).unwrap();
    wait_for(port, |s| s.starts_with("{\"version\":2"));
    let (status, card) = get(port, "/teams/search-team/");
    assert_eq!(status, 200, "{card}");
    assert!(get(port, "/teams/").1.contains("search-team"));
}
