#!/usr/bin/env python3
"""The writer's loop on a large repository: how long `hindsight serve` takes
from a one-file edit to the page showing it, and how long `hindsight lsp`
takes from a didChange to its publishDiagnostics, next to a full `lint`
and a full `build` of the same repository in the same run.

    bench/writer.py BINARY CORPUS [RUNS]

Run by bench/writer.sh, which makes the corpus and the release build. The
measurements take turns run by run (lint, build, serve edits, LSP edits),
so that a burst of other work on the machine slows all of them. Prints a
Markdown table: median, min and max over the runs.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import queue

BIN, CORPUS = sys.argv[1], sys.argv[2]
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 5
EDITS_PER_RUN = 4
TODAY = "2026-11-22"


def timed(args):
    start = time.perf_counter()
    done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(args)} failed: {done.stderr.decode()}")
    return took * 1000


def a_postmortem():
    """A published postmortem near the middle of the corpus, and its id."""
    files = []
    for folder, _, names in os.walk(os.path.join(CORPUS, "incidents")):
        files += [os.path.join(folder, n) for n in names if n.endswith(".md") and not n.startswith("_")]
    files.sort()
    path = files[len(files) // 2]
    text = open(path, encoding="utf-8").read()
    return path, re.search(r"^id: (.*)$", text, re.M).group(1).strip(), text


class Serve:
    def __init__(self):
        self.proc = subprocess.Popen(
            [BIN, "-C", CORPUS, "serve", "--port", "0", "--today", TODAY],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        start = time.perf_counter()
        for line in self.proc.stderr:
            m = re.match(r"serving (http://127\.0\.0\.1:\d+/)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            sys.exit("hindsight serve did not start")
        self.load_ms = (time.perf_counter() - start) * 1000
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=60) as r:
            return r.read().decode()

    def edit(self, path, page, text):
        """ms from the write to the page showing it, as an open page sees it."""
        version = json.loads(self.get("__hindsight/state"))["version"]
        waited = queue.Queue()
        t = threading.Thread(target=lambda: waited.put(self.get(f"__hindsight/wait?version={version}")))
        t.start()
        time.sleep(0.05)  # the wait is open, as in a browser
        title = re.search(r"^title: (.*)$", text, re.M).group(1)
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        waited.get(timeout=60)
        html = self.get(page)
        took = (time.perf_counter() - start) * 1000
        assert title.replace("&", "&amp;") in html or title in html, "the page does not show the edit"
        return took

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Lsp:
    def __init__(self):
        self.proc = subprocess.Popen([BIN, "-C", CORPUS, "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.messages = queue.Queue()
        threading.Thread(target=self.read, daemon=True).start()
        self.id = 0
        root = "file://" + os.path.abspath(CORPUS)
        self.request("initialize", {"processId": None, "rootUri": root, "capabilities": {}})
        self.notify("initialized", {})

    def read(self):
        out = self.proc.stdout
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(out.read(length)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        self.id += 1
        self.send({"jsonrpc": "2.0", "id": self.id, "method": method, "params": params})
        while True:
            m = self.messages.get(timeout=600)
            if m.get("id") == self.id:
                return m

    def diagnostics(self, uri):
        while True:
            m = self.messages.get(timeout=600)
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                return m["params"]["diagnostics"]

    def stop(self):
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=60)


def summary(values):
    return statistics.median(values), min(values), max(values)


def main():
    path, ident, original = a_postmortem()
    page = f"incidents/{ident}/"
    uri = "file://" + os.path.abspath(path)
    out = tempfile.mkdtemp(prefix="hindsight-writer-site-")
    times = {k: [] for k in ["lint", "build", "serve", "lsp"]}
    serve = Serve()
    lsp = Lsp()
    start = time.perf_counter()
    lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown",
                                                          "version": 1, "text": original}})
    opened = lsp.diagnostics(uri)
    first_ms = (time.perf_counter() - start) * 1000
    assert opened == [], f"the corpus document has diagnostics: {opened}"
    version = 1
    try:
        serve.get(page)  # the page is open before the edits
        for run in range(RUNS):
            times["lint"].append(timed([BIN, "-C", CORPUS, "lint"]))
            site = os.path.join(out, "site")
            times["build"].append(timed([BIN, "-C", CORPUS, "build", "--today", TODAY, "--out", site]))
            for n in range(EDITS_PER_RUN):
                edited = re.sub(r"(?m)^title: .*$", f"title: Edited in run {run} edit {n}", original)
                times["serve"].append(serve.edit(path, page, edited))
                version += 1
                broken = edited.replace("severity: SEV", "severity: LEVEL") if n % 2 else edited
                start = time.perf_counter()
                lsp.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                       "contentChanges": [{"text": broken}]})
                got = lsp.diagnostics(uri)
                times["lsp"].append((time.perf_counter() - start) * 1000)
                assert (len(got) > 0) == (n % 2 == 1), got
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
            serve.get("__hindsight/state")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        serve.stop()
        lsp.stop()
        shutil.rmtree(out, ignore_errors=True)

    lint_med = statistics.median(times["lint"])
    build_med = statistics.median(times["build"])
    print(f"corpus: {CORPUS}; {RUNS} runs, {EDITS_PER_RUN} edits per run;"
          f" serve loaded in {serve.load_ms:.0f} ms, lsp's first diagnostics (the load) after {first_ms:.0f} ms")
    print()
    print("| what | median | min | max | vs. full run (median) |")
    print("|---|---:|---:|---:|---:|")
    for key, label, peer, peer_name in [
        ("lint", "`lint` (full)", None, ""),
        ("build", "`build` (full)", None, ""),
        ("serve", "`serve`: edit to page shown", build_med, "build"),
        ("lsp", "`lsp`: didChange to diagnostics", lint_med, "lint"),
    ]:
        med, lo, hi = summary(times[key])
        ratio = f"{peer / med:.0f}x faster than `{peer_name}`" if peer else ""
        print(f"| {label} | {med:.0f} ms | {lo:.0f} ms | {hi:.0f} ms | {ratio} |")


main()
