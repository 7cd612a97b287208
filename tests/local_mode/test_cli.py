"""`python -m local_mode`: prints the URLs, stops cleanly on Ctrl-C, explains what is missing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, env_extra=None, **kwargs):
    env = {**os.environ, "PORT": "0", "API_PORT": "0", "EMULATOR_PORT": "0", "HOST_PORT": "0"}
    env.update(env_extra or {})
    return subprocess.Popen(
        [sys.executable, "-m", "local_mode", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs,
    )  # fmt: skip


def test_unknown_stack_names_the_missing_file():
    process = run_cli("--stack", "nope")
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "Pulumi.nope.yaml is missing" in err


def test_missing_site_build_says_make_site(tmp_path):
    process = run_cli("--site-dist", str(tmp_path / "none"))
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "make site" in err


def test_bad_port_variable_is_named(tmp_path):
    process = run_cli(env_extra={"API_PORT": "eighty"})
    _, err = process.communicate(timeout=30)
    assert process.returncode != 0 and "API_PORT" in err


def test_prints_urls_serves_and_stops_on_ctrl_c(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>chat</title>")
    process = run_cli("--site-dist", str(dist))
    try:
        lines = []
        while not any("Ctrl-C" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        text = "".join(lines)
        site = re.search(r"chat page\s+(http://127\.0\.0\.1:\d+)/", text).group(1)
        emulator = re.search(r"Connect emulator\s+(http://127\.0\.0\.1:\d+)", text).group(1)
        config = json.loads(urllib.request.urlopen(site + "/config.json").read())
        assert config["participantEndpoint"] == emulator
        assert urllib.request.urlopen(emulator + "/agent").status == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopping local mode" in out
    assert "Traceback" not in err
