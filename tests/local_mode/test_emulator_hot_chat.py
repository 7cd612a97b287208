"""A busy chat through real boto3 clients: GetTranscript reads only its page, each chat keeps
its newest items (the documented cap), and NextToken pages stay put while the chat moves on."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import connect_customer, error_code, participant_client, start_chat

from local_mode.emulator import EmulatorSettings, participant_api
from local_mode.runner import LocalStack, start_background

CAP = 60


@pytest.fixture(scope="module")
def capped() -> Iterator[LocalStack]:
    stack = start_background(
        "dev",
        agent_join_delay=0.05,
        require_site=False,
        emulator_settings=EmulatorSettings(agent_typing_delay=0.01, max_items_per_contact=CAP),
    )
    yield stack
    stack.stop()


def quiet_chat(stack: LocalStack) -> tuple[dict, str]:
    """A chat a person has taken over: each customer message adds exactly three items (the
    message and the agent's delivered and read receipts), so counts are deterministic."""
    started = start_chat(stack)
    token = connect_customer(stack, started["ParticipantToken"])["ConnectionCredentials"][
        "ConnectionToken"
    ]
    url = f"{stack.emulator_url}/_emulator/contacts/{started['ContactId']}/takeover"
    urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"))
    return started, token


def send(stack: LocalStack, token: str, texts: list[str]) -> list[str]:
    client = participant_client(stack)
    return [
        client.send_message(ConnectionToken=token, ContentType="text/plain", Content=text)["Id"]
        for text in texts
    ]


def all_pages(stack: LocalStack, token: str, page: int, **fields) -> list[dict]:
    client = participant_client(stack)
    items: list[dict] = []
    response = client.get_transcript(ConnectionToken=token, MaxResults=page, **fields)
    items[:0] = response["Transcript"]
    while "NextToken" in response:
        response = client.get_transcript(
            ConnectionToken=token, MaxResults=page, NextToken=response["NextToken"], **fields
        )
        items[:0] = response["Transcript"]
    return items


def test_get_transcript_builds_only_the_page_it_returns(local, monkeypatch):
    _, token = quiet_chat(local)
    send(local, token, [f"m{n}" for n in range(100)])
    built: list[str] = []
    real = participant_api.public_item

    def counting(item):
        built.append(item["Id"])
        return real(item)

    monkeypatch.setattr(participant_api, "public_item", counting)
    page = participant_client(local).get_transcript(ConnectionToken=token, MaxResults=15)
    assert [i["Id"] for i in page["Transcript"]] == built
    assert len(built) == 15


def test_chat_keeps_its_newest_items_and_pages_through_them_once_in_order(capped):
    started, token = quiet_chat(capped)
    ids = send(capped, token, [f"m{n}" for n in range(40)])  # 2 + 40 * 3 items, over the cap
    items = all_pages(capped, token, page=7)
    assert CAP - CAP // 10 <= len(items) <= CAP
    sequence = [i["Id"] for i in items]
    assert len(set(sequence)) == len(sequence)
    messages = [i["Content"] for i in items if i["Type"] == "MESSAGE"]
    assert messages == [f"m{n}" for n in range(40 - len(messages), 40)]
    assert (
        items[-1]["Type"] == "MESSAGEMETADATA"
        and items[-1]["MessageMetadata"]["MessageId"] == ids[-1]
    )
    detail = json.loads(
        urllib.request.urlopen(
            f"{capped.emulator_url}/_emulator/contacts/{started['ContactId']}"
        ).read()
    )
    assert detail["MessageCount"] == 40
    # boto3 keeps only the members its model knows; compare what both name.
    assert [i["Id"] for i in detail["Transcript"]] == sequence


def test_next_token_continues_from_the_same_item_while_the_chat_grows(capped):
    _, token = quiet_chat(capped)
    send(capped, token, [f"a{n}" for n in range(15)])
    client = participant_client(capped)
    first = client.get_transcript(ConnectionToken=token, MaxResults=10)
    resumed_from = first["Transcript"][0]
    # The chat moves on and forgets its oldest items before the next page is asked for.
    send(capped, token, [f"b{n}" for n in range(15)])
    second = client.get_transcript(
        ConnectionToken=token, MaxResults=10, NextToken=first["NextToken"]
    )
    before = all_pages(capped, token, page=100)
    position = next(n for n, i in enumerate(before) if i["Id"] == resumed_from["Id"])
    assert second["Transcript"] == before[max(0, position - 10) : position]


def test_receipt_for_a_forgotten_message_is_refused(capped):
    _, token = quiet_chat(capped)
    oldest = send(capped, token, ["oldest"])[0]
    send(capped, token, [f"n{n}" for n in range(30)])
    with pytest.raises(ClientError) as excinfo:
        participant_client(capped).send_event(
            ConnectionToken=token,
            ContentType="application/vnd.amazonaws.connect.event.message.read",
            Content=json.dumps({"messageId": oldest}),
        )
    assert error_code(excinfo) == ("ValidationException", 400)
