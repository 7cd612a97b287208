"""A fake Amazon Connect endpoint for StartChatContact (PUT /contact/chat), on loopback only.

Point a client at it with AWS_ENDPOINT_URL_CONNECT. Tests script its answers (errors, delays)
and read what it received; the warm benchmark runs it in a separate process
(`python -m bench._fake_connect`, which prints its URL) so it does not share the GIL.
"""

from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ScriptedAnswer:
    status: int = 200
    body: dict[str, Any] | None = None
    error_type: str | None = None
    delay_seconds: float = 0.0


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeConnect:
    """Answers StartChatContact with a new contact unless an answer was scripted."""

    received: list[ReceivedRequest] = field(default_factory=list)
    _script: deque[ScriptedAnswer] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *answers: ScriptedAnswer) -> None:
        with self._lock:
            self._script.extend(answers)

    def fail(self, status: int, error_type: str, times: int = 1) -> None:
        self.script(
            *[
                ScriptedAnswer(status, {"message": f"fake {error_type}"}, error_type)
                for _ in range(times)
            ]
        )

    def start(self) -> FakeConnect:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeConnect:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _answer(self, request: ReceivedRequest) -> ScriptedAnswer:
        with self._lock:
            self.received.append(request)
            if self._script:
                return self._script.popleft()
        if request.method != "PUT" or request.path != "/contact/chat":
            return ScriptedAnswer(404, {"message": "no such operation"}, "UnknownOperation")
        body: dict[str, Any] = {
            "ContactId": str(uuid.uuid4()),
            "ParticipantId": str(uuid.uuid4()),
            "ParticipantToken": "fake-token-" + uuid.uuid4().hex,
        }
        persistent = request.body.get("PersistentChat")
        if isinstance(persistent, dict):
            body["ContinuedFromContactId"] = persistent.get("SourceContactId")
        return ScriptedAnswer(200, body)


def _handler_for(fake: FakeConnect) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as with the real endpoint
        # Headers and body leave in separate writes: without this, Nagle plus delayed ACKs
        # add ~40 ms to every answer on a kept-alive connection.
        disable_nagle_algorithm = True

        def do_PUT(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {"_unparsed": raw.decode("latin-1")}
            request = ReceivedRequest(self.command, self.path, dict(self.headers.items()), body)
            answer = fake._answer(request)
            if answer.delay_seconds:
                time.sleep(answer.delay_seconds)
            payload = json.dumps(answer.body or {}).encode()
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                if answer.error_type:
                    self.send_header("x-amzn-ErrorType", answer.error_type)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (read timeout): nothing to answer

        do_POST = do_PUT

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


if __name__ == "__main__":
    with FakeConnect() as running:
        print(running.url, flush=True)
        sys.stdin.read()  # serve until the parent closes our stdin
