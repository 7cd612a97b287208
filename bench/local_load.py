"""Load on local mode: N concurrent chats, each exchanging M messages over real websockets.

Local mode runs in its own process (`python -m local_mode`, so it does not share our GIL) with
the real handler behind the API adapter. Chats start on a ramp; each opens the participant
connection, subscribes on the websocket, waits for the scripted agent, then sends M messages
one after another; the agent echoes each. Every client checks it received its own M messages
and the M echoes, all in order (zero loss, zero reorder).
Baselines, measured in the same run: StartChatContact sent straight to the emulator (what the
API adds is the handler + adapter), and a websocket heartbeat round trip (what a chat message
adds is REST + fan-out + agent).
Target: 200 chats x 20 messages, zero loss/reorder, start-chat p99 < 100 ms.
Then the hot-chat case, on a fresh local mode: one chat filled with BENCH_HOT_MESSAGES
messages (each with a read receipt), then kept busy during the same load by a writer
(message + receipt, closed loop) and BENCH_HOT_READERS GetTranscript loops paging through it.
Target: the other chats' start-chat and message p99 within 2x of the run without it.
Run: .venv/bin/python -m bench.local_load
     (BENCH_CHATS, BENCH_MESSAGES, BENCH_RAMP_SECONDS, BENCH_THINK_SECONDS,
      BENCH_HOT_MESSAGES (0 skips the hot-chat case), BENCH_HOT_READERS)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from ._report import percentile, print_table

ROOT = Path(__file__).resolve().parent.parent
CHATS = int(os.environ.get("BENCH_CHATS", "200"))
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "20"))
# 20 starts/s: four times Connect's default StartChatContact quota (5/s, burst 8).
RAMP_SECONDS = float(os.environ.get("BENCH_RAMP_SECONDS", "10"))
# Pause between a chat's messages: people type; 0 makes every client a closed loop that
# saturates the server (a stress figure, not a latency one).
THINK_SECONDS = float(os.environ.get("BENCH_THINK_SECONDS", "0.5"))
TARGET_P99_MS = 100.0
HOT_MESSAGES = int(os.environ.get("BENCH_HOT_MESSAGES", "10000"))
HOT_READERS = int(os.environ.get("BENCH_HOT_READERS", "3"))
HOT_FILL_SENDERS = 8
TARGET_HOT_RATIO = 2.0
SERVER_MS: list[float] = []  # the API's own Server-Timing figure for each start
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/eu-west-2/connect"}


@dataclass
class LocalModeProcess:
    process: subprocess.Popen[str]
    site: str
    api: str
    emulator: str


@contextlib.contextmanager
def local_mode(*extra: str) -> Iterator[LocalModeProcess]:
    with tempfile.TemporaryDirectory() as dist:
        Path(dist, "index.html").write_text("<!doctype html><title>bench</title>")
        env = {**os.environ, "PORT": "0", "API_PORT": "0", "EMULATOR_PORT": "0", "HOST_PORT": "0"}
        process = subprocess.Popen(
            [sys.executable, "-m", "local_mode", "--stack", "dev", "--site-dist", dist,
             "--agent-join-delay", "0", "--agent-typing-delay", "0", *extra],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            lines = []
            while not any("Ctrl-C" in line for line in lines):
                line = process.stdout.readline() if process.stdout else ""
                if not line:
                    raise RuntimeError("local mode did not start:\n" + "".join(lines))
                lines.append(line)
            text = "".join(lines)
            urls = {
                key: re.search(pattern, text).group(1)  # type: ignore[union-attr]
                for key, pattern in {
                    "site": r"chat page\s+(\S+)/",
                    "api": r"start-chat API\s+(\S+)",
                    "emulator": r"Connect emulator\s+(\S+)",
                }.items()
            }
            yield LocalModeProcess(process, **urls)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@dataclass
class ChatOutcome:
    start_ms: float
    connected: bool = False
    own: list[str] = field(default_factory=list)
    echoes: list[str] = field(default_factory=list)
    message_rtt_ms: list[float] = field(default_factory=list)
    error: str | None = None


async def start_via_api(
    session: aiohttp.ClientSession, stack: LocalModeProcess, n: int
) -> tuple[float, dict]:
    body = json.dumps({"ParticipantDetails": {"DisplayName": f"bench-{n}"}})
    started = time.perf_counter()
    async with session.post(stack.api, data=body, headers={"Origin": stack.site}) as response:
        payload = await response.json(content_type=None)
        elapsed = (time.perf_counter() - started) * 1000
        SERVER_MS.append(float(response.headers["Server-Timing"].split("dur=")[1]))
        if response.status != 200:
            raise RuntimeError(f"start chat {response.status}: {payload}")
    return elapsed, payload["data"]["startChatResult"]


async def start_direct(session: aiohttp.ClientSession, stack: LocalModeProcess, n: int) -> float:
    body = json.dumps({
        "InstanceId": "11111111-2222-4333-8444-555555555555",
        "ContactFlowId": "66666666-7777-4888-9999-aaaaaaaaaaaa",
        "ParticipantDetails": {"DisplayName": f"baseline-{n}"},
    })  # fmt: skip
    started = time.perf_counter()
    async with session.put(stack.emulator + "/contact/chat", data=body, headers=SIGNED) as r:
        await r.read()
        assert r.status == 200, await r.text()
    return (time.perf_counter() - started) * 1000


async def create_participant_connection(
    session: aiohttp.ClientSession, stack: LocalModeProcess, participant_token: str
) -> tuple[str, str]:
    """CreateParticipantConnection as ChatJS calls it: (connection token, websocket URL)."""
    async with session.post(
        stack.emulator + "/participant/connection",
        json={"Type": ["WEBSOCKET", "CONNECTION_CREDENTIALS"]},
        headers={"X-Amz-Bearer": participant_token},
    ) as response:
        connection = await response.json()
    return connection["ConnectionCredentials"]["ConnectionToken"], connection["Websocket"]["Url"]


async def run_chat(
    session: aiohttp.ClientSession, stack: LocalModeProcess, n: int, delay: float
) -> ChatOutcome:
    await asyncio.sleep(delay)
    start_ms, result = await start_via_api(session, stack, n)
    outcome = ChatOutcome(start_ms)
    try:
        token, websocket_url = await create_participant_connection(
            session, stack, result["ParticipantToken"]
        )
        async with session.ws_connect(websocket_url) as ws:
            await ws.send_str(json.dumps({"topic": "aws/subscribe",
                                          "content": {"topics": ["aws/chat"]}}))  # fmt: skip
            items: asyncio.Queue[dict] = asyncio.Queue()

            async def reader() -> None:
                async for message in ws:
                    frame = json.loads(message.data)
                    if frame.get("topic") == "aws/chat":
                        items.put_nowait(json.loads(frame["content"]))

            reading = asyncio.create_task(reader())
            greeted = await agent_greeted(session, stack, token)
            while not greeted:  # the agent's greeting: it has joined and will answer
                item = await asyncio.wait_for(items.get(), 30)
                greeted = item.get("ParticipantRole") == "AGENT" and item["Type"] == "MESSAGE"
            outcome.connected = True
            for m in range(MESSAGES):
                await asyncio.sleep(THINK_SECONDS * random.uniform(0.5, 1.5))
                text = f"chat {n} message {m}"
                sent = time.perf_counter()
                async with session.post(
                    stack.emulator + "/participant/message",
                    json={"ContentType": "text/plain", "Content": text},
                    headers={"X-Amz-Bearer": token},
                ) as response:
                    assert response.status == 200, await response.text()
                while len(outcome.echoes) <= m:
                    item = await asyncio.wait_for(items.get(), 30)
                    if item["Type"] != "MESSAGE":
                        continue
                    if item["ParticipantRole"] == "CUSTOMER":
                        outcome.own.append(item["Content"])
                    else:
                        outcome.echoes.append(item["Content"].removeprefix("You said: "))
                outcome.message_rtt_ms.append((time.perf_counter() - sent) * 1000)
            async with session.post(
                stack.emulator + "/participant/disconnect", json={},
                headers={"X-Amz-Bearer": token},
            ):  # fmt: skip
                pass
            reading.cancel()
    except (
        Exception
    ) as error:  # reported in the table, not raised: one failure must not hide the rest
        outcome.error = f"{type(error).__name__}: {error}"
    return outcome


async def agent_greeted(
    session: aiohttp.ClientSession, stack: LocalModeProcess, token: str
) -> bool:
    """The agent may have greeted before our subscription took effect: ask the transcript."""
    await asyncio.sleep(0.05)
    async with session.post(
        stack.emulator + "/participant/transcript", json={"MaxResults": 100},
        headers={"X-Amz-Bearer": token},
    ) as response:  # fmt: skip
        transcript = (await response.json())["Transcript"]
    return any(i.get("ParticipantRole") == "AGENT" and i["Type"] == "MESSAGE" for i in transcript)


async def heartbeat_rtts(session: aiohttp.ClientSession, stack: LocalModeProcess) -> list[float]:
    _, result = await start_via_api(session, stack, -1)
    async with session.post(
        stack.emulator + "/participant/connection", json={"Type": ["WEBSOCKET"]},
        headers={"X-Amz-Bearer": result["ParticipantToken"]},
    ) as response:  # fmt: skip
        connection = await response.json()
    samples = []
    async with session.ws_connect(connection["Websocket"]["Url"]) as ws:
        for _ in range(200):
            sent = time.perf_counter()
            await ws.send_str('{"topic": "aws/heartbeat"}')
            await ws.receive()
            samples.append((time.perf_counter() - sent) * 1000)
    return samples


@dataclass
class LoadFigures:
    """The other chats' p99s, what the hot-chat case compares."""

    start_p99: float
    message_p99: float


