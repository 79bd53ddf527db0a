#!/usr/bin/env python3
"""Time and memory of `lint` and `build` on the hostile repositories of
tests/hostile.rs that do the most work, several runs each, and on two
bodies of dense inline Markdown (refused past 400,000 markup
characters); then the
full-size hostile inputs of `serve` and `lsp` (tests/testsuite/serve.rs
and lsp.rs run smaller ones).

    python3 bench/hostile.py [--bin target/release/hindsight] [--runs 3]

Prints, per case, the command run, the median wall time with the spread
over the runs, the peak resident memory (from /usr/bin/time, or the
server's VmHWM) and `ok`, or `OVER` when the slowest run took more than
2 s or one used more than 300 MiB: the budget of the hardening. The last
line counts the cases over it.
"""
import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time

# The budget of one run.
MAX_SECONDS = 2.0
MAX_MIB = 300.0
# Every row printed, for the count at the end.
ROWS = []

DRAFT = "---\nid: {id}\ntitle: Draft {id}\nstatus: draft\nseverity: SEV3\nstarted_at: {at}\n---\n\n{body}"


def case_files():
    links = "".join(f"[x](m{n}.md)" for n in range(10_000)) + "\n"
    pad = "é" * 160
    long_line = "".join(f"{pad}[x](m{n:05}.md)" for n in range(10_000)) + "\n"
    related = ", ".join(f"NOPE-{n}" for n in range(6_500))
    return {
        "10k-links-one-line": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=links)},
        "3MB-line": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=long_line)},
        "10k-same-headings": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="## Impact\n\ntext\n\n" * 10_000)},
        "100k-headings": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="".join(f"## Step {n}\n" for n in range(100_000)))},
        "100k-nested-divs": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="<div>" * 100_000 + "deep\n")},
        "years-0001-9999": {
            "incidents/a.md": DRAFT.format(id="A", at="0001-01-01T00:00:00Z", body=""),
            "incidents/b.md": DRAFT.format(id="B", at="9999-12-31T00:00:00Z", body=""),
        },
        "6500-unknown-related": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("---\n\n", f"related: [{related}]\n---\n\n", 1)},
    }


def hardening_files():
    """The full sizes of the hardening cases of tests/hostile.rs."""
    same_ids = "".join("  - {id: X, title: t, owner: o, due: 2026-04-01, status: open}\n" for _ in range(3_000))
    anchor = "y" * 1_000_000
    aliases = "".join("  - {title: t, owner: o, due: 2026-04-01, status: open, kind: *big}\n" for _ in range(500))
    million_links = "".join(f"[x](m{n}.md)\n" for n in range(1_000_000))
    words = " ".join(f"qq{n:06}" for n in range(200_000)) + "\n"

    def front(extra):
        return DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("---\n\n", extra + "---\n\n", 1)

    return {
        "3000-same-item-ids": {"incidents/a.md": front(f"action_items:\n{same_ids}")},
        "15MB-status": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="").replace("status: draft", "status: " + "x" * 15_000_000)},
        "500-aliases-1MB": {"incidents/a.md": front(f"summary: &big {anchor}\naction_items:\n{aliases}")},
        "1M-broken-links": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=million_links)},
        "200k-distinct-words": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=words)},
        "due-days-overflow": {"hindsight.yaml": "postmortem_due_days: 106751991167300\n", "incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="")},
    }


def open_files():
    """Dense inline Markdown: the Markdown parser's tree of such a body
    costs 100 to 250 bytes per byte of it, so a body past 400,000
    characters that open inline markup is refused before it is parsed.
    Reference links are not counted by the bound on inline links."""
    reference_links = "[r]: a.md\n\n" + "[x][r]\n" * 1_000_000
    emphasis = "*a*\n" * 2_000_000
    return {
        "1M-reference-links": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=reference_links)},
        "2M-emphasis-lines": {"incidents/a.md": DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body=emphasis)},
    }


def deep_history(root, depth=2_400):
    """A git history holding incidents/a/a/.../x.md `depth` folders deep
    (no work tree can hold the path), then a commit that removes it."""
    def git(*args, stdin=None):
        return subprocess.run(["git", "-C", root, *args], input=stdin, capture_output=True, text=True, check=True).stdout.strip()

    os.makedirs(root, exist_ok=True)
    git("init", "-q")
    oid = git("hash-object", "-w", "--stdin", stdin="---\nid: DEEP\n---\n")
    tree = git("mktree", stdin=f"100644 blob {oid}\tx.md\n")
    for _ in range(depth):
        tree = git("mktree", stdin=f"040000 tree {tree}\ta\n")
    top = git("mktree", stdin=f"040000 tree {tree}\tincidents\n")
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    os.environ.update(env)
    first = git("commit-tree", top, "-m", "deep")
    empty = git("mktree", stdin="")
    second = git("commit-tree", empty, "-p", first, "-m", "gone")
    git("update-ref", "HEAD", second)


