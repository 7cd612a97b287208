"""Starts the four local services: site, start-chat API, Connect emulator, demo host page.

`start_background(...)` runs them on an asyncio loop in a daemon thread for tests;
`python -m local_mode` runs them in the foreground until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import sys
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from aiohttp import web

from .api_adapter import (
    StartChatApi,
    handler_environment,
    load_handler,
    restore_handler_modules,
)
from .demo_host import DemoHost
from .emulator import ConnectInstance, Emulator, EmulatorSettings
from .local_key import LocalKey
from .site_server import SITE_DIST, SiteNotBuiltError, SiteOrigins, WidgetSite
from .stack_config import StackConfig, load_stack

HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """Bind before building the apps, so port 0 resolves to a real port for config and CSP."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise OSError(f"cannot listen on {HOST}:{port}: {error.strerror}") from None
    sock.listen(1024)
    sock.setblocking(False)
    return sock


@dataclass
class LocalStack:
    """The running services and their URLs (no trailing slash, except the API's POST URL)."""

    stack: StackConfig
    site_url: str
    api_url: str
    emulator_url: str
    host_url: str
    emulator: Emulator
    runners: list[web.AppRunner] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None
    thread: threading.Thread | None = None
    saved_environment: dict[str, str | None] = field(default_factory=dict)
    saved_modules: dict[str, ModuleType] = field(default_factory=dict)

    async def aclose(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()
        self.runners.clear()
        for contact in self.emulator.store.active_contacts():
            for timer in contact.timers:
                timer.cancel()
            for task in contact.tasks:
                task.cancel()

    def stop(self) -> None:
        """Stops a stack started with start_background and restores the environment."""
        if self.loop is None or self.thread is None:
            raise RuntimeError("stop() is for stacks started with start_background()")
        if self.loop.is_running():
            future = asyncio.run_coroutine_threadsafe(self.aclose(), self.loop)
            try:
                future.result(timeout=10)
            finally:
                self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        for name, value in self.saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.saved_environment.clear()
        restore_handler_modules(self.saved_modules)

    def run_in_loop(self, function: Any, *args: Any) -> Any:
        """Run a plain function on the stack's loop (tests inspecting emulator state)."""
        assert self.loop is not None

        async def call() -> Any:
            return function(*args)

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout=10)


async def start_stack(
    stack: str = "dev",
    *,
    site_port: int = 8080,
    api_port: int = 8081,
    emulator_port: int = 8082,
    host_port: int = 8083,
    agent_join_delay: float = 1.0,
    stack_file: Path | None = None,
    site_dist: Path = SITE_DIST,
    require_site: bool = True,
    emulator_settings: EmulatorSettings | None = None,
) -> LocalStack:
    config = load_stack(stack, stack_file)
    sockets = [bind(port) for port in (site_port, api_port, emulator_port, host_port)]
    try:
        ports = [sock.getsockname()[1] for sock in sockets]
        site_url, api_base, emulator_url, host_url = (f"http://{HOST}:{p}" for p in ports)
        api_url = api_base + "/"
        origins = SiteOrigins(site=site_url, api_url=api_url, emulator=emulator_url, host=host_url)
        try:
            site_app = WidgetSite(config, origins, site_dist).build_app()
        except SiteNotBuiltError as error:
            if require_site:
                raise
            site_app = _site_missing_app(str(error))
        settings = replace(
            emulator_settings or EmulatorSettings(),
            agent_join_delay=agent_join_delay,
            post_chat_survey=config.post_chat_survey,
        )
        emulator = Emulator(
            settings=settings,
            instance=ConnectInstance(config.instance_id, config.contact_flow_ids),
            attachments_enabled=config.attachments_enabled,
            public_url=emulator_url,
        )
        key = LocalKey.generate()
        environment = handler_environment(
            config, [site_url, host_url], emulator_url, key.document()
        )
        saved = {name: os.environ.get(name) for name in environment}
        saved_modules = {
            name: module
            for name, module in sys.modules.items()
            if name == "handler" or name.startswith("handler.")
        }
        api_app = StartChatApi(load_handler(environment)).build_app()
        host_app = DemoHost(site_url, host_url, key).build_app()
        local = LocalStack(
            stack=config,
            site_url=site_url,
            api_url=api_url,
            emulator_url=emulator_url,
            host_url=host_url,
            emulator=emulator,
            saved_environment=saved,
            saved_modules=saved_modules,
        )
        apps = [site_app, api_app, emulator.build_app(), host_app]
        for app, sock in zip(apps, sockets, strict=True):
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            local.runners.append(runner)
        # botocore's service models add hundreds of thousands of long-lived objects; without
        # freezing them every full garbage collection walks them all and stalls the event
        # loop (and every chat) for a large fraction of a second.
        gc.collect()
        gc.freeze()
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return local


def _site_missing_app(reason: str) -> web.Application:
    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=503, text=reason)

    app = web.Application()
    app.router.add_get("/{path:.*}", missing)
    return app


def start_background(
    stack: str = "dev",
    site_port: int = 0,
    api_port: int = 0,
    emulator_port: int = 0,
    host_port: int = 0,
    agent_join_delay: float = 0.2,
    **options: Any,
) -> LocalStack:
    """Runs local mode on its own event loop in a daemon thread; call `.stop()` when done."""
    loop = asyncio.new_event_loop()
    started: dict[str, Any] = {}
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        try:
            started["stack"] = loop.run_until_complete(
                start_stack(
                    stack,
                    site_port=site_port,
                    api_port=api_port,
                    emulator_port=emulator_port,
                    host_port=host_port,
                    agent_join_delay=agent_join_delay,
                    **options,
                )
            )
        except BaseException as error:
            started["error"] = error
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()

    thread = threading.Thread(target=run, name=f"local-mode-{stack}", daemon=True)
    thread.start()
    ready.wait()
    if "error" in started:
        thread.join()
        raise started["error"]
    local: LocalStack = started["stack"]
    local.loop = loop
    local.thread = thread
    return local
