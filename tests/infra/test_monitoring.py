"""ChatMonitoring under mocks: alarms on the metrics that really exist, a dashboard, the topic."""

from __future__ import annotations

import ast
import json
import re

import pytest
from botocore.exceptions import ClientError

from components.config_error import ConfigError
from components.stack_config import parse_config
from handler.connect_errors import connect_failure
from handler.rejections import ErrorCode

from .handler_emf import EmittedMetric, recorded_handler_metrics
from .pulumi_harness import (
    ACCOUNT_ID,
    AUTONAME_SUFFIX,
    PROJECT_DIR,
    ProgramRun,
    run_program,
    stack_config,
)

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
ALARM_KEYS = {
    "api-5xx-rate",
    "api-p99-latency",
    "lambda-errors",
    "lambda-throttles",
    "connect-throttling",
    "connect-configuration-errors",
    "waf-blocked-requests",
}
# Dimensions whose value the handler takes from the request, not from the stack.
PER_EVENT_DIMENSIONS = {"Reason", "ErrorType"}
SEARCH = re.compile(r"SEARCH\('\{(?P<schema>[^}]*)\} (?P<terms>[^']*)', '\w+', \d+\)")
TERM = re.compile(r'(\w+)="([^"]*)"')


def _alarms(run: ProgramRun) -> dict[str, dict]:
    alarms = {}
    for alarm in run.of_type(ALARM):
        key = alarm.name.removeprefix("connect-chat-monitoring-")
        alarms[key] = alarm.inputs
    return alarms


def _function_dimensions(run: ProgramRun, snap_start: bool) -> dict[str, str]:
    name = run.outputs["function_name"]
    if snap_start:
        return {"FunctionName": name, "Resource": f"{name}:live"}
    return {"FunctionName": name}


def test_every_alarm_notifies_the_topic_when_it_fires_and_when_it_clears(stack_run):
    stack, _, run = stack_run
    alarms = _alarms(run)
    assert set(alarms) == ALARM_KEYS
    topic_arn = run.outputs["alarm_topic_arn"]
    assert topic_arn.startswith(f"arn:aws:sns:{run.exports['region']}:{ACCOUNT_ID}:")
    operations = (PROJECT_DIR / "docs" / "operations.md").read_text()
    for key, alarm in alarms.items():
        assert alarm["alarmActions"] == [topic_arn], key
        assert alarm["okActions"] == [topic_arn], key
        # Each metric is written only when something happens: no data means nothing did.
        assert alarm["treatMissingData"] == "notBreaching", key
        assert alarm["name"] == f"connect-chat-{stack}-{key}"
        assert alarm["alarmDescription"].endswith(f"Runbook: docs/operations.md#{key}")
        assert f'<a id="{key}"></a>' in operations, f"no runbook entry for {key}"


def test_the_topic_is_not_encrypted_with_the_key_cloudwatch_cannot_use(stack_run):
    _, config, run = stack_run
    topic = run.one(TOPIC).inputs
    # alias/aws/sns would make SNS drop every alarm silently; the topic carries no visitor
    # data, so it is deliberately left without SSE (components/chat_monitoring.py).
    assert "kmsMasterKeyId" not in topic
    email = config.get("connect-chat:alarmEmail")
    subscriptions = [
        (s.inputs["protocol"], s.inputs["endpoint"]) for s in run.of_type(SUBSCRIPTION)
    ]
    assert subscriptions == ([("email", email)] if email else [])


