"""Issue 10's handler defects, each through the real entry point (handler.app.lambda_handler).

Lone surrogates in every decode path, client-caused not-found errors kept apart from the
stack's configuration errors, no client value in any log line, the exact headers of the answer
that carries the participant token, and an empty attribute allowlist refusing attributes.
"""

import ast
import base64
import json
import time
from urllib.parse import quote_plus

import jwt
import pytest
from handler_harness import (
    ALLOWED_ORIGIN,
    CURRENT_KEY,
    HANDLER_ENV,
    SIGNING_KEYS_DOCUMENT,
    emf_lines,
    fresh_handler_app,
    handler_modules_restored,
    lambda_context,
    rest_event,
)

from bench._fake_connect import ScriptedAnswer
from handler import metric_names
from handler.metric_names import METRIC_NAMES
from handler.resume_token import issue_resume_token
from handler.signing_keys import parse_signing_keys

SURROGATE_MESSAGE = "Attributes: contains an invalid Unicode escape (lone surrogate)"
# What Connect can quote back, and what a client may send: none of it may reach a log line.
CLIENT_CONTACT = "client-contact-0b1d-do-not-log"
SECRET_NAME = "Zelda Secretname"


def metrics_written(emf):
    [definition] = emf["_aws"]["CloudWatchMetrics"]
    return [metric["Name"] for metric in definition["Metrics"]]


# ---- item 1: lone surrogates, whichever way the body arrives ----------------------------

STRING_FORM = json.dumps(
    {"ParticipantDetails": {"DisplayName": "Ada"}, "Attributes": '{"topic":"\\ud800"}'}
)


def _events_carrying(text):
    yield "text/plain", rest_event(text)
    yield "application/json", rest_event(text, content_type="application/json")
    yield "base64", rest_event(base64.b64encode(text.encode()).decode(), base64=True)
    form = "application/x-www-form-urlencoded"
    yield "form-encoded", rest_event(quote_plus(text), content_type=form)
    yield "form lone key", rest_event(quote_plus(text) + "=", content_type=form)


@pytest.mark.parametrize(
    "event",
    [event for _, event in _events_carrying(STRING_FORM)],
    ids=[name for name, _ in _events_carrying(STRING_FORM)],
)
def test_a_lone_surrogate_in_string_form_attributes_is_a_400_without_an_error_log(
    handler_app, handler_logs, fake_connect, event
):
    assert '"Attributes": "{\\"topic\\":\\"\\\\ud800\\"}"' in STRING_FORM  # the issue's shape
    response = handler_app.lambda_handler(event, lambda_context())
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"] == {
        "code": "INVALID_REQUEST",
        "message": SURROGATE_MESSAGE,
        "requestId": "apigw-req-1",
    }
    [record] = handler_logs.records()
    assert (record["level"], record["message"]) == ("INFO", "start-chat request rejected")
    assert fake_connect.received == []


@pytest.mark.parametrize(
    "attributes",
    ['{"\\ud800":"x"}', '{"topic":"\\udfff tail"}', '{"topic":"ok \\ud83d"}'],
    ids=["in a key", "low surrogate", "high surrogate at the end"],
)
def test_every_lone_surrogate_inside_string_form_attributes_is_refused(handler_app, attributes):
    body = json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}, "Attributes": attributes})
    response = handler_app.lambda_handler(rest_event(body), lambda_context())
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["message"] == SURROGATE_MESSAGE


def test_a_surrogate_pair_inside_string_form_attributes_is_a_character_like_any_other(
    handler_app, fake_connect
):
    body = json.dumps(
        {"ParticipantDetails": {"DisplayName": "Ada"}, "Attributes": '{"topic":"\\ud83d\\ude00"}'}
    )
    response = handler_app.lambda_handler(rest_event(body), lambda_context())
    assert response["statusCode"] == 200
    [sent] = fake_connect.received
    assert sent.body["Attributes"] == {"topic": "\U0001f600", "customerName": "Ada"}


