"""Alarms, a dashboard and an SNS topic that tell an operator the chat is broken.

Every alarm notifies the topic when it fires and when it clears. Every alarm treats missing
data as not breaching: each metric here is written only when something happens (a request, an
error, a block), so no data means nothing happened. The one failure that silence hides, no
chat started for hours, is out of scope (docs/operations.md).

The topic is not encrypted: an alarm notification carries the alarm's name, state and metric
values, no visitor data; SSE with the `aws/sns` managed key would drop every alarm silently
(CloudWatch cannot use that key), and a customer-managed key costs $1/month per stack plus a
key policy to keep right, for no data worth protecting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pulumi
import pulumi_aws as aws

from . import handler_metrics as hm
from .config import AlarmThresholds

PERIOD_SECONDS = 300
# Below this many requests in a period a 5XX rate means little (1 of 2 is 50 %): the rate
# counts as 0 there, and Lambda errors and the Connect alarms still catch single failures.
MIN_REQUESTS_FOR_ERROR_RATE = 10
API_GATEWAY = "AWS/ApiGateway"
LAMBDA = "AWS/Lambda"
WAF = "AWS/WAFV2"
# Dashboard names allow letters, digits, hyphen and underscore; stack names may hold periods.
_DASHBOARD_NAME_INVALID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class ChatMonitoringArgs:
    stack: str
    region: str
    thresholds: AlarmThresholds
    alarm_email: str | None
    api_name: pulumi.Input[str]
    stage_name: str
    function_name: pulumi.Input[str]
    # The alias SnapStart invokes through (`live`), or None for the unqualified function.
    function_alias: pulumi.Input[str] | None
    web_acl_name: pulumi.Input[str]


@dataclass(frozen=True)
class MonitoredNames:
    """The resolved names the metrics carry as dimensions."""

    stack: str
    region: str
    api_name: str
    stage_name: str
    function_name: str
    function_alias: str | None
    web_acl_name: str

    def api(self) -> dict[str, str]:
        return {"ApiName": self.api_name, "Stage": self.stage_name}

    def function(self) -> dict[str, str]:
        # With SnapStart the API invokes function:live; Lambda reports that alias's own metrics
        # under FunctionName + Resource ("name:alias").
        if self.function_alias is None:
            return {"FunctionName": self.function_name}
        return {
            "FunctionName": self.function_name,
            "Resource": f"{self.function_name}:{self.function_alias}",
        }

    def web_acl(self) -> dict[str, str]:
        # A REGIONAL web ACL's own totals: Rule=ALL, with the Region dimension.
        return {"WebACL": self.web_acl_name, "Region": self.region, "Rule": "ALL"}

    def handler(self, **extra: str) -> dict[str, str]:
        return {hm.SERVICE_DIMENSION: hm.SERVICE, hm.STACK_DIMENSION: self.stack, **extra}

    def cold_start(self) -> dict[str, str]:
        function_dimension, service_dimension = hm.COLD_START_DIMENSIONS
        return {function_dimension: self.function_name, service_dimension: hm.SERVICE}


def _metric(
    query_id: str, namespace: str, name: str, dimensions: dict[str, str], stat: str = "Sum"
) -> dict[str, Any]:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": namespace,
            "metric_name": name,
            "dimensions": dimensions,
            "period": PERIOD_SECONDS,
            "stat": stat,
        },
    }


def _sum_of_error_types(error_types: tuple[str, ...]) -> Callable[[MonitoredNames], list[dict]]:
    """One series: the handler's ConnectErrors summed over the given ErrorType values."""
    return lambda names: _error_type_queries(names, error_types)


def _error_type_queries(names: MonitoredNames, error_types: tuple[str, ...]) -> list[dict]:
    queries = [
        _metric(
            f"m{index}",
            hm.NAMESPACE,
            hm.CONNECT_ERRORS,
            names.handler(**{hm.ERROR_TYPE_DIMENSION: error_type}),
        )
        for index, error_type in enumerate(error_types)
    ]
    return [*queries, {"id": "total", "expression": "SUM(METRICS())", "return_data": True}]


@dataclass(frozen=True)
class AlarmDefinition:
    """One alarm's own part; the actions, period and missing-data rule are shared. Its metric
    is built from the monitored resources' names, which are known only once they exist."""

    key: str  # the name suffix and the runbook anchor in docs/operations.md
    description: str
    threshold: int
    comparison: str
    evaluation_periods: int
    datapoints_to_alarm: int
    # namespace, metric_name, dimensions, statistic...; or metric math over several metrics
    metric: Callable[[MonitoredNames], dict[str, Any]] | None = None
    metric_queries: Callable[[MonitoredNames], list[dict[str, Any]]] | None = None


