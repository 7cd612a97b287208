"""The REST API clients POST the start-chat request to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi
import pulumi_aws as aws

from .api_deployment_trigger import redeployment_hash
from .policy_documents import api_gateway_logging_policy, assume_role_policy

# Browsers hide a response without CORS headers from the page, so API Gateway's own errors
# (throttling 429, WAF 403, integration 5xx) get CORS and a JSON body the widget can read.
# These bodies carry no data, so they may be read by any origin; the handler's own responses
# keep the exact-origin allowlist.
GATEWAY_ERROR_TEMPLATE = (
    '{"error":{"code":"$context.error.responseType",'
    '"message":$context.error.messageString,"requestId":"$context.requestId"}}'
)
GATEWAY_CORS_HEADERS = {
    "gatewayresponse.header.Access-Control-Allow-Origin": "'*'",
    "gatewayresponse.header.Access-Control-Allow-Headers": "'Content-Type'",
    "gatewayresponse.header.Access-Control-Allow-Methods": "'POST,OPTIONS'",
}
GATEWAY_RESPONSE_TYPES = ("DEFAULT_4XX", "DEFAULT_5XX")
# The preflight goes to the function too: only it knows the origin allowlist.
METHODS = ("POST", "OPTIONS")

R = TypeVar("R", bound=pulumi.CustomResource)

ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "extendedRequestId": "$context.extendedRequestId",
        "ip": "$context.identity.sourceIp",
        "userAgent": "$context.identity.userAgent",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "responseLatency": "$context.responseLatency",
        "integrationLatency": "$context.integration.latency",
        "integrationStatus": "$context.integration.status",
        "wafError": "$context.waf.error",
        "wafStatus": "$context.waf.status",
        "errorType": "$context.error.responseType",
    },
    separators=(",", ":"),
)


@dataclass(frozen=True)
class ChatApiArgs:
    function_name: pulumi.Input[str]
    function_invoke_arn: pulumi.Input[str]
    function_qualifier: pulumi.Input[str] | None
    stage_name: str
    throttling_rate_limit: int
    throttling_burst_limit: int
    log_retention_days: int
    create_account_role: bool
    region: str
    account_id: pulumi.Input[str]
    partition: pulumi.Input[str]
    dns_suffix: pulumi.Input[str]


class ChatApi(pulumi.ComponentResource):
    """A REGIONAL REST API: `POST /` and `OPTIONS /` proxied to the start-chat function."""

    rest_api_id: pulumi.Output[str]
    rest_api_name: pulumi.Output[str]
    api_origin: pulumi.Output[str]
    endpoint: pulumi.Output[str]
    stage_arn: pulumi.Output[str]
    execution_arn: pulumi.Output[str]
    permission_source_arns: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: ChatApiArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("connect-chat:index:ChatApi", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stack = pulumi.get_stack()

        # A Deployment snapshots the API: its own settings, methods, integrations and gateway
        # responses. Each part is declared through `snapshot.declare`, which records the very
        # inputs it is created with, so the redeployment hash covers every one of them.
        snapshot = _ApiSnapshot()
        api = snapshot.declare(
            aws.apigateway.RestApi,
            f"{name}-rest-api",
            {
                "description": "connect-chat start-chat API",
                "endpoint_configuration": {"types": "REGIONAL"},
            },
            ties={},
            opts=child,
        )
        ties = {"rest_api": api.id, "resource_id": api.root_resource_id}
        methods_and_integrations: list[pulumi.Resource] = []
        self.permission_source_arns = {}
        for http_method in METHODS:
            lowered = http_method.lower()
            method = snapshot.declare(
                aws.apigateway.Method,
                f"{name}-{lowered}",
                {"http_method": http_method, "authorization": "NONE"},
                ties=ties,
                opts=child,
            )
            integration = snapshot.declare(
                aws.apigateway.Integration,
                f"{name}-{lowered}-integration",
                {
                    "http_method": http_method,
                    "type": "AWS_PROXY",
                    # Lambda is always invoked with POST, whatever the client's method.
                    "integration_http_method": "POST",
                    "uri": args.function_invoke_arn,
                },
                ties=ties,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[method]),
            )
            methods_and_integrations += [method, integration]
            # Scoped to this stage, method and the root path "/": the trailing slash is the
            # resource path, not a separator (execute-api ARN: api/stage/METHOD/path).
            source_arn = pulumi.Output.concat(
                api.execution_arn, "/", args.stage_name, "/", http_method, "/"
            )
            self.permission_source_arns[http_method] = source_arn
            aws.lambda_.Permission(
                f"{name}-{lowered}-invoke",
                action="lambda:InvokeFunction",
                function=args.function_name,
                qualifier=args.function_qualifier,
                principal="apigateway.amazonaws.com",
                source_arn=source_arn,
                opts=child,
            )

        gateway_responses = [
            snapshot.declare(
                aws.apigateway.Response,
                f"{name}-{response_type.lower().replace('_', '-')}",
                {
                    "response_type": response_type,
                    "response_parameters": GATEWAY_CORS_HEADERS,
                    "response_templates": {"application/json": GATEWAY_ERROR_TEMPLATE},
                },
                ties={"rest_api_id": api.id},
                opts=child,
            )
            for response_type in GATEWAY_RESPONSE_TYPES
        ]

        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=api.id,
            description="connect-chat start-chat API",
            triggers=snapshot.triggers(),
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[*methods_and_integrations, *gateway_responses]
            ),
        )

        access_logs = aws.cloudwatch.LogGroup(
            f"{name}-access-logs",
            name=f"/aws/apigateway/connect-chat-{stack}-{args.stage_name}-access",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        # API Gateway writes execution logs to this fixed name and would create it without
        # retention; creating it first keeps the retention ours.
        execution_logs = aws.cloudwatch.LogGroup(
            f"{name}-execution-logs",
            name=pulumi.Output.concat("API-Gateway-Execution-Logs_", api.id, "/", args.stage_name),
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        stage_dependencies: list[pulumi.Resource] = [access_logs, execution_logs]
        if args.create_account_role:
            stage_dependencies.append(self._account_logging_role(name, args))

        stage = aws.apigateway.Stage(
            f"{name}-stage",
            rest_api=api.id,
            deployment=deployment.id,
            stage_name=args.stage_name,
            xray_tracing_enabled=True,
            access_log_settings={"destination_arn": access_logs.arn, "format": ACCESS_LOG_FORMAT},
            opts=pulumi.ResourceOptions(parent=self, depends_on=stage_dependencies),
        )
        aws.apigateway.MethodSettings(
            f"{name}-method-settings",
            rest_api=api.id,
            stage_name=stage.stage_name,
            method_path="*/*",
            settings={
                "throttling_rate_limit": args.throttling_rate_limit,
                "throttling_burst_limit": args.throttling_burst_limit,
                "logging_level": "ERROR",
                "data_trace_enabled": False,
                "metrics_enabled": True,
            },
            opts=child,
        )

        self.rest_api_id = api.id
        self.rest_api_name = api.name
        self.api_origin = pulumi.Output.concat(
            "https://", api.id, ".execute-api.", args.region, ".", args.dns_suffix
        )
        self.endpoint = pulumi.Output.concat(self.api_origin, "/", args.stage_name, "/")
        self.stage_arn = stage.arn
        self.execution_arn = api.execution_arn
        self.register_outputs({"endpoint": self.endpoint, "stage_arn": self.stage_arn})

    def _account_logging_role(self, name: str, args: ChatApiArgs) -> pulumi.Resource:
        """API Gateway logs through one role per account and region (aws.apigateway.Account)."""
        # Account-wide, so kept on destroy: deleting aws.apigateway.Account resets the
        # account's CloudWatch role (pulumi-aws v7), which would break stage logging of every
        # other API in the account and region, and the setting still names this role.
        child = pulumi.ResourceOptions(parent=self, retain_on_delete=True)
        role = aws.iam.Role(
            f"{name}-cloudwatch-role",
            assume_role_policy=json.dumps(assume_role_policy("apigateway.amazonaws.com")),
            description="API Gateway account-level role for CloudWatch logging",
            opts=child,
        )
        policy = pulumi.Output.all(args.partition, args.account_id).apply(
            lambda values: json.dumps(api_gateway_logging_policy(values[0], args.region, values[1]))
        )
        role_policy = aws.iam.RolePolicy(
            f"{name}-cloudwatch-policy", role=role.id, policy=policy, opts=child
        )
        return aws.apigateway.Account(
            f"{name}-account",
            cloudwatch_role_arn=role.arn,
            opts=pulumi.ResourceOptions(
                parent=self, depends_on=[role_policy], retain_on_delete=True
            ),
        )


class _ApiSnapshot:
    """What a Deployment of the REST API freezes, recorded as each part is declared.

    Keyed by resource class and logical name; the ids that tie a part to this API (`ties`) are
    left out: the Deployment names the API itself, and they are unknown until it exists.
    """

    def __init__(self) -> None:
        self._parts: dict[str, dict[str, dict[str, Any]]] = {}

    def declare(
        self,
        resource_class: type[R],
        name: str,
        inputs: dict[str, Any],
        *,
        ties: dict[str, Any],
        opts: pulumi.ResourceOptions,
    ) -> R:
        self._parts.setdefault(resource_class.__name__, {})[name] = inputs
        return resource_class(name, **inputs, **ties, opts=opts)

    def triggers(self) -> pulumi.Output[dict[str, str]]:
        return pulumi.Output.from_input(self._parts).apply(
            lambda parts: {"redeployment": redeployment_hash(parts)}
        )
