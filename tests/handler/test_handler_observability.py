"""Logs and metrics fit for production, and safe under local mode's thread pool."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from handler_harness import (
    ALLOWED_ORIGIN,
    CONTACT_FLOW_ID,
    HANDLER_ENV,
    OTHER_ALLOWED_ORIGIN,
    all_emf_lines,
    emf_lines,
    fresh_handler_app,
    lambda_context,
    rest_event,
)

NAMESPACE = HANDLER_ENV["POWERTOOLS_METRICS_NAMESPACE"]
SECRET_NAME = "Zelda Secretname"
SECRET_VALUE = "order-value-do-not-log"
STARTED_RECORD_KEYS = (
    "level",
    "message",
    "request_id",
    "function_request_id",
    "contact_id",
    "contact_flow_id",
)


def chat_body(**extra):
    return json.dumps(
        {
            "ParticipantDetails": {"DisplayName": SECRET_NAME},
            "Attributes": {"order_id": SECRET_VALUE},
            **extra,
        }
    )


def test_logs_are_json_with_a_request_id_and_no_personal_data_or_token(
    handler_app, handler_logs, capsys
):
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context("inv-7"))
    token = json.loads(response["body"])["data"]["startChatResult"]["ParticipantToken"]
    handler_app.lambda_handler(rest_event(chat_body(ContactFlowId="x")), lambda_context("inv-8"))
    # The started chat's record is in its EMF line; only the rejection writes a log line.
    [record] = handler_logs.records()
    assert record["message"] == "start-chat request rejected"
    assert record["request_id"] == "apigw-req-1" and record["function_request_id"] == "inv-8"
    assert record["reason"] == "FORBIDDEN_CONTACT_FLOW"
    everything = handler_logs.text() + capsys.readouterr().out
    for secret in (token, SECRET_NAME, SECRET_VALUE):
        assert secret not in everything


def test_a_started_chat_writes_one_line_whose_emf_metadata_is_its_record(
    handler_app, handler_logs, capsys
):
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context("inv-7"))
    result = json.loads(response["body"])["data"]["startChatResult"]
    out = capsys.readouterr().out
    assert handler_logs.records() == []
    [line] = [line for line in out.splitlines() if '"ColdStart"' not in line]
    [emf] = emf_lines(line)
    assert emf["ChatsStarted"] == [1.0]
    assert {key: emf[key] for key in STARTED_RECORD_KEYS} == {
        "level": "INFO",
        "message": "chat started",
        "request_id": "apigw-req-1",
        "function_request_id": "inv-7",
        "contact_id": result["ContactId"],
        "contact_flow_id": CONTACT_FLOW_ID,
    }
    for secret in (result["ParticipantToken"], SECRET_NAME, SECRET_VALUE):
        assert secret not in line


def test_with_metrics_disabled_a_started_chat_is_still_logged(
    handler_app, handler_logs, monkeypatch, capsys
):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context("inv-9"))
    result = json.loads(response["body"])["data"]["startChatResult"]
    [record] = handler_logs.records()
    assert record["message"] == "chat started" and record["contact_id"] == result["ContactId"]
    assert record["request_id"] == "apigw-req-1" and record["function_request_id"] == "inv-9"
    assert emf_lines(capsys.readouterr().out) == []
    for secret in (result["ParticipantToken"], SECRET_NAME, SECRET_VALUE):
        assert secret not in handler_logs.text()


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
    # The whole dimension set: the per-stack dimension keeps two stacks' alarms apart.
    expected = {"service": HANDLER_ENV["POWERTOOLS_SERVICE_NAME"], "stack": "test-stack"}
    if dimension:
        expected[dimension[0]] = dimension[1]
    [dimension_set] = definition["Dimensions"]
    assert sorted(dimension_set) == sorted(expected)
    assert {name: emf[name] for name in dimension_set} == expected


def test_without_a_stack_name_the_sets_carry_only_the_service_dimension(
    handler_app, monkeypatch, capsys
):
    # Compatibility: the handler deployed by other means (no STACK_NAME) keeps its old metrics.
    monkeypatch.delenv("STACK_NAME")
    app = fresh_handler_app()
    app.lambda_handler(rest_event(chat_body()), lambda_context())
    [emf] = emf_lines(capsys.readouterr().out)
    assert emf["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service"]]
    assert "stack" not in emf


def test_a_cold_start_emits_powertools_cold_start_metric_once(handler_app, capsys):
    context = lambda_context()
    handler_app.lambda_handler(rest_event(chat_body()), context)
    handler_app.lambda_handler(rest_event(chat_body()), context)
    [cold_start] = [emf for emf in all_emf_lines(capsys.readouterr().out) if "ColdStart" in emf]
    # Powertools writes it apart, with exactly these two dimensions (no stack): alarms and
    # graphs must select it by function_name and service (components/chat_monitoring.py).
    [definition] = cold_start["_aws"]["CloudWatchMetrics"]
    assert definition["Namespace"] == NAMESPACE
    assert definition["Metrics"] == [{"Name": "ColdStart", "Unit": "Count"}]
    assert definition["Dimensions"] == [["function_name", "service"]]
    assert {key: value for key, value in cold_start.items() if key != "_aws"} == {
        "function_name": context.function_name,
        "service": HANDLER_ENV["POWERTOOLS_SERVICE_NAME"],
        "ColdStart": [1.0],
    }


def test_with_metrics_disabled_a_cold_start_prints_nothing(handler_app, monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    assert all_emf_lines(capsys.readouterr().out) == []


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
    rejected = sorted(n for n in range(80) if not n % 3)
    logged = []
    for record in handler_logs.records():
        n = int(record["request_id"].removeprefix("req-"))
        assert record["function_request_id"] == f"inv-{n}"
        assert record["message"] == "start-chat request rejected"
        logged.append(n)
    assert sorted(logged) == rejected
    metric_sets = emf_lines(capsys.readouterr().out)
    assert len(metric_sets) == 80
    started = []
    for metric_set in metric_sets:
        if "ChatsStarted" in metric_set:
            n = int(metric_set["request_id"].removeprefix("req-"))
            assert metric_set["function_request_id"] == f"inv-{n}"
            started.append(n)
        else:
            assert "request_id" not in metric_set and "contact_id" not in metric_set
    assert sorted(started) == [n for n in range(80) if n % 3]


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

    def broken_serialisation(self, *args, **kwargs):
        raise RuntimeError("EMF schema")

    monkeypatch.setattr(
        type(observability._thread_metrics()), "serialize_metric_set", broken_serialisation
    )
    response = handler_app.lambda_handler(rest_event(chat_body()), lambda_context())
    assert response["statusCode"] == 200
    [record] = handler_logs.records()
    # The chat's record must survive: it would have been in the lost metric set.
    assert record["message"] == "could not emit metrics" and record["contact_id"]
    assert observability._thread_metrics().metric_set == {}
