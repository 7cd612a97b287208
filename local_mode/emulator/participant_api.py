"""Amazon Connect Participant Service: the REST half of what ChatJS and boto3 call."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import disconnect_flow
from .chat import (
    CONNECTION_ACK,
    MESSAGE_DELIVERED,
    MESSAGE_READ,
    PARTICIPANT_LEFT,
    TYPING,
    ChatStore,
    Contact,
    Participant,
    public_item,
)
from .clock import iso_now
from .errors import ServiceError, access_denied, conflict, validation
from .faults import FaultInjector
from .item_log import SessionTranscript
from .request_body import (
    int_field,
    list_field,
    object_field,
    read_body,
    read_json_object,
    string_field,
)
from .s3_upload import (
    MAX_ATTACHMENT_BYTES,
    etag,
    integrity_refusal,
    s3_error,
    signed_headers_refusal,
)

# Per-content-type limits of SendMessage (the model allows 16384; the service is stricter).
MESSAGE_LIMITS = {
    "text/plain": 1024,
    "text/markdown": 1024,
    "application/json": 12000,
    "application/vnd.amazonaws.connect.message.interactive.response": 12288,
}
EVENT_TYPES = {TYPING, CONNECTION_ACK, MESSAGE_READ, MESSAGE_DELIVERED}
ATTACHMENT_TYPES = {
    "text/csv",
    "application/msword",
    "image/heic",
    "image/jpeg",
    "video/quicktime",
    "video/mp4",
    "application/pdf",
    "image/png",
    "application/vnd.ms-powerpoint",
    "application/rtf",
    "text/plain",
    "audio/wav",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_TRANSCRIPT_PAGE = 15


@dataclass(eq=False)
class Attachment:
    attachment_id: str
    contact_id: str
    name: str
    content_type: str
    size: int
    data: bytes | None = None
    completed: bool = False


@dataclass
class AttachmentStore:
    by_id: dict[str, Attachment] = field(default_factory=dict)
    # Indexed by contact too: forgetting a contact must not scan every attachment.
    ids_by_contact: dict[str, list[str]] = field(default_factory=dict)

    def add(self, attachment: Attachment) -> None:
        self.by_id[attachment.attachment_id] = attachment
        self.ids_by_contact.setdefault(attachment.contact_id, []).append(attachment.attachment_id)

    def forget_contact(self, contact_id: str) -> None:
        for attachment_id in self.ids_by_contact.pop(contact_id, []):
            self.by_id.pop(attachment_id, None)


Handler = Callable[[web.Request, dict[str, Any], Contact, Participant], Awaitable[dict[str, Any]]]


class ParticipantService:
    def __init__(
        self,
        store: ChatStore,
        faults: FaultInjector,
        public_url: Callable[[], str],
        attachments_enabled: bool,
        on_connected: list[Callable[[Contact, Participant], None]],
    ) -> None:
        self.store = store
        self.faults = faults
        self.public_url = public_url
        self.attachments_enabled = attachments_enabled
        self.attachments = AttachmentStore()
        self.on_connected = on_connected

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/participant/connection", self.create_participant_connection),
            web.post("/participant/message", self._authed("SendMessage", self.send_message)),
            web.post("/participant/event", self._authed("SendEvent", self.send_event)),
            web.post("/participant/transcript", self._authed("GetTranscript", self.transcript)),
            web.post("/participant/disconnect", self._authed("DisconnectParticipant", self.leave)),
            web.post(
                "/participant/start-attachment-upload",
                self._authed("StartAttachmentUpload", self.start_upload),
            ),
            web.post(
                "/participant/complete-attachment-upload",
                self._authed("CompleteAttachmentUpload", self.complete_upload),
            ),
            web.post("/participant/attachment", self._authed("GetAttachment", self.get_attachment)),
            web.put("/_uploads/{attachment_id}", self.receive_upload),
            web.get("/_attachments/{attachment_id}", self.download),
        ]

    # -- plumbing ------------------------------------------------------------------------
    def _authed(
        self, operation: str, handler: Handler
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def route(request: web.Request) -> web.StreamResponse:
            try:
                body = await read_json_object(request, validation)
                token = request.headers.get("X-Amz-Bearer", "")
                found = self.store.by_connection_token(token) if token else None
                if found is None:
                    raise access_denied("Access denied: the connection token is not valid")
                self.faults.check(operation)
                result = await handler(request, body, *found)
            except ServiceError as error:
                return error.to_response()
            return web.json_response(result)

        return route

    async def create_participant_connection(self, request: web.Request) -> web.Response:
        try:
            body = await read_json_object(request, validation)
            token = request.headers.get("X-Amz-Bearer", "")
            found = self.store.by_participant_token(token) if token else None
            if found is None:
                raise access_denied("Access denied: the participant token is not valid")
            self.faults.check("CreateParticipantConnection")
            types = list_field(body, "Type", validation)
            acknowledge = body.get("ConnectParticipant")
            if acknowledge is not None and not isinstance(acknowledge, bool):
                raise validation("ConnectParticipant must be a boolean")
            if types is not None and (
                not types or any(t not in ("WEBSOCKET", "CONNECTION_CREDENTIALS") for t in types)
            ):
                raise validation("Type must list WEBSOCKET and/or CONNECTION_CREDENTIALS")
            if not types and not acknowledge:
                raise validation("Type is required unless ConnectParticipant is true")
        except ServiceError as error:
            return error.to_response()
        contact, participant = found
        first_time = not participant.connected
        connection_token, socket_id = self.store.new_connection(contact, participant)
        result: dict[str, Any] = {}
        lifetime = self.store.settings.websocket_lifetime_seconds
        if types and "WEBSOCKET" in types:
            ws_base = self.public_url().replace("http://", "ws://", 1)
            result["Websocket"] = {
                "Url": f"{ws_base}/ws/{socket_id}",
                "ConnectionExpiry": iso_now(lifetime),
            }
        if types and "CONNECTION_CREDENTIALS" in types:
            remaining = contact.duration_minutes * self.store.settings.seconds_per_minute
            result["ConnectionCredentials"] = {
                "ConnectionToken": connection_token,
                "Expiry": iso_now(remaining),
            }
        if acknowledge:
            self.store.post(contact, participant, item_type="EVENT", content_type=CONNECTION_ACK)
        if contact.state == "INITIATED":
            contact.state = "CONNECTED"
        if first_time:
            for callback in self.on_connected:
                callback(contact, participant)
        return web.json_response(result)

    # -- messages and events -------------------------------------------------------------
    async def send_message(
        self, request: web.Request, body: dict[str, Any], contact: Contact, sender: Participant
    ) -> dict[str, Any]:
        content_type = string_field(body, "ContentType", validation, required=True, min_len=1)
        content = string_field(body, "Content", validation, required=True, min_len=1)
        client_token = string_field(body, "ClientToken", validation, max_len=500)
        assert content_type is not None and content is not None
        limit = MESSAGE_LIMITS.get(content_type)
        if limit is None:
            raise validation(f"Content type {content_type} is not supported for SendMessage")
        if len(content) > limit:
            raise validation(f"Content must be 1 to {limit} characters for {content_type}")
        if content_type.endswith("interactive.response"):
            _require_json(content)
        if client_token:
            earlier = contact.message_tokens.get((sender.participant_id, client_token))
            if earlier is not None:
                return earlier
        item = self.store.post(
            contact, sender, item_type="MESSAGE", content_type=content_type, content=content
        )
        result = {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]}
        if client_token:
            contact.message_tokens[(sender.participant_id, client_token)] = result
        return result

    async def send_event(
        self, request: web.Request, body: dict[str, Any], contact: Contact, sender: Participant
    ) -> dict[str, Any]:
        content_type = string_field(body, "ContentType", validation, required=True, min_len=1)
        content = string_field(body, "Content", validation, min_len=1, max_len=16384)
        string_field(body, "ClientToken", validation, max_len=500)
        if content_type not in EVENT_TYPES:
            raise validation(f"Content type {content_type} is not supported for SendEvent")
        if content_type == TYPING:
            item = self.store.post(
                contact,
                sender,
                item_type="EVENT",
                content_type=TYPING,
                store=False,
                exclude=sender,
            )
        elif content_type == CONNECTION_ACK:
            item = self.store.post(contact, sender, item_type="EVENT", content_type=CONNECTION_ACK)
        else:
            item = self._receipt(contact, sender, content_type, content)
        return {"Id": item["Id"], "AbsoluteTime": item["AbsoluteTime"]}

    def _receipt(
        self, contact: Contact, reader: Participant, content_type: str, content: str | None
    ) -> dict[str, Any]:
        payload = _require_json(content or "")
        message_id = payload.get("messageId") if isinstance(payload, dict) else None
        session = self.store.session_transcript(contact)
        if not isinstance(message_id, str) or not session.contains_id(message_id):
            raise validation("Content must be JSON with the messageId of a message in this chat")
        return self.store.post_receipt(contact, reader, message_id, content_type)

    async def leave(
        self, request: web.Request, body: dict[str, Any], contact: Contact, sender: Participant
    ) -> dict[str, Any]:
        string_field(body, "ClientToken", validation, max_len=500)
        disconnect_participant(self.store, contact, sender)
        return {}

    # -- transcript ----------------------------------------------------------------------
    async def transcript(
        self, request: web.Request, body: dict[str, Any], contact: Contact, reader: Participant
    ) -> dict[str, Any]:
        max_results = int_field(body, "MaxResults", validation, minimum=0, maximum=100)
        page_size = DEFAULT_TRANSCRIPT_PAGE if max_results is None else max_results
        direction = string_field(body, "ScanDirection", validation) or "BACKWARD"
        order = string_field(body, "SortOrder", validation) or "ASCENDING"
        if direction not in {"FORWARD", "BACKWARD"}:
            raise validation("ScanDirection must be FORWARD or BACKWARD")
        if order not in {"ASCENDING", "DESCENDING"}:
            raise validation("SortOrder must be ASCENDING or DESCENDING")
        contact_filter = string_field(body, "ContactId", validation, min_len=1, max_len=256)
        items = self.store.session_transcript(contact)
        if contact_filter is not None:
            if contact_filter not in items.contact_ids():
                raise access_denied("ContactId is not part of this chat session")
            items = items.only(contact_filter)
        next_token = string_field(body, "NextToken", validation, min_len=1, max_len=1000)
        if next_token is not None:
            anchor = _decode_token(items, next_token, direction)
        else:
            start = object_field(body, "StartPosition", validation) or {}
            anchor = _anchor(items, start, direction)
        if direction == "BACKWARD":
            low = max(0, anchor - page_size + 1)
            page = items.slice(low, anchor + 1) if anchor >= 0 else []
            following = low - 1 if page and low > 0 else None
        else:
            page = items.slice(anchor, anchor + page_size)
            following = anchor + page_size if anchor + page_size < len(items) else None
        page = [public_item(item) for item in page]
        if order == "DESCENDING":
            page = list(reversed(page))
        result: dict[str, Any] = {
            "InitialContactId": contact.initial_contact_id,
            "Transcript": page,
        }
        if following is not None and page_size > 0:
            result["NextToken"] = _encode_token(items, following, direction)
        return result

    # -- attachments ---------------------------------------------------------------------
    async def start_upload(
        self, request: web.Request, body: dict[str, Any], contact: Contact, sender: Participant
    ) -> dict[str, Any]:
        if not self.attachments_enabled:
            raise access_denied("Attachments are not enabled for this instance")
        content_type = string_field(body, "ContentType", validation, required=True, min_len=1)
        name = string_field(body, "AttachmentName", validation, required=True, min_len=1)
        size = int_field(body, "AttachmentSizeInBytes", validation, minimum=1, maximum=2**53)
        string_field(body, "ClientToken", validation, required=False, max_len=500)
        if size is None:
            raise validation("AttachmentSizeInBytes is required")
        if content_type not in ATTACHMENT_TYPES:
            raise validation(f"Attachment content type {content_type} is not supported")
        if size > MAX_ATTACHMENT_BYTES:
            raise ServiceError("ServiceQuotaExceededException", 402, "Attachment is too large")
        assert content_type is not None and name is not None
        attachment = Attachment(str(uuid.uuid4()), contact.contact_id, name, content_type, size)
        self.attachments.add(attachment)
        return {
            "AttachmentId": attachment.attachment_id,
            "UploadMetadata": {
                "Url": f"{self.public_url()}/_uploads/{attachment.attachment_id}",
                "UrlExpiry": iso_now(300),
                "HeadersToInclude": {"Content-Type": content_type},
            },
        }

    async def receive_upload(self, request: web.Request) -> web.Response:
        attachment = self.attachments.by_id.get(request.match_info["attachment_id"])
        if attachment is None or attachment.completed:
            return s3_error(403, "AccessDenied", "Access Denied")
        refusal = signed_headers_refusal(request.headers, attachment.content_type, attachment.size)
        if refusal is not None:
            return refusal
        data = await read_body(request, attachment.size)
        if data is None or len(data) != attachment.size:
            return s3_error(
                400, "IncompleteBody", "The body does not match the Content-Length given"
            )
        refusal = integrity_refusal(request.headers, data)
        if refusal is not None:
            return refusal
        attachment.data = data
        return web.Response(status=200, headers={"ETag": etag(data)})

    async def complete_upload(
        self, request: web.Request, body: dict[str, Any], contact: Contact, sender: Participant
    ) -> dict[str, Any]:
        ids = list_field(body, "AttachmentIds", validation)
        if not ids or len(ids) != 1 or not isinstance(ids[0], str):
            raise validation("AttachmentIds must hold exactly one attachment id")
        attachment = self.attachments.by_id.get(ids[0])
        if attachment is None or attachment.contact_id != contact.contact_id:
            raise validation("Unknown attachment id")
        if attachment.data is None:
            raise conflict("The attachment has not been uploaded")
        if attachment.completed:
            return {}
        attachment.completed = True
        post_attachment(self.store, contact, sender, attachment)
        return {}

    async def get_attachment(
        self, request: web.Request, body: dict[str, Any], contact: Contact, reader: Participant
    ) -> dict[str, Any]:
        attachment_id = string_field(body, "AttachmentId", validation, required=True, min_len=1)
        int_field(body, "UrlExpiryInSeconds", validation, minimum=5, maximum=300)
        attachment = self.attachments.by_id.get(attachment_id or "")
        session = {c.contact_id for c in self.store.session_chain(contact)}
        if attachment is None or not attachment.completed or attachment.contact_id not in session:
            raise validation("Unknown attachment id")
        return {
            "Url": f"{self.public_url()}/_attachments/{attachment.attachment_id}",
            "UrlExpiry": iso_now(300),
            "AttachmentSizeInBytes": attachment.size,
        }

    async def download(self, request: web.Request) -> web.Response:
        attachment = self.attachments.by_id.get(request.match_info["attachment_id"])
        if attachment is None or not attachment.completed or attachment.data is None:
            return s3_error(403, "AccessDenied", "Access Denied")
        return web.Response(
            body=attachment.data,
            content_type=attachment.content_type,
            headers={"Content-Disposition": f'attachment; filename="{attachment.attachment_id}"'},
        )


def post_attachment(
    store: ChatStore, contact: Contact, sender: Participant, attachment: Attachment
) -> dict[str, Any]:
    return store.post(
        contact,
        sender,
        item_type="ATTACHMENT",
        content_type=attachment.content_type,
        extra={
            "Attachments": [
                {
                    "ContentType": attachment.content_type,
                    "AttachmentId": attachment.attachment_id,
                    "AttachmentName": attachment.name,
                    "Status": "APPROVED",
                }
            ]
        },
    )


def disconnect_participant(store: ChatStore, contact: Contact, participant: Participant) -> None:
    """A participant leaves; when the customer leaves, Connect ends the chat, unless the chat
    asked for its disconnect branch (DisconnectOnCustomerExit), where the customer stays on."""
    if participant.left or contact.ended:
        return
    if participant.role == "CUSTOMER" and disconnect_flow.customer_exits(store, contact):
        return
    store.post(contact, participant, item_type="EVENT", content_type=PARTICIPANT_LEFT)
    participant.left = True
    for socket in list(participant.sockets):
        socket.close_soon()
    if participant.role == "CUSTOMER":
        store.end_contact(contact, "CUSTOMER_DISCONNECT")


def _require_json(content: str) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        raise validation("Content must be valid JSON for this content type") from None


def _anchor(items: SessionTranscript, start: dict[str, Any], direction: str) -> int:
    given = [key for key in ("Id", "AbsoluteTime", "MostRecent") if start.get(key) is not None]
    if len(given) > 1:
        raise validation("StartPosition takes only one of Id, AbsoluteTime and MostRecent")
    backward = direction == "BACKWARD"
    if not given:
        return len(items) - 1 if backward else 0
    if given[0] == "Id":
        item_id = string_field(start, "Id", validation, min_len=1, max_len=256)
        assert item_id is not None
        index = items.index_of(item_id)
        if index is None:
            raise validation("StartPosition.Id is not an item of this transcript")
        return index
    if given[0] == "AbsoluteTime":
        moment = string_field(start, "AbsoluteTime", validation, min_len=1, max_len=100)
        assert moment is not None
        if backward:
            return items.last_at_or_before_time(moment)
        return items.first_at_or_after_time(moment)
    recent = int_field(start, "MostRecent", validation, minimum=0, maximum=100)
    assert recent is not None
    return len(items) - 1 - recent if backward else max(0, len(items) - recent)


def _encode_token(items: SessionTranscript, position: int, direction: str) -> str:
    """The next page starts at an item, named by its sequence number: stable while the
    transcript grows or forgets its oldest items between calls."""
    sequence = items.item(position)["_seq"]
    return base64.urlsafe_b64encode(json.dumps([direction, sequence]).encode()).decode()


def _decode_token(items: SessionTranscript, token: str, direction: str) -> int:
    try:
        saved_direction, sequence = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise validation("NextToken is not valid") from None
    valid = isinstance(sequence, int) and not isinstance(sequence, bool) and sequence >= 0
    if saved_direction != direction or not valid:
        raise validation("NextToken is not valid for this request")
    if direction == "BACKWARD":
        return items.last_at_or_before_seq(sequence)
    return items.first_at_or_after_seq(sequence)
