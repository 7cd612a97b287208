"""ConnectChat: the start-chat API, its firewall and function, and the widget site.

The package's one public component (`from connect_chat import ConnectChat`; type token
connect-chat:index:ConnectChat). Pulumi's analyzer reads this class's annotations and the
`args` annotation for the package schema, so they must stay real, not postponed, annotations.
"""

from typing import Any

import pulumi
import pulumi_aws as aws

from . import handler_metrics, package_assets
from .chat_api import ChatApi, ChatApiArgs
from .chat_firewall import ChatFirewall, ChatFirewallArgs
from .chat_monitoring import ChatMonitoring, ChatMonitoringArgs
from .chat_settings import chat_settings
from .code_archive import build_handler_archive, cached_handler_archive, handler_package
from .config import ConnectChatConfig
from .config_error import ArgumentError
from .connect_chat_args import ConnectChatArgs
from .policy_documents import contact_flow_arn, contacts_arn
from .signing_secret import SigningSecret
from .site_files import site_files
from .start_chat_function import StartChatFunction, StartChatFunctionArgs
from .widget_site import WidgetSite, WidgetSiteArgs


def handler_environment(
    config: ConnectChatConfig, site_origin: str, signing_secret_arn: str, stack: str
) -> dict[str, str]:
    """The handler's settings, named as in docs/architecture.md."""
    origins = [site_origin, *(o for o in config.allowed_origins if o != site_origin)]
    return {
        "INSTANCE_ID": config.instance_id,
        "CONTACT_FLOW_ID": config.contact_flow_id,
        "ALLOWED_CONTACT_FLOW_IDS": ",".join(config.extra_contact_flow_ids),
        "ALLOWED_ORIGINS": ",".join(origins),
        "ALLOWED_ATTRIBUTES": ",".join(config.allowed_attributes),
        "ATTACHMENTS_ENABLED": "true" if config.attachments_enabled else "false",
        "CHAT_DURATION_IN_MINUTES": str(config.chat_duration_in_minutes),
        "SIGNING_SECRET_ARN": signing_secret_arn,
        "RESUME_TOKEN_DAYS": str(config.resume_token_days),
        "REQUIRE_CUSTOMER_TOKEN": "true" if config.require_customer_token else "false",
        "POWERTOOLS_SERVICE_NAME": handler_metrics.SERVICE,
        "POWERTOOLS_METRICS_NAMESPACE": handler_metrics.NAMESPACE,
        # The post-chat survey runs in the flow's disconnect branch, with the customer still on.
        "DISCONNECT_ON_CUSTOMER_EXIT": "AGENT" if config.widget.post_chat_survey else "",
        "POWERTOOLS_LOG_LEVEL": "INFO",
        # The metrics' per-stack dimension, which ChatMonitoring's alarms and dashboard select.
        "STACK_NAME": stack,
    }


def same_region(config: ConnectChatConfig, deploys_to: str) -> ConnectChatConfig:
    """The settings, once the region they name is the one the AWS provider deploys to."""
    if deploys_to and deploys_to != config.region:
        raise ArgumentError(
            "region",
            config.region,
            f"the AWS provider deploys to {deploys_to}: pass region={deploys_to!r} (or omit it)",
        )
    return config


def widget_config(config: ConnectChatConfig, api_endpoint: str) -> dict[str, Any]:
    """The site's config.json (docs/architecture.md), without the local-only endpoint."""
    return {
        "apiEndpoint": api_endpoint,
        "region": config.region,
        "allowedOrigins": list(config.allowed_origins),
        "features": {
            "attachments": config.attachments_enabled,
            "persistentChat": config.widget.persistent_chat,
            "markdown": True,
            "postChatSurvey": config.widget.post_chat_survey,
            "customerFormatting": config.widget.customer_formatting,
        },
        "persistentChat": {"offerForMinutes": config.widget.persistent_chat_offer_minutes},
        "language": config.widget.language,
        "chatDurationInMinutes": config.chat_duration_in_minutes,
        "preChatFields": [f.as_widget_config() for f in config.widget.pre_chat_fields],
        "theme": config.widget.theme(),
    }


