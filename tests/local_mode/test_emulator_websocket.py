"""The websocket protocol as ChatJS's websocket manager speaks it, plus the scripted agent."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from local_mode_clients import ChatSocketClient, connect_customer, participant_client, start_chat

INTERACTIVE = "application/vnd.amazonaws.connect.message.interactive"


def open_chat(local, **fields):
    started = start_chat(local, **fields)
    connection = connect_customer(local, started["ParticipantToken"])
    return started, connection


async def with_socket(url, scenario):
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        return await scenario(ChatSocketClient(ws))


def test_subscribe_heartbeat_and_ping_replies(local):
    _, connection = open_chat(local)

    async def scenario(chat):
        assert await chat.subscribe() == {
            "topic": "aws/subscribe",
            "content": {"status": "success", "topics": ["aws/chat"]},
        }
        await chat.send("aws/heartbeat")
        heartbeat = await chat.next_frame()
        while heartbeat["topic"] == "aws/chat":
            heartbeat = await chat.next_frame()
        assert heartbeat == {"topic": "aws/heartbeat"}
        await chat.send("aws/ping")
        ping = await chat.next_frame()
        while ping["topic"] == "aws/chat":
            ping = await chat.next_frame()
        assert ping["topic"] == "aws/ping" and ping["statusCode"] == 200

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_agent_joins_greets_types_and_echoes(local):
    _, connection = open_chat(local)
    token = connection["ConnectionCredentials"]["ConnectionToken"]

    async def scenario(chat):
        await chat.subscribe()
        joined = await chat.item_where(lambda i: i["ContentType"].endswith("participant.joined"))
        assert joined["ParticipantRole"] == "AGENT" and joined["Type"] == "EVENT"
        typing = await chat.item_where(lambda i: i["ContentType"].endswith("event.typing"))
        assert typing["ParticipantRole"] == "AGENT"
        greeting = await chat.item_where(lambda i: i["Type"] == "MESSAGE")
        assert "markdown" in greeting["Content"]
        await asyncio.to_thread(
            participant_client(local).send_message,
            ConnectionToken=token, ContentType="text/plain", Content="Hello there",
        )  # fmt: skip
        own = await chat.item_where(lambda i: i["Type"] == "MESSAGE")
        assert own["ParticipantRole"] == "CUSTOMER" and own["Content"] == "Hello there"
        assert own["ContactId"] and own["InitialContactId"]
        receipts = [
            await chat.item_where(lambda i: i["Type"] == "MESSAGEMETADATA") for _ in range(2)
        ]
        assert {r["MessageMetadata"]["MessageId"] for r in receipts} == {own["Id"]}
        echo = await chat.item_where(lambda i: i["Type"] == "MESSAGE")
        assert echo == {**echo, "ParticipantRole": "AGENT", "Content": "You said: Hello there"}

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


@pytest.mark.parametrize(
    ("command", "content_type", "check"),
    [
        ("markdown", "text/markdown", lambda c: "**bold text**" in c and "- first item" in c),
        (
            "XSS",
            "text/markdown",
            lambda c: "<script>window.__xss=1</script>" in c and "onerror" in c,
        ),
        ("list", INTERACTIVE, lambda c: json.loads(c)["templateType"] == "ListPicker"),
        ("quick", INTERACTIVE, lambda c: json.loads(c)["templateType"] == "QuickReply"),
        ("time", INTERACTIVE, lambda c: json.loads(c)["data"]["content"]["timeslots"]),
        ("panel", INTERACTIVE, lambda c: json.loads(c)["templateType"] == "Panel"),
        (
            "carousel",
            INTERACTIVE,
            lambda c: json.loads(c)["data"]["content"]["elements"][0]["templateType"] == "Panel",
        ),
        (
            "whoami",
            "text/plain",
            lambda c: (
                c == "Display name: Ann\nCustomer id: (none: not signed in)\nAttributes: (none)\n"
                "Chat duration: 1500 minutes"
            ),
        ),
    ],
)
def test_agent_commands(local, command, content_type, check):
    _, connection = open_chat(
        local, SupportedMessagingContentTypes=["text/plain", "text/markdown", INTERACTIVE]
    )
    token = connection["ConnectionCredentials"]["ConnectionToken"]

    async def scenario(chat):
        await chat.subscribe()
        await chat.item_where(lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT")
        await asyncio.to_thread(
            participant_client(local).send_message,
            ConnectionToken=token, ContentType="text/plain", Content=command,
        )  # fmt: skip
        reply = await chat.item_where(
            lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT"
        )
        assert reply["ContentType"] == content_type
        assert check(reply["Content"])

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_interactive_response_gets_you_chose(local):
    _, connection = open_chat(local)
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    choice = {
        "templateType": "ListPicker",
        "version": "1.0",
        "data": {"content": {"title": "Team"}},
    }

    async def scenario(chat):
        await chat.subscribe()
        await chat.item_where(lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT")
        await asyncio.to_thread(
            participant_client(local).send_message,
            ConnectionToken=token, ContentType=INTERACTIVE + ".response",
            Content=json.dumps(choice),
        )  # fmt: skip
        reply = await chat.item_where(
            lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT"
        )
        assert reply["Content"] == "You chose: Team"

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_file_command_sends_a_downloadable_attachment(local):
    _, connection = open_chat(local)
    token = connection["ConnectionCredentials"]["ConnectionToken"]
    client = participant_client(local)

    async def scenario(chat):
        await chat.subscribe()
        await chat.item_where(lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT")
        await asyncio.to_thread(
            client.send_message, ConnectionToken=token, ContentType="text/plain", Content="file"
        )
        return await chat.item_where(lambda i: i["Type"] == "ATTACHMENT")

    item = asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))
    attachment = item["Attachments"][0]
    assert attachment["Status"] == "APPROVED" and item["ParticipantRole"] == "AGENT"
    got = client.get_attachment(ConnectionToken=token, AttachmentId=attachment["AttachmentId"])
    assert got["AttachmentSizeInBytes"] > 0


def test_bye_makes_the_agent_leave_and_end_the_chat(local):
    _, connection = open_chat(local)
    token = connection["ConnectionCredentials"]["ConnectionToken"]

    async def scenario(chat):
        await chat.subscribe()
        await chat.item_where(lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT")
        await asyncio.to_thread(
            participant_client(local).send_message,
            ConnectionToken=token, ContentType="text/plain", Content="bye",
        )  # fmt: skip
        left = await chat.item_where(lambda i: i["ContentType"].endswith("participant.left"))
        assert left["ParticipantRole"] == "AGENT"
        await chat.item_where(lambda i: i["ContentType"].endswith("chat.ended"))
        closing = await chat.ws.receive(timeout=5)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_unknown_websocket_url_is_refused_with_403(local):
    async def scenario():
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.WSServerHandshakeError) as excinfo:
                await session.ws_connect(local.emulator_url.replace("http", "ws") + "/ws/forged")
            assert excinfo.value.status == 403

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "frame",
    ["not json", "[]", '{"topic": 5}', '{"topic": "aws/unknown"}', '{"no": "topic"}'],
)
def test_malformed_frames_get_an_error_frame_and_the_socket_stays_open(local, frame):
    _, connection = open_chat(local)

    async def scenario(chat):
        await chat.ws.send_str(frame)
        error = await chat.next_frame()
        assert error["message"] and error["connectionId"] and error["requestId"]
        bad_subscribe = {"topic": "aws/subscribe", "content": {"topics": ["aws/other"]}}
        await chat.ws.send_str(json.dumps(bad_subscribe))
        assert (await chat.next_frame())["content"]["status"] == "failure"
        assert (await chat.subscribe())["content"]["status"] == "success"

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_items_arrive_only_after_subscribing(local):
    _, connection = open_chat(local)

    async def scenario(chat):
        with pytest.raises(asyncio.TimeoutError):
            await chat.ws.receive(timeout=0.3)
        await chat.subscribe()

    asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))


def test_stream_command_answers_like_a_streaming_lex_bot(local):
    """What ChatJS 5 stitches: SYSTEM-role MESSAGEs under one Id, ChunkNumber 1, 2, ... with
    MessageCompleted false, then the whole text with MessageCompleted true."""
    _, connection = open_chat(local)
    token = connection["ConnectionCredentials"]["ConnectionToken"]

    async def scenario(chat):
        await chat.subscribe()
        await chat.item_where(lambda i: i["Type"] == "MESSAGE" and i["ParticipantRole"] == "AGENT")
        await asyncio.to_thread(
            participant_client(local).send_message,
            ConnectionToken=token, ContentType="text/plain", Content="stream",
        )  # fmt: skip
        pieces = []
        while not pieces or not pieces[-1]["MessageMetadata"]["MessageCompleted"]:
            pieces.append(await chat.item_where(lambda i: i.get("ParticipantRole") == "SYSTEM"))
        return pieces

    pieces = asyncio.run(with_socket(connection["Websocket"]["Url"], scenario))
    message_id = pieces[0]["Id"]
    assert {(p["Id"], p["Type"], p["DisplayName"], p["ContentType"]) for p in pieces} == {
        (message_id, "MESSAGE", "BOT", "text/plain")
    }
    assert [p["MessageMetadata"] for p in pieces] == [
        {"MessageId": message_id, "ChunkNumber": n, "MessageCompleted": n == 6} for n in range(1, 7)
    ]
    whole = (
        "Streaming bots answer in pieces: ChatJS 5 stitches each chunk onto the last,"
        " under one message id."
    )
    assert "".join(p["Content"] for p in pieces[:-1]) == whole == pieces[-1]["Content"]
    transcript = participant_client(local).get_transcript(ConnectionToken=token)["Transcript"]
    assert [i["Content"] for i in transcript if i.get("ParticipantRole") == "SYSTEM"] == [whole]
