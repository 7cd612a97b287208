"""StartChatRequest validation: server-pinned instance and flow, allowlisted attributes, limits."""

import json

import pytest
from handler_harness import CONTACT_FLOW_ID, EXTRA_FLOW_ID, INSTANCE_ID

from handler.rejections import ChatRejection, ErrorCode
from handler.start_chat_request import PersistentChat, parse_start_chat_request


def body(**fields):
    return {"ParticipantDetails": {"DisplayName": "Ada"}, **fields}


def rejection(chat_settings, payload) -> ChatRejection:
    with pytest.raises(ChatRejection) as caught:
        parse_start_chat_request(payload, chat_settings)
    return caught.value


def test_absent_fields_mean_the_configured_defaults(chat_settings):
    request = parse_start_chat_request(body(), chat_settings)
    assert request.contact_flow_id == CONTACT_FLOW_ID
    assert request.attributes == {"customerName": "Ada"}
    assert request.supported_content_types is None
    assert request.chat_duration_minutes == 1500  # the stack's chatDurationInMinutes


def test_client_may_repeat_the_configured_instance_and_name_an_allowlisted_flow(chat_settings):
    request = parse_start_chat_request(
        body(InstanceId=INSTANCE_ID, ContactFlowId=EXTRA_FLOW_ID), chat_settings
    )
    assert request.contact_flow_id == EXTRA_FLOW_ID


def test_client_cannot_pick_another_instance(chat_settings):
    error = rejection(chat_settings, body(InstanceId="another-instance"))
    assert (error.status, error.code) == (403, ErrorCode.FORBIDDEN_INSTANCE)
    assert INSTANCE_ID not in error.message


def test_client_cannot_pick_another_flow(chat_settings):
    error = rejection(chat_settings, body(ContactFlowId="some-other-flow"))
    assert (error.status, error.code) == (403, ErrorCode.FORBIDDEN_CONTACT_FLOW)
    assert CONTACT_FLOW_ID not in error.message and EXTRA_FLOW_ID not in error.message


def test_unknown_attribute_names_the_key_and_the_setting(chat_settings):
    error = rejection(chat_settings, body(Attributes={"topic": "x", "vip": "yes"}))
    assert (error.status, error.code) == (400, ErrorCode.ATTRIBUTE_NOT_ALLOWED)
    assert "vip" in error.message and "ALLOWED_ATTRIBUTES" in error.message
    assert "connect-chat:allowedAttributes" in error.message  # what a Pulumi operator edits


def test_attributes_may_be_a_json_string(chat_settings):
    payload = body(Attributes=json.dumps({"topic": "Billing", "order_id": "42"}))
    request = parse_start_chat_request(payload, chat_settings)
    assert request.attributes == {"topic": "Billing", "order_id": "42", "customerName": "Ada"}


@pytest.mark.parametrize(
    ("attributes", "words"),
    [
        ({"topic": 5}, "Attributes.topic: must be a string"),
        ({"bad key": "x"}, "letters, digits"),
        ("{not json", "JSON object"),
        ([1, 2], "object"),
        ({"topic": "x" * 33000}, "32768 bytes"),
    ],
)
def test_attribute_violations_say_which_and_why(chat_settings, attributes, words):
    error = rejection(chat_settings, body(Attributes=attributes))
    assert error.status == 400 and words in error.message


def test_display_name_is_trimmed_and_sets_customer_name(chat_settings):
    request = parse_start_chat_request(
        {"ParticipantDetails": {"DisplayName": "  Ada  "}}, chat_settings
    )
    assert request.display_name == "Ada" and request.attributes["customerName"] == "Ada"


@pytest.mark.parametrize(
    "details",
    [None, {}, {"DisplayName": "   "}, {"DisplayName": "x" * 257}, {"DisplayName": 7}, "Ada"],
)
def test_display_name_must_be_1_to_256_characters(chat_settings, details):
    payload = {} if details is None else {"ParticipantDetails": details}
    error = rejection(chat_settings, payload)
    assert error.status == 400 and error.message.startswith("ParticipantDetails")


def test_display_name_of_256_characters_is_accepted(chat_settings):
    request = parse_start_chat_request(
        {"ParticipantDetails": {"DisplayName": "x" * 256}}, chat_settings
    )
    assert len(request.display_name) == 256


@pytest.mark.parametrize(
    ("given", "expected"), [(60, 60), (1499, 1499), (1501, 1500), (10080, 1500), (1500.0, 1500)]
)
def test_chat_duration_is_capped_at_the_stacks_value(chat_settings, given, expected):
    request = parse_start_chat_request(body(ChatDurationInMinutes=given), chat_settings)
    assert request.chat_duration_minutes == expected


