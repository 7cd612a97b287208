"""Participant Service REST calls through unmodified boto3 `connectparticipant`."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import connect_customer, error_code, participant_client, start_chat


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def wait_for_agent(client, token):
    wait_for(lambda: any(
        i.get("ParticipantRole") == "AGENT" and i["Type"] == "MESSAGE"
        for i in client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]
    ))  # fmt: skip


@pytest.fixture
def chat(local):
    started = start_chat(local, SupportedMessagingContentTypes=["text/plain", "text/markdown"])
    connection = connect_customer(local, started["ParticipantToken"])
    return started, connection["ConnectionCredentials"]["ConnectionToken"], connection


def test_connection_returns_loopback_websocket_and_credentials(local, chat):
    _, _, connection = chat
    assert connection["Websocket"]["Url"].startswith("ws://127.0.0.1:")
    assert connection["Websocket"]["ConnectionExpiry"].endswith("Z")
    assert connection["ConnectionCredentials"]["Expiry"].endswith("Z")


def test_connection_with_only_websocket_type_omits_credentials(local):
    started = start_chat(local)
    only_ws = participant_client(local).create_participant_connection(
        ParticipantToken=started["ParticipantToken"], Type=["WEBSOCKET"]
    )
    assert "Websocket" in only_ws and "ConnectionCredentials" not in only_ws


def test_unknown_tokens_get_403_access_denied(local):
    client = participant_client(local)
    with pytest.raises(ClientError) as excinfo:
        client.create_participant_connection(ParticipantToken="forged", Type=["WEBSOCKET"])
    assert error_code(excinfo) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as excinfo:
        client.send_message(ConnectionToken="forged", ContentType="text/plain", Content="hi")
    assert error_code(excinfo) == ("AccessDeniedException", 403)


def test_participant_token_is_not_a_connection_token(local):
    started = start_chat(local)
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).get_transcript(ConnectionToken=started["ParticipantToken"])
    assert error_code(excinfo) == ("AccessDeniedException", 403)


def test_message_is_stored_and_agent_echoes_with_receipts(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    wait_for_agent(client, token)
    sent = client.send_message(ConnectionToken=token, ContentType="text/plain", Content="ping 1")
    assert sent["Id"] and sent["AbsoluteTime"]

    def echoed():
        items = client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]
        return [i for i in items if i.get("Content") == "You said: ping 1"] and items

    items = wait_for(echoed)
    receipts = [i for i in items if i["Type"] == "MESSAGEMETADATA"]
    kinds = {next(iter(r["MessageMetadata"]["Receipts"][0])) for r in receipts
             if r["MessageMetadata"]["MessageId"] == sent["Id"]}  # fmt: skip
    assert {"DeliveredTimestamp", "ReadTimestamp"} <= kinds


def test_send_message_client_token_is_idempotent(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    first = client.send_message(
        ConnectionToken=token, ContentType="text/plain", Content="once", ClientToken="m-1"
    )
    again = client.send_message(
        ConnectionToken=token, ContentType="text/plain", Content="once", ClientToken="m-1"
    )
    assert first["Id"] == again["Id"]
    items = client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]
    assert sum(1 for i in items if i.get("Content") == "once") == 1


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("text/plain", "x" * 1025),
        ("image/png", "x"),
        ("application/vnd.amazonaws.connect.message.interactive.response", "not json"),
    ],
)
def test_bad_messages_get_validation_exception(local, chat, content_type, content):
    _, token, _ = chat
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).send_message(
            ConnectionToken=token, ContentType=content_type, Content=content
        )
    assert error_code(excinfo) == ("ValidationException", 400)


def test_send_event_typing_and_unknown_event(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    typing = client.send_event(
        ConnectionToken=token, ContentType="application/vnd.amazonaws.connect.event.typing"
    )
    assert typing["Id"]
    with pytest.raises(ClientError) as excinfo:
        client.send_event(ConnectionToken=token, ContentType="application/x-made-up")
    assert error_code(excinfo) == ("ValidationException", 400)
    items = client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]
    assert not any(i["ContentType"].endswith("typing") for i in items)


def test_read_receipt_must_name_a_message_of_the_chat(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    sent = client.send_message(ConnectionToken=token, ContentType="text/plain", Content="r")
    client.send_event(
        ConnectionToken=token,
        ContentType="application/vnd.amazonaws.connect.event.message.read",
        Content=json.dumps({"messageId": sent["Id"]}),
    )
    with pytest.raises(ClientError) as excinfo:
        client.send_event(
            ConnectionToken=token,
            ContentType="application/vnd.amazonaws.connect.event.message.read",
            Content=json.dumps({"messageId": "not-in-chat"}),
        )
    assert error_code(excinfo) == ("ValidationException", 400)


def test_transcript_pages_backward_and_forward(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    wait_for_agent(client, token)
    for n in range(7):
        client.send_message(ConnectionToken=token, ContentType="text/plain", Content=f"m{n}")

    def settled():
        items = client.get_transcript(
            ConnectionToken=token, MaxResults=100, ScanDirection="FORWARD"
        )["Transcript"]
        return any(i.get("Content") == "You said: m6" for i in items) and items

    wait_for(settled)
    time.sleep(0.1)
    everything = settled()
    ids = [i["Id"] for i in everything]
    assert len(ids) == len(set(ids)) > 7

    def walk(direction):
        pages, next_token = [], None
        while True:
            extra = {"NextToken": next_token} if next_token else {}
            page = client.get_transcript(
                ConnectionToken=token, MaxResults=3, ScanDirection=direction, **extra
            )
            assert 0 < len(page["Transcript"]) <= 3
            pages.append([i["Id"] for i in page["Transcript"]])
            next_token = page.get("NextToken")
            if not next_token:
                return pages

    assert [i for page in walk("FORWARD") for i in page] == ids
    backward = walk("BACKWARD")
    # BACKWARD starts at the newest item; each page is still sorted ascending.
    assert backward[0] == ids[-3:]
    assert [i for page in reversed(backward) for i in page] == ids


def test_transcript_start_position_and_sort_order(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    sent = [
        client.send_message(ConnectionToken=token, ContentType="text/plain", Content=f"s{n}")
        for n in range(4)
    ]
    page = client.get_transcript(
        ConnectionToken=token,
        ScanDirection="FORWARD",
        SortOrder="DESCENDING",
        MaxResults=2,
        StartPosition={"Id": sent[1]["Id"]},
    )["Transcript"]
    # The agent may join between two sends and add receipts: name the two items that follow
    # sent[1] in the whole transcript, whatever they are.
    everything = client.get_transcript(
        ConnectionToken=token, MaxResults=100, ScanDirection="FORWARD"
    )["Transcript"]
    whole = [i["Id"] for i in everything]
    start = whole.index(sent[1]["Id"])
    assert [i["Id"] for i in page] == [whole[start + 1], whole[start]]
    with pytest.raises(ClientError) as excinfo:
        client.get_transcript(ConnectionToken=token, StartPosition={"Id": "missing"})
    assert error_code(excinfo) == ("ValidationException", 400)
    with pytest.raises(ClientError) as excinfo:
        client.get_transcript(ConnectionToken=token, NextToken="garbage")
    assert error_code(excinfo) == ("ValidationException", 400)


def test_disconnect_ends_chat_and_tokens_stop_working(local, chat):
    started, token, _ = chat
    client = participant_client(local)
    client.disconnect_participant(ConnectionToken=token)
    with pytest.raises(ClientError) as excinfo:
        client.send_message(ConnectionToken=token, ContentType="text/plain", Content="late")
    assert error_code(excinfo) == ("AccessDeniedException", 403)
    with pytest.raises(ClientError) as excinfo:
        client.create_participant_connection(
            ParticipantToken=started["ParticipantToken"], Type=["WEBSOCKET"]
        )
    assert error_code(excinfo) == ("AccessDeniedException", 403)
    detail = json.loads(
        urllib.request.urlopen(
            f"{local.emulator_url}/_emulator/contacts/{started['ContactId']}"
        ).read()
    )
    assert detail["State"] == "ENDED" and detail["EndReason"] == "CUSTOMER_DISCONNECT"
    assert detail["Transcript"][-1]["ContentType"].endswith("chat.ended")


def test_attachment_upload_complete_and_download(local, chat):
    _, token, _ = chat
    client = participant_client(local)
    data = b"hello attachment"
    started = client.start_attachment_upload(
        ConnectionToken=token, ContentType="text/plain", AttachmentName="a.txt",
        AttachmentSizeInBytes=len(data), ClientToken="up-1",
    )  # fmt: skip
    upload = started["UploadMetadata"]
    with pytest.raises(ClientError) as excinfo:
        client.complete_attachment_upload(
            ConnectionToken=token, AttachmentIds=[started["AttachmentId"]], ClientToken="c-0"
        )
    assert error_code(excinfo) == ("ConflictException", 409)
    put = urllib.request.Request(
        upload["Url"], data=data, headers=upload["HeadersToInclude"], method="PUT"
    )
    assert urllib.request.urlopen(put).status == 200
    client.complete_attachment_upload(
        ConnectionToken=token, AttachmentIds=[started["AttachmentId"]], ClientToken="c-1"
    )
    got = client.get_attachment(ConnectionToken=token, AttachmentId=started["AttachmentId"])
    assert got["AttachmentSizeInBytes"] == len(data)
    assert urllib.request.urlopen(got["Url"]).read() == data
    items = client.get_transcript(ConnectionToken=token, MaxResults=100)["Transcript"]
    attachment_items = [i for i in items if i["Type"] == "ATTACHMENT"]
    assert attachment_items[0]["Attachments"][0]["AttachmentName"] == "a.txt"


def test_attachment_with_unsupported_type_is_refused(local, chat):
    _, token, _ = chat
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).start_attachment_upload(
            ConnectionToken=token, ContentType="application/x-msdownload",
            AttachmentName="a.exe", AttachmentSizeInBytes=10, ClientToken="x",
        )  # fmt: skip
    assert error_code(excinfo) == ("ValidationException", 400)


def test_cors_preflight_allows_chatjs_headers(local):
    request = urllib.request.Request(
        local.emulator_url + "/participant/message",
        method="OPTIONS",
        headers={
            "Origin": local.site_url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-amz-bearer,amz-sdk-request",
        },
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "x-amz-bearer" in response.headers["Access-Control-Allow-Headers"]
