"""Sizes and depths at the edges: 20 MB attachments as S3 takes them, 1 MB JSON bodies,
deeply nested JSON on REST and on the websocket."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import urllib.error
import urllib.request
import zlib
from typing import Any
from urllib.parse import urlsplit

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

MB = 1024 * 1024
SIGNED = {"Authorization": "AWS4-HMAC-SHA256 Credential=x/20260101/eu-west-2/connect/aws4_request"}


@pytest.fixture
def chat(local):
    started = start_chat(local)
    connection = connect_customer(local, started["ParticipantToken"])
    return started, connection["ConnectionCredentials"]["ConnectionToken"], connection


def send(url: str, body: bytes, headers: dict[str, str], method: str = "POST") -> Any:
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def s3_code(payload: bytes) -> str:
    text = payload.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>'), text
    return text.split("<Code>")[1].split("</Code>")[0]


def begin_upload(local, token: str, size: int, content_type: str = "application/pdf") -> dict:
    return participant_client(local).start_attachment_upload(
        ConnectionToken=token, ContentType=content_type, AttachmentName="scan.pdf",
        AttachmentSizeInBytes=size, ClientToken=f"up-{size}",
    )  # fmt: skip


def b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


@pytest.mark.parametrize("size", [150 * 1000, 20 * MB])
def test_attachment_upload_up_to_20_mb_round_trips(local, chat, size):
    _, token, _ = chat
    client = participant_client(local)
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    started = begin_upload(local, token, size)
    upload = started["UploadMetadata"]
    headers = {
        **upload["HeadersToInclude"],
        "Content-MD5": b64(hashlib.md5(data).digest()),
        "x-amz-checksum-sha256": b64(hashlib.sha256(data).digest()),
        "x-amz-checksum-crc32": b64(zlib.crc32(data).to_bytes(4, "big")),
    }
    status, response_headers, payload = send(upload["Url"], data, headers, "PUT")
    assert status == 200, payload
    assert response_headers["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    client.complete_attachment_upload(
        ConnectionToken=token, AttachmentIds=[started["AttachmentId"]], ClientToken="done"
    )
    got = client.get_attachment(ConnectionToken=token, AttachmentId=started["AttachmentId"])
    assert got["AttachmentSizeInBytes"] == size
    with urllib.request.urlopen(got["Url"], timeout=30) as download:
        assert download.read() == data


def bad_put(local, token, data, headers, declared=None):
    started = begin_upload(local, token, declared if declared is not None else len(data))
    upload = started["UploadMetadata"]
    status, _, payload = send(upload["Url"], data, {**upload["HeadersToInclude"], **headers}, "PUT")
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).complete_attachment_upload(
            ConnectionToken=token, AttachmentIds=[started["AttachmentId"]], ClientToken="c"
        )
    # Nothing was stored: the upload cannot be completed.
    assert error_code(excinfo) == ("ConflictException", 409)
    return status, s3_code(payload)


DATA = b"%PDF-1.7 scanned receipt" * 8000  # ~190 KB, several network chunks


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Content-MD5": b64(hashlib.md5(b"other").digest())}, (400, "BadDigest")),
        ({"Content-MD5": "not base64!"}, (400, "InvalidDigest")),
        ({"x-amz-checksum-sha256": b64(hashlib.sha256(b"x").digest())}, (400, "BadDigest")),
        ({"x-amz-checksum-sha1": b64(hashlib.sha1(b"x").digest())}, (400, "BadDigest")),
        ({"x-amz-checksum-crc32": b64(b"\0\0\0\0")}, (400, "BadDigest")),
        ({"x-amz-content-sha256": hashlib.sha256(b"x").hexdigest()},
         (400, "XAmzContentSHA256Mismatch")),
        ({"Content-Type": "text/plain"}, (403, "SignatureDoesNotMatch")),
    ],
)  # fmt: skip
def test_upload_integrity_and_signed_headers_are_checked(local, chat, headers, expected):
    _, token, _ = chat
    assert bad_put(local, token, DATA, headers) == expected


def test_upload_of_another_size_than_declared_is_refused(local, chat):
    _, token, _ = chat
    assert bad_put(local, token, DATA, {}, declared=len(DATA) + 1) == (
        403,
        "SignatureDoesNotMatch",
    )


def test_upload_with_matching_content_sha256_is_taken(local, chat):
    _, token, _ = chat
    started = begin_upload(local, token, len(DATA))
    upload = started["UploadMetadata"]
    headers = {
        **upload["HeadersToInclude"],
        "x-amz-content-sha256": hashlib.sha256(DATA).hexdigest(),
    }
    assert send(upload["Url"], DATA, headers, "PUT")[0] == 200


def test_json_body_over_1_mb_gets_413_with_the_service_error_shape(local, chat):
    _, token, _ = chat
    body = json.dumps({"ContentType": "text/plain", "Content": "x" * MB}).encode()
    status, headers, payload = send(
        local.emulator_url + "/participant/message", body, {"X-Amz-Bearer": token}
    )
    assert (status, headers["x-amzn-ErrorType"]) == (413, "RequestEntityTooLargeException")
    assert json.loads(payload) == {
        "Message": "Request body is too large",
        "message": "Request body is too large",
    }
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).send_message(
            ConnectionToken=token, ContentType="text/plain", Content="y" * (MB + 10)
        )
    assert error_code(excinfo) == ("RequestEntityTooLargeException", 413)


def test_json_body_just_under_1_mb_is_read_whole(local, chat):
    _, token, _ = chat
    # Arrives in many chunks; a partial read would answer SerializationException.
    with pytest.raises(ClientError) as excinfo:
        participant_client(local).send_message(
            ConnectionToken=token, ContentType="text/plain", Content="z" * (MB - 200)
        )
    assert error_code(excinfo) == ("ValidationException", 400)
    assert "1 to 1024 characters" in excinfo.value.response["Error"]["Message"]


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@pytest.mark.parametrize(
    ("path", "headers", "method"),
    [
        ("/participant/message", {"X-Amz-Bearer": "TOKEN"}, "POST"),
        ("/participant/connection", {"X-Amz-Bearer": "PARTICIPANT"}, "POST"),
        ("/contact/chat", SIGNED, "PUT"),
        ("/_emulator/faults", {}, "POST"),
    ],
)
@pytest.mark.parametrize("body", [nested(2000), b'{"a":' * 50_000, b"[" * 100_000])
def test_deeply_nested_rest_bodies_get_serialization_exception(
    local, chat, path, headers, method, body
):
    started, token, _ = chat
    headers = {
        name: value.replace("PARTICIPANT", started["ParticipantToken"]).replace("TOKEN", token)
        for name, value in headers.items()
    }
    status, response_headers, payload = send(local.emulator_url + path, body, headers, method)
    assert (status, response_headers["x-amzn-ErrorType"]) == (400, "SerializationException")
    assert json.loads(payload)["Message"] == "Could not parse the request body as JSON"


@pytest.mark.parametrize("frame", ["[" * 100_000, nested(5000).decode(), '{"topic":' * 12_000])
def test_deeply_nested_websocket_frame_gets_an_error_and_the_socket_stays_open(local, chat, frame):
    _, _, connection = chat

    async def scenario():
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(connection["Websocket"]["Url"]) as ws,
        ):
            client = ChatSocketClient(ws)
            await ws.send_str(frame)
            error = await client.next_frame()
            assert set(error) == {"message", "connectionId", "requestId"}
            assert error["message"] == "Invalid request body"
            await client.send("aws/heartbeat")
            assert await client.next_frame() == {"topic": "aws/heartbeat"}
            assert (await client.subscribe())["content"]["status"] == "success"

    asyncio.run(scenario())


def test_oversized_content_length_is_refused_before_the_body_arrives(local, chat):
    _, token, _ = chat
    parts = urlsplit(local.emulator_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(
            f"POST /participant/message HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"X-Amz-Bearer: {token}\r\nContent-Length: {50 * MB}\r\n\r\n{{".encode()
        )
        status_line = sock.recv(65536).split(b"\r\n")[0]
    assert status_line == b"HTTP/1.1 413 Request Entity Too Large"
