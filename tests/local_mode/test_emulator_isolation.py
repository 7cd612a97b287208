"""One visitor's tokens reach only their own chat session, and StartChatContact's bounds hold.

Each case uses a *real* second contact (not a made-up id), so a check that only refuses
unknown ids cannot pass.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from local_mode_clients import (
    DEV,
    connect_customer,
    error_code,
    participant_client,
    start_chat,
)


def customer_token(stack, started) -> str:
    return connect_customer(stack, started["ParticipantToken"])["ConnectionCredentials"][
        "ConnectionToken"
    ]


def ended_chat(stack, text: str, **fields) -> dict:
    started = start_chat(stack, **fields)
    token = customer_token(stack, started)
    client = participant_client(stack)
    client.send_message(ConnectionToken=token, ContentType="text/plain", Content=text)
    client.disconnect_participant(ConnectionToken=token)
    return started


def detail(stack, contact_id: str) -> dict:
    url = f"{stack.emulator_url}/_emulator/contacts/{contact_id}"
    return json.loads(urllib.request.urlopen(url).read())


def test_transcript_of_another_visitors_contact_is_refused(local):
    mine = start_chat(local)
    theirs = start_chat(local)
    their_token = customer_token(local, theirs)
    participant_client(local).send_message(
        ConnectionToken=their_token, ContentType="text/plain", Content="their secret"
    )
    my_token = customer_token(local, mine)
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).get_transcript(
            ConnectionToken=my_token, ContactId=theirs["ContactId"], MaxResults=100
        )
    assert error_code(excinfo) == ("AccessDeniedException", 403)
    assert "their secret" not in str(excinfo.value.response)


def test_transcript_of_an_ended_contact_of_another_session_is_refused(local):
    theirs = ended_chat(local, "their past secret")
    mine = ended_chat(local, "my past")
    resumed = start_chat(
        local,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": mine["ContactId"]},
    )
    token = customer_token(local, resumed)
    client = participant_client(local)
    own = client.get_transcript(ConnectionToken=token, ContactId=mine["ContactId"])["Transcript"]
    assert {i["ContactId"] for i in own} == {mine["ContactId"]}
    with pytest.raises(ClientError) as excinfo:
        client.get_transcript(ConnectionToken=token, ContactId=theirs["ContactId"])
    assert error_code(excinfo) == ("AccessDeniedException", 403)


def upload(stack, token: str, data: bytes) -> str:
    client = participant_client(stack)
    started = client.start_attachment_upload(
        ConnectionToken=token, ContentType="text/plain", AttachmentName="private.txt",
        AttachmentSizeInBytes=len(data), ClientToken="u",
    )  # fmt: skip
    meta = started["UploadMetadata"]
    put = urllib.request.Request(meta["Url"], data=data, headers=meta["HeadersToInclude"],
                                 method="PUT")  # fmt: skip
    assert urllib.request.urlopen(put).status == 200
    return started["AttachmentId"]


def test_another_contacts_attachment_cannot_be_completed_or_fetched(local):
    mine = start_chat(local)
    theirs = start_chat(local)
    my_token, their_token = customer_token(local, mine), customer_token(local, theirs)
    client = participant_client(local)

    pending = upload(local, their_token, b"their pending file")
    with pytest.raises(ClientError) as excinfo:
        client.complete_attachment_upload(
            ConnectionToken=my_token, AttachmentIds=[pending], ClientToken="steal"
        )
    assert error_code(excinfo) == ("ValidationException", 400)
    # Not posted into my chat, and still theirs to complete.
    assert not [
        i for i in detail(local, mine["ContactId"])["Transcript"] if i["Type"] == "ATTACHMENT"
    ]
    client.complete_attachment_upload(
        ConnectionToken=their_token, AttachmentIds=[pending], ClientToken="own"
    )

    with pytest.raises(ClientError) as excinfo:
        client.get_attachment(ConnectionToken=my_token, AttachmentId=pending)
    assert error_code(excinfo) == ("ValidationException", 400)
    assert client.get_attachment(ConnectionToken=their_token, AttachmentId=pending)["Url"]


def test_a_contact_can_be_continued_from_segment_only_once(local):
    first = ended_chat(local, "segment")
    resumed = start_chat(
        local,
        PersistentChat={"RehydrationType": "FROM_SEGMENT", "SourceContactId": first["ContactId"]},
    )
    assert resumed["ContinuedFromContactId"] == first["ContactId"]
    participant_client(local).disconnect_participant(ConnectionToken=customer_token(local, resumed))
    with pytest.raises(ClientError) as excinfo:
        start_chat(
            local,
            PersistentChat={
                "RehydrationType": "FROM_SEGMENT",
                "SourceContactId": first["ContactId"],
            },
        )
    assert error_code(excinfo) == ("InvalidRequestException", 400)
    assert "already been continued" in excinfo.value.response["Error"]["Message"]


@pytest.mark.parametrize("minutes", [60, 10080])
def test_chat_duration_bounds_are_accepted(local, minutes):
    started = start_chat(local, ChatDurationInMinutes=minutes)
    assert detail(local, started["ContactId"])["ChatDurationInMinutes"] == minutes


@pytest.mark.parametrize("minutes", [59, 0, 10081])
def test_chat_duration_outside_bounds_is_refused(local, minutes):
    # boto3 refuses 59 before sending, so the whole otherwise valid request goes out raw.
    body = {
        "InstanceId": DEV.instance_id,
        "ContactFlowId": DEV.contact_flow_id,
        "ParticipantDetails": {"DisplayName": "Ann"},
        "ChatDurationInMinutes": minutes,
    }
    request = urllib.request.Request(
        local.emulator_url + "/contact/chat",
        data=json.dumps(body).encode(),
        headers={"Authorization": "AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/connect"},
        method="PUT",
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request)
    assert (excinfo.value.code, excinfo.value.headers["x-amzn-ErrorType"]) == (
        400,
        "InvalidParameterException",
    )
    assert json.loads(excinfo.value.read())["Message"] == (
        "ChatDurationInMinutes must be between 60 and 10080"
    )