async def warm_up(session: aiohttp.ClientSession, stack: LocalModeProcess) -> None:
    for n in range(20):  # warm up the handler threads and the connection pools
        await start_via_api(session, stack, -n - 10)
        await start_direct(session, stack, n)


async def run_chats(
    session: aiohttp.ClientSession, stack: LocalModeProcess
) -> tuple[list[ChatOutcome], float]:
    began = time.perf_counter()
    outcomes = await asyncio.gather(*(
        run_chat(session, stack, n, RAMP_SECONDS * n / CHATS) for n in range(CHATS)
    ))  # fmt: skip
    return list(outcomes), time.perf_counter() - began


def figures(outcomes: list[ChatOutcome]) -> LoadFigures:
    rtts = [r for o in outcomes for r in o.message_rtt_ms] or [float("nan")]
    return LoadFigures(percentile([o.start_ms for o in outcomes], 0.99), percentile(rtts, 0.99))


async def measure(stack: LocalModeProcess) -> LoadFigures:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await warm_up(session, stack)
        baseline_start = [await start_direct(session, stack, n) for n in range(CHATS)]
        heartbeat = await heartbeat_rtts(session, stack)
        outcomes, elapsed = await run_chats(session, stack)

    failed = [o for o in outcomes if o.error]
    expected = [f"chat {{}} message {m}" for m in range(MESSAGES)]
    lost = reordered = 0
    for n, outcome in enumerate(outcomes):
        want = [e.format(n) for e in expected]
        for got in (outcome.own, outcome.echoes):
            lost += len(set(want) - set(got))
            if sorted(got, key=want.index) != got or got != want[: len(got)]:
                reordered += 1
    start_ms = [o.start_ms for o in outcomes]
    rtts = [r for o in outcomes for r in o.message_rtt_ms]
    delivered = sum(len(o.own) + len(o.echoes) for o in outcomes)
    rtts = rtts or [float("nan")]
    p50, p99 = percentile(start_ms, 0.5), percentile(start_ms, 0.99)
    b50, b99 = percentile(baseline_start, 0.5), percentile(baseline_start, 0.99)
    h50 = percentile(heartbeat, 0.5)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine load average (1/5/15 min) at the end: {load} on {os.cpu_count()} cores")
    print(f"{CHATS} chats x {MESSAGES} messages, starts ramped over {RAMP_SECONDS:.1f} s, "
          f"think time {THINK_SECONDS:.2f} s, {elapsed:.1f} s in all")  # fmt: skip
    print_table(
        ["measure", "p50 ms", "p99 ms", "ratio p50", "target"],
        [
            ["StartChatContact direct to emulator (baseline)", f"{b50:.1f}", f"{b99:.1f}", "1.0", ""],  # noqa: E501
            ["start chat via API (handler + adapter)", f"{p50:.1f}", f"{p99:.1f}",
             f"{p50 / b50:.1f}", f"p99 < {TARGET_P99_MS:.0f} ms: {'met' if p99 < TARGET_P99_MS else 'MISSED'}"],  # noqa: E501
            ["  of which inside the API process (Server-Timing)",
             f"{percentile(SERVER_MS[-CHATS:], 0.5):.1f}",
             f"{percentile(SERVER_MS[-CHATS:], 0.99):.1f}", "", ""],
            ["websocket heartbeat round trip (baseline)", f"{h50:.2f}",
             f"{percentile(heartbeat, 0.99):.2f}", "1.0", ""],
            ["message sent -> agent echo received", f"{percentile(rtts, 0.5):.1f}",
             f"{percentile(rtts, 0.99):.1f}", f"{percentile(rtts, 0.5) / h50:.1f}", ""],
        ],
    )  # fmt: skip
    print()
    print_table(
        ["chats ok", "chats failed", "messages delivered", "messages/s", "lost", "reordered chats"],
        [[len(outcomes) - len(failed), len(failed), delivered, f"{delivered / elapsed:.0f}",
          lost, reordered]],
    )  # fmt: skip
    for outcome in failed[:5]:
        print("failure:", outcome.error)
    return figures(outcomes)


