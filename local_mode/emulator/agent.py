"""The scripted agent: joins after a delay, greets, shows typing and answers commands.

Commands (the customer's whole message, case-insensitive): markdown, xss, list, quick,
time, panel, carousel, file, whoami, stream, bye; anything else is echoed. `whoami` answers with
what the contact flow received (display name, customer id, attributes, chat duration), so a test
or a developer sees what the API vouched for. Messages sent before the agent joined are answered,
in order, right after the greeting. A person who takes a chat over
in the agent console silences the script for that chat.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import interactive
from .chat import (
    CHAT_ENDED,
    MESSAGE_DELIVERED,
    MESSAGE_READ,
    PARTICIPANT_JOINED,
    PARTICIPANT_LEFT,
    TYPING,
    ChatStore,
    Contact,
    Participant,
)
from .participant_api import Attachment, AttachmentStore, post_attachment

AGENT_NAME = "Alex (emulated agent)"
GREETING = (
    "Hi, I'm Alex, the local emulator's agent. Try: markdown, xss, list, quick, time, panel,"
    " carousel, file, whoami, stream or bye. Anything else I echo."
)
# A Lex bot's streamed answer (Connect's ChatStreamingConfiguration), in the pieces the
# emulator sends it.
STREAM_CHUNKS = (
    "Streaming bots answer ",
    "in pieces: ",
    "ChatJS 5 stitches ",
    "each chunk onto the last, ",
    "under one message id.",
)
STREAM_BOT_NAME = "BOT"
MARKDOWN_REPLY = (
    "Here is **bold text**, a list:\n\n- first item\n- second item\n\n"
    "and a [link to Amazon Connect](https://aws.amazon.com/connect/)."
)
XSS_REPLY = (
    "Markdown with a payload: <script>window.__xss=1</script> "
    '<img src=x onerror="window.__xss=1"> **still bold**'
)


def whoami(contact: Contact) -> str:
    """What the contact flow received, one fact a line (attributes sorted, as JSON values)."""
    attributes = ", ".join(
        f"{key}={json.dumps(value)}" for key, value in sorted(contact.attributes.items())
    )
    return "\n".join(
        [
            f"Display name: {contact.customer().display_name}",
            f"Customer id: {contact.customer_id or '(none: not signed in)'}",
            f"Attributes: {attributes or '(none)'}",
            f"Chat duration: {contact.duration_minutes} minutes",
        ]
    )


@dataclass(eq=False)
class AgentSeat:
    participant: Participant
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # While the agent answers what waited for it, newer messages queue here, so every
    # answer goes out in the order the customer wrote.
    backlog: list[dict[str, Any]] | None = None


class ScriptedAgent:
    def __init__(
        self,
        store: ChatStore,
        attachments: AttachmentStore,
        join_delay: Callable[[], float],
        typing_delay: Callable[[], float],
    ) -> None:
        self.store = store
        self.attachments = attachments
        self.join_delay = join_delay
        self.typing_delay = typing_delay
        self.seats: dict[str, AgentSeat] = {}
        store.listeners.append(self._on_item)

    def customer_connected(self, contact: Contact, participant: Participant) -> None:
        if participant.role == "CUSTOMER" and contact.contact_id not in self.seats:
            self.store.schedule(contact, self.join_delay(), lambda: self._join(contact))

    def _join(self, contact: Contact) -> None:
        if contact.ended or contact.contact_id in self.seats:
            return
        # What the customer sent before anyone joined (the initial message too): a person
        # reads the queue on joining, so the script answers it as well.
        waiting = [
            item
            for item in contact.log
            if item["Type"] == "MESSAGE" and item.get("ParticipantRole") == "CUSTOMER"
        ]
        agent = self.store.add_participant(contact, "AGENT", AGENT_NAME)
        agent.connected = True
        seat = self.seats[contact.contact_id] = AgentSeat(agent)
        self.store.post(contact, agent, item_type="EVENT", content_type=PARTICIPANT_JOINED)
        for item in waiting:
            self.store.post_receipt(contact, agent, item["Id"], MESSAGE_DELIVERED)
            self.store.post_receipt(contact, agent, item["Id"], MESSAGE_READ)
        if not contact.human_agent:
            seat.backlog = waiting
            self.store.spawn(contact, self._greet_and_catch_up(contact, seat))

    async def _greet_and_catch_up(self, contact: Contact, seat: AgentSeat) -> None:
        await self._say(contact, "text/plain", GREETING)
        while seat.backlog:
            await self._answer(contact, seat.backlog.pop(0))
        seat.backlog = None

    def seat(self, contact: Contact) -> AgentSeat:
        """The agent participant of a chat, joining at once if it has not yet (console)."""
        if contact.contact_id not in self.seats:
            self._join(contact)
        return self.seats[contact.contact_id]

    def _on_item(self, contact: Contact, item: dict[str, Any]) -> None:
        if item["ContentType"] == CHAT_ENDED:
            self.seats.pop(contact.contact_id, None)
            return
        seat = self.seats.get(contact.contact_id)
        if seat is None or item.get("ParticipantRole") != "CUSTOMER" or contact.ended:
            return
        if seat.participant.left:
            return
        if item["Type"] == "MESSAGE":
            self.store.post_receipt(contact, seat.participant, item["Id"], MESSAGE_DELIVERED)
            self.store.post_receipt(contact, seat.participant, item["Id"], MESSAGE_READ)
            if contact.human_agent:
                return
            if seat.backlog is not None:
                seat.backlog.append(item)
            else:
                self.store.spawn(contact, self._answer(contact, item))

    async def _answer(self, contact: Contact, item: dict[str, Any]) -> None:
        text = item.get("Content", "")
        if item["ContentType"] == interactive.INTERACTIVE_RESPONSE:
            await self._say(contact, "text/plain", f"You chose: {interactive.chosen_title(text)}")
            return
        command = text.strip().lower()
        replies: dict[str, tuple[str, Callable[[], str]]] = {
            "markdown": ("text/markdown", lambda: MARKDOWN_REPLY),
            "xss": ("text/markdown", lambda: XSS_REPLY),
            "list": (interactive.INTERACTIVE, interactive.list_picker),
            "quick": (interactive.INTERACTIVE, interactive.quick_reply),
            "time": (interactive.INTERACTIVE, interactive.time_picker),
            "panel": (interactive.INTERACTIVE, interactive.panel),
            "carousel": (interactive.INTERACTIVE, interactive.carousel),
        }
        if command in replies:
            content_type, build = replies[command]
            await self._say(contact, content_type, build())
        elif command == "file":
            await self._send_file(contact)
        elif command == "whoami":
            await self._say(contact, "text/plain", whoami(contact))
        elif command == "stream":
            await self._stream(contact)
        elif command == "bye":
            await self._say(contact, "text/plain", "Thanks for chatting. Goodbye!")
            self.leave(contact)
        else:
            await self._say(contact, "text/plain", f"You said: {text}")

    async def _say(self, contact: Contact, content_type: str, content: str) -> None:
        seat = self.seats.get(contact.contact_id)
        if seat is None:
            return
        async with seat.lock:
            if contact.ended or contact.human_agent:
                return
            self.store.post(
                contact, seat.participant, item_type="EVENT", content_type=TYPING, store=False
            )
            await asyncio.sleep(self.typing_delay())
            if contact.ended or contact.human_agent:
                return
            self.store.post(
                contact,
                seat.participant,
                item_type="MESSAGE",
                content_type=content_type,
                content=content,
            )

    async def _stream(self, contact: Contact) -> None:
        """Answers as a Lex bot streaming through Connect: SYSTEM-role MESSAGE items under one
        Id, MessageMetadata.ChunkNumber counting from 1 with MessageCompleted false, then the
        whole text once with MessageCompleted true (what ChatJS 5's stitching expects). Only
        the completed message is kept for the transcript."""
        message_id = str(uuid.uuid4())
        bot = {"ParticipantRole": "SYSTEM", "DisplayName": STREAM_BOT_NAME, "Id": message_id}
        pause = self.typing_delay() / 2
        for number, chunk in enumerate(STREAM_CHUNKS, start=1):
            if contact.ended:
                return
            metadata = {"MessageId": message_id, "ChunkNumber": number, "MessageCompleted": False}
            self.store.post(
                contact,
                None,
                item_type="MESSAGE",
                content_type="text/plain",
                content=chunk,
                extra={**bot, "MessageMetadata": metadata},
                store=False,
            )
            await asyncio.sleep(pause)
        if contact.ended:
            return
        final = {
            "MessageId": message_id,
            "ChunkNumber": len(STREAM_CHUNKS) + 1,
            "MessageCompleted": True,
        }
        self.store.post(
            contact,
            None,
            item_type="MESSAGE",
            content_type="text/plain",
            content="".join(STREAM_CHUNKS),
            extra={**bot, "MessageMetadata": final},
        )

    async def _send_file(self, contact: Contact) -> None:
        seat = self.seats.get(contact.contact_id)
        if seat is None:
            return
        data = b"Receipt #1234 from the local Amazon Connect emulator.\n"
        attachment = Attachment(
            str(uuid.uuid4()),
            contact.contact_id,
            "receipt.txt",
            "text/plain",
            len(data),
            data,
            completed=True,
        )
        self.attachments.add(attachment)
        async with seat.lock:
            post_attachment(self.store, contact, seat.participant, attachment)

    def leave(self, contact: Contact) -> None:
        seat = self.seats.get(contact.contact_id)
        if seat is None or contact.ended:
            return
        self.store.post(contact, seat.participant, item_type="EVENT", content_type=PARTICIPANT_LEFT)
        seat.participant.left = True
        self.store.end_contact(contact, "AGENT_DISCONNECT")
