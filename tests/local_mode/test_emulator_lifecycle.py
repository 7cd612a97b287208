"""Chat lifecycle: connect deadline, ChatDurationInMinutes expiry and persistent chat."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import connect_customer, error_code, participant_client, start_chat


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
    return items["Transcript"], [
        i.get("Content") for i in items["Transcript"] if i["Type"] == "MESSAGE"
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
