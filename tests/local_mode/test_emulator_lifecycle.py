"""Chat lifecycle: connect deadline, ChatDurationInMinutes expiry and persistent chat."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request

import aiohttp
import pytest
from botocore.exceptions import ClientError
from local_mode_clients import (
    ChatSocketClient,
    connect_customer,
    error_code,
    participant_client,
    start_chat,
)

from local_mode.emulator import EmulatorSettings
from local_mode.emulator.participant_api import Attachment, AttachmentStore
from local_mode.runner import start_background


def contact_detail(stack, contact_id):
    url = f"{stack.emulator_url}/_emulator/contacts/{contact_id}"
    return json.loads(urllib.request.urlopen(url).read())


def wait_state(stack, contact_id, state, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        detail = contact_detail(stack, contact_id)
        if detail["State"] == state:
            return detail
        time.sleep(0.05)
    raise AssertionError(f"contact never reached {state}")


def test_chat_not_connected_within_deadline_ends_and_token_gets_403(fast_clock):
    started = start_chat(fast_clock)
    detail = wait_state(fast_clock, started["ContactId"], "ENDED")
    assert detail["EndReason"] == "CONNECT_DEADLINE"
    with pytest.raises(ClientError) as excinfo:
        connect_customer(fast_clock, started["ParticipantToken"])
    assert error_code(excinfo) == ("AccessDeniedException", 403)


def test_connected_chat_survives_the_connect_deadline(fast_clock):
    started = start_chat(fast_clock, ChatDurationInMinutes=600)
    connect_customer(fast_clock, started["ParticipantToken"])
    time.sleep(0.8)
    assert contact_detail(fast_clock, started["ContactId"])["State"] == "CONNECTED"


def test_chat_duration_expiry_ends_the_chat(fast_clock):
    started = start_chat(fast_clock, ChatDurationInMinutes=60)
    connection = connect_customer(fast_clock, started["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    detail = wait_state(fast_clock, started["ContactId"], "ENDED", timeout=6)
    assert detail["EndReason"] == "EXPIRED"
    assert detail["Transcript"][-1]["ContentType"].endswith("chat.ended")
    with pytest.raises(ClientError) as excinfo:
        participant_client(fast_clock).get_transcript(ConnectionToken=token)
    assert error_code(excinfo) == ("AccessDeniedException", 403)


def finished_chat(stack, text, **fields):
    started = start_chat(stack, **fields)
    connection = connect_customer(stack, started["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    client = participant_client(stack)
    client.send_message(ConnectionToken=token, ContentType="text/plain", Content=text)
    client.disconnect_participant(ConnectionToken=token)
    return started


def transcript_texts(stack, started):
    connection = connect_customer(stack, started["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    items = participant_client(stack).get_transcript(ConnectionToken=token, MaxResults=100)
    # The customer's messages only: on a loaded machine the agent may join (and greet)
    # before a finished chat's customer leaves.
    return items["Transcript"], [
        i.get("Content")
        for i in items["Transcript"]
        if i["Type"] == "MESSAGE" and i.get("ParticipantRole") == "CUSTOMER"
    ]


def test_entire_past_session_rehydrates_every_past_contact(local):
    first = finished_chat(local, "first visit")
    second = finished_chat(
        local, "second visit",
        PersistentChat={"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": first["ContactId"]},  # noqa: E501
    )  # fmt: skip
    assert second["ContinuedFromContactId"] == first["ContactId"]
    third = start_chat(
        local,
        PersistentChat={
            "RehydrationType": "ENTIRE_PAST_SESSION",
            "SourceContactId": first["ContactId"],
        },
    )
    assert third["ContinuedFromContactId"] == second["ContactId"]
    items, texts = transcript_texts(local, third)
    assert texts[:2] == ["first visit", "second visit"]
    assert {i["ContactId"] for i in items} >= {first["ContactId"], second["ContactId"]}
    assert any(i["ContentType"].endswith("chat.rehydrated") for i in items)


def test_entire_past_session_needs_the_first_contact(local):
    first = finished_chat(local, "one")
    second = finished_chat(
        local, "two",
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": first["ContactId"]},
    )  # fmt: skip
    with pytest.raises(ClientError) as excinfo:
        start_chat(
            local,
            PersistentChat={
                "RehydrationType": "ENTIRE_PAST_SESSION",
                "SourceContactId": second["ContactId"],
            },
        )
    assert error_code(excinfo) == ("InvalidRequestException", 400)


def test_from_segment_rehydrates_up_to_that_contact(local):
    first = finished_chat(local, "segment one")
    resumed = start_chat(
        local,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": first["ContactId"]},
    )
    assert resumed["ContinuedFromContactId"] == first["ContactId"]
    _, texts = transcript_texts(local, resumed)
    assert texts[0] == "segment one"


def test_active_chat_cannot_be_continued(local):
    active = start_chat(local)
    with pytest.raises(ClientError) as excinfo:
        start_chat(
            local,
            PersistentChat={
                "RehydrationType": "FROM_SEGMENT",
                "SourceContactId": active["ContactId"],
            },
        )
    assert error_code(excinfo) == ("InvalidRequestException", 400)


def test_transcript_of_one_past_contact_by_contact_id(local):
    first = finished_chat(local, "only this")
    resumed = start_chat(
        local,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": first["ContactId"]},
    )
    connection = connect_customer(local, resumed["ParticipantToken"])
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    client = participant_client(local)
    items = client.get_transcript(ConnectionToken=token, ContactId=first["ContactId"])
    assert {i["ContactId"] for i in items["Transcript"]} == {first["ContactId"]}
    with pytest.raises(ClientError) as excinfo:
        client.get_transcript(ConnectionToken=token, ContactId="someone-elses")
    assert error_code(excinfo) == ("AccessDeniedException", 403)


@pytest.fixture
def idle_timeout():
    stack = start_background(
        "dev",
        agent_join_delay=0.05,
        require_site=False,
        emulator_settings=EmulatorSettings(
            agent_typing_delay=0.01, customer_idle_disconnect_seconds=0.3, max_ended_contacts=2
        ),
    )
    yield stack
    stack.stop()


def test_vanished_client_is_timed_out_and_leaves_nothing_behind(idle_timeout):
    stack = idle_timeout
    chats = []
    for _ in range(4):
        started = start_chat(stack)
        connection = connect_customer(stack, started["ParticipantToken"])
        chats.append(started)

        async def vanish(url=connection["Websocket"]["Url"]):
            session = aiohttp.ClientSession()
            ws = await session.ws_connect(url)
            await ChatSocketClient(ws).subscribe()
            await asyncio.sleep(0.1)
            # No DisconnectParticipant, no close handshake: the transport just goes away.
            ws._response.connection.transport.abort()
            await session.close()

        asyncio.run(vanish())
    for started in chats[-2:]:
        detail = wait_state(stack, started["ContactId"], "ENDED")
        assert detail["EndReason"] == "CUSTOMER_IDLE"
        assert any(i["ContentType"].endswith("autodisconnection") for i in detail["Transcript"])
    time.sleep(0.2)

    def leftovers():
        store, emulator = stack.emulator.store, stack.emulator
        return {
            "contacts": len(store.contacts),
            "tokens": len(store.participant_tokens) + len(store.connection_tokens),
            "client_tokens": len(store.client_tokens),
            "sockets": len(store.socket_ids),
            "seats": len(emulator.agent.seats),
            "tasks": sum(len(c.tasks) + len(c.timers) for c in store.contacts.values()),
            "attachments": len(emulator.participants.attachments.by_id),
        }

    assert stack.run_in_loop(leftovers) == {
        "contacts": 2,
        "tokens": 0,
        "client_tokens": 2,
        "sockets": 0,
        "seats": 0,
        "tasks": 0,
        "attachments": 0,
    }


def test_forgetting_a_contact_drops_exactly_its_attachments():
    store = AttachmentStore()
    for n, contact_id in enumerate(["old", "kept", "old", "kept"]):
        store.add(Attachment(f"a{n}", contact_id, f"f{n}.txt", "text/plain", 1, b"x", True))
    store.forget_contact("old")
    store.forget_contact("never-had-any")
    assert sorted(store.by_id) == ["a1", "a3"]
    assert store.ids_by_contact == {"kept": ["a1", "a3"]}
