"""The fetch guard (SSRF): non-public addresses are refused in every form and on every redirect hop,
the checked address is the one connected to, and the operator's allow list opens their own network."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from anigraph.errors import IngestError
from anigraph.ingest.fetch import fetch
from anigraph.ingest.netguard import AllowList, checked_address

NOTHING = AllowList()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.startswith("/to-metadata"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        if self.path.startswith("/to-self"):
            self.send_response(301)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        body = f"<html><body><p>host header {self.headers.get('Host')}</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(IngestError, match=r"non-public|not a valid link"):
        fetch(url, timeout=1, max_bytes=1000, allow=NOTHING)


def test_a_name_that_resolves_to_a_private_address_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"] if host == "mixed.example" else ["10.0.0.7"]

    for host in ("mixed.example", "intranet.example"):
        with pytest.raises(IngestError, match=r"non-public address \(private: 10\.0\.0\.7\)"):
            checked_address(f"http://{host}/", host, 80, allow=NOTHING, resolve=resolver)


def test_the_connection_goes_to_the_checked_address(port: int) -> None:
    """The name is resolved once, by the guard: the system resolver never sees it (it could not)."""
    seen: list[str] = []

    def resolver(host: str, _port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    page = fetch(
        f"http://feeds.invalid:{port}/page",
        timeout=2,
        max_bytes=10_000,
        allow=AllowList.parse("feeds.invalid"),
        resolve=resolver,
    )
    assert f"host header feeds.invalid:{port}" in page.data.decode()
    assert seen == ["feeds.invalid"]


def test_every_redirect_hop_is_checked(port: int) -> None:
    allow = AllowList.parse("127.0.0.1")
    page = fetch(f"http://127.0.0.1:{port}/to-self", timeout=2, max_bytes=10_000, allow=allow)
    assert page.url == f"http://127.0.0.1:{port}/page"
    with pytest.raises(IngestError, match=r"link-local: 169\.254\.169\.254"):
        fetch(f"http://127.0.0.1:{port}/to-metadata", timeout=2, max_bytes=10_000, allow=allow)


def test_allow_list_takes_hosts_addresses_and_networks() -> None:
    allow = AllowList.parse("feeds.home.arpa, 192.168.0.0/16, ::1")
    assert allow.allows("FEEDS.home.arpa.", ipaddress.ip_address("10.1.1.1"))
    assert allow.allows("nas", ipaddress.ip_address("192.168.4.2"))
    assert allow.allows("x", ipaddress.ip_address("::1"))
    assert not allow.allows("x", ipaddress.ip_address("10.1.1.1"))


def test_the_allow_list_comes_from_the_setting(port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{port}/page"
    with pytest.raises(IngestError, match="ANIGRAPH_FETCH_ALLOW"):
        fetch(url, timeout=2, max_bytes=10_000)
    monkeypatch.setenv("ANIGRAPH_FETCH_ALLOW", "127.0.0.0/8")
    assert fetch(url, timeout=2, max_bytes=10_000).data
