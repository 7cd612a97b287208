"""The start-chat Lambda: the handler package, its role, log group and optional SnapStart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from .policy_documents import assume_role_policy, start_chat_function_policy
from .powertools_layer import ARCHITECTURE, RUNTIME, layer_parameter_name

HANDLER = "handler.app.lambda_handler"
# Well under API Gateway's 29 s integration timeout, so the API never answers 504 for us.
TIMEOUT_SECONDS = 10
MEMORY_MB = 256
LIVE_ALIAS = "live"


@dataclass(frozen=True)
class StartChatFunctionArgs:
    code_archive: Path
    environment: pulumi.Input[dict[str, str]]
    flow_arns: pulumi.Input[list[str]]
    contacts_arn: pulumi.Input[str]
    signing_secret_arn: pulumi.Input[str]
    log_retention_days: int
    powertools_version: str
    # Set only to bypass the SSM lookup (a release whose parameter AWS never published).
    powertools_layer_arn: str | None
    reserved_concurrency: int | None
    snap_start: bool


class StartChatFunction(pulumi.ComponentResource):
    """Lambda on arm64 allowed StartChatContact on the configured flows and reading its key."""

    function_name: pulumi.Output[str]
    invoke_arn: pulumi.Output[str]
    qualifier: pulumi.Output[str] | None
    log_group_arn: pulumi.Output[str]
    role_policy: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        args: StartChatFunctionArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("connect-chat:index:StartChatFunction", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        # Pre-created so retention applies from the first invocation (Lambda would otherwise
        # create a never-expiring group on its own).
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"/aws/lambda/connect-chat-{pulumi.get_stack()}-start-chat",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=json.dumps(assume_role_policy("lambda.amazonaws.com")),
            description="connect-chat start-chat function: StartChatContact on configured flows",
            opts=child,
        )
        layer_arn = self._powertools_layer_arn(args)
        policy_document = pulumi.Output.all(
            args.flow_arns, log_group.arn, args.contacts_arn, args.signing_secret_arn
        ).apply(lambda values: json.dumps(start_chat_function_policy(*values)))
        role_policy = aws.iam.RolePolicy(
            f"{name}-policy", role=role.id, policy=policy_document, opts=child
        )
        function = aws.lambda_.Function(
            f"{name}-function",
            runtime=RUNTIME,
            architectures=[ARCHITECTURE],
            handler=HANDLER,
            code=pulumi.FileArchive(str(args.code_archive)),
            role=role.arn,
            memory_size=MEMORY_MB,
            timeout=TIMEOUT_SECONDS,
            layers=[layer_arn],
            environment={"variables": args.environment},
            logging_config={"log_format": "Text", "log_group": log_group.name},
            tracing_config={"mode": "Active"},
            reserved_concurrent_executions=args.reserved_concurrency,
            publish=args.snap_start,
            snap_start={"apply_on": "PublishedVersions"} if args.snap_start else None,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_group, role_policy]),
        )
        if args.snap_start:
            # SnapStart snapshots only published versions; an alias keeps the API pointed at
            # the latest snapshot without changing the integration on every publish.
            alias = aws.lambda_.Alias(
                f"{name}-alias",
                function_name=function.name,
                function_version=function.version,
                name=LIVE_ALIAS,
                opts=child,
            )
            self.invoke_arn = alias.invoke_arn
            # The alias's own output, not the literal name: a permission on function:live
            # then waits for the alias instead of leaning on the provider's retries of
            # AddPermission's ResourceNotFoundException while the alias does not exist.
            self.qualifier = alias.name
        else:
            self.invoke_arn = function.invoke_arn
            self.qualifier = None
        self.function_name = function.name
        self.log_group_arn = log_group.arn
        self.role_policy = role_policy.policy
        self.register_outputs({"function_name": self.function_name, "invoke_arn": self.invoke_arn})

    def _powertools_layer_arn(self, args: StartChatFunctionArgs) -> pulumi.Input[str]:
        if args.powertools_layer_arn is not None:
            return args.powertools_layer_arn
        parameter = aws.ssm.get_parameter_output(
            name=layer_parameter_name(args.powertools_version),
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        # The provider marks `value` secret whatever the parameter's type, which would hide
        # the layer (the one thing a Powertools bump changes) as [secret] in every preview;
        # this public String parameter is no secret, and `insecure_value` carries the same text.
        return parameter.insecure_value
