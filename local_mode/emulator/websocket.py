"""The websocket protocol ChatJS's websocket manager speaks.

Client frames are JSON `{"topic": ..., "content": ...}`: `aws/subscribe` (content.topics),
`aws/unsubscribe`, `aws/heartbeat` and `aws/ping`. Chat items arrive on topic `aws/chat`
with the item JSON-encoded again inside `content`.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web

from .chat import ChatStore, Contact, Participant

MAX_FRAME_BYTES = 128 * 1024
KNOWN_TOPICS = {"aws/chat"}


class ParticipantSocket:
    """One subscribed websocket; frames go out in order through a bounded queue."""

    def __init__(self, ws: web.WebSocketResponse, max_queued: int) -> None:
        self.ws = ws
        self.connection_id = str(uuid.uuid4())
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self.max_queued = max_queued
        self.subscribed: set[str] = set()
        self.closing = False

    def deliver(self, frame: str) -> None:
        if "aws/chat" not in self.subscribed or self.closing:
            return
        if self.queue.qsize() >= self.max_queued:
            # A client that stops reading must not hold the emulator's memory hostage.
            self.close_soon()
            return
        self.queue.put_nowait(frame)

    def reply(self, payload: dict[str, Any]) -> None:
        if not self.closing:
            self.queue.put_nowait(json.dumps(payload))

    def close_soon(self) -> None:
        if not self.closing:
            self.closing = True
            self.queue.put_nowait(None)

    async def pump(self) -> None:
        while True:
            frame = await self.queue.get()
            if frame is None:
                break
            await self.ws.send_str(frame)
        await self.ws.close()


class WebsocketGateway:
    def __init__(
        self, store: ChatStore, on_closed: Callable[[Contact, Participant], None] | None = None
    ) -> None:
        self.store = store
        self.on_closed = on_closed

    async def handle(self, request: web.Request) -> web.StreamResponse:
        found = self.store.by_socket_id(request.match_info["socket_id"])
        if found is None:
            # API Gateway refuses the upgrade of an unknown or expired URL with a plain 403.
            return web.json_response({"message": "Forbidden"}, status=403)
        contact, participant = found
        ws = web.WebSocketResponse(max_msg_size=MAX_FRAME_BYTES, autoping=True)
        await ws.prepare(request)
        socket = ParticipantSocket(ws, self.store.settings.max_queued_frames)
        participant.sockets.add(socket)
        pump = asyncio.create_task(socket.pump())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self._on_frame(socket, message.data)
                elif message.type in (WSMsgType.BINARY,):
                    socket.reply(self._error(socket, "Binary frames are not supported"))
                else:
                    break
        finally:
            participant.sockets.discard(socket)
            socket.close_soon()
            if self.on_closed is not None:
                self.on_closed(contact, participant)
            try:
                await asyncio.wait_for(pump, timeout=5)
            except (TimeoutError, ConnectionError, RuntimeError):
                pump.cancel()
        return ws

    def _on_frame(self, socket: ParticipantSocket, data: str) -> None:
        try:
            frame = json.loads(data)
        except (ValueError, RecursionError):  # RecursionError: very deep nesting ([[[[...)
            socket.reply(self._error(socket, "Invalid request body"))
            return
        if not isinstance(frame, dict) or not isinstance(frame.get("topic"), str):
            socket.reply(self._error(socket, "Invalid request body"))
            return
        topic = frame["topic"]
        content = frame.get("content")
        if topic == "aws/heartbeat":
            socket.reply({"topic": "aws/heartbeat"})
        elif topic == "aws/ping":
            socket.reply({"topic": "aws/ping", "statusCode": 200, "statusContent": "OK"})
        elif topic in {"aws/subscribe", "aws/unsubscribe"}:
            topics = content.get("topics") if isinstance(content, dict) else None
            valid = (
                isinstance(topics, list)
                and bool(topics)
                and all(isinstance(t, str) and t in KNOWN_TOPICS for t in topics)
            )
            if valid and isinstance(topics, list) and topic == "aws/subscribe":
                socket.subscribed.update(topics)
            elif valid and isinstance(topics, list):
                socket.subscribed.difference_update(topics)
            status = "success" if valid else "failure"
            socket.reply({"topic": topic, "content": {"status": status, "topics": topics}})
        else:
            socket.reply(self._error(socket, "Forbidden"))

    @staticmethod
    def _error(socket: ParticipantSocket, message: str) -> dict[str, str]:
        return {
            "message": message,
            "connectionId": socket.connection_id,
            "requestId": str(uuid.uuid4()),
        }
