"""The Amazon Connect emulator as one aiohttp application."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from yarl import URL

from ..local_guard import guard_middleware, loopback_hosts, loopback_origins
from .agent import ScriptedAgent
from .chat import ChatStore
from .connect_api import ConnectInstance, StartChatContact
from .control import EmulatorControl
from .disconnect_flow import DisconnectFlow
from .faults import FaultInjector
from .lifecycle import ChatLifecycle
from .participant_api import ParticipantService
from .settings import EmulatorSettings
from .websocket import WebsocketGateway

CONSOLE_DIR = Path(__file__).with_name("console")
EXPOSED_HEADERS = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"
# What the real Participant Service (and its S3 upload and websocket URLs) answers from any
# origin: the bearer token or the unguessable URL is the credential. Everything else (the
# Connect API, /_emulator control, the agent console, unknown paths) is local mode's own and
# serves only its own origin and non-browser clients (local_mode/local_guard.py).
OPEN_PREFIXES = ("/participant/", "/_uploads/", "/_attachments/", "/ws/")


def is_participant_service(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES)


@web.middleware
async def service_cors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """The Participant Service answers browsers from any origin (the bearer token is the auth)."""
    if not is_participant_service(request.path):
        return await handler(request)
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response: web.StreamResponse = web.Response(status=200)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = request.headers.get(
            "Access-Control-Request-Headers", "*"
        )
        response.headers["Access-Control-Max-Age"] = "86400"
    else:
        try:
            response = await handler(request)
        except web.HTTPException as error:
            response = error
    if not getattr(response, "prepared", False):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if isinstance(response, web.HTTPException):
        raise response
    return response


@dataclass
class Emulator:
    settings: EmulatorSettings = field(default_factory=EmulatorSettings)
    instance: ConnectInstance | None = None
    attachments_enabled: bool = True
    public_url: str = "http://127.0.0.1:8082"

    def __post_init__(self) -> None:
        self.store = ChatStore(self.settings)
        self.faults = FaultInjector()
        self.lifecycle = ChatLifecycle(self.store)
        self.participants = ParticipantService(
            self.store,
            self.faults,
            lambda: self.public_url,
            self.attachments_enabled,
            on_connected=[],
        )
        self.agent = ScriptedAgent(
            self.store,
            self.participants.attachments,
            join_delay=lambda: self.settings.agent_join_delay,
            typing_delay=lambda: self.settings.agent_typing_delay,
        )
        self.disconnect_flow = DisconnectFlow(self.store)
        self.participants.on_connected.append(self.agent.customer_connected)
        # A customer who opens the connection but never a websocket is timed out as well.
        self.participants.on_connected.append(self.lifecycle.socket_closed)
        self.store.forget_listeners.append(self.participants.attachments.forget_contact)
        self.start_chat = StartChatContact(
            self.store, self.instance, self.faults, on_created=[self.lifecycle.contact_created]
        )
        self.websockets = WebsocketGateway(self.store, on_closed=self.lifecycle.socket_closed)
        self.control = EmulatorControl(self.store, self.faults, self.agent)

    def build_app(self) -> web.Application:
        port = URL(self.public_url).port
        assert port is not None
        guard = guard_middleware(
            loopback_origins(port), loopback_hosts(port), is_open=is_participant_service
        )
        app = web.Application(middlewares=[guard, service_cors], client_max_size=21 * 1024 * 1024)
        app.router.add_put("/contact/chat", self.start_chat.handle)
        app.add_routes(self.participants.routes())
        app.router.add_get("/ws/{socket_id}", self.websockets.handle)
        app.add_routes(self.control.routes())
        app.router.add_get("/agent", self._console_page)
        app.router.add_static("/agent/static", CONSOLE_DIR)
        return app

    async def _console_page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(
            CONSOLE_DIR / "index.html",
            headers={
                "Content-Security-Policy": (
                    "default-src 'self'; style-src 'self'; frame-ancestors 'none'"
                ),
                "Cache-Control": "no-cache",
            },
        )