def commands_for(name, tmp):
    """What each case runs: lint and build, and on the hardening cases the
    machine formats and the commands that read the history."""
    site = ["build", "--today", "2026-11-22", "--out", os.path.join(tmp, "site")]
    if name in ("3000-same-item-ids", "1M-broken-links"):
        return [["lint"], ["lint", "--format", "github"], ["lint", "--format", "sarif"], site]
    if name in ("due-days-overflow", "deep-tree-2400"):
        return [["lint"], ["postmortems", "--today", "2026-11-22"], ["report", "--month", "2026-03", "--today", "2026-11-22"], site]
    return [["lint"], site]


def measure(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True)
    if out.returncode not in (0, 1, 2):
        raise SystemExit(f"{' '.join(cmd)} exited {out.returncode}:\n{out.stderr[-2000:]}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024


def header():
    print(f"{'case':24} {'command':52} {'median s':>8} {'min-max s':>11} {'peak MiB':>8}  verdict")


def row(name, command, walls, rss, broken=False):
    """One line of the table: `OVER` when the slowest run or the peak
    memory is past the budget, `FAILED` when the case did not do what it
    must (`broken`)."""
    over = max(walls) > MAX_SECONDS or rss > MAX_MIB
    verdict = "FAILED" if broken else "OVER" if over else "ok"
    ROWS.append(verdict)
    spread = f"{min(walls):.2f}-{max(walls):.2f}"
    print(f"{name:24} {command:52} {statistics.median(walls):8.2f} {spread:>11} {rss:8.0f}  {verdict}", flush=True)


def note(text):
    """A line under a row: what the case answered."""
    print(f"{'':24} {text}", flush=True)


def shown(command):
    """The command as typed, with the temporary folder left out."""
    words = []
    for w in command:
        words.append("site" if w.endswith(os.sep + "site") else w)
    return "hindsight " + " ".join(words)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--bin",
        default=os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "release", "hindsight"),
    )
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no hindsight at {binary}: run `cargo build --release` or pass --bin")
    header()
    cases = {**case_files(), **hardening_files(), "deep-tree-2400": None, **open_files()}
    for name, files in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "repo")
            if files is None:
                deep_history(root)
                files = {}
            for rel, text in files.items():
                path = os.path.join(root, rel)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
            for command in commands_for(name, tmp):
                results = [measure([binary, "-C", root, *command]) for _ in range(args.runs)]
                walls = [w for w, _ in results]
                rss = max(r for _, r in results)
                row(name, shown(command), walls, rss)
    serve_cases(binary, args.runs)
    lsp_cases(binary, args.runs)
    over = sum(1 for v in ROWS if v != "ok")
    print(f"{len(ROWS)} cases, {over} over the budget of {MAX_SECONDS:g} s and {MAX_MIB:g} MiB or failed")


def peak_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start_serve(binary, root, *extra):
    proc = subprocess.Popen([binary, "-C", root, "serve", "--port", "0", "--today", "2026-11-22", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while True:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit("serve stopped before it listened")
        if line.startswith("serving http://127.0.0.1:"):
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, int(line.split(":")[2].split("/")[0])


def http_get(port, path="/", host="127.0.0.1", timeout=5.0):
    """Status and seconds taken of one GET on a fresh connection."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    return int(reply[9:12] or 0), time.monotonic() - started


def serve_cases(binary, runs):
    """serve on a copy of examples/: a foreign Host, 2,000 idle and
    half-sent connections with a page asked for among them, 2,000
    concurrent page requests, and documents swapped for /dev/zero and a
    FIFO."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 8192), hard), hard))
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(here, "examples"), root)
        proc, port = start_serve(binary, root)
        try:
            status, took = http_get(port, "/__hindsight/state", host="evil.example")
            row("foreign-host", "serve: GET /__hindsight/state, Host: evil.example", [took], peak_mib(proc.pid), broken=status != 403)
            note(f"status {status} (403 expected)")
            walls = []
            for _ in range(runs):
                held = []
                for n in range(2000):
                    s = socket.create_connection(("127.0.0.1", port), timeout=5)
                    if n % 2 == 0:
                        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    held.append(s)
                status, took = http_get(port, "/incidents/INC-2026-001/")
                assert status == 200, status
                walls.append(took)
                for s in held:
                    s.close()
            row("2000-idle-connections", "serve: GET a page beside 2,000 held", walls, peak_mib(proc.pid))
            walls = []
            for _ in range(runs):
                results = []
                def one():
                    try:
                        results.append(http_get(port, "/incidents/INC-2026-001/", timeout=10))
                    except OSError:
                        results.append((0, 10.0))
                threads = [threading.Thread(target=one) for _ in range(2000)]
                started = time.monotonic()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                walls.append(time.monotonic() - started)
                ok = sum(1 for st, _ in results if st == 200)
                busy = sum(1 for st, _ in results if st == 503)
            row("2000-concurrent-pages", "serve: 2,000 GETs of a page at once (all)", walls, peak_mib(proc.pid))
            note(f"last run: {ok} answered 200, {busy} told 503, slowest {max(t for _, t in results):.2f} s")
            page = next(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "incidents")) for f in sorted(fs) if f.endswith(".md") and f != "README.md")
            for name, make in (("dev-zero-link", lambda p: os.symlink("/dev/zero", p)), ("fifo-document", os.mkfifo)):
                swap = os.path.join(os.path.dirname(page), ".swap")
                make(swap)
                os.replace(swap, page)
                time.sleep(0.5)
                status, took = http_get(port, "/")
                row(name, "serve: GET / with a document swapped", [took], peak_mib(proc.pid), broken=status != 200)
                note(f"status {status}")
        finally:
            proc.kill()
            proc.wait()