@dataclass
class HotChat:
    token: str
    message_ids: list[str] = field(default_factory=list)
    transcript_ms: list[float] = field(default_factory=list)
    writes: int = 0


async def hot_send(session: aiohttp.ClientSession, stack: LocalModeProcess, hot: HotChat,
                   text: str) -> None:  # fmt: skip
    """A message and the visitor's read receipt for it (a receipt looks its message up)."""
    headers = {"X-Amz-Bearer": hot.token}
    async with session.post(
        stack.emulator + "/participant/message",
        json={"ContentType": "text/plain", "Content": text}, headers=headers,
    ) as response:  # fmt: skip
        message_id = (await response.json())["Id"]
    async with session.post(
        stack.emulator + "/participant/event",
        json={"ContentType": "application/vnd.amazonaws.connect.event.message.read",
              "Content": json.dumps({"messageId": message_id})},
        headers=headers,
    ) as response:  # fmt: skip
        assert response.status == 200, await response.text()
    hot.writes += 1


async def fill_hot_chat(session: aiohttp.ClientSession, stack: LocalModeProcess) -> HotChat:
    _, result = await start_via_api(session, stack, -100_000)
    token, _ = await create_participant_connection(session, stack, result["ParticipantToken"])
    # A person takes the chat over: the hot chat is about its size, not the scripted agent.
    takeover = f"{stack.emulator}/_emulator/contacts/{result['ContactId']}/takeover"
    async with session.post(takeover) as response:
        assert response.status == 200, await response.text()
    hot = HotChat(token)

    async def sender(first: int) -> None:
        for m in range(first, HOT_MESSAGES, HOT_FILL_SENDERS):
            await hot_send(session, stack, hot, f"hot message {m}")

    await asyncio.gather(*(sender(k) for k in range(HOT_FILL_SENDERS)))
    return hot