def alarm_definitions(limits: AlarmThresholds) -> list[AlarmDefinition]:
    at_least = "GreaterThanOrEqualToThreshold"
    return [
        AlarmDefinition(
            key="api-5xx-rate",
            description=f"API 5XX answers >= {limits.api_5xx_percent} % of requests",
            threshold=limits.api_5xx_percent,
            comparison=at_least,
            evaluation_periods=3,
            datapoints_to_alarm=2,
            metric_queries=lambda names: [
                _metric("requests", API_GATEWAY, "Count", names.api()),
                _metric("errors", API_GATEWAY, "5XXError", names.api()),
                {
                    "id": "rate",
                    "expression": (
                        f"IF(requests >= {MIN_REQUESTS_FOR_ERROR_RATE}, 100 * errors / requests, 0)"
                    ),
                    "label": "5XX % of requests",
                    "return_data": True,
                },
            ],
        ),
        AlarmDefinition(
            key="api-p99-latency",
            description=f"API p99 latency >= {limits.api_p99_latency_ms} ms",
            threshold=limits.api_p99_latency_ms,
            comparison=at_least,
            evaluation_periods=3,
            datapoints_to_alarm=3,
            metric=lambda names: {
                "namespace": API_GATEWAY,
                "metric_name": "Latency",
                "dimensions": names.api(),
                "extended_statistic": "p99",
                # With a handful of requests p99 is just the slowest one: keep the state.
                "evaluate_low_sample_count_percentiles": "ignore",
            },
        ),
        AlarmDefinition(
            key="lambda-errors",
            description=f"start-chat function errors >= {limits.lambda_errors} in 5 minutes",
            threshold=limits.lambda_errors,
            comparison=at_least,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            metric=lambda names: {
                "namespace": LAMBDA,
                "metric_name": "Errors",
                "dimensions": names.function(),
                "statistic": "Sum",
            },
        ),
        AlarmDefinition(
            key="lambda-throttles",
            description=f"start-chat function throttles >= {limits.lambda_throttles} in 5 min",
            threshold=limits.lambda_throttles,
            comparison=at_least,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            metric=lambda names: {
                "namespace": LAMBDA,
                "metric_name": "Throttles",
                "dimensions": names.function(),
                "statistic": "Sum",
            },
        ),
        AlarmDefinition(
            key="connect-throttling",
            description=(
                f"Amazon Connect throttled StartChatContact >= {limits.connect_throttles} "
                "times in 5 minutes"
            ),
            threshold=limits.connect_throttles,
            comparison=at_least,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            metric_queries=_sum_of_error_types(hm.CONNECT_THROTTLING_ERROR_TYPES),
        ),
        AlarmDefinition(
            key="connect-configuration-errors",
            description=(
                "Amazon Connect refused StartChatContact as misconfigured (flow, instance or "
                f"permission) >= {limits.connect_configuration_errors} times in 5 minutes"
            ),
            threshold=limits.connect_configuration_errors,
            comparison=at_least,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            metric_queries=_sum_of_error_types(hm.CONNECT_CONFIGURATION_ERROR_TYPES),
        ),
        AlarmDefinition(
            key="waf-blocked-requests",
            description=f"WAF blocked >= {limits.waf_blocked_requests} requests in 5 minutes",
            threshold=limits.waf_blocked_requests,
            comparison=at_least,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            metric=lambda names: {
                "namespace": WAF,
                "metric_name": "BlockedRequests",
                "dimensions": names.web_acl(),
                "statistic": "Sum",
            },
        ),
    ]


def _search(names: MonitoredNames, metric: str, dimension: str, label: str) -> dict[str, Any]:
    # SEARCH lists every Reason / ErrorType the handler has written, with no second list here.
    schema = f"{{{hm.NAMESPACE},{dimension},{hm.SERVICE_DIMENSION},{hm.STACK_DIMENSION}}}"
    query = (
        f'{schema} MetricName="{metric}" {hm.SERVICE_DIMENSION}="{hm.SERVICE}" '
        f'{hm.STACK_DIMENSION}="{names.stack}"'
    )
    return {"expression": f"SEARCH('{query}', 'Sum', {PERIOD_SECONDS})", "id": label}


def _flat(namespace: str, metric: str, dimensions: dict[str, str], **options: Any) -> list:
    row: list[Any] = [namespace, metric]
    for name, value in dimensions.items():
        row += [name, value]
    return [*row, options] if options else row


def _widget(title: str, metrics: list, x: int, y: int, stat: str = "Sum") -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": 12,
        "height": 6,
        "properties": {
            "title": title,
            "region": "",  # filled in by dashboard_body
            "metrics": metrics,
            "stat": stat,
            "period": PERIOD_SECONDS,
            "view": "timeSeries",
        },
    }


