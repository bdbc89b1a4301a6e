"""`anigraph serve` as a user runs it: a real uvicorn process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_anigraph_serve_answers_and_uses_the_configured_token(db_url: str) -> None:
    token = "cli-secret"  # from the environment, as a deployment sets it (no token: 503, tested in-app)
    port = _free_port()
    env = {**os.environ, "ANIGRAPH_API_TOKEN": token}
    proc = subprocess.Popen(
        [sys.executable, "-m", "anigraph", "serve", "--db", db_url, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(base + "/api/v1/works", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    pytest.fail(f"anigraph serve did not answer on {base}: {err}")
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["items"]
        assert "Metallic Rouge" in httpx.get(base + "/", timeout=5).text
        post = httpx.post(base + "/api/v1/articles", json={"text": "x"}, timeout=5,
                          headers={"Authorization": "Bearer not-it"})  # fmt: skip
        assert post.status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=10)