class ConnectChat(pulumi.ComponentResource):
    """Amazon Connect chat for a website: a start-chat API (API Gateway, WAF, Lambda) and the chat widget's site (private S3 behind CloudFront), with alarms and a dashboard."""  # noqa: E501 - one line: the schema copies the literal

    api_endpoint: pulumi.Output[str]
    """The start-chat API's URL (POST), as the widget and ChatJS pages call it."""
    site_url: pulumi.Output[str]
    """The widget site's https URL: embed <site>/widget.js in your pages."""
    widget_config: pulumi.Output[dict[str, Any]]
    """The site's config.json, generated from these settings and the API's endpoint."""
    web_acl_arn: pulumi.Output[str]
    """The AWS WAF web ACL that protects the API."""
    function_name: pulumi.Output[str]
    """The start-chat Lambda function's name."""
    signing_secret_arn: pulumi.Output[str]
    """The Secrets Manager secret whose key signs customer JWTs (your backend reads it)."""
    alarm_topic_arn: pulumi.Output[str] | None
    """The SNS topic the alarms notify; absent when monitoring is false."""
    region: str
    """The AWS region the chat is deployed in."""

    def __init__(
        self, name: str, args: ConnectChatArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        # Every argument known now is checked before the first resource is declared, and a
        # missing build stops the program before it leaves a partial stack.
        settings = chat_settings(args)
        handler_dir = handler_package(package_assets.handler_dir())
        site_dist_dir = package_assets.site_dist_dir()
        site_files(site_dist_dir)
        super().__init__("connect-chat:index:ConnectChat", name, None, opts)
        # `config` is read only for plain arguments; `resolved` carries every input (see
        # ChatSettings), which is the same settings when every argument is plain.
        config, resolved = settings.now, settings.resolved
        archive = (
            cached_handler_archive(handler_dir, package_assets.build_dir())
            if package_assets.is_installed()
            else build_handler_archive(handler_dir, package_assets.build_dir() / "start-chat.zip")
        )

        invoke_options = pulumi.InvokeOutputOptions(parent=self)
        caller = aws.get_caller_identity_output(opts=invoke_options)
        partition = aws.get_partition_output(opts=invoke_options)
        # ARNs, the CSP and the alarms name config.region, but resources go wherever the AWS
        # provider deploys (an explicit provider may name another region): refuse a mismatch.
        deploys_to = aws.get_region_output(opts=invoke_options).region
        resolved = pulumi.Output.all(resolved, deploys_to).apply(
            lambda values: same_region(values[0], values[1])
        )
        # Internal, not outputs of the package (no class annotation): the tests read them.
        self.flow_arns: pulumi.Output[list[str]] = pulumi.Output.all(
            partition.partition, caller.account_id, resolved
        ).apply(
            lambda values: [
                contact_flow_arn(values[0], config.region, values[1], values[2].instance_id, flow)
                for flow in values[2].contact_flow_ids
            ]
        )

        # The function must allow the site's own origin, which CloudFront names only after
        # the distribution exists, and the site's CSP needs the API's origin: a deferred
        # output breaks that cycle without a second deployment.
        site_origin, resolve_site_origin = pulumi.deferred_output()
        signing_secret = SigningSecret(f"{name}-signing", opts=pulumi.ResourceOptions(parent=self))
        function = StartChatFunction(
            f"{name}-start-chat",
            StartChatFunctionArgs(
                code_archive=archive,
                environment=pulumi.Output.all(site_origin, signing_secret.arn, resolved).apply(
                    lambda values: handler_environment(
                        values[2], values[0], values[1], pulumi.get_stack()
                    )
                ),
                flow_arns=self.flow_arns,
                contacts_arn=pulumi.Output.all(
                    partition.partition, caller.account_id, resolved
                ).apply(
                    lambda values: contacts_arn(
                        values[0], config.region, values[1], values[2].instance_id
                    )
                ),
                signing_secret_arn=signing_secret.arn,
                log_retention_days=config.log_retention_days,
                powertools_version=config.powertools_version,
                powertools_layer_arn=config.powertools_layer_arn,
                reserved_concurrency=config.reserved_concurrency,
                snap_start=config.snap_start,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        api = ChatApi(
            f"{name}-api",
            ChatApiArgs(
                function_name=function.function_name,
                function_invoke_arn=function.invoke_arn,
                function_qualifier=function.qualifier,
                stage_name=config.stage_name,
                throttling_rate_limit=config.throttling_rate_limit,
                throttling_burst_limit=config.throttling_burst_limit,
                log_retention_days=config.log_retention_days,
                create_account_role=config.create_api_gateway_account_role,
                region=config.region,
                account_id=caller.account_id,
                partition=partition.partition,
                dns_suffix=partition.dns_suffix,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        firewall = ChatFirewall(
            f"{name}-firewall",
            ChatFirewallArgs(
                stage_arn=api.stage_arn,
                rate_limit=config.waf_rate_limit,
                rate_window_seconds=config.waf_rate_window_seconds,
                max_body_bytes=config.waf_max_body_bytes,
                anonymous_ip_rule=config.waf_anonymous_ip_rule,
                blocked_countries=config.waf_blocked_countries,
                log_retention_days=config.log_retention_days,
                region=config.region,
                account_id=caller.account_id,
                partition=partition.partition,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.widget_config = pulumi.Output.all(api.endpoint, resolved).apply(
            lambda values: widget_config(values[1], values[0])
        )
        site = WidgetSite(
            f"{name}-site",
            WidgetSiteArgs(
                dist_dir=site_dist_dir,
                api_origin=api.api_origin,
                region=config.region,
                attachments_enabled=config.attachments_enabled,
                frame_ancestors=resolved.apply(lambda settings: settings.allowed_origins),
                widget_config=self.widget_config,
                price_class=config.price_class,
                custom_domain=config.custom_domain,
                retired_asset_days=config.retired_asset_days,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        resolve_site_origin(site.origin)
        self.alarm_topic_arn: pulumi.Output[str] | None = None
        if config.monitoring.enabled:
            monitoring = ChatMonitoring(
                f"{name}-monitoring",
                ChatMonitoringArgs(
                    stack=pulumi.get_stack(),
                    region=config.region,
                    thresholds=config.monitoring.thresholds,
                    alarm_email=config.monitoring.alarm_email,
                    api_name=api.rest_api_name,
                    stage_name=config.stage_name,
                    function_name=function.function_name,
                    function_alias=function.qualifier,
                    web_acl_name=firewall.web_acl_name,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.alarm_topic_arn = monitoring.alarm_topic_arn

        self.api_endpoint = api.endpoint
        self.site_url = site.url
        self.web_acl_arn = firewall.web_acl_arn
        self.function_name = function.function_name
        self.signing_secret_arn = signing_secret.arn
        self.region = config.region
        self.lambda_permission_source_arns: dict[str, pulumi.Output[str]] = (
            api.permission_source_arns
        )
        self.content_security_policy: pulumi.Output[str] = site.content_security_policy
        self.retired_asset_keys: pulumi.Output[list[str]] = site.retired_asset_keys
        self.prebuilt_content_security_policy: pulumi.Output[str] = (
            site.prebuilt_content_security_policy
        )
        self.register_outputs(
            {
                # The names existing stacks recorded; renaming them would show as a diff.
                "api_endpoint": self.api_endpoint,
                "site_url": self.site_url,
                "widget_config": self.widget_config,
                "web_acl_arn": self.web_acl_arn,
                "function_name": self.function_name,
                "signing_secret_arn": self.signing_secret_arn,
            }
        )