async def keep_hot(session: aiohttp.ClientSession, stack: LocalModeProcess, hot: HotChat,
                   stop: asyncio.Event) -> None:  # fmt: skip
    async def reader() -> None:
        next_token: str | None = None
        while not stop.is_set():
            body: dict[str, object] = {"MaxResults": 100}
            if next_token:
                body["NextToken"] = next_token
            sent = time.perf_counter()
            async with session.post(
                stack.emulator + "/participant/transcript", json=body,
                headers={"X-Amz-Bearer": hot.token},
            ) as response:  # fmt: skip
                next_token = (await response.json()).get("NextToken")
            hot.transcript_ms.append((time.perf_counter() - sent) * 1000)

    async def writer() -> None:
        while not stop.is_set():
            await hot_send(session, stack, hot, f"still hot {hot.writes}")

    await asyncio.gather(*(reader() for _ in range(HOT_READERS)), writer())


async def measure_beside_hot_chat(stack: LocalModeProcess, quiet: LoadFigures) -> None:
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        await warm_up(session, stack)
        filling = time.perf_counter()
        hot = await fill_hot_chat(session, stack)
        fill_s = time.perf_counter() - filling
        stop = asyncio.Event()
        busy = asyncio.create_task(keep_hot(session, stack, hot, stop))
        outcomes, elapsed = await run_chats(session, stack)
        stop.set()
        await busy
    loud = figures(outcomes)
    failed = sum(1 for o in outcomes if o.error)
    print()
    print(f"hot chat: {HOT_MESSAGES} messages + {HOT_MESSAGES} read receipts sent in "
          f"{fill_s:.1f} s ({HOT_FILL_SENDERS} senders); during the load {HOT_READERS} "
          f"GetTranscript loops made {len(hot.transcript_ms)} calls (p99 "
          f"{percentile(hot.transcript_ms or [float('nan')], 0.99):.1f} ms) and the writer "
          f"{hot.writes - HOT_MESSAGES} more messages; {CHATS} other chats, {failed} failed, "
          f"{elapsed:.1f} s")  # fmt: skip
    rows = []
    for name, without, beside in (
        ("other chats: start chat p99 ms", quiet.start_p99, loud.start_p99),
        ("other chats: message -> echo p99 ms", quiet.message_p99, loud.message_p99),
    ):
        ratio = beside / without
        verdict = "met" if ratio <= TARGET_HOT_RATIO else "MISSED"
        rows.append([name, f"{without:.1f}", f"{beside:.1f}", f"{ratio:.2f}",
                     f"<= {TARGET_HOT_RATIO:.0f}x: {verdict}"])  # fmt: skip
    print_table(["measure", "without hot chat", "beside hot chat", "ratio", "target"], rows)


def main() -> None:
    with local_mode() as stack:
        quiet = asyncio.run(measure(stack))
    if HOT_MESSAGES > 0:
        # A fresh local mode, so the first run's ended chats do not weigh on the second.
        with local_mode() as stack:
            asyncio.run(measure_beside_hot_chat(stack, quiet))


if __name__ == "__main__":
    main()
