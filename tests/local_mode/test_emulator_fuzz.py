"""Hostile input: random REST bodies and websocket frames get the services' errors and never
crash the emulator (no 5xx, always a JSON error with x-amzn-ErrorType, still serving after)."""

from __future__ import annotations

import asyncio
import json
import os
import urllib.error
import urllib.request

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from local_mode_clients import ChatSocketClient, connect_customer, participant_client, start_chat

SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/connect/aws4_request"}
PARTICIPANT_PATHS = [
    "/participant/connection",
    "/participant/message",
    "/participant/event",
    "/participant/transcript",
    "/participant/disconnect",
    "/participant/start-attachment-upload",
    "/participant/complete-attachment-upload",
    "/participant/attachment",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    ["ContentType", "Content", "Type", "MaxResults", "ScanDirection", "SortOrder",
     "StartPosition", "NextToken", "ContactId", "AttachmentIds", "AttachmentId",
     "AttachmentName", "AttachmentSizeInBytes", "ClientToken", "ConnectParticipant",
     "InstanceId", "ContactFlowId", "ParticipantDetails", "Attributes", "InitialMessage",
     "ChatDurationInMinutes", "SupportedMessagingContentTypes", "PersistentChat",
     "RelatedContactId"]
)  # fmt: skip
shaped_bodies = st.dictionaries(field_names, json_values, max_size=6).map(
    lambda d: json.dumps(d).encode()
)
raw_bodies = st.binary(max_size=200)
# Nesting past the JSON parser's recursion limit ([[[[..., {"a":{"a":...), closed or not.
deep_texts = st.tuples(
    st.sampled_from([("[", "]"), ('{"a":', "}")]),
    st.integers(min_value=900, max_value=12_000),
    st.booleans(),
).map(lambda t: t[0][0] * t[1] + (t[0][1] * t[1] if t[2] else ""))
deep_bodies = deep_texts.map(str.encode)
# FUZZ_EXAMPLES=2000 for a deeper run; the default keeps the suite at a few seconds.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def send(url, body, headers, method="POST"):
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def assert_service_answer(status, headers, payload):
    assert status < 500, payload
    if status >= 400:
        assert headers["x-amzn-ErrorType"], payload
        assert json.loads(payload)["Message"]


class LiveChat:
    """A chat for the fuzzer; replaced by a new one when an example ends it."""

    def __init__(self, stack):
        self.stack = stack
        self.chat = None

    def current(self):
        if self.chat is None:
            started = start_chat(self.stack)
            self.chat = (started, connect_customer(self.stack, started["ParticipantToken"]))
        return self.chat


@pytest.fixture(scope="module")
def live_chat(local):
    return LiveChat(local)


@fuzz
@given(body=st.one_of(shaped_bodies, raw_bodies, deep_bodies))
def test_start_chat_contact_never_fails_with_5xx(local, body):
    status, headers, payload = send(local.emulator_url + "/contact/chat", body, SIGNED, "PUT")
    assert_service_answer(status, headers, payload)


@fuzz
@given(
    path=st.sampled_from(PARTICIPANT_PATHS),
    body=st.one_of(shaped_bodies, raw_bodies, deep_bodies),
    use_real_token=st.booleans(),
    content_type=st.sampled_from(["text/plain", "application/vnd.amazonaws.connect.event.typing",
                                  "application/vnd.amazonaws.connect.event.message.read"]),
)  # fmt: skip
def test_participant_routes_never_fail_with_5xx(local, live_chat, path, body, use_real_token,
                                                content_type):  # fmt: skip
    started, connection = live_chat.current()
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    if path == "/participant/connection":
        token = started["ParticipantToken"]
    headers = {"X-Amz-Bearer": token if use_real_token else "forged"}
    if path in ("/participant/message", "/participant/event"):
        # Mostly-valid bodies reach the deeper checks (receipts, interactive JSON).
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            parsed.setdefault("ContentType", content_type)
            body = json.dumps(parsed).encode()
    status, response_headers, payload = send(local.emulator_url + path, body, headers)
    assert_service_answer(status, response_headers, payload)
    if path == "/participant/disconnect" and status == 200:
        live_chat.chat = None


def test_emulator_still_serves_after_fuzzing(local):
    started = start_chat(local)
    connection = connect_customer(local, started["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    assert participant_client(local).send_message(
        ConnectionToken=token, ContentType="text/plain", Content="still alive"
    )["Id"]


frames = st.one_of(
    st.text(max_size=200),
    deep_texts,
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"topic": st.sampled_from(["aws/subscribe", "aws/unsubscribe", "aws/heartbeat",
                                   "aws/ping", "aws/chat", "other"]),
         "content": json_values},
    ).map(json.dumps),
)  # fmt: skip


@settings(
    max_examples=EXAMPLES // 2,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(batch=st.lists(frames, min_size=1, max_size=8))
def test_websocket_frames_never_crash_the_gateway(local, batch):
    started = start_chat(local)
    connection = connect_customer(local, started["ParticipantToken"])

    async def scenario():
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(connection["Websocket"]["Url"]) as ws,
        ):
            chat = ChatSocketClient(ws)
            for frame in batch:
                await ws.send_str(frame)
            # Whatever came before, the socket still answers the real protocol in order.
            await chat.send("aws/heartbeat")
            while True:
                reply = await chat.next_frame()
                assert isinstance(reply, dict)
                if reply.get("topic") == "aws/heartbeat":
                    break
                assert reply.get("topic") in {"aws/subscribe", "aws/unsubscribe", "aws/ping",
                                              "aws/chat"} or reply.get("message")  # fmt: skip

    asyncio.run(scenario())
