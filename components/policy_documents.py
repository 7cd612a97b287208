"""IAM and resource policy documents, as plain dicts so tests can lint them with parliament."""

from __future__ import annotations

from typing import Any

PolicyDocument = dict[str, Any]


def contact_flow_arn(
    partition: str, region: str, account_id: str, instance_id: str, flow_id: str
) -> str:
    """StartChatContact authorizes against the contact-flow resource, not the instance."""
    return (
        f"arn:{partition}:connect:{region}:{account_id}:instance/{instance_id}"
        f"/contact-flow/{flow_id}"
    )


def contacts_arn(partition: str, region: str, account_id: str, instance_id: str) -> str:
    """Every contact of the instance: a persistent or related start names the past contact."""
    return f"arn:{partition}:connect:{region}:{account_id}:instance/{instance_id}/contact/*"


def assume_role_policy(service: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def start_chat_function_policy(
    flow_arns: list[str], log_group_arn: str, contacts_arn: str, signing_secret_arn: str
) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StartChatOnConfiguredFlowsOnly",
                "Effect": "Allow",
                "Action": "connect:StartChatContact",
                "Resource": sorted(flow_arns),
            },
            {
                # With PersistentChat or RelatedContactId, StartChatContact is also authorised
                # on the `contact` resource (IAM service reference: contact is a resource type
                # of the action). Only the API's own resume tokens or a signed customer JWT
                # choose which contact, never a browser.
                "Sid": "ContinueContactsOfThisInstance",
                "Effect": "Allow",
                "Action": "connect:StartChatContact",
                "Resource": contacts_arn,
            },
            {
                "Sid": "ReadSigningSecretOnly",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": signing_secret_arn,
            },
            {
                "Sid": "WriteOwnLogGroupOnly",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{log_group_arn}:*",
            },
            {
                # X-Ray's write actions support no resource-level permissions: "*" is the only
                # resource AWS accepts (a documented exception in docs/security.md).
                "Sid": "XRayTraceWrite",
                "Effect": "Allow",
                "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                "Resource": "*",
            },
        ],
    }


def api_gateway_logging_policy(partition: str, region: str, account_id: str) -> PolicyDocument:
    """What API Gateway needs to create and write its access and execution log groups."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ApiGatewayLogsInThisRegion",
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                    "logs:GetLogEvents",
                    "logs:FilterLogEvents",
                ],
                "Resource": f"arn:{partition}:logs:{region}:{account_id}:log-group:*",
            },
            {
                # DescribeLogGroups lists groups and has no resource-level permission.
                "Sid": "ApiGatewayListLogGroups",
                "Effect": "Allow",
                "Action": "logs:DescribeLogGroups",
                "Resource": "*",
            },
        ],
    }


def site_bucket_policy(bucket_arn: str, distribution_arn: str) -> PolicyDocument:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "CloudFrontOriginAccessControlReadOnly",
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": f"{bucket_arn}/*",
                "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
            },
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def waf_log_delivery_policy(
    log_group_arn: str, partition: str, region: str, account_id: str
) -> PolicyDocument:
    """Lets WAF's log delivery write to this stack's WAF log group and nothing else.

    Attached to the log group itself (a resource-scoped policy): CloudWatch Logs allows one
    per log group, outside the 10 account-level policies a region may hold, so WAF does not
    have to add the group to the shared AWSWAF-LOGS policy.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WafLogDeliveryToThisGroupOnly",
                "Effect": "Allow",
                "Principal": {"Service": "delivery.logs.amazonaws.com"},
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{log_group_arn}:log-stream:*",
                # Only deliveries set up in this account and region (the confused deputy).
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account_id},
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:logs:{region}:{account_id}:*"},
                },
            }
        ],
    }
