"""Download a remote page or feed: http/https only, with a timeout and a size limit.

Only used when the caller asks for it (``--fetch``); nothing else in ingest touches the network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

import httpx

from anigraph import __version__, settings
from anigraph.errors import IngestError
from anigraph.ingest.netguard import AllowList, Resolver, checked_address, system_resolver
from anigraph.ingest.sniff import megabytes

log = logging.getLogger(__name__)

USER_AGENT = f"anigraph/{__version__} (+https://github.com/anigraph)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str  # media type without parameters, lower case ("" when absent)
    charset: str | None


def is_remote(source: str) -> bool:
    return urlsplit(source).scheme.lower() in {"http", "https"}


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        raise IngestError(url, f"only http and https links are fetched, not {scheme or 'a bare path'!r}")


def _content_type(value: str) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from a Content-Type header value."""
    if not value.strip():
        return "", None
    header = Message()
    header["content-type"] = value
    charset = header.get_param("charset")
    return header.get_content_type(), charset if isinstance(charset, str) else None


MAX_REDIRECTS = 5


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow: AllowList | None = None,
    resolve: Resolver = system_resolver,
) -> Fetched:
    """GET ``url``; raises IngestError on a bad scheme, a non-public address (on every redirect hop,
    see ``netguard``), an HTTP error, a timeout or a body over ``max_bytes``."""
    allow = allow if allow is not None else AllowList.parse(settings.get("fetch_allow"))
    log.info("fetching %s", url)
    current = url
    try:
        with httpx.Client(
            follow_redirects=False, timeout=timeout, headers={"User-Agent": USER_AGENT}
        ) as client:
            for _hop in range(MAX_REDIRECTS + 1):
                _check_scheme(current)
                request = _pinned_request(client, url, current, allow=allow, resolve=resolve)
                response = client.send(request, stream=True)
                try:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _read(url, current, response, max_bytes=max_bytes)
                finally:
                    response.close()
            raise IngestError(url, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as e:
        raise IngestError(url, f"fetch timed out after {timeout:g} s") from e
    except httpx.HTTPError as e:
        raise IngestError(url, f"fetch failed ({type(e).__name__}: {e})") from e


def _pinned_request(
    client: httpx.Client, origin: str, current: str, *, allow: AllowList, resolve: Resolver
) -> httpx.Request:
    """A request to the address checked for the URL's host (Host header and TLS name kept)."""
    try:
        target = httpx.URL(current)
    except (httpx.InvalidURL, ValueError) as e:
        raise IngestError(origin, f"not a valid link {current!r} ({e})") from e
    host = target.host
    port = target.port or (443 if target.scheme == "https" else 80)
    address = checked_address(origin, host, port, allow=allow, resolve=resolve)
    netloc_host = host if target.port is None else f"{host}:{target.port}"
    headers = {"Host": f"[{netloc_host}]" if ":" in host and target.port is None else netloc_host}
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    return client.build_request("GET", target.copy_with(host=address), headers=headers, extensions=extensions)


def _read(url: str, final: str, response: httpx.Response, *, max_bytes: int) -> Fetched:
    if response.status_code >= 400:
        raise IngestError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise IngestError(url, f"too large ({megabytes(int(declared))} > {megabytes(max_bytes)} limit)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise IngestError(url, f"too large (over the {megabytes(max_bytes)} limit)")
        chunks.append(chunk)
    media_type, charset = _content_type(response.headers.get("content-type", ""))
    return Fetched(url=final, data=b"".join(chunks), content_type=media_type, charset=charset)
