"""Local mode does issue 8 offline: per-run key, /demo-token, CustomerId, whoami, and the real
handler's resume tokens against the emulator's PersistentChat rules.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import jwt
import pytest
from local_mode_clients import DEV, participant_client

from local_mode.emulator.agent import whoami
from local_mode.local_key import LocalKey


def call(url, body=None, headers=None, method="POST"):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def start(local, authorization=None, **fields):
    headers = {"Content-Type": "application/json", "Origin": local.host_url}
    if authorization:
        headers["Authorization"] = f"Bearer {authorization}"
    body = {"ParticipantDetails": {"DisplayName": "Ann"}, **fields}
    return call(local.api_url, body, headers)


def end(local, data):
    token = data["startChatResult"]["ParticipantToken"]
    connection = participant_client(local).create_participant_connection(
        ParticipantToken=token, Type=["CONNECTION_CREDENTIALS"]
    )
    participant_client(local).disconnect_participant(
        ConnectionToken=connection["ConnectionCredentials"]["ConnectionToken"]
    )


def demo_token(local, body, headers=None):
    return call(
        f"{local.host_url}/demo-token",
        body,
        {"Content-Type": "application/json", **(headers or {})},
    )


def test_the_handler_gets_a_fresh_key_each_run_and_no_stack_file_holds_one(local):
    first, second = LocalKey.generate(), LocalKey.generate()
    assert first.current != second.current and len(first.current) == 32
    running = json.loads(os.environ["SIGNING_KEYS"])["current"]
    assert running not in (first.document(), second.document())
    for stack_file in Path(__file__).resolve().parents[2].glob("Pulumi.*.yaml"):
        assert running not in stack_file.read_text()
        assert "signing" not in stack_file.read_text().lower()


def test_a_series_of_three_chats_continues_and_a_stolen_contact_id_is_refused(local):
    status, first = start(local)
    assert status == 200
    first = first["data"]
    end(local, first)
    token = first["resumeToken"]
    contact_ids = [first["startChatResult"]["ContactId"]]
    for _ in range(2):
        status, body = start(
            local,
            PersistentChat={"RehydrationType": "ENTIRE_PAST_SESSION", "SourceContactId": token},
        )
        assert status == 200, body
        data = body["data"]
        # The emulator, like Connect, continues from the series' latest contact.
        assert data["startChatResult"]["ContinuedFromContactId"] == contact_ids[-1]
        contact_ids.append(data["startChatResult"]["ContactId"])
        token = data["resumeToken"]
        end(local, data)
    status, body = start(
        local,
        PersistentChat={
            "RehydrationType": "ENTIRE_PAST_SESSION",
            "SourceContactId": contact_ids[0],
        },
    )
    assert (status, body["error"]["code"]) == (403, "PERSISTENT_CHAT_NOT_AUTHORIZED")


def test_a_signed_start_reaches_the_flow_with_customer_id_and_signed_attributes(local):
    status, body = demo_token(
        local, {"sub": "cust-7", "name": "Ada", "attributes": {"loyaltyTier": "gold"}}
    )
    assert status == 200
    status, started = start(local, body["token"], Attributes={"topic": "Billing"})
    assert status == 200, started
    contact_id = started["data"]["startChatResult"]["ContactId"]
    status, detail = call(f"{local.emulator_url}/_emulator/contacts/{contact_id}", method="GET")
    assert (detail["CustomerId"], detail["CustomerDisplayName"]) == ("cust-7", "Ada")
    assert detail["Attributes"] == {
        "topic": "Billing",
        "loyaltyTier": "gold",
        "customerName": "Ada",
    }
    assert detail["ChatDurationInMinutes"] == DEV.chat_duration_in_minutes


def test_the_demo_token_is_a_short_hs256_jwt_for_the_asked_customer(local):
    status, body = demo_token(local, {"sub": "cust-8"})
    assert status == 200
    header = jwt.get_unverified_header(body["token"])
    claims = jwt.decode(body["token"], options={"verify_signature": False})
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert set(claims) == {"sub", "iat", "exp"} and claims["exp"] - claims["iat"] == 300


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"sub": ""}, "sub must be a string of 1 to 128 characters"),
        ({"sub": "x" * 129}, "sub must be a string of 1 to 128 characters"),
        ({"sub": "x", "attributes": {"a": 1}}, "attributes must be an object of strings"),
        ({"sub": "x", "name": 5}, "name must be a string"),
        (["sub"], "send a JSON object {sub, name, attributes}"),
    ],
)
def test_the_demo_token_refuses_bad_requests(local, body, message):
    assert demo_token(local, body) == (400, {"message": message})


def test_the_demo_token_answers_only_local_modes_own_callers(local):
    port = urlsplit(local.host_url).port
    assert demo_token(local, {"sub": "x"}, {"Origin": local.host_url})[0] == 200
    status, body = demo_token(local, {"sub": "x"}, {"Origin": "https://evil.example"})
    assert (status, body) == (
        403,
        {
            "code": "FOREIGN_ORIGIN",
            "message": "This local-mode endpoint does not serve pages of other origins",
        },
    )
    status, body = demo_token(local, {"sub": "x"}, {"Host": f"rebound.example:{port}"})
    assert (status, body) == (
        403,
        {
            "code": "FOREIGN_HOST",
            "message": "This local-mode endpoint answers only its own host name",
        },
    )
    status, _ = demo_token(local, {"sub": "x"}, {"Sec-Fetch-Site": "cross-site"})
    assert status == 403


def test_whoami_says_what_the_flow_received():
    contact = SimpleNamespace(
        customer=lambda: SimpleNamespace(display_name="Ada"),
        customer_id="cust-7",
        attributes={"topic": "Billing", "customerName": "Ada"},
        duration_minutes=90,
    )
    assert whoami(contact) == (
        "Display name: Ada\n"
        "Customer id: cust-7\n"
        'Attributes: customerName="Ada", topic="Billing"\n'
        "Chat duration: 90 minutes"
    )
    contact.customer_id, contact.attributes = None, {}
    assert whoami(contact).splitlines()[1:3] == [
        "Customer id: (none: not signed in)",
        "Attributes: (none)",
    ]
