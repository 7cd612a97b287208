"""Thousands of hostile bodies, headers and events (hypothesis).

For every one: an int status, a JSON body, exact-allowlist CORS headers, no 5xx, and Connect is
never called with an instance, flow or attribute key the client chose.
"""

import base64
import json
import string

import pytest
from handler_harness import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_ORIGIN,
    CONTACT_FLOW_ID,
    EXTRA_FLOW_ID,
    HANDLER_ENV,
    HOSTILE_PROFILE,
    INSTANCE_ID,
    OTHER_ALLOWED_ORIGIN,
    RecordingConnect,
    fresh_handler_app,
    handler_modules_restored,
    lambda_context,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from handler.config import ChatSettings
from handler.service import StartChatService
from handler.start_chat_request import DISPLAY_NAME_TRIMMED

SETTINGS = ChatSettings.from_environ(HANDLER_ENV)
CONNECT = RecordingConnect()
SERVICE = StartChatService(SETTINGS, CONNECT.client)
ALLOWED_FLOWS = {CONTACT_FLOW_ID, EXTRA_FLOW_ID}
ALLOWED_KEYS = {*ALLOWED_ATTRIBUTES, "customerName"}
EXPECTED_STATUSES = {200, 400, 401, 403, 405, 413}

no_surrogates = st.characters(exclude_categories=("Cs",))
json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(no_surrogates, max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
tricky_text = st.sampled_from(
    ["", " ", "\x00", "\u202e", "\ud800", "😀" * 300, "a" * 257, "x" * 1025, "<script>", "null"]
)
anything = json_values | tricky_text
attribute_keys = st.sampled_from(
    [*ALLOWED_ATTRIBUTES, "customerName", "vip", "bad key", ""]
) | st.text(max_size=20)
content_types = st.sampled_from(
    ["text/plain", "text/markdown", "application/json", "text/html", "", "TEXT/PLAIN"]
)
names = st.text(no_surrogates, min_size=1, max_size=300)


def mostly(valid, hostile):
    """A field that is usually valid, so that every later validation step gets exercised."""
    return st.sampled_from(["valid"] * 6 + ["hostile", "absent"]).flatmap(
        lambda pick: {"valid": valid, "hostile": hostile, "absent": st.just(ABSENT)}[pick]
    )


ABSENT = object()
FIELD_STRATEGIES = {
    "InstanceId": mostly(st.sampled_from([INSTANCE_ID, ""]), st.sampled_from(["other"]) | anything),
    "ContactFlowId": mostly(
        st.sampled_from([CONTACT_FLOW_ID, EXTRA_FLOW_ID]), st.sampled_from(["other"]) | anything
    ),
    "ParticipantDetails": mostly(
        st.fixed_dictionaries({"DisplayName": names}),
        st.fixed_dictionaries({}, optional={"DisplayName": anything}) | anything,
    ),
    "Attributes": st.one_of(
        # Client-chosen keys are the point of this suite: half the examples carry some.
        st.dictionaries(attribute_keys, st.text(no_surrogates, max_size=30), max_size=4),
        mostly(
            st.dictionaries(
                st.sampled_from(ALLOWED_ATTRIBUTES), st.text(no_surrogates, max_size=30)
            ),
            st.dictionaries(attribute_keys, st.text(max_size=30) | anything, max_size=5)
            | st.dictionaries(attribute_keys, st.text(max_size=30), max_size=5).map(json.dumps)
            | anything,
        ),
    ),
    "SupportedMessagingContentTypes": mostly(
        st.sampled_from(
            [["text/plain"], ["text/plain", "text/markdown"], "text/plain,text/markdown"]
        ),
        st.lists(content_types | anything, max_size=4)
        | st.lists(content_types, max_size=4).map(",".join)
        | anything,
    ),
    "ChatDurationInMinutes": mostly(st.integers(60, 10080), st.integers(-5, 20000) | anything),
    "InitialMessage": mostly(
        st.fixed_dictionaries(
            {
                "ContentType": st.sampled_from(["text/plain", "text/markdown"]),
                "Content": st.just("Hi"),
            }
        ),
        st.fixed_dictionaries(
            {}, optional={"ContentType": content_types | anything, "Content": anything}
        )
        | anything,
    ),
    "PersistentChat": mostly(
        st.fixed_dictionaries(
            {
                "RehydrationType": st.sampled_from(["ENTIRE_PAST_SESSION", "FROM_SEGMENT"]),
                "SourceContactId": st.just("previous-contact"),
            }
        ),
        st.fixed_dictionaries(
            {},
            optional={
                "RehydrationType": st.sampled_from(["ENTIRE_PAST_SESSION", "X"]) | anything,
                "SourceContactId": anything,
            },
        )
        | anything,
    ),
    "RelatedContactId": mostly(st.sampled_from([ABSENT, ABSENT, "related-contact"]), anything),
    "ClientToken": mostly(st.uuids().map(str), anything),
    "Username": anything,
}


@st.composite
def hostile_fields_strategy(draw):
    fields = {}
    for name, strategy in FIELD_STRATEGIES.items():
        value = draw(strategy)
        if value is not ABSENT:
            fields[name] = value
    return fields


hostile_fields = hostile_fields_strategy()

origins = st.sampled_from(
    [ALLOWED_ORIGIN, OTHER_ALLOWED_ORIGIN, "https://evil.example", "null", "", "*", None]
) | st.text(max_size=30)


def encode_body(fields: dict, style: str) -> str:
    text = json.dumps(fields)
    if style == "base64":
        return base64.b64encode(text.encode()).decode()
    if style == "form":
        from urllib.parse import quote_plus

        return quote_plus(text)
    return text


@st.composite
def hostile_events(draw):
    style = draw(st.sampled_from(["json", "json", "base64", "form", "raw"]))
    if style == "raw":
        body = draw(st.none() | st.text(max_size=200) | st.text(string.printable, max_size=50))
    else:
        body = encode_body(draw(hostile_fields), style)
    origin = draw(origins)
    headers = draw(st.dictionaries(st.text(max_size=15), st.text(max_size=30), max_size=3))
    if origin is not None:
        headers[draw(st.sampled_from(["origin", "Origin", "ORIGIN"]))] = origin
    if style == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return {
        "httpMethod": draw(
            st.sampled_from(["POST", "POST", "POST", "OPTIONS"]) | st.text(max_size=6)
        ),
        "headers": headers or draw(st.none() | st.just({})),
        "body": body,
        "isBase64Encoded": style == "base64" or (draw(st.booleans()) and style == "raw"),
        "requestContext": draw(
            st.fixed_dictionaries({"requestId": st.text(max_size=20)}) | anything
        ),
    }


def origin_of(event) -> str | None:
    headers = event.get("headers") or {}
    found = [v for k, v in headers.items() if isinstance(k, str) and k.lower() == "origin"]
    return found[0] if found else None


def check_response(response, origin):
    assert isinstance(response["statusCode"], int)
    assert response["statusCode"] in EXPECTED_STATUSES, response
    body = json.loads(response["body"])
    assert isinstance(body, dict)
    if response["statusCode"] >= 400:
        error = body["error"]
        assert {type(error[k]) for k in ("code", "message", "requestId")} == {str}
    headers = response["headers"]
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())
    cors = {k: v for k, v in headers.items() if k.lower().startswith("access-control")}
    refused = origin is not None and origin not in SETTINGS.allowed_origins
    if origin in SETTINGS.allowed_origins:
        assert cors["Access-Control-Allow-Origin"] == origin
        assert "*" not in cors.values()
    elif refused and response["statusCode"] in (200, 403):
        # A refused origin gets only its preflight or its refusal, readable through '*'
        # (never its Origin echoed), so the widget can name the cause.
        if response["statusCode"] == 200:
            assert body == {}, body
        else:
            assert body["error"]["code"] == "FORBIDDEN_ORIGIN", body
        assert cors["Access-Control-Allow-Origin"] == "*", (origin, cors)
    else:
        assert cors == {}, (origin, cors)
    assert "Access-Control-Allow-Credentials" not in cors
    assert headers["Vary"] == "Origin"