class Lsp:
    """`hindsight lsp` spoken to over pipes; answers read on a thread."""

    def __init__(self, binary, root):
        self.proc = subprocess.Popen([binary, "-C", root, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.messages = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                   "params": {"processId": None, "rootUri": "file://" + root, "capabilities": {}}})
        self.wait(lambda m: m.get("id") == 0)

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line.strip() == b"":
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            body = json.loads(out.read(length))
            with self.cond:
                self.messages.append(body)
                self.cond.notify_all()

    def raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        # Raw UTF-8, as editors send it.
        body = json.dumps(message, ensure_ascii=False).encode()
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def wait(self, wanted, timeout=120):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for m in self.messages:
                    if wanted(m):
                        self.messages.remove(m)
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None
                self.cond.wait(left)

    def stop(self):
        peak = peak_mib(self.proc.pid)
        self.proc.kill()
        self.proc.wait()
        return peak


def lsp_cases(binary, runs):
    """lsp: documents of 4 and 20 MB with 10,000 broken links on one line
    (a diagnostic each), a flood of 10,000 didChange, and malformed
    messages (a lone surrogate, a 40 MB Content-Length) before a request."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    links = "".join(f"[x](m{n}.md)" for n in range(10_000)) + "\n"
    head = DRAFT.format(id="A", at="2026-03-01T00:00:00Z", body="")
    docs = {
        "lsp-4MB-10k-diagnostics": head + "é" * 1_900_000 + "\n" + links,
        "lsp-20MB-document": head + "é" * 10_000_000 + "\n" + links,
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(here, "tests/fixtures/lint-clean"), root)
        uri = "file://" + root + "/incidents/new.md"
        for name, text in docs.items():
            walls, rss = [], 0.0
            for _ in range(runs):
                lsp = Lsp(binary, root)
                started = time.monotonic()
                lsp.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                          "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
                got = lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" or "error" in m)
                walls.append(time.monotonic() - started)
                rss = max(rss, lsp.stop())
                said = (f"{len(got['params']['diagnostics'])} diagnostics published, the first: "
                        f"{got['params']['diagnostics'][0]['message'].splitlines()[0][:70] if got['params']['diagnostics'] else '-'}"
                        if got and "params" in got else f"answered {got}")
            row(name, f"lsp: didOpen of {len(text.encode()) / 1e6:.0f} MB", walls, rss, broken=got is None)
            note(said)
        walls, rss = [], 0.0
        for _ in range(runs):
            lsp = Lsp(binary, root)
            lsp.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                      "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": head}}})
            lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
            # Joined once: adding each message to one bytes object copies
            # all before it, 10,000 times over hundreds of megabytes.
            parts = []
            for v in range(2, 10_002):
                body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange",
                                   "params": {"textDocument": {"uri": uri, "version": v},
                                              "contentChanges": [{"text": head + links if v % 2 else head}]}}).encode()
                parts.append(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            flood = b"".join(parts)
            del parts
            started = time.monotonic()
            threading.Thread(target=lsp.raw, args=(flood,), daemon=True).start()
            last = lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"].get("version") == 10_001)
            walls.append(time.monotonic() - started)
            published = 1 + sum(1 for m in lsp.messages if m.get("method") == "textDocument/publishDiagnostics")
            rss = max(rss, lsp.stop())
        row("lsp-10k-didChange", f"lsp: 10,000 didChange ({len(flood) / 1e6:.0f} MB)", walls, rss, broken=last is None)
        note(f"last run: {published} sets published, the last for version 10001 with {len(last['params']['diagnostics']) if last else -1} diagnostics")
        lsp = Lsp(binary, root)
        started = time.monotonic()
        bad = b'{"jsonrpc":"2.0","id":9,"method":"\\ud800"}'
        lsp.raw(b"Content-Length: %d\r\n\r\n" % len(bad) + bad)
        lsp.raw(b"Content-Length: 40000000\r\n\r\n" + b" " * 40_000_000)
        lsp.send({"jsonrpc": "2.0", "id": 10, "method": "shutdown"})
        answered = lsp.wait(lambda m: m.get("id") == 10)
        row("lsp-malformed-then-ok", "lsp: bad messages, then shutdown", [time.monotonic() - started], lsp.stop(),
            broken=answered is None)
        note(f"still answering after them: {answered is not None}")


if __name__ == "__main__":
    main()
