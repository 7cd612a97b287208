"""Test-control endpoints under /_emulator (local mode only, never part of the AWS API)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .agent import ScriptedAgent
from .chat import ChatStore, Contact
from .errors import ServiceError, validation
from .faults import FaultInjector
from .participant_api import disconnect_participant
from .request_body import read_json_object, string_field

MAX_AGENT_MESSAGE = 1024


class EmulatorControl:
    def __init__(self, store: ChatStore, faults: FaultInjector, agent: ScriptedAgent) -> None:
        self.store = store
        self.faults = faults
        self.agent = agent

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/_emulator/faults", self.arm_fault),
            web.get("/_emulator/faults", self.list_faults),
            web.get("/_emulator/contacts", self.list_contacts),
            web.get("/_emulator/contacts/{contact_id}", self.contact_detail),
            web.post("/_emulator/contacts/{contact_id}/takeover", self.take_over),
            web.post("/_emulator/contacts/{contact_id}/messages", self.agent_message),
            web.post("/_emulator/contacts/{contact_id}/end", self.end),
        ]

    async def arm_fault(self, request: web.Request) -> web.Response:
        try:
            body = await read_json_object(request, validation)
            operation = string_field(body, "operation", validation, required=True, min_len=1)
            error = string_field(body, "error", validation, required=True, min_len=1)
            count = body.get("count", 1)
            if isinstance(count, bool) or not isinstance(count, int):
                raise validation("count must be an integer")
            assert operation is not None and error is not None
            self.faults.arm(operation, error, count)
        except ServiceError as failure:
            return failure.to_response()
        except ValueError as failure:
            return web.json_response({"message": str(failure)}, status=400)
        return web.json_response({"faults": self.faults.armed()})

    async def list_faults(self, request: web.Request) -> web.Response:
        return web.json_response({"faults": self.faults.armed()})

    async def list_contacts(self, request: web.Request) -> web.Response:
        contacts = sorted(self.store.contacts.values(), key=lambda c: c.created_at, reverse=True)
        return web.json_response({"contacts": [c.summary() for c in contacts]})

    def _contact(self, request: web.Request) -> Contact:
        contact = self.store.contacts.get(request.match_info["contact_id"])
        if contact is None:
            raise web.HTTPNotFound(
                text='{"message": "No such contact"}', content_type="application/json"
            )
        return contact

    async def contact_detail(self, request: web.Request) -> web.Response:
        contact = self._contact(request)
        detail: dict[str, Any] = contact.summary()
        detail["Transcript"] = self.store.transcript(contact)
        return web.json_response(detail)

    async def take_over(self, request: web.Request) -> web.Response:
        contact = self._contact(request)
        if contact.ended:
            return web.json_response({"message": "The chat has ended"}, status=409)
        contact.human_agent = True
        self.agent.seat(contact)
        return web.json_response(contact.summary())

    async def agent_message(self, request: web.Request) -> web.Response:
        contact = self._contact(request)
        try:
            body = await read_json_object(request, validation)
            content = string_field(
                body, "content", validation, required=True, min_len=1, max_len=MAX_AGENT_MESSAGE
            )
            content_type = string_field(body, "contentType", validation) or "text/plain"
            if content_type not in {"text/plain", "text/markdown"}:
                raise validation("contentType must be text/plain or text/markdown")
        except ServiceError as failure:
            return failure.to_response()
        if contact.ended:
            return web.json_response({"message": "The chat has ended"}, status=409)
        contact.human_agent = True
        seat = self.agent.seat(contact)
        item = self.store.post(
            contact,
            seat.participant,
            item_type="MESSAGE",
            content_type=content_type,
            content=content,
        )
        return web.json_response({"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]})

    async def end(self, request: web.Request) -> web.Response:
        contact = self._contact(request)
        seat = self.agent.seats.get(contact.contact_id)
        if seat is not None:
            disconnect_participant(self.store, contact, seat.participant)
        self.store.end_contact(contact, "AGENT_DISCONNECT")
        return web.json_response(contact.summary())
