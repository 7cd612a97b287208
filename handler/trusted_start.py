"""What the API will vouch for: a browser's request, checked against what only the API and the
integrator's backend can sign (resume tokens, customer JWTs), before Connect is called.
"""

from __future__ import annotations

from typing import NamedTuple

from .config import ChatSettings
from .customer_token import CustomerClaims
from .rejections import ChatRejection, ErrorCode, invalid
from .resume_token import ResumeTokenError, issue_resume_token, read_resume_token
from .signing_keys import SigningKeys
from .start_chat_request import (
    CUSTOMER_NAME_ATTRIBUTE,
    MAX_ATTRIBUTES_BYTES,
    PersistentChat,
    StartChatRequest,
)

SECONDS_PER_DAY = 86_400
ENTIRE_PAST_SESSION = "ENTIRE_PAST_SESSION"


class TrustedStart(NamedTuple):
    request: StartChatRequest
    # The first contact of the series this start continues, None for a new series.
    series_initial_contact_id: str | None
    customer_sub: str | None


def persistent_chat_not_authorized(reason: str) -> ChatRejection:
    return ChatRejection(
        403,
        ErrorCode.PERSISTENT_CHAT_NOT_AUTHORIZED,
        "PersistentChat.SourceContactId: send the resumeToken returned (in data) by the start "
        f"of the chat to continue; a contact id is not accepted ({reason}). Without a valid "
        "token, start a new chat without PersistentChat",
    )


def authorize_start(
    request: StartChatRequest,
    claims: CustomerClaims | None,
    keys: SigningKeys,
    now: int,
) -> TrustedStart:
    series_initial: str | None = None
    persistent = request.persistent_chat
    if claims is not None and claims.persistent_chat is not None:
        # The integrator's backend named the contact itself (AWS's prebuilt widget never sees
        # a resume token): signed, so the id is used as it is.
        claim = claims.persistent_chat
        persistent = PersistentChat(claim.rehydration_type, claim.source_contact_id)
        series_initial = claim.source_contact_id
    elif persistent is not None:
        try:
            grant = read_resume_token(
                keys.resume_token_keys(),
                persistent.source_contact_id,
                now,
                claims.sub if claims else None,
            )
        except ResumeTokenError as error:
            raise persistent_chat_not_authorized(str(error)) from None
        # Connect continues a whole session from its first contact, a segment from the last.
        source = (
            grant.initial_contact_id
            if persistent.rehydration_type == ENTIRE_PAST_SESSION
            else grant.latest_contact_id
        )
        persistent = PersistentChat(persistent.rehydration_type, source)
        series_initial = grant.initial_contact_id
    related = claims.related_contact_id if claims else None
    if persistent is not None and related is not None:
        raise invalid("RelatedContactId", "cannot be combined with PersistentChat")
    if claims is None:
        return TrustedStart(request._replace(persistent_chat=persistent), series_initial, None)
    display_name = claims.name or request.display_name
    # The operator signed these attributes: they pass even when not in allowedAttributes.
    attributes = {**request.attributes, **claims.attributes}
    attributes[CUSTOMER_NAME_ATTRIBUTE] = display_name
    size = sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())
    if size > MAX_ATTRIBUTES_BYTES:
        raise invalid(
            "Attributes", f"with the signed ones, must total at most {MAX_ATTRIBUTES_BYTES} bytes"
        )
    trusted = request._replace(
        display_name=display_name,
        attributes=attributes,
        persistent_chat=persistent,
        related_contact_id=related,
        customer_id=claims.sub,
    )
    return TrustedStart(trusted, series_initial, claims.sub)


def resume_token_for(
    start: TrustedStart, contact_id: str, keys: SigningKeys, settings: ChatSettings, now: int
) -> str:
    return issue_resume_token(
        keys.resume_token_keys()[0],
        initial_contact_id=start.series_initial_contact_id or contact_id,
        latest_contact_id=contact_id,
        expires_at=now + settings.resume_token_days * SECONDS_PER_DAY,
        customer_sub=start.customer_sub,
    )
