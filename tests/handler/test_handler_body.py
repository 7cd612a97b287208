"""Every real client's body shape is read as the JSON object it carries."""

import base64
import json
from urllib.parse import quote, quote_plus

import pytest
from handler_harness import rest_event

from handler.rejections import ChatRejection, ErrorCode
from handler.request_body import MAX_BODY_BYTES, header, read_json_body

BODY = {"ParticipantDetails": {"DisplayName": "Ada"}, "Attributes": {"topic": "Billing"}}
TEXT = json.dumps(BODY)


@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain;charset=UTF-8",
        "application/json",
        "application/json; charset=utf-8",
        "application/x-www-form-urlencoded; charset=UTF-8",
    ],
)
def test_json_text_is_read_whatever_the_content_type(content_type):
    assert read_json_body(rest_event(TEXT, content_type=content_type)) == BODY


def test_form_encoded_json_string_is_unwrapped():
    event = rest_event(quote_plus(TEXT), content_type="application/x-www-form-urlencoded")
    assert read_json_body(event) == BODY


def test_json_sent_as_a_lone_form_key_is_unwrapped():
    event = rest_event(quote(TEXT, safe="") + "=", content_type="application/x-www-form-urlencoded")
    assert read_json_body(event) == BODY


def test_percent_encoded_body_is_not_unwrapped_without_form_content_type():
    with pytest.raises(ChatRejection) as caught:
        read_json_body(rest_event(quote_plus(TEXT), content_type="text/plain"))
    assert caught.value.status == 400 and "JSON" in caught.value.message


def test_base64_body_is_decoded():
    event = rest_event(base64.b64encode(TEXT.encode()).decode(), base64=True)
    assert read_json_body(event) == BODY


def test_invalid_base64_is_a_clear_400():
    with pytest.raises(ChatRejection) as caught:
        read_json_body(rest_event("%%%not base64", base64=True))
    assert (caught.value.status, caught.value.code) == (400, ErrorCode.INVALID_REQUEST)
    assert "base64" in caught.value.message


def _padded(size: int) -> str:
    text = json.dumps({**BODY, "Pad": ""})
    return text.replace('"Pad": ""', '"Pad": "' + "x" * (size - len(text)) + '"')


def test_body_of_exactly_16_kb_is_accepted():
    body = _padded(MAX_BODY_BYTES)
    assert len(body.encode()) == MAX_BODY_BYTES
    assert read_json_body(rest_event(body))["ParticipantDetails"] == BODY["ParticipantDetails"]


@pytest.mark.parametrize("encode", [False, True])
def test_body_over_16_kb_is_413(encode):
    body = _padded(MAX_BODY_BYTES + 1)
    if encode:
        body = base64.b64encode(body.encode()).decode()
    with pytest.raises(ChatRejection) as caught:
        read_json_body(rest_event(body, base64=encode))
    assert (caught.value.status, caught.value.code) == (413, ErrorCode.PAYLOAD_TOO_LARGE)


def test_multibyte_text_is_measured_in_bytes():
    body = json.dumps({"ParticipantDetails": {"DisplayName": "é" * 9000}}, ensure_ascii=False)
    assert len(body) < MAX_BODY_BYTES < len(body.encode())
    with pytest.raises(ChatRejection) as caught:
        read_json_body(rest_event(body))
    assert caught.value.status == 413


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (None, "missing"),
        ("", "empty"),
        ("   ", "empty"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('"a string"', "JSON object"),
        ('{"ChatDurationInMinutes": NaN}', "not valid JSON"),
        ("[" * 4000 + "]" * 4000, "not valid JSON"),
        ('{"a":' * 2000 + "1" + "}" * 2000, "not valid JSON|nested"),
        ('{"ParticipantDetails": {"DisplayName": "\\ud800"}}', "surrogate"),
    ],
)
def test_unreadable_bodies_are_a_400_that_says_why(body, words):
    with pytest.raises(ChatRejection) as caught:
        read_json_body(rest_event(body))
    assert caught.value.status == 400
    assert any(word in caught.value.message for word in words.split("|"))
    assert caught.value.message.startswith("body:")


def test_base64_bytes_that_are_not_utf8_are_a_400():
    event = rest_event(base64.b64encode(b"\xff\xfe{}").decode(), base64=True)
    with pytest.raises(ChatRejection) as caught:
        read_json_body(event)
    assert "UTF-8" in caught.value.message


def test_headers_are_found_whatever_their_case_and_null_headers_are_tolerated():
    assert header({"headers": {"ORIGIN": "https://a"}}, "origin") == "https://a"
    assert header({"headers": None}, "origin") is None
    assert header({"headers": {"origin": 5}}, "origin") is None


def test_lone_surrogate_escape_inside_a_form_encoded_body_is_refused():
    text = '{"ParticipantDetails": {"DisplayName": "\\ud800"}}'
    event = rest_event(quote_plus(text), content_type="application/x-www-form-urlencoded")
    with pytest.raises(ChatRejection) as caught:
        read_json_body(event)
    assert "surrogate" in caught.value.message
