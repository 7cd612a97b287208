"""Exact StartChatContact parameters, checked by botocore's Stubber against the Connect model."""

import json

import boto3
import pytest
from botocore.stub import Stubber
from handler_harness import ALLOWED_ORIGIN, CONTACT_FLOW_ID, EXTRA_FLOW_ID, INSTANCE_ID, rest_event

from handler.resume_token import issue_resume_token, read_resume_token
from handler.service import StartChatService
from handler.signing_keys import parse_signing_keys

RESULT = {"ContactId": "contact-1", "ParticipantId": "participant-1", "ParticipantToken": "tok-1"}
NOW = 1_800_000_000
THIRTY_DAYS = 30 * 86_400


@pytest.fixture
def stubbed(chat_settings):
    client = boto3.client(
        "connect", region_name="eu-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        yield StartChatService(chat_settings, client, clock=lambda: NOW + 0.9), stubber
        stubber.assert_no_pending_responses()


def test_prebuilt_widget_body_becomes_exact_parameters(stubbed):
    service, stubber = stubbed
    widget_body = {
        "InstanceId": INSTANCE_ID,
        "ContactFlowId": CONTACT_FLOW_ID,
        "ParticipantDetails": {"DisplayName": " Ada "},
        "Attributes": {"topic": "Billing"},
        "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
        "ChatDurationInMinutes": 1500,
        "Username": "ignored",
    }
    stubber.add_response(
        "start_chat_contact",
        RESULT,
        {
            "InstanceId": INSTANCE_ID,
            "ContactFlowId": CONTACT_FLOW_ID,
            "ParticipantDetails": {"DisplayName": "Ada"},
            "Attributes": {"topic": "Billing", "customerName": "Ada"},
            "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
            "ChatDurationInMinutes": 1500,
        },
    )
    response = service.handle(rest_event(json.dumps(widget_body)), "req-1")
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    keys = parse_signing_keys(service._settings.signing_keys_document).resume_token_keys()
    assert body == {
        "data": {
            "startChatResult": RESULT,
            "featurePermissions": {"MESSAGING_MARKDOWN": True, "ATTACHMENTS": True},
            "resumeToken": issue_resume_token(keys[0], "contact-1", "contact-1", NOW + THIRTY_DAYS),
        }
    }
    grant = read_resume_token(keys, body["data"]["resumeToken"], NOW)
    assert grant == ("contact-1", "contact-1", NOW + THIRTY_DAYS, False)
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN


def test_post_chat_survey_disconnects_only_the_agent_when_the_customer_leaves(chat_settings):
    # With the survey on, Connect disconnects the agent and runs the flow's disconnect branch
    # with the customer still connected.
    settings = chat_settings._replace(disconnect_on_customer_exit=("AGENT",))
    client = boto3.client(
        "connect", region_name="eu-west-2", aws_access_key_id="a", aws_secret_access_key="b"
    )
    with Stubber(client) as stubber:
        stubber.add_response(
            "start_chat_contact",
            RESULT,
            {
                "InstanceId": INSTANCE_ID,
                "ContactFlowId": CONTACT_FLOW_ID,
                "ParticipantDetails": {"DisplayName": "Ada"},
                "Attributes": {"customerName": "Ada"},
                # Issue 8: the stack's duration goes with every start.
                "ChatDurationInMinutes": 1500,
                "DisconnectOnCustomerExit": ["AGENT"],
            },
        )
        body = {"ParticipantDetails": {"DisplayName": "Ada"}}
        response = StartChatService(settings, client).handle(rest_event(json.dumps(body)), "r-1")
        stubber.assert_no_pending_responses()
    assert response["statusCode"] == 200


def test_every_optional_field_is_forwarded(stubbed):
    service, stubber = stubbed
    keys = parse_signing_keys(service._settings.signing_keys_document).resume_token_keys()
    token = issue_resume_token(keys[0], "first-contact", "old-contact", NOW + 60)
    client_body = {
        "ContactFlowId": EXTRA_FLOW_ID,
        "ParticipantDetails": {"DisplayName": "Ada"},
        "InitialMessage": {"ContentType": "text/plain", "Content": "Hello"},
        # FROM_SEGMENT: the API sends Connect the series' latest contact, from the token.
        "PersistentChat": {"RehydrationType": "FROM_SEGMENT", "SourceContactId": token},
        "ClientToken": "idem-1",
        "ChatDurationInMinutes": "60",
    }
    stubber.add_response(
        "start_chat_contact",
        {**RESULT, "ContinuedFromContactId": "old-contact"},
        {
            "InstanceId": INSTANCE_ID,
            "ContactFlowId": EXTRA_FLOW_ID,
            "ParticipantDetails": {"DisplayName": "Ada"},
            "Attributes": {"customerName": "Ada"},
            "InitialMessage": {"ContentType": "text/plain", "Content": "Hello"},
            "PersistentChat": {"RehydrationType": "FROM_SEGMENT", "SourceContactId": "old-contact"},
            "ClientToken": "idem-1",
            "ChatDurationInMinutes": 60,
        },
    )
    response = service.handle(rest_event(json.dumps(client_body), origin=None), "req-2")
    data = json.loads(response["body"])["data"]
    assert data["startChatResult"]["ContinuedFromContactId"] == "old-contact"
    assert data["featurePermissions"]["MESSAGING_MARKDOWN"] is False
    # The new token keeps the series' first contact and names the new one as the latest.
    grant = read_resume_token(keys, data["resumeToken"], NOW)
    assert grant == ("first-contact", "contact-1", NOW + THIRTY_DAYS, False)


def test_response_metadata_never_reaches_the_client(stubbed):
    service, stubber = stubbed
    stubber.add_response("start_chat_contact", RESULT)
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}})
    data = json.loads(service.handle(rest_event(body), "r")["body"])["data"]
    assert set(data["startChatResult"]) == set(RESULT)