def check_connect_calls(before: int, response, origin):
    new_calls = CONNECT.calls[before:]
    if response["statusCode"] != 200 or response.get("body") == "{}":
        assert new_calls == []
        return
    assert origin is None or origin in SETTINGS.allowed_origins
    [params] = new_calls
    assert params["InstanceId"] == INSTANCE_ID
    assert params["ContactFlowId"] in ALLOWED_FLOWS
    assert set(params["Attributes"]) <= ALLOWED_KEYS
    assert params["Attributes"]["customerName"] == params["ParticipantDetails"]["DisplayName"]
    # No hostile body holds a resume token or a customer JWT: it never names a past contact
    # or a customer, and never lengthens the chat past the stack's duration.
    assert not {"PersistentChat", "RelatedContactId", "CustomerId"} & set(params)
    assert params["ChatDurationInMinutes"] <= SETTINGS.chat_duration_minutes


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(event=hostile_events())
def test_hostile_events_get_safe_json_answers_and_never_steer_connect(event):
    before = len(CONNECT.calls)
    response = SERVICE.handle(event, "req")
    origin = origin_of(event)
    check_response(response, origin)
    check_connect_calls(before, response, origin)


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(fields=hostile_fields, origin=st.sampled_from([ALLOWED_ORIGIN, None]))
def test_hostile_fields_from_an_allowed_page(fields, origin):
    # Every example passes CORS, so the whole budget goes to the body validation.
    headers = {"origin": origin} if origin else None
    event = {"httpMethod": "POST", "headers": headers, "body": json.dumps(fields)}
    before = len(CONNECT.calls)
    response = SERVICE.handle(event, "req")
    check_response(response, origin)
    check_connect_calls(before, response, origin)


