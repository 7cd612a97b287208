"""`python -m local_mode --stack dev`: what `make dev` runs."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path

from .emulator import EmulatorSettings
from .runner import start_stack
from .site_server import SITE_DIST, SiteNotBuiltError
from .stack_config import StackConfigError

PORT_VARIABLES = {"site": ("PORT", 8080), "api": ("API_PORT", 8081)}
PORT_VARIABLES |= {"emulator": ("EMULATOR_PORT", 8082), "host": ("HOST_PORT", 8083)}


def port_from_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise SystemExit(f"{name} must be a port number from 0 to 65535, got {value!r}")
    return int(value)


async def serve(args: argparse.Namespace) -> None:
    ports = {key: port_from_env(*spec) for key, spec in PORT_VARIABLES.items()}
    local = await start_stack(
        args.stack,
        site_port=ports["site"],
        api_port=ports["api"],
        emulator_port=ports["emulator"],
        host_port=ports["host"],
        agent_join_delay=args.agent_join_delay,
        site_dist=args.site_dist,
        emulator_settings=EmulatorSettings(
            agent_typing_delay=args.agent_typing_delay,
            customer_idle_disconnect_seconds=args.customer_idle_timeout,
        ),
    )
    print(
        f"connect-chat local mode (stack {args.stack}, region {local.stack.region})\n"
        f"  chat page      {local.site_url}/\n"
        f"  demo host page {local.host_url}/   (your site embedding widget.js)\n"
        f"  start-chat API {local.api_url}\n"
        f"  Connect emulator {local.emulator_url}   agent console {local.emulator_url}/agent\n"
        "State lives in memory only. Press Ctrl-C to stop.",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        print("Stopping local mode...", flush=True)
        await local.aclose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_mode",
        description="Run the chat offline: site, start-chat API, Connect emulator, demo host.",
    )
    parser.add_argument("--stack", default="dev", help="reads Pulumi.<stack>.yaml (default dev)")
    parser.add_argument(
        "--site-dist", type=Path, default=SITE_DIST, help="the built site (default site/dist)"
    )
    parser.add_argument(
        "--agent-join-delay", type=float, default=1.0, help="seconds before the agent joins"
    )
    parser.add_argument(
        "--agent-typing-delay", type=float, default=0.4, help="seconds the agent shows typing"
    )
    parser.add_argument(
        "--customer-idle-timeout",
        type=float,
        default=None,
        help="end chats whose customer has had no websocket for this many seconds",
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(serve(args))
    except (StackConfigError, SiteNotBuiltError, OSError) as error:
        print(f"local mode cannot start: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
