"""Builds the StartChatContact parameters and the response the chat clients expect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .config import ChatSettings
from .start_chat_request import StartChatRequest

if TYPE_CHECKING:  # types only: the Lambda runtime has no stubs
    from mypy_boto3_connect.type_defs import StartChatContactRequestTypeDef

CHAT_RESULT_FIELDS = ("ContactId", "ParticipantId", "ParticipantToken", "ContinuedFromContactId")


def start_chat_contact_parameters(
    request: StartChatRequest, settings: ChatSettings
) -> StartChatContactRequestTypeDef:
    params: StartChatContactRequestTypeDef = {
        "InstanceId": settings.instance_id,
        "ContactFlowId": request.contact_flow_id,
        "ParticipantDetails": {"DisplayName": request.display_name},
        "Attributes": dict(request.attributes),
    }
    if request.supported_content_types:
        params["SupportedMessagingContentTypes"] = list(request.supported_content_types)
    if request.initial_message:
        params["InitialMessage"] = {
            "ContentType": request.initial_message.content_type,
            "Content": request.initial_message.content,
        }
    if request.chat_duration_minutes is not None:
        params["ChatDurationInMinutes"] = request.chat_duration_minutes
    if request.persistent_chat:
        params["PersistentChat"] = {
            "RehydrationType": request.persistent_chat.rehydration_type,
            "SourceContactId": request.persistent_chat.source_contact_id,
        }
    if request.related_contact_id:
        params["RelatedContactId"] = request.related_contact_id
    if request.client_token:
        params["ClientToken"] = request.client_token
    if request.customer_id:
        params["CustomerId"] = request.customer_id
    # AGENT is the only participant type this API sends (handler config refuses others).
    if "AGENT" in settings.disconnect_on_customer_exit:
        params["DisconnectOnCustomerExit"] = ["AGENT"]
    return params


def start_chat_response_data(
    connect_response: Mapping[str, Any], request: StartChatRequest, settings: ChatSettings
) -> dict[str, Any]:
    """The `data` object of the success body: ChatJS's chatDetails plus the widget's features."""
    result = {
        field: connect_response[field] for field in CHAT_RESULT_FIELDS if field in connect_response
    }
    return {
        "startChatResult": result,
        "featurePermissions": {
            "MESSAGING_MARKDOWN": request.markdown_enabled,
            "ATTACHMENTS": settings.attachments_enabled,
        },
    }