def dashboard_body(names: MonitoredNames) -> dict[str, Any]:
    widgets = [
        _widget(
            "Chats started",
            [_flat(hm.NAMESPACE, hm.CHATS_STARTED, names.handler())],
            0,
            0,
        ),
        _widget(
            "Rejections by reason",
            [[_search(names, hm.CHAT_REJECTIONS, hm.REASON_DIMENSION, "rejections")]],
            12,
            0,
        ),
        _widget(
            "Connect errors by type",
            [[_search(names, hm.CONNECT_ERRORS, hm.ERROR_TYPE_DIMENSION, "connect")]],
            0,
            6,
        ),
        _widget(
            "API latency (ms)",
            [
                _flat(API_GATEWAY, "Latency", names.api(), stat="p50"),
                _flat(API_GATEWAY, "Latency", names.api(), stat="p99"),
                _flat(API_GATEWAY, "IntegrationLatency", names.api(), stat="p99"),
            ],
            12,
            6,
            stat="p99",
        ),
        _widget(
            "API requests, 4XX and 5XX",
            [
                _flat(API_GATEWAY, "Count", names.api()),
                _flat(API_GATEWAY, "4XXError", names.api()),
                _flat(API_GATEWAY, "5XXError", names.api()),
            ],
            0,
            12,
        ),
        _widget(
            "WAF allowed and blocked",
            [
                _flat(WAF, "AllowedRequests", names.web_acl()),
                _flat(WAF, "BlockedRequests", names.web_acl()),
            ],
            12,
            12,
        ),
        _widget(
            "Lambda duration (ms)",
            [
                _flat(LAMBDA, "Duration", names.function(), stat="p50"),
                _flat(LAMBDA, "Duration", names.function(), stat="p99"),
            ],
            0,
            18,
            stat="p99",
        ),
        _widget(
            "Cold starts",
            [_flat(hm.NAMESPACE, hm.COLD_START, names.cold_start())],
            12,
            18,
        ),
    ]
    for widget in widgets:
        widget["properties"]["region"] = names.region
    return {"widgets": widgets}


def dashboard_name(stack: str) -> str:
    return _DASHBOARD_NAME_INVALID.sub("-", f"connect-chat-{stack}")[:255]


class ChatMonitoring(pulumi.ComponentResource):
    """An SNS topic, one alarm per failure an operator must act on, and a dashboard."""

    alarm_topic_arn: pulumi.Output[str]
    dashboard_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: ChatMonitoringArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("connect-chat:index:ChatMonitoring", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        topic = aws.sns.Topic(
            f"{name}-alarms",
            display_name=f"connect-chat {args.stack} alarms",
            opts=child,
        )
        if args.alarm_email is not None:
            # SNS mails a confirmation link first; nothing is delivered until it is clicked.
            aws.sns.TopicSubscription(
                f"{name}-alarm-email",
                topic=topic.arn,
                protocol="email",
                endpoint=args.alarm_email,
                opts=child,
            )

        names = pulumi.Output.all(
            args.api_name, args.function_name, args.function_alias, args.web_acl_name
        ).apply(
            lambda values: MonitoredNames(
                stack=args.stack,
                region=args.region,
                api_name=values[0],
                stage_name=args.stage_name,
                function_name=values[1],
                function_alias=values[2],
                web_acl_name=values[3],
            )
        )
        for definition in alarm_definitions(args.thresholds):
            single = definition.metric
            metric = names.apply(single) if single is not None else pulumi.Output.from_input({})
            queries = definition.metric_queries
            aws.cloudwatch.MetricAlarm(
                f"{name}-{definition.key}",
                name=f"connect-chat-{args.stack}-{definition.key}",
                alarm_description=(
                    f"{definition.description}. Runbook: docs/operations.md#{definition.key}"
                ),
                comparison_operator=definition.comparison,
                threshold=definition.threshold,
                evaluation_periods=definition.evaluation_periods,
                datapoints_to_alarm=definition.datapoints_to_alarm,
                treat_missing_data="notBreaching",
                alarm_actions=[topic.arn],
                ok_actions=[topic.arn],
                namespace=metric.apply(lambda m: m.get("namespace")),
                metric_name=metric.apply(lambda m: m.get("metric_name")),
                dimensions=metric.apply(lambda m: m.get("dimensions")),
                statistic=metric.apply(lambda m: m.get("statistic")),
                extended_statistic=metric.apply(lambda m: m.get("extended_statistic")),
                evaluate_low_sample_count_percentiles=metric.apply(
                    lambda m: m.get("evaluate_low_sample_count_percentiles")
                ),
                period=PERIOD_SECONDS if single is not None else None,
                metric_queries=(
                    cast(
                        "pulumi.Output[list[aws.cloudwatch.MetricAlarmMetricQueryArgsDict]]",
                        names.apply(queries),
                    )
                    if queries is not None
                    else None
                ),
                opts=child,
            )

        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=dashboard_name(args.stack),
            dashboard_body=names.apply(lambda n: json.dumps(dashboard_body(n), sort_keys=True)),
            opts=child,
        )
        self.alarm_topic_arn = topic.arn
        self.dashboard_name = dashboard.dashboard_name
        self.register_outputs({"alarm_topic_arn": self.alarm_topic_arn})
