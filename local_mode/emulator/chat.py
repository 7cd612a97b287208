"""Contacts, participants and chat items held in memory.

This is a development and test tool, not a store: everything lives in process memory and
is gone when local mode stops.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clock import iso_now
from .item_log import ItemLog, SessionTranscript
from .settings import EmulatorSettings

EVENT_PREFIX = "application/vnd.amazonaws.connect.event."
PARTICIPANT_JOINED = EVENT_PREFIX + "participant.joined"
PARTICIPANT_LEFT = EVENT_PREFIX + "participant.left"
CHAT_ENDED = EVENT_PREFIX + "chat.ended"
CHAT_REHYDRATED = EVENT_PREFIX + "chat.rehydrated"
TYPING = EVENT_PREFIX + "typing"
MESSAGE_READ = EVENT_PREFIX + "message.read"
MESSAGE_DELIVERED = EVENT_PREFIX + "message.delivered"
CONNECTION_ACK = EVENT_PREFIX + "connection.acknowledged"
AUTO_DISCONNECTION = EVENT_PREFIX + "participant.autodisconnection"

# Item Type per event content type, as the service reports them in transcripts and on the socket.
EVENT_ITEM_TYPES = {
    PARTICIPANT_JOINED: "EVENT",
    PARTICIPANT_LEFT: "EVENT",
    CHAT_ENDED: "EVENT",
    CHAT_REHYDRATED: "EVENT",
    TYPING: "EVENT",
    CONNECTION_ACK: "EVENT",
}


class ChatSocket(Protocol):
    """A subscribed websocket of one participant (see websocket.py)."""

    def deliver(self, frame: str) -> None: ...

    def close_soon(self) -> None: ...


@dataclass(eq=False)
class Participant:
    participant_id: str
    role: str
    display_name: str
    participant_token: str
    connection_tokens: list[str] = field(default_factory=list)
    socket_ids: list[str] = field(default_factory=list)
    sockets: set[ChatSocket] = field(default_factory=set)
    connected: bool = False
    left: bool = False


@dataclass(eq=False)
class Contact:
    contact_id: str
    initial_contact_id: str
    instance_id: str
    contact_flow_id: str
    attributes: dict[str, str]
    duration_minutes: int
    supported_content_types: list[str]
    created_at: str
    log: ItemLog
    continued_from: str | None = None
    # The logs of the session's earlier contacts (ended, so they no longer change).
    past_logs: list[ItemLog] = field(default_factory=list)
    participants: dict[str, Participant] = field(default_factory=dict)
    state: str = "INITIATED"
    end_reason: str | None = None
    human_agent: bool = False
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    continued_by: str | None = None
    client_token: str | None = None
    customer_id: str | None = None
    message_tokens: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # StartChatContact's DisconnectOnCustomerExit, and whether the disconnect flow runs now.
    disconnect_on_customer_exit: tuple[str, ...] = ()
    in_disconnect_flow: bool = False

    @property
    def ended(self) -> bool:
        return self.state == "ENDED"

    def customer(self) -> Participant:
        return next(p for p in self.participants.values() if p.role == "CUSTOMER")

    def agent(self) -> Participant | None:
        return next((p for p in self.participants.values() if p.role == "AGENT"), None)

    def summary(self) -> dict[str, Any]:
        return {
            "ContactId": self.contact_id,
            "InitialContactId": self.initial_contact_id,
            "InstanceId": self.instance_id,
            "ContactFlowId": self.contact_flow_id,
            "Attributes": dict(self.attributes),
            "State": self.state,
            "EndReason": self.end_reason,
            "CreatedAt": self.created_at,
            "ChatDurationInMinutes": self.duration_minutes,
            "ContinuedFromContactId": self.continued_from,
            "SupportedMessagingContentTypes": list(self.supported_content_types),
            "HumanAgent": self.human_agent,
            "DisconnectOnCustomerExit": list(self.disconnect_on_customer_exit),
            "CustomerDisplayName": self.customer().display_name,
            "CustomerId": self.customer_id,
            "MessageCount": self.log.message_count,
        }


ItemListener = Callable[[Contact, dict[str, Any]], None]


class ChatStore:
    """All live and recently ended chats; the single owner of tokens."""

    def __init__(self, settings: EmulatorSettings) -> None:
        self.settings = settings
        self.contacts: dict[str, Contact] = {}
        self.ended_order: OrderedDict[str, None] = OrderedDict()
        self.participant_tokens: dict[str, tuple[str, str]] = {}
        self.connection_tokens: dict[str, tuple[str, str]] = {}
        self.socket_ids: dict[str, tuple[str, str]] = {}
        self.client_tokens: dict[str, str] = {}
        self.listeners: list[ItemListener] = []
        self.forget_listeners: list[Callable[[str], None]] = []
        self._sequence = itertools.count()

    # -- lookups -------------------------------------------------------------------------
    def by_participant_token(self, token: str) -> tuple[Contact, Participant] | None:
        return self._resolve(self.participant_tokens.get(token))

    def by_connection_token(self, token: str) -> tuple[Contact, Participant] | None:
        return self._resolve(self.connection_tokens.get(token))

    def by_socket_id(self, socket_id: str) -> tuple[Contact, Participant] | None:
        return self._resolve(self.socket_ids.get(socket_id))

    def _resolve(self, ref: tuple[str, str] | None) -> tuple[Contact, Participant] | None:
        if ref is None:
            return None
        contact = self.contacts.get(ref[0])
        if contact is None or contact.ended:
            return None
        participant = contact.participants.get(ref[1])
        if participant is None or participant.left:
            return None
        return contact, participant

    def active_contacts(self) -> list[Contact]:
        return [c for c in self.contacts.values() if not c.ended]

    # -- creation ------------------------------------------------------------------------
    def create_contact(
        self,
        *,
        instance_id: str,
        contact_flow_id: str,
        display_name: str,
        attributes: dict[str, str],
        duration_minutes: int,
        supported_content_types: list[str],
        past_logs: list[ItemLog],
        continued_from: str | None,
        customer_id: str | None = None,
    ) -> tuple[Contact, Participant]:
        contact_id = str(uuid.uuid4())
        contact = Contact(
            contact_id=contact_id,
            initial_contact_id=contact_id,
            instance_id=instance_id,
            contact_flow_id=contact_flow_id,
            attributes=attributes,
            duration_minutes=duration_minutes,
            supported_content_types=supported_content_types,
            created_at=iso_now(),
            log=ItemLog(contact_id, self.settings.max_items_per_contact),
            continued_from=continued_from,
            past_logs=past_logs,
            customer_id=customer_id,
        )
        customer = self.add_participant(contact, "CUSTOMER", display_name)
        self.contacts[contact_id] = contact
        return contact, customer

    def add_participant(self, contact: Contact, role: str, display_name: str) -> Participant:
        participant = Participant(
            participant_id=str(uuid.uuid4()),
            role=role,
            display_name=display_name,
            participant_token=secrets.token_urlsafe(48),
        )
        contact.participants[participant.participant_id] = participant
        self.participant_tokens[participant.participant_token] = (
            contact.contact_id,
            participant.participant_id,
        )
        return participant

    def new_connection(self, contact: Contact, participant: Participant) -> tuple[str, str]:
        """A connection token and websocket id, as each CreateParticipantConnection returns."""
        ref = (contact.contact_id, participant.participant_id)
        if not participant.connection_tokens:
            token = secrets.token_urlsafe(48)
            participant.connection_tokens.append(token)
            self.connection_tokens[token] = ref
        socket_id = secrets.token_urlsafe(24)
        participant.socket_ids.append(socket_id)
        self.socket_ids[socket_id] = ref
        # A client that reconnects often must not pile up websocket URLs.
        while len(participant.socket_ids) > 3:
            self.socket_ids.pop(participant.socket_ids.pop(0), None)
        participant.connected = True
        return participant.connection_tokens[0], socket_id

    # -- items ---------------------------------------------------------------------------
    def post(
        self,
        contact: Contact,
        sender: Participant | None,
        *,
        item_type: str,
        content_type: str,
        content: str | None = None,
        extra: dict[str, Any] | None = None,
        store: bool = True,
        exclude: Participant | None = None,
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "AbsoluteTime": iso_now(),
            "ContentType": content_type,
            "Id": str(uuid.uuid4()),
            "Type": item_type,
        }
        if content is not None:
            item["Content"] = content
        if sender is not None:
            item["ParticipantId"] = sender.participant_id
            item["DisplayName"] = sender.display_name
            item["ParticipantRole"] = sender.role
        if extra:
            item.update(extra)
        item["ContactId"] = contact.contact_id
        item["InitialContactId"] = contact.initial_contact_id
        item["_seq"] = next(self._sequence)
        if store:
            contact.log.append(item)
        self.broadcast(contact, item, exclude=exclude)
        for listener in list(self.listeners):
            listener(contact, item)
        return item

    def post_receipt(
        self, contact: Contact, reader: Participant, message_id: str, content_type: str
    ) -> dict[str, Any]:
        stamp = "ReadTimestamp" if content_type == MESSAGE_READ else "DeliveredTimestamp"
        metadata = {
            "MessageId": message_id,
            "Receipts": [{stamp: iso_now(), "RecipientParticipantId": reader.participant_id}],
        }
        return self.post(
            contact,
            None,
            item_type="MESSAGEMETADATA",
            content_type=content_type,
            extra={"MessageMetadata": metadata},
        )

    def broadcast(
        self, contact: Contact, item: dict[str, Any], exclude: Participant | None = None
    ) -> None:
        frame = json.dumps(
            {
                "topic": "aws/chat",
                "contentType": "application/json",
                "content": json.dumps(public_item(item)),
            }
        )
        for participant in contact.participants.values():
            if participant is exclude:
                continue
            for socket in list(participant.sockets):
                socket.deliver(frame)

    def session_transcript(self, contact: Contact) -> SessionTranscript:
        """What GetTranscript reads: the session's earlier contacts, then this one."""
        return SessionTranscript([*contact.past_logs, contact.log])

    def transcript(self, contact: Contact) -> list[dict[str, Any]]:
        view = self.session_transcript(contact)
        return [public_item(item) for item in view.slice(0, len(view))]

    # -- lifecycle -----------------------------------------------------------------------
    def schedule(self, contact: Contact, delay: float, callback: Callable[[], None]) -> None:
        loop = asyncio.get_running_loop()
        contact.timers.append(loop.call_later(delay, callback))

    def spawn(self, contact: Contact, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        contact.tasks.add(task)
        task.add_done_callback(contact.tasks.discard)

    def end_contact(self, contact: Contact, reason: str) -> None:
        if contact.ended:
            return
        self.post(contact, None, item_type="EVENT", content_type=CHAT_ENDED)
        contact.state = "ENDED"
        contact.end_reason = reason
        for timer in contact.timers:
            timer.cancel()
        contact.timers.clear()
        for task in list(contact.tasks):
            if task is not asyncio.current_task():
                task.cancel()
        for participant in contact.participants.values():
            self.participant_tokens.pop(participant.participant_token, None)
            for token in participant.connection_tokens:
                self.connection_tokens.pop(token, None)
            for socket_id in participant.socket_ids:
                self.socket_ids.pop(socket_id, None)
            for socket in list(participant.sockets):
                socket.close_soon()
            participant.sockets.clear()
        self.ended_order[contact.contact_id] = None
        while len(self.ended_order) > self.settings.max_ended_contacts:
            forgotten, _ = self.ended_order.popitem(last=False)
            old = self.contacts.pop(forgotten, None)
            if old is not None and old.client_token is not None:
                self.client_tokens.pop(old.client_token, None)
            for forget in self.forget_listeners:
                forget(forgotten)

    def session_chain(self, contact: Contact) -> list[Contact]:
        """The contacts of a persistent-chat session, oldest first, ending with `contact`."""
        chain = [contact]
        while chain[0].continued_from and chain[0].continued_from in self.contacts:
            chain.insert(0, self.contacts[chain[0].continued_from])
        return chain


def public_item(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if not key.startswith("_")}