@settings(settings.get_profile(HOSTILE_PROFILE))
@given(
    display_name=st.text(min_size=1, max_size=300),
    attributes=st.dictionaries(
        st.sampled_from([*ALLOWED_ATTRIBUTES, "vip", "Topic"]), st.text(max_size=2000)
    ),
    flow=st.sampled_from([None, CONTACT_FLOW_ID, EXTRA_FLOW_ID]),
)
def test_well_formed_requests_always_start_a_chat_or_say_why(display_name, attributes, flow):
    fields = {"ParticipantDetails": {"DisplayName": display_name}, "Attributes": attributes}
    if flow:
        fields["ContactFlowId"] = flow
    event = {
        "httpMethod": "POST",
        "headers": {"Origin": ALLOWED_ORIGIN},
        "body": json.dumps(fields),
    }
    before = len(CONNECT.calls)
    response = SERVICE.handle(event, "req")
    check_response(response, ALLOWED_ORIGIN)
    check_connect_calls(before, response, ALLOWED_ORIGIN)
    trimmed = display_name.strip(DISPLAY_NAME_TRIMMED)  # the widget's trim() set
    surrogate = any("\ud800" <= c <= "\udfff" for c in display_name + "".join(attributes.values()))
    foreign = set(attributes) - set(ALLOWED_ATTRIBUTES)
    if 1 <= len(trimmed) <= 256 and not surrogate and not foreign:
        assert response["statusCode"] == 200, response["body"]
        assert CONNECT.calls[-1]["ContactFlowId"] == (flow or CONTACT_FLOW_ID)
    else:
        assert response["statusCode"] == 400
        if foreign and 1 <= len(trimmed) <= 256:
            assert json.loads(response["body"])["error"]["code"] == "ATTRIBUTE_NOT_ALLOWED"


@pytest.fixture(scope="module")
def hostile_app():
    with pytest.MonkeyPatch.context() as patch:
        for name, value in HANDLER_ENV.items():
            patch.setenv(name, value)
        patch.setenv("AWS_ENDPOINT_URL_CONNECT", "http://127.0.0.1:9")
        with handler_modules_restored():
            yield fresh_handler_app()


@settings(settings.get_profile(HOSTILE_PROFILE), max_examples=200)
@given(
    event=anything
    | st.dictionaries(
        st.sampled_from(["httpMethod", "headers", "body", "isBase64Encoded", "requestContext"]),
        anything,
    )
)
def test_malformed_events_never_crash_the_entry_point(hostile_app, event):
    # No Origin can be valid here and no body is a valid chat request: Connect is never reached.
    response = hostile_app.lambda_handler(event, lambda_context())
    assert isinstance(response["statusCode"], int) and response["statusCode"] < 500
    assert isinstance(json.loads(response["body"]), dict)
