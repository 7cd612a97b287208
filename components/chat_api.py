"""The REST API clients POST the start-chat request to."""

from __future__ import annotations

import json
from dataclasses import dataclass

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

        api = aws.apigateway.RestApi(
            f"{name}-rest-api",
            description="connect-chat start-chat API",
            endpoint_configuration={"types": "REGIONAL"},
            opts=child,
        )
        snapshot_parts: list[pulumi.Output] = []
        methods_and_integrations: list[pulumi.Resource] = []
        self.permission_source_arns = {}
        for http_method in METHODS:
            lowered = http_method.lower()
            # One description feeds both the resources and the redeployment hash, so the
            # hash cannot drift from what is deployed.
            route = {
                "http_method": http_method,
                "authorization": "NONE",
                "type": "AWS_PROXY",
                # Lambda is always invoked with POST, whatever the client's method.
                "integration_http_method": "POST",
            }
            method = aws.apigateway.Method(
                f"{name}-{lowered}",
                rest_api=api.id,
                resource_id=api.root_resource_id,
                http_method=route["http_method"],
                authorization=route["authorization"],
                opts=child,
            )
            integration = aws.apigateway.Integration(
                f"{name}-{lowered}-integration",
                rest_api=api.id,
                resource_id=api.root_resource_id,
                http_method=method.http_method,
                type=route["type"],
                integration_http_method=route["integration_http_method"],
                uri=args.function_invoke_arn,
                opts=child,
            )
            methods_and_integrations += [method, integration]
            snapshot_parts.append(
                pulumi.Output.from_input(args.function_invoke_arn).apply(
                    lambda uri, route=route: {**route, "uri": uri}
                )
            )
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

        gateway_responses = []
        for response_type in GATEWAY_RESPONSE_TYPES:
            gateway_responses.append(
                aws.apigateway.Response(
                    f"{name}-{response_type.lower().replace('_', '-')}",
                    rest_api_id=api.id,
                    response_type=response_type,
                    response_parameters=GATEWAY_CORS_HEADERS,
                    response_templates={"application/json": GATEWAY_ERROR_TEMPLATE},
                    opts=child,
                )
            )
        snapshot_parts.append(
            pulumi.Output.from_input(
                [GATEWAY_RESPONSE_TYPES, GATEWAY_CORS_HEADERS, GATEWAY_ERROR_TEMPLATE]
            )
        )

        triggers = pulumi.Output.all(*snapshot_parts).apply(
            lambda parts: {"redeployment": redeployment_hash({"parts": parts})}
        )
        deployment = aws.apigateway.Deployment(
            f"{name}-deployment",
            rest_api=api.id,
            description="connect-chat start-chat API",
            triggers=triggers,
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
        self.api_origin = pulumi.Output.concat(
            "https://", api.id, ".execute-api.", args.region, ".", args.dns_suffix
        )
        self.endpoint = pulumi.Output.concat(self.api_origin, "/", args.stage_name, "/")
        self.stage_arn = stage.arn
        self.execution_arn = api.execution_arn
        self.register_outputs({"endpoint": self.endpoint, "stage_arn": self.stage_arn})

    def _account_logging_role(self, name: str, args: ChatApiArgs) -> pulumi.Resource:
        """API Gateway logs through one role per account and region (aws.apigateway.Account)."""
        child = pulumi.ResourceOptions(parent=self)
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
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role_policy]),
        )
