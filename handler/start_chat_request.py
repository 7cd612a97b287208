"""Validates a client's start-chat body into a StartChatRequest, against StartChatContact's limits.

The server decides the instance and the flow: a client may repeat the configured ones, or name
an allowlisted flow, and anything else is refused before Connect is called.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, NamedTuple, get_args

from .config import ATTRIBUTE_KEY, ChatSettings
from .rejections import ChatRejection, ErrorCode, invalid
from .request_body import parse_embedded_json

CUSTOMER_NAME_ATTRIBUTE = "customerName"
MAX_ATTRIBUTES_BYTES = 32 * 1024
MAX_DISPLAY_NAME = 256
# What JavaScript's String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator), so
# the widget and this handler agree on a name; str.strip() would also drop U+001C-U+001F and
# U+0085 and keep U+FEFF. tests/vectors/display-names.json holds the cases.
DISPLAY_NAME_TRIMMED = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
MIN_CHAT_MINUTES, MAX_CHAT_MINUTES = 60, 10080
MAX_INITIAL_MESSAGE = 1024
MAX_CLIENT_TOKEN = 500
MAX_CONTACT_ID = 256
PLAIN_TEXT = "text/plain"
MARKDOWN = "text/markdown"
MESSAGING_CONTENT_TYPES = frozenset(
    {
        PLAIN_TEXT,
        MARKDOWN,
        "application/json",
        "application/vnd.amazonaws.connect.message.interactive",
        "application/vnd.amazonaws.connect.message.interactive.response",
    }
)
INITIAL_MESSAGE_TYPES = frozenset({PLAIN_TEXT, MARKDOWN})
RehydrationType = Literal["ENTIRE_PAST_SESSION", "FROM_SEGMENT"]
REHYDRATION_TYPES: tuple[RehydrationType, ...] = get_args(RehydrationType)


class InitialMessage(NamedTuple):
    content_type: str
    content: str


class PersistentChat(NamedTuple):
    rehydration_type: RehydrationType
    # From a browser: a resume token, until handler/trusted_start.py swaps in the real id.
    source_contact_id: str


class StartChatRequest(NamedTuple):
    display_name: str
    contact_flow_id: str
    attributes: Mapping[str, str]
    supported_content_types: tuple[str, ...] | None = None
    initial_message: InitialMessage | None = None
    chat_duration_minutes: int | None = None
    persistent_chat: PersistentChat | None = None
    related_contact_id: str | None = None
    client_token: str | None = None
    customer_id: str | None = None

    @property
    def markdown_enabled(self) -> bool:
        return MARKDOWN in (self.supported_content_types or ())

    @property
    def client_contact_field(self) -> str | None:
        """The field naming a contact of the client's own, whose absence is its mistake."""
        if self.persistent_chat:
            return "PersistentChat.SourceContactId"
        if self.related_contact_id:
            return "RelatedContactId"
        return None


def parse_start_chat_request(body: Mapping[str, Any], settings: ChatSettings) -> StartChatRequest:
    _check_instance(body.get("InstanceId"), settings)
    contact_flow_id = _contact_flow(body.get("ContactFlowId"), settings)
    display_name = _display_name(body.get("ParticipantDetails"))
    persistent_chat = _persistent_chat(body.get("PersistentChat"))
    if not _absent(body.get("RelatedContactId")):
        # Connect copies the related contact's attributes, which would get around
        # allowedAttributes: only the operator's backend may name it, in a customer token.
        raise invalid(
            "RelatedContactId",
            "is not accepted from a browser; send it as the relatedContactId claim of a "
            "customer token (Authorization: Bearer <jwt>)",
        )
    return StartChatRequest(
        display_name=display_name,
        contact_flow_id=contact_flow_id,
        attributes=_attributes(body.get("Attributes"), display_name, settings),
        supported_content_types=_content_types(body.get("SupportedMessagingContentTypes")),
        initial_message=_initial_message(body.get("InitialMessage")),
        chat_duration_minutes=_chat_duration(body.get("ChatDurationInMinutes"), settings),
        persistent_chat=persistent_chat,
        client_token=_optional_text(body, "ClientToken", MAX_CLIENT_TOKEN),
    )


def _absent(value: Any) -> bool:
    return value is None or value == ""


def _check_instance(value: Any, settings: ChatSettings) -> None:
    if _absent(value):
        return
    if not isinstance(value, str):
        raise invalid("InstanceId", "must be a string")
    if value != settings.instance_id:
        raise ChatRejection(
            403,
            ErrorCode.FORBIDDEN_INSTANCE,
            "InstanceId: this API serves one Amazon Connect instance; omit InstanceId",
        )


def _contact_flow(value: Any, settings: ChatSettings) -> str:
    if _absent(value):
        return settings.contact_flow_id
    if not isinstance(value, str):
        raise invalid("ContactFlowId", "must be a string")
    if value not in settings.allowed_contact_flow_ids:
        raise ChatRejection(
            403,
            ErrorCode.FORBIDDEN_CONTACT_FLOW,
            "ContactFlowId: this flow is not allowed here; omit ContactFlowId for the default "
            "flow (operators allow more with ALLOWED_CONTACT_FLOW_IDS)",
        )
    return value


