"""Logs and metrics fit for production, and safe under local mode's thread pool."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ALLOWED_ORIGIN, OTHER_ALLOWED_ORIGIN, lambda_context, rest_event

from handler.observability import NAMESPACE

SECRET_NAME = "Zelda Secretname"
SECRET_VALUE = "order-value-do-not-log"


def chat_body(**extra):
    return json.dumps(
        {
            "ParticipantDetails": {"DisplayName": SECRET_NAME},
            "Attributes": {"order_id": SECRET_VALUE},
            **extra,
        }
    )


def emf_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"_aws"')]


def test_logs_are_json_with_a_request_id_and_no_personal_data_or_token(
    handler_app, handler_logs, capsys
):
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context("inv-7"))
    token = json.loads(response["body"])["data"]["startChatResult"]["ParticipantToken"]
    handler_app.lambda_handler(rest_event(chat_body(ContactFlowId="x")), lambda_context("inv-8"))
    records = handler_logs.records()
    assert [r["message"] for r in records] == ["chat started", "start-chat request rejected"]
    assert all(r["request_id"] == "apigw-req-1" for r in records)
    assert [r["function_request_id"] for r in records] == ["inv-7", "inv-8"]
    assert records[0]["contact_id"] and records[1]["reason"] == "FORBIDDEN_CONTACT_FLOW"
    everything = handler_logs.text() + capsys.readouterr().out
    for secret in (token, SECRET_NAME, SECRET_VALUE):
        assert secret not in everything


def test_connect_failures_log_the_detail_but_not_the_token(handler_app, handler_logs, fake_connect):
    fake_connect.fail(404, "ResourceNotFoundException")
    handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    [record] = handler_logs.records()
    assert record["connect_error"] == "ResourceNotFoundException"
    assert "fake ResourceNotFoundException" in record["detail"]
    assert SECRET_NAME not in handler_logs.text()


@pytest.mark.parametrize(
    ("body", "fail", "metric", "dimension"),
    [
        (chat_body(), None, "ChatsStarted", None),
        (chat_body(InstanceId="x"), None, "ChatRejections", ("Reason", "FORBIDDEN_INSTANCE")),
        ("{", None, "ChatRejections", ("Reason", "INVALID_REQUEST")),
        (
            chat_body(),
            (429, "TooManyRequestsException"),
            "ConnectErrors",
            ("ErrorType", "TooManyRequestsException"),
        ),
    ],
)
def test_each_invocation_emits_one_emf_metric_set(
    handler_app, fake_connect, capsys, body, fail, metric, dimension
):
    if fail:
        fake_connect.fail(*fail, times=3)
    handler_app.lambda_handler(rest_event(body), lambda_context())
    [emf] = emf_lines(capsys.readouterr().out)
    [definition] = emf["_aws"]["CloudWatchMetrics"]
    assert [m["Name"] for m in definition["Metrics"]] == [metric]
    assert definition["Namespace"] == NAMESPACE
    if dimension:
        name, value = dimension
        assert emf[name] == value and name in definition["Dimensions"][0]


def test_concurrent_invocations_keep_their_own_origin_request_id_and_logs(
    handler_app, handler_logs, capsys
):
    def invoke(n):
        origin = ALLOWED_ORIGIN if n % 2 else OTHER_ALLOWED_ORIGIN
        body = chat_body() if n % 3 else chat_body(ContactFlowId="nope")
        event = rest_event(body, origin=origin, request_id=f"req-{n}")
        return n, origin, handler_app.lambda_handler(event, lambda_context(f"inv-{n}"))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(invoke, range(80)))
    for n, origin, response in results:
        assert response["headers"]["Access-Control-Allow-Origin"] == origin
        expected = 200 if n % 3 else 403
        assert response["statusCode"] == expected
        if expected == 403:
            assert json.loads(response["body"])["error"]["requestId"] == f"req-{n}"
    for record in handler_logs.records():
        n = int(record["request_id"].removeprefix("req-"))
        assert record["function_request_id"] == f"inv-{n}"
        assert record["message"] == ("chat started" if n % 3 else "start-chat request rejected")
    metric_sets = emf_lines(capsys.readouterr().out)
    assert len(metric_sets) == 80
    assert sum("ChatsStarted" in m for m in metric_sets) == sum(1 for n in range(80) if n % 3)


def test_connect_validation_messages_are_not_logged(handler_app, handler_logs, fake_connect):
    # Connect's validation messages may quote what was sent, e.g. the display name.
    from bench._fake_connect import ScriptedAnswer

    fake_connect.script(
        ScriptedAnswer(
            400, {"message": f"bad DisplayName {SECRET_NAME}"}, "InvalidParameterException"
        )
    )
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    assert response["statusCode"] == 400
    [record] = handler_logs.records()
    assert record["connect_error"] == "InvalidParameterException"
    assert SECRET_NAME not in handler_logs.text()


def test_disabled_metrics_print_nothing_and_never_pile_up(handler_app, monkeypatch, capsys):
    # Local mode runs with POWERTOOLS_METRICS_DISABLED=true; Powertools then skips the flush
    # (and its clear), and would auto-print once 100 values pile up in a reused metric set.
    from handler.observability import _thread_metrics

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    for _ in range(150):
        handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    assert emf_lines(capsys.readouterr().out) == []
    assert len(_thread_metrics().metric_set.get("ChatsStarted", {"Value": []})["Value"]) <= 1


def test_a_metrics_failure_never_costs_the_caller_the_answer(
    handler_app, handler_logs, monkeypatch
):
    from handler import observability

    def broken_flush(self, *args, **kwargs):
        raise RuntimeError("EMF schema")

    monkeypatch.setattr(type(observability._thread_metrics()), "flush_metrics", broken_flush)
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    assert response["statusCode"] == 200
    assert "could not emit metrics" in [r["message"] for r in handler_logs.records()]
    assert observability._thread_metrics().metric_set == {}