@pytest.mark.parametrize(
    "body",
    [
        # A percent-escaped lone surrogate (CESU-8 bytes) and a stray continuation byte.
        "%7B%22ParticipantDetails%22%3A%7B%22DisplayName%22%3A%22%ED%A0%80%22%7D%7D",
        "%7B%22ParticipantDetails%22%3A%7B%22DisplayName%22%3A%22A%80%22%7D%7D",
    ],
    ids=["encoded surrogate", "stray byte"],
)
def test_form_percent_escapes_that_are_not_utf8_are_a_400_not_replaced(
    handler_app, fake_connect, body
):
    event = rest_event(body, content_type="application/x-www-form-urlencoded")
    response = handler_app.lambda_handler(event, lambda_context())
    assert response["statusCode"] == 400
    assert json.loads(response["body"])["error"]["message"] == "body: must be UTF-8 encoded JSON"
    assert fake_connect.received == []


# ---- item 2: whose not-found is it? ------------------------------------------------------


def _chat(**fields):
    return json.dumps(
        {
            "ParticipantDetails": {"DisplayName": SECRET_NAME},
            "Attributes": {"topic": "Billing"},
            **fields,
        }
    )


def _not_found_quoting(value):
    # Connect's own message names the id it could not find.
    return ScriptedAnswer(
        404, {"message": f"Contact {value} not found"}, "ResourceNotFoundException"
    )


def _resume_token_for(contact_id):
    # What an earlier start returned: a valid token, whose contact Connect no longer has.
    keys = parse_signing_keys(SIGNING_KEYS_DOCUMENT)
    return issue_resume_token(
        keys.resume_token_keys()[0], contact_id, contact_id, int(time.time()) + 3600
    )


def _customer_jwt_relating(contact_id):
    now = int(time.time())
    claims = {"iat": now, "exp": now + 300, "sub": "customer-42", "relatedContactId": contact_id}
    return "Bearer " + jwt.encode(claims, CURRENT_KEY, algorithm="HS256")