@pytest.mark.parametrize("given", [59, 10081, 90.5, True, "soon", [60], "9" * 5000])
def test_chat_duration_outside_the_rules_is_refused(chat_settings, given):
    error = rejection(chat_settings, body(ChatDurationInMinutes=given))
    assert error.status == 400 and error.message.startswith("ChatDurationInMinutes")


@pytest.mark.parametrize(
    "given",
    [["text/plain", "text/markdown"], "text/plain,text/markdown", " text/plain , text/markdown "],
)
def test_content_types_may_be_an_array_or_a_comma_string(chat_settings, given):
    request = parse_start_chat_request(body(SupportedMessagingContentTypes=given), chat_settings)
    assert request.supported_content_types == ("text/plain", "text/markdown")
    assert request.markdown_enabled


@pytest.mark.parametrize(
    ("given", "words"),
    [
        (["text/markdown"], "must include text/plain"),
        (["text/plain", "text/html"], "must be one of"),
        (["text/plain", 3], "strings"),
        ({"a": 1}, "array or a comma-separated string"),
    ],
)
def test_content_types_come_from_the_allowed_set(chat_settings, given, words):
    error = rejection(chat_settings, body(SupportedMessagingContentTypes=given))
    assert error.status == 400 and words in error.message


def test_persistent_chat_is_accepted_with_a_source_contact(chat_settings):
    pc = {"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": "c-0"}
    request = parse_start_chat_request(body(PersistentChat=pc), chat_settings)
    assert request.persistent_chat == PersistentChat("ENTIRE_PAST_SESSION", "c-0")


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"PersistentChat": {"RehydrationType": "ALL", "SourceContactId": "c"}}, "RehydrationType"),
        ({"PersistentChat": {"RehydrationType": ["FROM_SEGMENT"]}}, "RehydrationType"),
        ({"PersistentChat": {"RehydrationType": "FROM_SEGMENT"}}, "SourceContactId"),
        ({"PersistentChat": "yes"}, "PersistentChat"),
        ({"RelatedContactId": "r" * 257}, "RelatedContactId"),
        ({"RelatedContactId": "r"}, "RelatedContactId: is not accepted from a browser"),
        ({"PersistentChat": {"RehydrationType": "", "SourceContactId": "c"}}, "RehydrationType"),
    ],
)
def test_persistent_chat_rules(chat_settings, fields, words):
    error = rejection(chat_settings, body(**fields))
    assert error.status == 400 and words in error.message


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ({"ContentType": "text/html", "Content": "hi"}, "ContentType"),
        ({"ContentType": ["text/plain"], "Content": "hi"}, "ContentType"),
        ({"ContentType": "text/plain", "Content": ""}, "1 to 1024"),
        ({"ContentType": "text/plain", "Content": "x" * 1025}, "1 to 1024"),
        ({"ContentType": "text/plain"}, "required"),
        ("hello", "object"),
    ],
)
def test_initial_message_needs_a_valid_type_and_length(chat_settings, message, words):
    error = rejection(chat_settings, body(InitialMessage=message))
    assert error.status == 400 and words in error.message


def test_client_token_is_kept_up_to_500_characters(chat_settings):
    request = parse_start_chat_request(body(ClientToken="t" * 500), chat_settings)
    assert request.client_token == "t" * 500
    error = rejection(chat_settings, body(ClientToken="t" * 501))
    assert error.status == 400 and error.message.startswith("ClientToken")


def test_customer_name_from_aws_sample_page_is_accepted_and_the_display_name_wins(chat_settings):
    # AWS's widgetIndex.html sends contactAttributes {"customerName": <name>}.
    request = parse_start_chat_request(
        body(Attributes={"customerName": "Eve", "topic": "Sales"}), chat_settings
    )
    assert request.attributes == {"topic": "Sales", "customerName": "Ada"}


@pytest.mark.parametrize(
    "persistent",
    [
        {"RehydrationType": "", "SourceContactId": ""},
        {"RehydrationType": None, "SourceContactId": None},
        {},
    ],
)
def test_empty_persistent_chat_from_aws_sample_page_means_none(chat_settings, persistent):
    request = parse_start_chat_request(body(PersistentChat=persistent), chat_settings)
    assert request.persistent_chat is None


def test_chat_duration_defaults_to_and_is_capped_by_a_shorter_stack(chat_settings):
    short = chat_settings._replace(chat_duration_minutes=600)
    assert parse_start_chat_request(body(), short).chat_duration_minutes == 600
    assert (
        parse_start_chat_request(body(ChatDurationInMinutes=90), short).chat_duration_minutes == 90
    )
    given = body(ChatDurationInMinutes=10080)
    assert parse_start_chat_request(given, short).chat_duration_minutes == 600
