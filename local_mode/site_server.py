"""Serves `site/dist` with a generated `/config.json` and production-like headers."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from components.config import parse_widget
from components.content_security_policy import chat_page_csp

from .stack_config import PROJECT_ROOT, StackConfig

SITE_DIST = PROJECT_ROOT / "site" / "dist"
NO_CACHE = "no-cache, no-store, must-revalidate"
# The one page whose CSP allows inline styles, as the deployed CloudFront behaviour does.
PREBUILT_PAGE = "/prebuilt.html"


class SiteNotBuiltError(FileNotFoundError):
    """site/dist is missing; `make site` builds it."""


@dataclass(frozen=True)
class SiteOrigins:
    site: str
    api_url: str
    emulator: str
    host: str


def widget_config(stack: StackConfig, origins: SiteOrigins) -> dict[str, Any]:
    """`config.json` as docs/architecture.md defines it, pointing at the local services."""
    widget = stack.widget
    # load_stack() already checked the widget object against the stack's rules.
    settings = parse_widget(widget, stack.allowed_attributes)
    return {
        "apiEndpoint": origins.api_url,
        "region": stack.region,
        "participantEndpoint": origins.emulator,
        "allowedOrigins": list(dict.fromkeys([*stack.allowed_origins, origins.host])),
        "features": {
            "attachments": stack.attachments_enabled,
            "persistentChat": settings.persistent_chat,
            "markdown": True,
            "postChatSurvey": stack.post_chat_survey,
            "customerFormatting": settings.customer_formatting,
        },
        "persistentChat": {"offerForMinutes": settings.persistent_chat_offer_minutes},
        "language": settings.language,
        "chatDurationInMinutes": stack.chat_duration_in_minutes,
        "preChatFields": list(widget.get("preChatFields") or []),
        "theme": settings.theme(),
    }


def content_security_policy(
    stack: StackConfig, origins: SiteOrigins, allow_inline_styles: bool = False
) -> str:
    """The deployed CSP (the same function CloudFront's policies come from), plus only the
    local emulator's origins; the local API takes the place of API Gateway's origin.

    `allow_inline_styles` is for prebuilt.html only: AWS's bundle injects <style> elements.
    """
    return chat_page_csp(
        api=origins.api_url.rstrip("/"),
        region=stack.region,
        attachments_enabled=stack.attachments_enabled,
        frame_ancestors=list(dict.fromkeys([*stack.allowed_origins, origins.host])),
        allow_inline_styles=allow_inline_styles,
        emulator_origins=(origins.emulator, origins.emulator.replace("http://", "ws://", 1)),
    )


class WidgetSite:
    def __init__(self, stack: StackConfig, origins: SiteOrigins, dist: Path = SITE_DIST) -> None:
        if not (dist / "index.html").is_file() and not (dist / "widget.js").is_file():
            raise SiteNotBuiltError(
                f"{dist} is missing or empty: run `make site` to build the widget first"
            )
        self.dist = dist.resolve()
        self.config_body = json.dumps(widget_config(stack, origins), indent=2)
        self.csp = content_security_policy(stack, origins)
        self.prebuilt_csp = content_security_policy(stack, origins, allow_inline_styles=True)

    def build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.router.add_get("/config.json", self._config)
        app.router.add_get("/{path:.*}", self._file)
        return app

    @web.middleware
    async def _headers(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        response = await handler(request)
        path = request.path
        csp = self.prebuilt_csp if path == PREBUILT_PAGE else self.csp
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if path == "/config.json" or path.endswith(".html") or path.endswith("/"):
            response.headers["Cache-Control"] = NO_CACHE
        elif path.startswith("/assets/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "public, max-age=300"
        return response

    async def _config(self, request: web.Request) -> web.Response:
        return web.Response(text=self.config_body, content_type="application/json")

    async def _file(self, request: web.Request) -> web.StreamResponse:
        relative = request.match_info["path"] or "index.html"
        target = self.dist
        try:
            target = (self.dist / relative).resolve()
            if target.is_dir():
                target = target / "index.html"
            found = target.is_relative_to(self.dist) and target.is_file()
        except (ValueError, OSError):
            # A NUL byte (/chat.html%00.js) or a name the file system refuses: no such file.
            found = False
        if not found:
            raise web.HTTPNotFound(text="Not found")
        return web.FileResponse(target)
