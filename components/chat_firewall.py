"""The web ACL in front of the start-chat API stage."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .policy_documents import waf_log_delivery_policy

# Managed groups, cheapest first (WCU): IP reputation 25, anonymous IP 50, known bad inputs 200,
# core rule set 700. HostingProviderIPList inside the anonymous list blocks many corporate
# proxies, which is why that group is opt-in.
IP_REPUTATION = "AWSManagedRulesAmazonIpReputationList"
ANONYMOUS_IP = "AWSManagedRulesAnonymousIpList"
KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet"
CORE_RULE_SET = "AWSManagedRulesCommonRuleSet"
# WAF metric names allow only letters, digits, hyphen and underscore, up to 128 characters;
# Pulumi stack names may also contain periods.
_METRIC_NAME_INVALID = re.compile(r"[^A-Za-z0-9_-]")
METRIC_NAME_MAX_LENGTH = 128
# API Gateway forwards only the first 16 KB of a body to WAF unless the web ACL raises it, in
# steps of 16 KB up to 64 KB (beyond 16 KB WAF charges extra). With oversize handling MATCH a
# larger body limit than the inspected size would block everything over 16 KB.
DEFAULT_BODY_INSPECTION_BYTES = 16_384
BODY_INSPECTION_LIMITS = ((32_768, "KB_32"), (49_152, "KB_48"), (65_536, "KB_64"))
# The core rule set's SizeRestrictions_BODY blocks every body over 8 KB; for a larger
# wafMaxBodyBytes it only counts, and BodyTooLarge enforces the configured limit instead.
CORE_RULE_SET_BODY_LIMIT_BYTES = 8_192
CORE_RULE_SET_BODY_RULE = "SizeRestrictions_BODY"


@dataclass(frozen=True)
class ChatFirewallArgs:
    stage_arn: pulumi.Input[str]
    rate_limit: int
    rate_window_seconds: int
    max_body_bytes: int
    anonymous_ip_rule: bool
    blocked_countries: tuple[str, ...]
    log_retention_days: int
    region: str
    account_id: pulumi.Input[str]
    partition: pulumi.Input[str]


def metric_name(*parts: str) -> str:
    return _METRIC_NAME_INVALID.sub("-", "-".join(parts))[:METRIC_NAME_MAX_LENGTH]


def association_config(max_body_bytes: int) -> aws.wafv2.WebAclAssociationConfigArgsDict | None:
    """Raises the body inspection limit only when the size rule needs more than the default."""
    if max_body_bytes <= DEFAULT_BODY_INSPECTION_BYTES:
        return None
    limit = next(name for size, name in BODY_INSPECTION_LIMITS if max_body_bytes <= size)
    return {"request_bodies": [{"api_gateway": {"default_size_inspection_limit": limit}}]}


def _visibility(metric: str) -> aws.wafv2.WebAclVisibilityConfigArgsDict:
    return {
        "cloudwatch_metrics_enabled": True,
        "metric_name": metric,
        "sampled_requests_enabled": True,
    }


def _managed_rule(
    priority: int, group: str, counted_rules: tuple[str, ...] = ()
) -> aws.wafv2.WebAclRuleArgsDict:
    statement: aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgsDict = {
        "vendor_name": "AWS",
        "name": group,
    }
    if counted_rules:
        statement["rule_action_overrides"] = [
            {"name": rule, "action_to_use": {"count": {}}} for rule in counted_rules
        ]
    return {
        "name": group,
        "priority": priority,
        "override_action": {"none": {}},
        "statement": {"managed_rule_group_statement": statement},
        "visibility_config": _visibility(group),
    }


def firewall_rules(args: ChatFirewallArgs) -> list[aws.wafv2.WebAclRuleArgsDict]:
    groups = [IP_REPUTATION]
    if args.anonymous_ip_rule:
        groups.append(ANONYMOUS_IP)
    groups += [KNOWN_BAD_INPUTS, CORE_RULE_SET]
    counted: dict[str, tuple[str, ...]] = {}
    if args.max_body_bytes > CORE_RULE_SET_BODY_LIMIT_BYTES:
        counted[CORE_RULE_SET] = (CORE_RULE_SET_BODY_RULE,)
    rules = [
        _managed_rule(priority, group, counted.get(group, ()))
        for priority, group in enumerate(groups)
    ]
    priority = len(rules)
    rules.append(
        {
            "name": "BodyTooLarge",
            "priority": priority,
            "action": {"block": {}},
            "statement": {
                "size_constraint_statement": {
                    "comparison_operator": "GT",
                    "size": args.max_body_bytes,
                    # WAF sees only the first 16-64 KB of a body (association_config); MATCH
                    # treats anything beyond that as oversize, so a huge body cannot slip past.
                    "field_to_match": {"body": {"oversize_handling": "MATCH"}},
                    "text_transformations": [{"priority": 0, "type": "NONE"}],
                }
            },
            "visibility_config": _visibility("BodyTooLarge"),
        }
    )
    rules.append(
        {
            "name": "RatePerClientIp",
            "priority": priority + 1,
            "action": {"block": {}},
            "statement": {
                # The browser calls API Gateway directly: the source IP is the client.
                # FORWARDED_IP would trust a header the client writes itself.
                "rate_based_statement": {
                    "limit": args.rate_limit,
                    "evaluation_window_sec": args.rate_window_seconds,
                    "aggregate_key_type": "IP",
                }
            },
            "visibility_config": _visibility("RatePerClientIp"),
        }
    )
    if args.blocked_countries:
        rules.append(
            {
                "name": "BlockedCountries",
                "priority": priority + 2,
                "action": {"block": {}},
                "statement": {
                    "geo_match_statement": {"country_codes": list(args.blocked_countries)}
                },
                "visibility_config": _visibility("BlockedCountries"),
            }
        )
    return rules


class ChatFirewall(pulumi.ComponentResource):
    """A REGIONAL web ACL with managed, size, rate and optional geo rules, logged and attached."""

    web_acl_arn: pulumi.Output[str]
    web_acl_name: pulumi.Output[str]
    log_group_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: ChatFirewallArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("connect-chat:index:ChatFirewall", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stack = pulumi.get_stack()

        web_acl = aws.wafv2.WebAcl(
            f"{name}-web-acl",
            scope="REGIONAL",
            description="connect-chat start-chat API",
            default_action={"allow": {}},
            rules=firewall_rules(args),
            visibility_config=_visibility(metric_name("connect-chat", stack)),
            association_config=association_config(args.max_body_bytes),
            opts=child,
        )
        # WAF refuses any log group whose name does not start with aws-waf-logs-.
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=f"aws-waf-logs-connect-chat-{stack}",
            retention_in_days=args.log_retention_days,
            opts=child,
        )
        log_policy = aws.cloudwatch.LogResourcePolicy(
            f"{name}-log-policy",
            resource_arn=log_group.arn,
            policy_document=pulumi.Output.all(log_group.arn, args.partition, args.account_id).apply(
                lambda values: json.dumps(
                    waf_log_delivery_policy(values[0], values[1], args.region, values[2])
                )
            ),
            opts=child,
        )
        aws.wafv2.WebAclLoggingConfiguration(
            f"{name}-logging",
            resource_arn=web_acl.arn,
            log_destination_configs=[log_group.arn],
            redacted_fields=[
                {"single_header": {"name": "cookie"}},
                {"single_header": {"name": "authorization"}},
                {"single_header": {"name": "x-amz-bearer"}},
            ],
            # WAF checks the group's permissions when logging is turned on.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[log_policy]),
        )
        # Associated with stage.arn so it waits for the stage; a second ACL on the same stage
        # would silently replace this one.
        aws.wafv2.WebAclAssociation(
            f"{name}-association",
            resource_arn=args.stage_arn,
            web_acl_arn=web_acl.arn,
            opts=child,
        )
        self.web_acl_arn = web_acl.arn
        self.web_acl_name = web_acl.name
        self.log_group_name = log_group.name
        self.register_outputs({"web_acl_arn": self.web_acl_arn})