@pytest.mark.parametrize(
    ("fields", "authorization", "field"),
    [
        (
            lambda: {
                "PersistentChat": {
                    "RehydrationType": "ENTIRE_PAST_SESSION",
                    "SourceContactId": _resume_token_for(CLIENT_CONTACT),
                }
            },
            None,
            "PersistentChat.SourceContactId",
        ),
        (dict, lambda: _customer_jwt_relating(CLIENT_CONTACT), "RelatedContactId"),
    ],
    ids=["persistent chat source", "related contact"],
)
def test_a_contact_the_client_named_that_connect_lacks_is_the_clients_4xx(
    handler_app, handler_logs, fake_connect, capsys, fields, authorization, field
):
    fake_connect.script(_not_found_quoting(CLIENT_CONTACT))
    headers = {"Authorization": authorization()} if authorization else None
    event = rest_event(_chat(**fields()), extra_headers=headers)
    response = handler_app.lambda_handler(event, lambda_context())
    assert response["statusCode"] == 400
    top = field.split(".")[0]
    assert json.loads(response["body"])["error"] == {
        "code": "CONTACT_NOT_FOUND",
        "message": f"{field}: Amazon Connect has no such contact (it may have expired); "
        f"start a new chat without {top}",
        "requestId": "apigw-req-1",
    }
    assert response["headers"]["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    [emf] = emf_lines(capsys.readouterr().out)
    # Its own metric: never the configuration-error metric an alarm watches.
    assert metrics_written(emf) == ["ClientContactNotFound"]
    assert "ErrorType" not in emf
    [record] = handler_logs.records()
    assert {k: record[k] for k in ("level", "message", "connect_error", "status")} == {
        "level": "WARNING",
        "message": "StartChatContact failed",
        "connect_error": "ResourceNotFoundException",
        "status": 400,
    }
    assert record["client_caused"] is True
    assert CLIENT_CONTACT not in handler_logs.text() and SECRET_NAME not in handler_logs.text()


def test_a_not_found_for_a_request_naming_no_contact_stays_a_configuration_error(
    handler_app, handler_logs, fake_connect, capsys
):
    # E.g. a deleted flow: the client named none of its own ids, so it is the stack's.
    fake_connect.fail(404, "ResourceNotFoundException")
    response = handler_app.lambda_handler(rest_event(_chat()), lambda_context())
    assert response["statusCode"] == 500
    assert json.loads(response["body"])["error"]["code"] == "CONFIGURATION_ERROR"
    [emf] = emf_lines(capsys.readouterr().out)
    assert metrics_written(emf) == ["ConnectErrors"]
    assert emf["ErrorType"] == "ResourceNotFoundException"
    [record] = handler_logs.records()
    assert record["client_caused"] is False
    assert record["detail"].endswith("fake ResourceNotFoundException")


@pytest.mark.parametrize(
    "error_type",
    ["ConflictException", "IdempotencyException", "ServiceQuotaExceededException"],
)
def test_connect_messages_that_may_quote_client_values_are_never_logged(
    handler_app, handler_logs, fake_connect, error_type
):
    # A ClientToken is the client's: a message about it must not carry it into the logs.
    token = "client-token-do-not-log"
    fake_connect.script(ScriptedAnswer(409, {"message": f"ClientToken {token} reused"}, error_type))
    handler_app.lambda_handler(rest_event(_chat(ClientToken=token)), lambda_context())
    [record] = handler_logs.records()
    assert record["connect_error"] == error_type
    assert record["detail"] == "(message withheld: may quote request values)"
    assert token not in handler_logs.text()


def test_an_unexpected_failure_logs_its_stack_but_not_its_message(
    handler_app, handler_logs, monkeypatch
):
    from handler import service

    def explode(*_args, **_kwargs):
        raise ValueError(f"could not use {SECRET_NAME}")

    monkeypatch.setattr(service, "start_chat_contact_parameters", explode)
    response = handler_app.lambda_handler(rest_event(_chat()), lambda_context())
    assert response["statusCode"] == 500
    [record] = handler_logs.records()
    assert (record["level"], record["message"]) == (
        "ERROR",
        "start-chat request failed unexpectedly",
    )
    assert record["exception_name"] == "ValueError"
    assert "in explode" in record["stack"]
    assert SECRET_NAME not in handler_logs.text()


def test_every_metric_the_handler_writes_is_in_the_one_list(handler_app, fake_connect, capsys):
    """Alarms and dashboards read METRIC_NAMES: a metric outside it would go unwatched."""
    throttled = ScriptedAnswer(429, {"message": "slow down"}, "TooManyRequestsException")
    fake_connect.script(_not_found_quoting("x"), throttled, throttled, throttled)
    events = [
        # the client's not-found: a related contact its backend signed, which Connect lacks
        rest_event(_chat(), extra_headers={"Authorization": _customer_jwt_relating("x")}),
        rest_event(_chat()),  # throttled on all three attempts
        rest_event(_chat()),  # started
        rest_event("{"),  # rejected
    ]
    for event in events:
        handler_app.lambda_handler(event, lambda_context())
    written = [name for emf in emf_lines(capsys.readouterr().out) for name in metrics_written(emf)]
    assert written == ["ClientContactNotFound", "ConnectErrors", "ChatsStarted", "ChatRejections"]
    assert sorted(written) == sorted(METRIC_NAMES)


def test_the_metric_list_imports_nothing_so_infra_can_read_it_without_the_handler():
    import runpy
    from pathlib import Path

    path = Path(metric_names.__file__)
    assert runpy.run_path(str(path))["METRIC_NAMES"] == (
        "ChatsStarted",
        "ChatRejections",
        "ConnectErrors",
        "ClientContactNotFound",
    )
    tree = ast.parse(path.read_text())
    imports = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert imports == ["from __future__ import annotations"]


# ---- tests that let defects through ------------------------------------------------------


def test_the_answer_carrying_the_participant_token_has_exactly_these_headers(handler_app):
    response = handler_app.lambda_handler(rest_event(_chat()), lambda_context())
    assert response["statusCode"] == 200
    assert "ParticipantToken" in json.loads(response["body"])["data"]["startChatResult"]
    assert response["headers"] == {
        "Content-Type": "application/json",
        # The body holds a credential: no browser or proxy cache may keep it.
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": ALLOWED_ORIGIN,
        "Vary": "Origin",
    }


def test_with_an_empty_attribute_allowlist_an_attribute_is_refused(monkeypatch, fake_connect):
    for name, value in {**HANDLER_ENV, "ALLOWED_ATTRIBUTES": ""}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_CONNECT", fake_connect.url)
    with handler_modules_restored():
        app = fresh_handler_app()
        refused = app.lambda_handler(rest_event(_chat()), lambda_context())
        allowed = app.lambda_handler(
            rest_event(json.dumps({"ParticipantDetails": {"DisplayName": "Ada"}})),
            lambda_context(),
        )
    assert refused["statusCode"] == 400
    assert json.loads(refused["body"])["error"]["code"] == "ATTRIBUTE_NOT_ALLOWED"
    assert allowed["statusCode"] == 200
    [sent] = fake_connect.received
    assert sent.body["Attributes"] == {"customerName": "Ada"}
