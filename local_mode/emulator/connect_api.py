"""Amazon Connect `StartChatContact` (PUT /contact/chat) with the service's constraints."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .chat import CHAT_REHYDRATED, PARTICIPANT_JOINED, ChatStore, Contact
from .errors import ServiceError, invalid_parameter, invalid_request, resource_not_found
from .faults import FaultInjector
from .item_log import ItemLog
from .request_body import int_field, list_field, object_field, read_json_object, string_field

SUPPORTED_MESSAGING_CONTENT_TYPES = {
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
}
INITIAL_MESSAGE_CONTENT_TYPES = {"text/plain", "text/markdown"}
DISCONNECT_ON_CUSTOMER_EXIT_TYPES = {"AGENT"}
ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")  # fullmatch: `$` would pass a trailing newline
MAX_ATTRIBUTES_BYTES = 32768
DEFAULT_DURATION_MINUTES = 1500


@dataclass(frozen=True)
class ConnectInstance:
    """The instance the emulator pretends to host; other ids get ResourceNotFoundException."""

    instance_id: str
    contact_flow_ids: frozenset[str]
    max_active_chats: int = 10000


class StartChatContact:
    def __init__(
        self,
        store: ChatStore,
        instance: ConnectInstance | None,
        faults: FaultInjector,
        on_created: list[Any],
    ) -> None:
        self.store = store
        self.instance = instance
        self.faults = faults
        self.on_created = on_created

    async def handle(self, request: web.Request) -> web.Response:
        try:
            if not request.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256"):
                raise ServiceError(
                    "MissingAuthenticationTokenException", 403, "Missing Authentication Token"
                )
            body = await read_json_object(request, invalid_parameter)
            self.faults.check("StartChatContact")
            result = self.start(body)
        except ServiceError as error:
            return error.to_response()
        return web.json_response(result)

    def start(self, body: dict[str, Any]) -> dict[str, Any]:
        err = invalid_parameter
        instance_id = string_field(body, "InstanceId", err, required=True, min_len=1, max_len=100)
        flow_id = string_field(body, "ContactFlowId", err, required=True, max_len=500)
        details = object_field(body, "ParticipantDetails", err)
        if details is None:
            raise err("ParticipantDetails is required")
        display_name = string_field(
            details, "DisplayName", err, required=True, min_len=1, max_len=256
        )
        attributes = self._attributes(body)
        duration = int_field(body, "ChatDurationInMinutes", err, minimum=60, maximum=10080)
        content_types = self._content_types(body)
        initial = self._initial_message(body)
        client_token = string_field(body, "ClientToken", err, max_len=500)
        related = string_field(body, "RelatedContactId", err, min_len=1, max_len=256)
        customer_id = string_field(body, "CustomerId", err, min_len=1, max_len=128)
        disconnect_on_exit = self._disconnect_on_customer_exit(body)
        persistent = object_field(body, "PersistentChat", err)
        if persistent is not None and related is not None:
            raise invalid_request("PersistentChat and RelatedContactId cannot be used together")
        assert instance_id is not None and flow_id is not None and display_name is not None
        self._check_instance(instance_id, flow_id)

        if client_token is not None and client_token in self.store.client_tokens:
            earlier = self.store.contacts.get(self.store.client_tokens[client_token])
            if earlier is not None and not earlier.ended:
                return self._response(earlier, earlier.customer().participant_token)

        past_logs: list[ItemLog] = []
        source_id: str | None = None
        if persistent is not None:
            past_logs, source_id = self._rehydrate(persistent)
        if related is not None and related not in self.store.contacts:
            raise resource_not_found(f"Contact {related} not found")

        contact, customer = self.store.create_contact(
            instance_id=instance_id,
            contact_flow_id=flow_id,
            display_name=display_name,
            attributes=attributes,
            duration_minutes=duration or DEFAULT_DURATION_MINUTES,
            supported_content_types=content_types,
            past_logs=past_logs,
            continued_from=source_id,
            customer_id=customer_id,
        )
        contact.disconnect_on_customer_exit = disconnect_on_exit
        if source_id is not None:
            self.store.contacts[source_id].continued_by = contact.contact_id
        if client_token is not None:
            self.store.client_tokens[client_token] = contact.contact_id
            contact.client_token = client_token
        if source_id is not None:
            self.store.post(contact, None, item_type="EVENT", content_type=CHAT_REHYDRATED)
        self.store.post(contact, customer, item_type="EVENT", content_type=PARTICIPANT_JOINED)
        if initial is not None:
            self.store.post(
                contact,
                customer,
                item_type="MESSAGE",
                content_type=initial["ContentType"],
                content=initial["Content"],
            )
        for callback in self.on_created:
            callback(contact)
        return self._response(contact, customer.participant_token)

    def _response(self, contact: Contact, participant_token: str) -> dict[str, Any]:
        result = {
            "ContactId": contact.contact_id,
            "ParticipantId": contact.customer().participant_id,
            "ParticipantToken": participant_token,
        }
        if contact.continued_from:
            result["ContinuedFromContactId"] = contact.continued_from
        return result

    def _check_instance(self, instance_id: str, flow_id: str) -> None:
        if self.instance is None:
            return
        if instance_id != self.instance.instance_id:
            raise resource_not_found(f"Instance {instance_id} not found")
        if flow_id not in self.instance.contact_flow_ids:
            raise resource_not_found(f"Contact flow {flow_id} not found in instance")
        if len(self.store.active_contacts()) >= self.instance.max_active_chats:
            raise ServiceError(
                "LimitExceededException", 429, "Concurrent active chats limit exceeded"
            )

    def _attributes(self, body: dict[str, Any]) -> dict[str, str]:
        attributes = object_field(body, "Attributes", invalid_parameter) or {}
        total = 0
        for key, value in attributes.items():
            if not 1 <= len(key) <= 32767 or not ATTRIBUTE_KEY.fullmatch(key):
                raise invalid_parameter(
                    "Attribute keys may contain only letters, digits, hyphen and underscore"
                )
            if not isinstance(value, str) or len(value) > 32767:
                raise invalid_parameter(f"Attribute {key} must be a string of at most 32767")
            total += len(key.encode()) + len(value.encode())
        if total > MAX_ATTRIBUTES_BYTES:
            raise invalid_parameter("Attributes exceed 32768 bytes in total")
        return dict(attributes)

    def _content_types(self, body: dict[str, Any]) -> list[str]:
        types = list_field(body, "SupportedMessagingContentTypes", invalid_parameter)
        if types is None:
            return ["text/plain"]
        for value in types:
            if not isinstance(value, str) or value not in SUPPORTED_MESSAGING_CONTENT_TYPES:
                raise invalid_parameter(f"Unsupported messaging content type: {value!r}")
        if "text/plain" not in types:
            raise invalid_request("SupportedMessagingContentTypes must include text/plain")
        return list(dict.fromkeys(types))

    def _disconnect_on_customer_exit(self, body: dict[str, Any]) -> tuple[str, ...]:
        types = list_field(body, "DisconnectOnCustomerExit", invalid_parameter) or []
        for value in types:
            if value not in DISCONNECT_ON_CUSTOMER_EXIT_TYPES:
                raise invalid_parameter(
                    f"DisconnectOnCustomerExit accepts only AGENT, got {value!r}"
                )
        return tuple(dict.fromkeys(types))

    def _initial_message(self, body: dict[str, Any]) -> dict[str, str] | None:
        message = object_field(body, "InitialMessage", invalid_parameter)
        if message is None:
            return None
        content_type = string_field(message, "ContentType", invalid_parameter, required=True)
        content = string_field(message, "Content", invalid_parameter, required=True, min_len=1)
        if content_type not in INITIAL_MESSAGE_CONTENT_TYPES:
            raise invalid_parameter(
                "InitialMessage.ContentType must be text/plain or text/markdown"
            )
        assert content is not None
        if len(content) > 1024:
            raise invalid_parameter("InitialMessage.Content must be 1 to 1024 characters long")
        return {"ContentType": content_type, "Content": content}

    def _rehydrate(self, persistent: dict[str, Any]) -> tuple[list[ItemLog], str]:
        kind = string_field(persistent, "RehydrationType", invalid_parameter)
        source_id = string_field(
            persistent, "SourceContactId", invalid_parameter, min_len=1, max_len=256
        )
        if kind not in {"ENTIRE_PAST_SESSION", "FROM_SEGMENT"} or source_id is None:
            raise invalid_parameter(
                "PersistentChat needs RehydrationType ENTIRE_PAST_SESSION or FROM_SEGMENT"
                " and a SourceContactId"
            )
        source = self.store.contacts.get(source_id)
        if source is None:
            raise invalid_request(f"SourceContactId {source_id} is not a past chat contact")
        if kind == "ENTIRE_PAST_SESSION":
            if source.continued_from is not None:
                raise invalid_request(
                    "ENTIRE_PAST_SESSION needs the first contact of the past session"
                )
            session = [source]
            while session[-1].continued_by in self.store.contacts:
                session.append(self.store.contacts[session[-1].continued_by])
            latest = session[-1]
        else:
            if source.continued_by is not None:
                raise invalid_request(f"Contact {source_id} has already been continued")
            session = self.store.session_chain(source)
            latest = source
        if not latest.ended:
            raise invalid_request("The past chat session is still active")
        return [contact.log for contact in session], latest.contact_id