def _display_name(details: Any) -> str:
    if details is None:
        raise invalid("ParticipantDetails.DisplayName", "is required")
    if not isinstance(details, Mapping):
        raise invalid("ParticipantDetails", "must be an object with a DisplayName")
    name = details.get("DisplayName")
    if name is None:
        raise invalid("ParticipantDetails.DisplayName", "is required")
    if not isinstance(name, str):
        raise invalid("ParticipantDetails.DisplayName", "must be a string")
    name = name.strip(DISPLAY_NAME_TRIMMED)
    # Connect counts characters: len() counts code points, as the widget does.
    if not 1 <= len(name) <= MAX_DISPLAY_NAME:
        raise invalid(
            "ParticipantDetails.DisplayName",
            f"must be 1 to {MAX_DISPLAY_NAME} characters after trimming spaces",
        )
    return name


def _attributes(value: Any, display_name: str, settings: ChatSettings) -> dict[str, str]:
    if isinstance(value, str):
        value = parse_embedded_json(value, "Attributes") if value.strip() else None
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise invalid("Attributes", "must be an object of string values")
    attributes: dict[str, str] = {}
    for key, item in value.items():
        shown = _shown_key(key)
        if not ATTRIBUTE_KEY.fullmatch(key):
            raise invalid(f"Attributes.{shown}", "keys are 1 to 128 letters, digits, '-' and '_'")
        if key == CUSTOMER_NAME_ATTRIBUTE:
            # AWS's sample widgetIndex.html sends it; the display name always wins below.
            continue
        if key not in settings.allowed_attributes:
            raise ChatRejection(
                400,
                ErrorCode.ATTRIBUTE_NOT_ALLOWED,
                f"Attributes.{shown}: this attribute is not allowed; the operator must add "
                f"'{shown}' to ALLOWED_ATTRIBUTES (stack config connect-chat:allowedAttributes)",
            )
        if not isinstance(item, str):
            raise invalid(f"Attributes.{shown}", "must be a string")
        attributes[key] = item
    attributes[CUSTOMER_NAME_ATTRIBUTE] = display_name
    size = sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())
    if size > MAX_ATTRIBUTES_BYTES:
        raise invalid("Attributes", f"must total at most {MAX_ATTRIBUTES_BYTES} bytes")
    return attributes


def _shown_key(key: str) -> str:
    # Keys are echoed so the integrator sees which one failed; cap what a hostile key costs.
    return key if len(key) <= 64 else key[:64] + "..."


def _content_types(value: Any) -> tuple[str, ...] | None:
    field = "SupportedMessagingContentTypes"
    if _absent(value):
        return None
    if isinstance(value, str):
        items: list[Any] = [item for item in value.split(",") if item.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise invalid(field, "must be an array or a comma-separated string")
    types: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise invalid(field, "must contain strings")
        item = item.strip()
        if item not in MESSAGING_CONTENT_TYPES:
            allowed = ", ".join(sorted(MESSAGING_CONTENT_TYPES))
            raise invalid(field, f"each type must be one of {allowed}")
        if item not in types:
            types.append(item)
    if PLAIN_TEXT not in types:
        raise invalid(field, "must include text/plain")
    return tuple(types)


def _initial_message(value: Any) -> InitialMessage | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise invalid("InitialMessage", "must be an object with ContentType and Content")
    content_type = value.get("ContentType", PLAIN_TEXT)
    if not isinstance(content_type, str) or content_type not in INITIAL_MESSAGE_TYPES:
        raise invalid("InitialMessage.ContentType", "must be text/plain or text/markdown")
    content = value.get("Content")
    if not isinstance(content, str):
        raise invalid("InitialMessage.Content", "is required and must be a string")
    if not content.strip() or len(content) > MAX_INITIAL_MESSAGE:
        raise invalid(
            "InitialMessage.Content", f"must be 1 to {MAX_INITIAL_MESSAGE} characters, not blank"
        )
    return InitialMessage(content_type=content_type, content=content)


def _chat_duration(value: Any, settings: ChatSettings) -> int:
    """The stack's duration, or a client's shorter one: the server decides the limit."""
    field = "ChatDurationInMinutes"
    if _absent(value):
        return settings.chat_duration_minutes
    if isinstance(value, bool):
        raise invalid(field, "must be a whole number of minutes")
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,6}\s*", value):
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise invalid(field, "must be a whole number of minutes")
    if not MIN_CHAT_MINUTES <= value <= MAX_CHAT_MINUTES:
        raise invalid(field, f"must be from {MIN_CHAT_MINUTES} to {MAX_CHAT_MINUTES}")
    return min(value, settings.chat_duration_minutes)


def _persistent_chat(value: Any) -> PersistentChat | None:
    if value is None:
        return None
    # AWS's widgetIndex.html ships persistentChat with both fields empty: no persistent chat.
    if isinstance(value, Mapping) and all(_absent(v) for v in value.values()):
        return None
    if not isinstance(value, Mapping):
        raise invalid(
            "PersistentChat", "must be an object with RehydrationType and SourceContactId"
        )
    rehydration = value.get("RehydrationType")
    if not isinstance(rehydration, str) or rehydration not in REHYDRATION_TYPES:
        raise invalid(
            "PersistentChat.RehydrationType", "must be ENTIRE_PAST_SESSION or FROM_SEGMENT"
        )
    source = value.get("SourceContactId")
    if not isinstance(source, str) or not 1 <= len(source) <= MAX_CONTACT_ID:
        raise invalid(
            "PersistentChat.SourceContactId", f"is required, 1 to {MAX_CONTACT_ID} characters"
        )
    return PersistentChat(rehydration_type=rehydration, source_contact_id=source)


def _optional_text(body: Mapping[str, Any], field: str, max_length: int) -> str | None:
    value = body.get(field)
    if _absent(value):
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise invalid(field, f"must be a string of 1 to {max_length} characters")
    return value
