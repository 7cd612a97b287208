"""Warm per-request overhead of the start-chat handler against a bare StartChatContact call.

All hit the same loopback fake Connect (run in its own process so it does not share our GIL)
through the same client configuration. Baseline: `client.start_chat_contact(**params)` with the
exact parameters the handler sends. Handler: `lambda_handler(event, context)` for the prebuilt
widget's request, logs and EMF metrics included (written to /dev/null, as Lambda ships stdout),
anonymous and signed (a customer JWT verified with PyJWT); every answer carries a resume token.
The keys are the warm (cached) state of the Secrets Manager provider: SIGNING_KEYS in memory.
Blocks alternate so every variant sees the same machine noise.
Targets: handler p50 <= 1.2 x baseline p50, and <= 2 ms added.
Run: .venv/bin/python -m bench.handler_warm  (BENCH_WARM_REQUESTS=N per variant)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ._report import median, percentile, print_table

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = int(os.environ.get("BENCH_WARM_REQUESTS", "2000"))
BLOCK = 10  # small alternating blocks: both variants see the same moment of machine load
WARMUP = 200
TARGET_RATIO, TARGET_ADDED_MS = 1.2, 2.0
INSTANCE_ID = "11111111-2222-3333-4444-555555555555"
CONTACT_FLOW_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ORIGIN = "https://www.example.com"
ENV = {
    "INSTANCE_ID": INSTANCE_ID,
    "CONTACT_FLOW_ID": CONTACT_FLOW_ID,
    "ALLOWED_ORIGINS": ORIGIN,
    "ALLOWED_ATTRIBUTES": "topic",
    "ATTACHMENTS_ENABLED": "true",
    "AWS_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY": "fake-secret",
    "POWERTOOLS_SERVICE_NAME": "connect-chat-bench",
    "SIGNING_KEYS": json.dumps({"current": base64.b64encode(bytes(range(32))).decode()}),
}
WIDGET_BODY = {
    "InstanceId": INSTANCE_ID,
    "ContactFlowId": CONTACT_FLOW_ID,
    "ParticipantDetails": {"DisplayName": "Ada"},
    "Attributes": {"topic": "Billing"},
    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    "ChatDurationInMinutes": 1500,
}
SENT_PARAMS = {
    "InstanceId": INSTANCE_ID,
    "ContactFlowId": CONTACT_FLOW_ID,
    "ParticipantDetails": {"DisplayName": "Ada"},
    "Attributes": {"topic": "Billing", "customerName": "Ada"},
    "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
    "ChatDurationInMinutes": 1500,
}


@contextlib.contextmanager
def fake_connect_process() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench._fake_connect"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip()
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)


@contextlib.contextmanager
def stdout_to_devnull() -> Iterator[None]:
    """Logs and EMF lines go to fd 1, as in Lambda; keep them off the table."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1)
        try:
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)


def timed(call: Callable[[], Any], times: int, into: list[float]) -> None:
    for _ in range(times):
        started = time.perf_counter()
        call()
        into.append(time.perf_counter() - started)


def main() -> None:
    with fake_connect_process() as url:
        os.environ.update(ENV, AWS_ENDPOINT_URL_CONNECT=url)
        from handler import app
        from handler.connect_client import build_connect_client

        client = build_connect_client()
        event = {
            "httpMethod": "POST",
            "path": "/",
            "headers": {"origin": ORIGIN, "content-type": "text/plain;charset=UTF-8"},
            "requestContext": {"requestId": "bench"},
            "body": json.dumps(WIDGET_BODY),
            "isBase64Encoded": False,
        }
        context = SimpleNamespace(aws_request_id="bench", function_name="start-chat")
        signed_event = {
            **event,
            "headers": {**event["headers"], "authorization": f"Bearer {customer_jwt()}"},
        }

        def direct() -> None:
            client.start_chat_contact(**SENT_PARAMS)

        def call(request: dict[str, Any]) -> Callable[[], None]:
            def handler() -> None:
                response = app.lambda_handler(request, context)
                if response["statusCode"] != 200:
                    raise RuntimeError(f"handler failed: {response['body']}")

            return handler

        variants = {
            "baseline: client.start_chat_contact": direct,
            "handler: lambda_handler": call(event),
            "handler, signed: customer JWT": call(signed_event),
        }
        samples: dict[str, list[float]] = {name: [] for name in variants}
        block_ratios: dict[str, list[float]] = {name: [] for name in variants}
        with stdout_to_devnull():
            for run in variants.values():
                timed(run, WARMUP, [])
            for _ in range(REQUESTS // BLOCK):
                blocks: dict[str, list[float]] = {}
                for name, run in variants.items():
                    blocks[name] = []
                    timed(run, BLOCK, blocks[name])
                    samples[name] += blocks[name]
                floor = median(next(iter(blocks.values())))
                for name, block in blocks.items():
                    block_ratios[name].append(median(block) / floor)

    baseline = next(iter(samples.values()))
    rows = [
        [name]
        + [f"{percentile(values, q) * 1000:.3f}" for q in (0.5, 0.9, 0.99)]
        + [f"{median(values) / median(baseline):.3f}"]
        for name, values in samples.items()
    ]
    print(f"Warm requests on a loopback fake Connect, {REQUESTS} per variant, interleaved")
    print_table(["variant", "p50 ms", "p90 ms", "p99 ms", "x baseline p50"], rows)
    for name, values in list(samples.items())[1:]:
        added_ms = (median(values) - median(baseline)) * 1000
        ratio = median(values) / median(baseline)
        ok = ratio <= TARGET_RATIO and added_ms <= TARGET_ADDED_MS
        # Paired blocks cancel slow drifts in machine load that overall percentiles still see.
        paired = block_ratios[name]
        print(
            f"{name}: added p50 = {added_ms:.3f} ms, ratio = {ratio:.3f} "
            f"({'meets' if ok else 'MISSES'} <= {TARGET_RATIO} x and <= {TARGET_ADDED_MS} ms); "
            f"median of {len(paired)} paired block ratios = {median(paired):.3f}"
        )


def customer_jwt() -> str:
    """A customer token as docs/embedding.md's signer makes it, valid for the run."""
    import jwt

    now = int(time.time())
    claims = {"sub": "bench-customer", "name": "Ada", "iat": now, "exp": now + 600}
    return jwt.encode(claims, bytes(range(32)), algorithm="HS256")


if __name__ == "__main__":
    main()
