"""The offline guarantee: a full submit -> translate -> publish -> serve cycle opens no network
connection other than to the local Redis (a UNIX socket here), the database and 127.0.0.1.

Every process of the cycle (the CLI, the worker and its pool processes, the server) runs with a
Python audit hook that records each socket connection and name lookup.
"""

from __future__ import annotations

import json
import subprocess
import sys

from syndicate.stack import stop, wait_for_port
from tests.conftest import ARTICLES

LAUNCHER = """
import json, os, sys

LOG = os.environ["SYNDICATE_AUDIT_LOG"]

def record(event, args):
    if event == "socket.connect":
        entry = {"event": event, "family": int(args[0].family), "address": repr(args[1])}
    elif event == "socket.getaddrinfo":
        entry = {"event": event, "host": repr(args[0])}
    else:
        return
    with open(LOG, "a") as fh:
        fh.write(json.dumps(entry) + "\\n")

sys.addaudithook(record)
from syndicate.cli import main
main()
"""
LOCAL = ("'127.0.0.1'", "'localhost'", "'::1'")


def test_full_cycle_touches_no_network(site, redis, tmp_path):
    launcher = tmp_path / "audited.py"
    launcher.write_text(LAUNCHER)
    log = tmp_path / "audit.jsonl"
    env = dict(site.env, SYNDICATE_AUDIT_LOG=str(log))

    def run(*args: str, background: bool = False):
        command = [sys.executable, str(launcher), *args]
        if background:
            return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return subprocess.run(command, env=env, capture_output=True, timeout=180)

    worker = run("worker", background=True)
    server = run("serve", "--port", str(site.port), background=True)
    try:
        wait_for_port("127.0.0.1", site.port, proc=server)
        submitted = run("submit", str(ARTICLES / "storm-warning-2020.txt"))
        assert submitted.returncode == 0, submitted.stderr
        article_id = submitted.stdout.decode().strip()
        waited = run("wait", article_id, "--timeout", "120")
        assert waited.returncode == 0, waited.stderr
        fetched = run("status", article_id, "--json")
        assert json.loads(fetched.stdout)["languages"]["ja"]["state"] == "published"
        _, _, body = site.fetch("/feeds/ja/atom.xml")
        assert b"<entry" in body
    finally:
        stop(worker, grace=30)
        stop(server, grace=5)

    entries = [json.loads(line) for line in log.read_text().splitlines()]
    connects = [e for e in entries if e["event"] == "socket.connect"]
    assert connects, "the audit hook saw no connection at all: it is not working"
    socket_path = str(site.settings.redis_socket)
    for entry in connects:
        address = entry["address"]
        assert (
            socket_path in address
            or address.startswith(LOCAL)
            or address.startswith(("('127.0.0.1'", "('::1'"))
        ), entry
    for entry in (e for e in entries if e["event"] == "socket.getaddrinfo"):
        assert entry["host"] in LOCAL, entry
