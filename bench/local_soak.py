"""Memory soak of local mode: chats start and end for 10 minutes while clients vanish
mid-chat; the server's resident memory must stay flat.

Local mode runs in its own process with `--customer-idle-timeout 5` (Connect's opt-in chat
participant timeout). CONCURRENCY workers loop: start a chat through the API, open the
connection and websocket, exchange 1-5 messages with the agent, then at random disconnect
properly, vanish (TCP abort, no DisconnectParticipant), stall (stop reading, then vanish),
or never open the websocket. A few chats are started and never connected (the 5-minute
connect deadline ends them).
Baseline: the server's RSS after the warm-up (when the retained-ended-contacts window is
full), measured in the same run. Flat = final RSS within 10 % of it and the second-half
slope under 1 MB/min.
Run: .venv/bin/python -m bench.local_soak  (BENCH_SOAK_SECONDS=600, BENCH_SOAK_CONCURRENCY=40)
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from pathlib import Path

import aiohttp

from ._report import print_table
from .local_load import LocalModeProcess, create_participant_connection, local_mode

SECONDS = float(os.environ.get("BENCH_SOAK_SECONDS", "600"))
CONCURRENCY = int(os.environ.get("BENCH_SOAK_CONCURRENCY", "40"))
WARMUP_FRACTION = 0.25
SAMPLE_SECONDS = max(1.0, SECONDS / 40)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class Counters:
    def __init__(self) -> None:
        self.chats = 0
        self.errors = 0
        self.by_ending: dict[str, int] = {}


async def one_chat(session: aiohttp.ClientSession, stack: LocalModeProcess, c: Counters) -> None:
    body = json.dumps({"ParticipantDetails": {"DisplayName": "soak"}})
    async with session.post(stack.api, data=body, headers={"Origin": stack.site}) as response:
        result = (await response.json(content_type=None))["data"]["startChatResult"]
    ending = random.choices(
        ["disconnect", "vanish", "stall", "no-websocket", "never-connect"],
        weights=[40, 30, 15, 13, 2],
    )[0]
    c.by_ending[ending] = c.by_ending.get(ending, 0) + 1
    if ending == "never-connect":
        return
    token, websocket_url = await create_participant_connection(
        session, stack, result["ParticipantToken"]
    )
    headers = {"X-Amz-Bearer": token}
    if ending == "no-websocket":
        return
    ws = await session.ws_connect(websocket_url)
    await ws.send_str(json.dumps({"topic": "aws/subscribe", "content": {"topics": ["aws/chat"]}}))
    await asyncio.sleep(0.3)  # the agent joins
    for m in range(random.randint(1, 5)):
        async with session.post(
            stack.emulator + "/participant/message",
            json={"ContentType": "text/plain", "Content": f"soak {m} " + "x" * 200},
            headers=headers,
        ) as response:
            await response.read()
        if ending != "stall":
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                message = await ws.receive(timeout=5)
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                if "You said" in message.data:
                    break
    if ending == "disconnect":
        async with session.post(
            stack.emulator + "/participant/disconnect", json={}, headers=headers
        ) as response:
            await response.read()
        await ws.close()
    elif ending == "stall":
        await asyncio.sleep(2)  # frames pile up unread, then the client disappears
        ws._response.connection.transport.abort()  # type: ignore[union-attr]
    else:
        ws._response.connection.transport.abort()  # type: ignore[union-attr]


async def worker(stack: LocalModeProcess, stop_at: float, counters: Counters) -> None:
    # A session per worker: aborted transports must not poison a shared pool.
    while time.monotonic() < stop_at:
        async with aiohttp.ClientSession() as session:
            try:
                await one_chat(session, stack, counters)
                counters.chats += 1
            except Exception:
                counters.errors += 1


async def soak(stack: LocalModeProcess) -> None:
    pid = stack.process.pid
    started = time.monotonic()
    stop_at = started + SECONDS
    counters = Counters()
    workers = [asyncio.create_task(worker(stack, stop_at, counters)) for _ in range(CONCURRENCY)]
    samples: list[tuple[float, float, int, int]] = [(0.0, rss_mb(pid), 0, 0)]
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < stop_at:
            await asyncio.sleep(SAMPLE_SECONDS)
            async with session.get(stack.emulator + "/_emulator/contacts") as response:
                contacts = (await response.json())["contacts"]
            active = sum(1 for c in contacts if c["State"] != "ENDED")
            samples.append((time.monotonic() - started, rss_mb(pid), active, counters.chats))
    await asyncio.gather(*workers)

    warm = next(s for s in samples if s[0] >= SECONDS * WARMUP_FRACTION)
    second_half = [s for s in samples if s[0] >= SECONDS / 2]
    slope = _slope([(t / 60, mb) for t, mb, _, _ in second_half])
    final = samples[-1][1]
    rows = [
        [f"{t:.0f}", f"{mb:.1f}", active, chats]
        for t, mb, active, chats in samples[:: max(1, len(samples) // 12)]
    ]
    rows.append([f"{samples[-1][0]:.0f}", f"{final:.1f}", samples[-1][2], samples[-1][3]])
    print(f"soak {SECONDS:.0f} s, {CONCURRENCY} concurrent clients, endings {counters.by_ending}")
    print_table(["t s", "server RSS MB", "active chats", "chats done"], rows)
    print()
    flat = final <= warm[1] * 1.10 and slope < 1.0
    print_table(
        ["RSS after warm-up (baseline)", "final RSS", "final / baseline", "slope 2nd half",
         "chats", "client errors", "verdict"],
        [[f"{warm[1]:.1f} MB", f"{final:.1f} MB", f"{final / warm[1]:.3f}",
          f"{slope:+.2f} MB/min", counters.chats, counters.errors, "flat" if flat else "GROWING"]],
    )  # fmt: skip


def _slope(points: list[tuple[float, float]]) -> float:
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    num = sum((x - mean_x) * (y - mean_y) for x, y in points)
    den = sum((x - mean_x) ** 2 for x, _ in points) or 1.0
    return num / den


def main() -> None:
    with local_mode("--customer-idle-timeout", "5") as stack:
        asyncio.run(soak(stack))


if __name__ == "__main__":
    main()
