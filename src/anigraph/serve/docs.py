"""``/docs``: Swagger UI 5 from the app's own static files (the copy the ``fastapi-offline`` package
ships; only its files are used), so the API documentation works offline, under a
Content-Security-Policy that admits only its one inline script (by hash) besides the app's own files."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import Response

from anigraph.serve.state import CSP

router = APIRouter(include_in_schema=False)
SWAGGER_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_html(*, openapi_url: str, title: str) -> tuple[bytes, str]:
    """The Swagger UI page and its CSP: the app's CSP plus the hash of the page's inline script."""
    body = bytes(
        get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon.png",
        ).body
    )
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode("ascii") + "'"
        for m in _INLINE_SCRIPT.findall(body.decode("utf-8"))
    ]
    return body, f"{CSP}; script-src 'self' {' '.join(hashes)}".rstrip()


@router.get("/docs")
async def swagger_ui(request: Request) -> Response:
    body, csp = docs_html(openapi_url=request.app.openapi_url or "/openapi.json", title="anigraph API")
    headers = {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"}
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)
