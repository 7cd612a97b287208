"""The scripted agent answers what the visitor typed before it joined, like a person who reads
the queue on picking up a chat."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from local_mode_clients import connect_customer, participant_client, start_chat

from local_mode.emulator import EmulatorSettings
from local_mode.emulator.agent import GREETING, MARKDOWN_REPLY
from local_mode.runner import LocalStack, start_background

JOIN_DELAY = 2.0
TYPING = 0.3


@pytest.fixture(scope="module")
def slow_agent() -> Iterator[LocalStack]:
    stack = start_background(
        "dev",
        agent_join_delay=JOIN_DELAY,
        require_site=False,
        # Each answer shows typing this long: a message sent meanwhile must wait its turn.
        emulator_settings=EmulatorSettings(agent_typing_delay=TYPING),
    )
    yield stack
    stack.stop()


CLIENTS: dict[str, Any] = {}


def transcript(stack: LocalStack, token: str) -> list[dict]:
    client = CLIENTS.setdefault(stack.emulator_url, participant_client(stack))
    return client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]


def agent_messages(items: list[dict]) -> list[str]:
    return [
        i["Content"] for i in items if i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT"
    ]


def test_agent_answers_messages_sent_before_it_joined_in_order(slow_agent):
    started = start_chat(
        slow_agent, InitialMessage={"ContentType": "text/plain", "Content": "hello first"}
    )
    token = connect_customer(slow_agent, started["ParticipantToken"])["ConnectionCredentials"][
        "ConnectionToken"
    ]
    client = participant_client(slow_agent)
    transcript(slow_agent, token)  # builds the reading client before the clock starts
    sent_at = time.monotonic()
    for text in ("is anyone there?", "markdown"):
        client.send_message(ConnectionToken=token, ContentType="text/plain", Content=text)
    early = transcript(slow_agent, token)
    assert time.monotonic() - sent_at < JOIN_DELAY / 2, "the messages must precede the agent"
    assert not [i for i in early if i.get("ParticipantRole") == "AGENT"]

    # Once the agent has joined (it is typing its greeting), one more message.
    deadline = time.monotonic() + 10
    while not any(i.get("ParticipantRole") == "AGENT" for i in transcript(slow_agent, token)):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    client.send_message(ConnectionToken=token, ContentType="text/plain", Content="meanwhile")

    expected = [
        GREETING,
        "You said: hello first",
        "You said: is anyone there?",
        MARKDOWN_REPLY,
        "You said: meanwhile",
    ]
    while agent_messages(transcript(slow_agent, token)) != expected:
        assert time.monotonic() < deadline, agent_messages(transcript(slow_agent, token))
        assert len(agent_messages(transcript(slow_agent, token))) <= len(expected)
        time.sleep(0.05)

    items = transcript(slow_agent, token)
    customer_ids = [
        i["Id"] for i in items if i["Type"] == "MESSAGE" and i["ParticipantRole"] == "CUSTOMER"
    ]
    assert len(customer_ids) == 4
    receipts = sorted(
        (i["MessageMetadata"]["MessageId"], i["ContentType"].rsplit(".", 1)[1])
        for i in items
        if i["Type"] == "MESSAGEMETADATA"
    )
    assert receipts == sorted((m, kind) for m in customer_ids for kind in ("delivered", "read"))
    assert len(receipts) == 8

    # And the chat goes on as usual afterwards.
    client.send_message(ConnectionToken=token, ContentType="text/plain", Content="later")
    while agent_messages(transcript(slow_agent, token))[-1] != "You said: later":
        assert time.monotonic() < deadline + 5
        time.sleep(0.05)
