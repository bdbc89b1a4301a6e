"""Download a remote page or feed: http/https only, with a timeout and a size limit.

Only used when the caller asks for it (``--fetch``); nothing else in ingest touches the network.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit

import httpx

from anigraph import __version__
from anigraph.errors import IngestError
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


def fetch(url: str, *, timeout: float, max_bytes: int) -> Fetched:
    """GET ``url``; raises IngestError on a bad scheme, HTTP error, timeout or a body over ``max_bytes``."""
    _check_scheme(url)
    log.info("fetching %s", url)
    try:
        with (
            httpx.Client(
                follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT}, max_redirects=5
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_scheme(str(response.url))
            if response.status_code >= 400:
                raise IngestError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise IngestError(
                    url, f"too large ({megabytes(int(declared))} > {megabytes(max_bytes)} limit)"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise IngestError(url, f"too large (over the {megabytes(max_bytes)} limit)")
                chunks.append(chunk)
            media_type, charset = _content_type(response.headers.get("content-type", ""))
            return Fetched(
                url=str(response.url), data=b"".join(chunks), content_type=media_type, charset=charset
            )
    except httpx.TimeoutException as e:
        raise IngestError(url, f"fetch timed out after {timeout:g} s") from e
    except httpx.HTTPError as e:
        raise IngestError(url, f"fetch failed ({type(e).__name__}: {e})") from e