def test_api_alarms_watch_this_api_and_stage(stack_run):
    _, config, run = stack_run
    api_name = run.one("aws:apigateway/restApi:RestApi")
    stage = config.get("connect-chat:stageName", "prod")
    expected = {"ApiName": f"{api_name.name}-{AUTONAME_SUFFIX}", "Stage": stage}
    alarms = _alarms(run)
    latency = alarms["api-p99-latency"]
    assert (latency["namespace"], latency["metricName"]) == ("AWS/ApiGateway", "Latency")
    assert latency["dimensions"] == expected
    assert latency["extendedStatistic"] == "p99"
    assert latency["threshold"] == 3000
    assert latency["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
    rate = alarms["api-5xx-rate"]
    queries = {q["id"]: q for q in rate["metricQueries"]}
    assert set(queries) == {"requests", "errors", "rate"}
    for query_id, metric_name in (("requests", "Count"), ("errors", "5XXError")):
        metric = queries[query_id]["metric"]
        assert (metric["namespace"], metric["metricName"]) == ("AWS/ApiGateway", metric_name)
        assert metric["dimensions"] == expected
        assert metric["stat"] == "Sum" and queries[query_id]["returnData"] is False
    assert queries["rate"]["expression"] == "IF(requests >= 10, 100 * errors / requests, 0)"
    assert queries["rate"]["returnData"] is True
    assert rate["threshold"] == 5


def test_lambda_alarms_watch_the_alias_that_is_invoked(stack_run):
    _, config, run = stack_run
    snap_start = json.loads(config.get("connect-chat:snapStart", "false"))
    alarms = _alarms(run)
    for key, metric_name in (("lambda-errors", "Errors"), ("lambda-throttles", "Throttles")):
        alarm = alarms[key]
        assert (alarm["namespace"], alarm["metricName"]) == ("AWS/Lambda", metric_name)
        assert alarm["dimensions"] == _function_dimensions(run, snap_start)
        assert alarm["statistic"] == "Sum" and alarm["threshold"] == 1


def test_waf_alarm_counts_every_block_of_this_regional_web_acl(stack_run):
    _, config, run = stack_run
    acl = run.one("aws:wafv2/webAcl:WebAcl")
    alarm = _alarms(run)["waf-blocked-requests"]
    assert (alarm["namespace"], alarm["metricName"]) == ("AWS/WAFV2", "BlockedRequests")
    assert alarm["dimensions"] == {
        "WebACL": f"{acl.name}-{AUTONAME_SUFFIX}",
        "Region": config["aws:region"],
        "Rule": "ALL",
    }
    assert alarm["threshold"] == int(config.get("connect-chat:alarmWafBlockedRequests", "500"))


def _connect_error_codes() -> set[str]:
    """Every Connect error code the handler's mapping names (handler/connect_errors.py)."""
    source = (PROJECT_DIR / "handler" / "connect_errors.py").read_text()
    return {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[A-Z][A-Za-z]+(Exception)?", node.value)
        and node.value not in {"Error", "Code", "ResponseMetadata", "HTTPStatusCode", "Unknown"}
    }


def _codes_answered_with(error_code: ErrorCode) -> set[str]:
    codes = set()
    for code in _connect_error_codes():
        # No HTTP status: only the mapping by name counts (an unknown 4xx code falls back to
        # CONFIGURATION_ERROR, but the alarm can only name the types the handler names).
        error = ClientError(
            {"Error": {"Code": code, "Message": "x"}, "ResponseMetadata": {"HTTPStatusCode": 0}},
            "StartChatContact",
        )
        failure = connect_failure(error)
        assert failure is not None and failure.error_type == code
        if failure.rejection.code is error_code:
            codes.add(code)
    return codes


def _alarmed_error_types(alarm: dict, stack: str) -> set[str]:
    queries = alarm["metricQueries"]
    (total,) = [q for q in queries if q.get("returnData")]
    assert total["expression"] == "SUM(METRICS())"
    error_types = set()
    for query in queries:
        if query is total:
            continue
        metric = query["metric"]
        assert (metric["namespace"], metric["metricName"]) == ("ConnectChat", "ConnectErrors")
        dimensions = dict(metric["dimensions"])
        error_types.add(dimensions.pop("ErrorType"))
        assert dimensions == {"service": "connect-chat", "stack": stack}
    return error_types


@pytest.mark.parametrize(
    ("key", "error_code"),
    [
        ("connect-throttling", ErrorCode.THROTTLED),
        ("connect-configuration-errors", ErrorCode.CONFIGURATION_ERROR),
    ],
)
def test_connect_alarms_sum_exactly_the_error_types_the_handler_maps_there(
    stack_run, key, error_code
):
    stack, _, run = stack_run
    expected = _codes_answered_with(error_code)
    assert len(expected) >= 4, expected  # guards the source scan above
    # CloudWatch allows at most 10 metrics in one alarm's math.
    assert len(expected) < 10
    assert _alarmed_error_types(_alarms(run)[key], stack) == expected


def _dashboard(run: ProgramRun) -> dict:
    return json.loads(run.one(DASHBOARD).inputs["dashboardBody"])


def _handler_metric_references(run: ProgramRun) -> list[tuple[str, dict[str, str | None]]]:
    """(metric name, dimensions) of every ConnectChat metric the dashboard and alarms read;
    a SEARCH's schema dimensions that it leaves open map to None."""
    references = []
    for widget in _dashboard(run)["widgets"]:
        for row in widget["properties"]["metrics"]:
            if isinstance(row[0], dict):
                match = SEARCH.fullmatch(row[0]["expression"])
                assert match, row
                namespace, *dimension_names = match["schema"].split(",")
                terms = dict(TERM.findall(match["terms"]))
                name = terms.pop("MetricName")
                assert namespace == "ConnectChat" and set(terms) <= set(dimension_names)
                references.append((name, {d: terms.get(d) for d in dimension_names}))
            elif row[0] == "ConnectChat":
                values = [item for item in row[2:] if not isinstance(item, dict)]
                references.append((row[1], dict(zip(values[::2], values[1::2], strict=True))))
    for alarm in _alarms(run).values():
        for query in alarm.get("metricQueries") or []:
            metric = query.get("metric")
            if metric and metric["namespace"] == "ConnectChat":
                references.append((metric["metricName"], metric["dimensions"]))
    return references


def _emitted_by_the_deployed_handler(run: ProgramRun) -> list[EmittedMetric]:
    function = run.one("aws:lambda/function:Function").inputs
    environment = function["environment"]["variables"]
    return recorded_handler_metrics(environment, run.outputs["function_name"])


def test_dashboard_and_alarms_read_only_metrics_the_handler_really_writes(stack_run):
    _, _, run = stack_run
    emitted = _emitted_by_the_deployed_handler(run)
    assert {m.name for m in emitted} == {
        "ChatsStarted",
        "ChatRejections",
        "ConnectErrors",
        "ColdStart",
    }
    references = _handler_metric_references(run)
    assert {name for name, _ in references} == {m.name for m in emitted}
    for name, dimensions in references:
        matches = [
            m
            for m in emitted
            if m.namespace == "ConnectChat"
            and m.name == name
            and set(m.dimensions) == set(dimensions)
            and all(
                value is None or key in PER_EVENT_DIMENSIONS or m.dimensions[key] == value
                for key, value in dimensions.items()
            )
        ]
        assert matches, f"the handler writes no {name} with dimensions {dimensions}"


def test_the_cold_start_graph_uses_powertools_own_dimension_set(stack_run):
    # Powertools writes ColdStart without the stack dimension: selecting it with stack would
    # graph nothing.
    _, _, run = stack_run
    (cold,) = [d for name, d in _handler_metric_references(run) if name == "ColdStart"]
    assert cold == {"function_name": run.outputs["function_name"], "service": "connect-chat"}


def test_dashboard_shows_the_widgets_an_operator_needs(stack_run):
    stack, config, run = stack_run
    dashboard = run.one(DASHBOARD).inputs
    assert dashboard["dashboardName"] == f"connect-chat-{stack}"
    widgets = _dashboard(run)["widgets"]
    assert [w["properties"]["title"] for w in widgets] == [
        "Chats started",
        "Rejections by reason",
        "Connect errors by type",
        "API latency (ms)",
        "API requests, 4XX and 5XX",
        "WAF allowed and blocked",
        "Lambda duration (ms)",
        "Cold starts",
    ]
    assert {w["properties"]["region"] for w in widgets} == {config["aws:region"]}
    by_title = {w["properties"]["title"]: w["properties"]["metrics"] for w in widgets}
    acl = run.one("aws:wafv2/webAcl:WebAcl")
    waf = {"WebACL": f"{acl.name}-{AUTONAME_SUFFIX}", "Region": config["aws:region"], "Rule": "ALL"}
    assert by_title["WAF allowed and blocked"] == [
        ["AWS/WAFV2", "AllowedRequests", *[x for kv in waf.items() for x in kv]],
        ["AWS/WAFV2", "BlockedRequests", *[x for kv in waf.items() for x in kv]],
    ]
    snap_start = json.loads(config.get("connect-chat:snapStart", "false"))
    function = [x for kv in _function_dimensions(run, snap_start).items() for x in kv]
    assert by_title["Lambda duration (ms)"] == [
        ["AWS/Lambda", "Duration", *function, {"stat": "p50"}],
        ["AWS/Lambda", "Duration", *function, {"stat": "p99"}],
    ]


def test_a_stack_name_with_periods_still_names_a_valid_dashboard():
    stack = "team.eu-west-2.chat"
    run = run_program(stack_config("dev"), stack=stack)
    assert run.one(DASHBOARD).inputs["dashboardName"] == "connect-chat-team-eu-west-2-chat"
    # The metrics keep the real name as their stack dimension: that is what the handler writes.
    (rejections,) = [d for n, d in _handler_metric_references(run) if n == "ChatRejections"]
    assert rejections["stack"] == stack


def test_monitoring_false_declares_no_topic_alarm_or_dashboard():
    run = run_program({**stack_config("dev"), "connect-chat:monitoring": "false"})
    assert run.of_type(TOPIC) == [] and run.of_type(ALARM) == [] and run.of_type(DASHBOARD) == []
    assert run.of_type("connect-chat:index:ChatMonitoring") == []
    assert "alarmTopicArn" not in run.exports and run.outputs["alarm_topic_arn"] is None
    # Guards the emptiness above: the rest of the stack is still declared.
    assert len(run.of_type("aws:lambda/function:Function")) == 1


def test_alarm_email_subscribes_to_the_topic_and_thresholds_reach_the_alarms():
    config = {
        **stack_config("dev"),
        "connect-chat:alarmEmail": "ops@example.com",
        "connect-chat:alarmApi5xxPercent": "12",
        "connect-chat:alarmApiP99LatencyMs": "1500",
        "connect-chat:alarmLambdaErrors": "3",
        "connect-chat:alarmLambdaThrottles": "4",
        "connect-chat:alarmConnectThrottles": "9",
        "connect-chat:alarmConnectConfigurationErrors": "2",
        "connect-chat:alarmWafBlockedRequests": "77",
    }
    run = run_program(config)
    (subscription,) = run.of_type(SUBSCRIPTION)
    assert subscription.inputs["protocol"] == "email"
    assert subscription.inputs["endpoint"] == "ops@example.com"
    assert subscription.inputs["topic"] == run.outputs["alarm_topic_arn"]
    thresholds = {key: alarm["threshold"] for key, alarm in _alarms(run).items()}
    assert thresholds == {
        "api-5xx-rate": 12,
        "api-p99-latency": 1500,
        "lambda-errors": 3,
        "lambda-throttles": 4,
        "connect-throttling": 9,
        "connect-configuration-errors": 2,
        "waf-blocked-requests": 77,
    }


def _raw(**overrides: str) -> dict[str, str | None]:
    raw: dict[str, str | None] = {
        key.removeprefix("connect-chat:"): value for key, value in stack_config("dev").items()
    }
    raw.update(overrides)
    return raw


@pytest.mark.parametrize(
    ("overrides", "key", "rule"),
    [
        ({"monitoring": "yes"}, "monitoring", "must be true or false"),
        ({"alarmEmail": "ops"}, "alarmEmail", "must be one e-mail address"),
        ({"alarmEmail": "ops@example.com\n"}, "alarmEmail", "must be one e-mail address"),
        ({"alarmEmail": "a@b.com,c@d.com"}, "alarmEmail", "must be one e-mail address"),
        ({"alarmEmail": "x" * 250 + "@b.com"}, "alarmEmail", "must be one e-mail address"),
        (
            {"alarmEmail": "ops@example.com", "monitoring": "false"},
            "alarmEmail",
            "needs monitoring true",
        ),
        ({"alarmApi5xxPercent": "0"}, "alarmApi5xxPercent", "between 1 and 100"),
        ({"alarmApi5xxPercent": "101"}, "alarmApi5xxPercent", "between 1 and 100"),
        ({"alarmApiP99LatencyMs": "30000"}, "alarmApiP99LatencyMs", "between 100 and 29000"),
        ({"alarmLambdaErrors": "0"}, "alarmLambdaErrors", "between 1 and 100000"),
        ({"alarmLambdaThrottles": "x"}, "alarmLambdaThrottles", "must be an integer"),
        ({"alarmConnectThrottles": "-1"}, "alarmConnectThrottles", "between 1 and 100000"),
        (
            {"alarmConnectConfigurationErrors": "0"},
            "alarmConnectConfigurationErrors",
            "between 1 and 100000",
        ),
        ({"alarmWafBlockedRequests": "0"}, "alarmWafBlockedRequests", "between 1 and 10000000"),
    ],
)
def test_monitoring_keys_are_refused_with_the_key_and_the_rule(overrides, key, rule):
    with pytest.raises(ConfigError) as caught:
        parse_config(_raw(**overrides))
    assert caught.value.key == f"connect-chat:{key}"
    assert rule in caught.value.rule


def test_good_monitoring_values_are_kept():
    config = parse_config(_raw(alarmEmail="ops+chat@example.co.uk", alarmWafBlockedRequests="50"))
    assert config.monitoring.alarm_email == "ops+chat@example.co.uk"
    assert config.monitoring.thresholds.waf_blocked_requests == 50
    assert config.monitoring.enabled is True


def test_runbook_covers_every_alarm_and_says_what_is_out_of_scope():
    operations = (PROJECT_DIR / "docs" / "operations.md").read_text()
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', operations))
    assert anchors >= ALARM_KEYS
    assert "out of scope" in operations.lower()


def test_components_do_not_import_the_handler():
    for path in (PROJECT_DIR / "components").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("handler"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("handler") for a in node.names), path
