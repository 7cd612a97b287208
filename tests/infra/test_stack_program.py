"""The real __main__.py under mocks, once per shipped Pulumi.<stack>.yaml."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import zipfile
from pathlib import Path

import pulumi
import pytest
from parliament import analyze_policy_string

from components.code_archive import build_handler_archive
from components.content_security_policy import CLOUDFRONT_CSP_MAX_LENGTH
from components.site_files import IMMUTABLE, NO_CACHE, SHORT

from .pulumi_harness import (
    ACCOUNT_ID,
    DISTRIBUTION_ID,
    PROJECT_DIR,
    REST_API_ID,
    ProgramRun,
    powertools_parameter_value,
    response_headers_policy_id,
    run_program,
    stack_config,
)
from .requirements_pin import pinned_powertools_version

GET_PARAMETER = "aws:ssm/getParameter:getParameter"
RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
COMPONENTS = (
    "StartChatFunction", "ChatApi", "ChatFirewall", "WidgetSite", "ChatMonitoring", "SigningSecret"
)  # fmt: skip
EXPECTED_COUNTS = {
    "connect-chat:index:ConnectChat": 1,
    "connect-chat:index:SigningSecret": 1,
    "aws:secretsmanager/secret:Secret": 1,
    "aws:secretsmanager/secretVersion:SecretVersion": 1,
    "random:index/randomBytes:RandomBytes": 2,
    "connect-chat:index:StartChatFunction": 1,
    "connect-chat:index:ChatApi": 1,
    "connect-chat:index:ChatFirewall": 1,
    "connect-chat:index:WidgetSite": 1,
    "connect-chat:index:ChatMonitoring": 1,
    "aws:sns/topic:Topic": 1,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 7,
    "aws:cloudwatch/dashboard:Dashboard": 1,
    "aws:lambda/function:Function": 1,
    "aws:iam/rolePolicy:RolePolicy": None,  # 1 or 2: depends on the account-role option
    "aws:apigateway/restApi:RestApi": 1,
    "aws:apigateway/method:Method": 2,
    "aws:apigateway/integration:Integration": 2,
    "aws:lambda/permission:Permission": 2,
    "aws:apigateway/response:Response": 2,
    "aws:apigateway/deployment:Deployment": 1,
    "aws:apigateway/stage:Stage": 1,
    "aws:apigateway/methodSettings:MethodSettings": 1,
    "aws:wafv2/webAcl:WebAcl": 1,
    "aws:wafv2/webAclAssociation:WebAclAssociation": 1,
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": 1,
    "aws:s3/bucket:Bucket": 1,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
    "aws:s3/bucketVersioning:BucketVersioning": 1,
    "aws:s3/bucketPolicy:BucketPolicy": 1,
    "aws:cloudfront/originAccessControl:OriginAccessControl": 1,
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": 2,  # strict, and prebuilt.html's
    "aws:cloudfront/distribution:Distribution": 1,
    "aws:cloudwatch/logGroup:LogGroup": 4,
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": 1,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
}


def _config_list(config: dict[str, str], key: str) -> list:
    return json.loads(config.get(f"connect-chat:{key}", "[]"))


def _config_bool(config: dict[str, str], key: str) -> bool:
    return json.loads(config.get(f"connect-chat:{key}", "false"))


def _widget(config: dict[str, str]) -> dict:
    return json.loads(config.get("connect-chat:widget", "{}"))


def test_program_registers_every_expected_resource(stack_run):
    _, _, run = stack_run
    for type_token, count in EXPECTED_COUNTS.items():
        found = len(run.of_type(type_token))
        if count is None:
            assert found >= 1, type_token
        else:
            assert found == count, f"{type_token}: {found} registered, {count} expected"
    site_files = sorted(
        p.relative_to(PROJECT_DIR / "site" / "dist").as_posix()
        for p in (PROJECT_DIR / "site" / "dist").rglob("*")
        if p.is_file() and p.name != "config.json"
    )
    objects = sorted(r.inputs["key"] for r in run.of_type("aws:s3/bucketObjectv2:BucketObjectv2"))
    assert objects == sorted([*site_files, "config.json"])
    assert "widget.js" in objects and "chat.html" in objects


def test_every_child_is_parented_to_its_component(stack_run):
    _, _, run = stack_run
    assert len(run.resources) > 40
    # A URN spells its parent's type: Parent$Child::name (the mock monitor writes only the
    # immediate parent; the engine writes the whole chain, which contains the same pair).
    root = "connect-chat:index:ConnectChat"
    for resource in run.resources:
        assert resource.urn, f"{resource.name} has no URN"
        if resource.type == root:
            assert resource.urn.endswith(f"{root}::connect-chat")
        elif resource.type.startswith("connect-chat:index:"):
            assert f"::{root}${resource.type}::" in resource.urn
        else:
            assert any(
                f"connect-chat:index:{c}${resource.type}::" in resource.urn for c in COMPONENTS
            ), resource.urn


def test_stack_outputs_are_exported(stack_run):
    _, config, run = stack_run
    assert set(run.exports) == {
        "apiEndpoint",
        "siteUrl",
        "widgetConfig",
        "webAclArn",
        "functionName",
        "region",
        "alarmTopicArn",  # monitoring is on by default
        "signingSecretArn",
    }
    region = config["aws:region"]
    run.one("aws:sns/topic:Topic")
    assert run.outputs["alarm_topic_arn"].startswith(f"arn:aws:sns:{region}:{ACCOUNT_ID}:")
    assert run.exports["region"] == region
    assert run.outputs["api_endpoint"] == (
        f"https://{REST_API_ID}.execute-api.{region}.amazonaws.com/"
        f"{config.get('connect-chat:stageName', 'prod')}/"
    )
    assert run.outputs["site_url"].startswith("https://") and run.outputs["site_url"].endswith("/")
    assert run.outputs["web_acl_arn"].startswith(f"arn:aws:wafv2:{region}:")
    assert run.outputs["function_name"]
    secret = run.one("aws:secretsmanager/secret:Secret")
    assert run.outputs["signing_secret_arn"] == (
        f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:{secret.name}-AbCdEf"
    )


def test_widget_config_follows_the_contract_and_is_uploaded(stack_run):
    _, config, run = stack_run
    widget = run.outputs["widget_config"]
    assert widget["apiEndpoint"] == run.outputs["api_endpoint"]
    assert widget["region"] == config["aws:region"]
    assert "participantEndpoint" not in widget
    assert widget["allowedOrigins"] == _config_list(config, "allowedOrigins")
    assert widget["features"]["attachments"] == _config_bool(config, "attachmentsEnabled")
    stack_widget = _widget(config)
    assert widget["features"]["postChatSurvey"] == stack_widget.get("postChatSurvey", False)
    assert widget["features"]["customerFormatting"] == stack_widget.get("customerFormatting", False)
    assert widget["language"] == stack_widget.get("language")
    assert widget["chatDurationInMinutes"] == int(
        config.get("connect-chat:chatDurationInMinutes", "1500")
    )
    allowed = set(_config_list(config, "allowedAttributes"))
    assert widget["preChatFields"], "the shipped stacks declare pre-chat fields"
    assert all(f["attribute"] in allowed for f in widget["preChatFields"])
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", widget["theme"]["primaryColor"])
    offer = json.loads(config.get("connect-chat:widget", "{}")).get("persistentChatOfferMinutes")
    assert widget["persistentChat"] == {"offerForMinutes": offer or 1440}
    uploaded = run.one("aws:s3/bucketObjectv2:BucketObjectv2", "-file-config.json").inputs
    assert json.loads(uploaded["content"]) == widget
    assert uploaded["contentType"] == "application/json"
    assert uploaded["cacheControl"] == NO_CACHE


# ---- Lambda ------------------------------------------------------------------------------


def test_function_runs_the_handler_package_on_arm64_python(stack_run):
    _, config, run = stack_run
    function = run.one("aws:lambda/function:Function").inputs
    assert function["runtime"] in ("python3.13", "python3.14")
    assert function["architectures"] == ["arm64"]
    assert function["handler"] == "handler.app.lambda_handler"
    assert function["timeout"] < 29
    assert function["memorySize"] <= 512
    assert function["tracingConfig"] == {"mode": "Active"}
    log_group = run.one("aws:cloudwatch/logGroup:LogGroup", "start-chat-logs").inputs
    assert function["loggingConfig"]["logGroup"] == log_group["name"]
    assert log_group["retentionInDays"] > 0
    reserved = config.get("connect-chat:reservedConcurrency")
    assert function.get("reservedConcurrentExecutions") == (int(reserved) if reserved else None)


def test_powertools_layer_is_the_one_ssm_names_for_the_pinned_version(stack_run):
    _, config, run = stack_run
    version = config.get("connect-chat:powertoolsVersion", pinned_powertools_version())
    (lookup,) = run.invoked(GET_PARAMETER)
    assert lookup.args["name"] == f"/aws/service/powertools/python/arm64/python3.13/{version}"
    function = run.one("aws:lambda/function:Function").inputs
    assert function["layers"] == [powertools_parameter_value(config["aws:region"])]


def test_an_explicit_layer_arn_skips_the_ssm_lookup():
    arn = (
        "arn:aws:lambda:eu-west-2:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:19"
    )
    run = run_program({**stack_config("dev"), "connect-chat:powertoolsLayerArn": arn})
    assert run.invoked(GET_PARAMETER) == []
    assert run.one("aws:lambda/function:Function").inputs["layers"] == [arn]
    # Guards the assertion above: the recorder does see the program's other lookups.
    assert run.invoked("aws:index/getCallerIdentity:getCallerIdentity")


def test_powertools_version_names_the_parameter_looked_up():
    run = run_program({**stack_config("dev"), "connect-chat:powertoolsVersion": "3.36.1"})
    (lookup,) = run.invoked(GET_PARAMETER)
    assert lookup.args["name"] == "/aws/service/powertools/python/arm64/python3.13/3.36.1"


def test_function_environment_matches_the_handler_contract(stack_run):
    _, config, run = stack_run
    env = run.one("aws:lambda/function:Function").inputs["environment"]["variables"]
    assert set(env) == {
        "INSTANCE_ID", "CONTACT_FLOW_ID", "ALLOWED_CONTACT_FLOW_IDS", "ALLOWED_ORIGINS",
        "ALLOWED_ATTRIBUTES", "ATTACHMENTS_ENABLED", "DISCONNECT_ON_CUSTOMER_EXIT",
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE", "POWERTOOLS_LOG_LEVEL", "STACK_NAME",
        "CHAT_DURATION_IN_MINUTES", "SIGNING_SECRET_ARN", "RESUME_TOKEN_DAYS",
        "REQUIRE_CUSTOMER_TOKEN",
    }  # fmt: skip
    stack, _, _ = stack_run
    assert env["STACK_NAME"] == stack
    assert env["INSTANCE_ID"] == config["connect-chat:instanceId"]
    assert env["CONTACT_FLOW_ID"] == config["connect-chat:contactFlowId"]
    assert env["ALLOWED_CONTACT_FLOW_IDS"].split(",") == (
        _config_list(config, "extraContactFlowIds") or [""]
    )
    site_origin = run.outputs["site_url"].rstrip("/")
    assert env["ALLOWED_ORIGINS"].split(",") == [
        site_origin,
        *_config_list(config, "allowedOrigins"),
    ]
    assert env["ALLOWED_ATTRIBUTES"].split(",") == _config_list(config, "allowedAttributes")
    assert env["ATTACHMENTS_ENABLED"] == str(_config_bool(config, "attachmentsEnabled")).lower()
    assert env["CHAT_DURATION_IN_MINUTES"] == config.get(
        "connect-chat:chatDurationInMinutes", "1500"
    )
    assert env["SIGNING_SECRET_ARN"] == run.outputs["signing_secret_arn"]
    assert env["RESUME_TOKEN_DAYS"] == config.get("connect-chat:resumeTokenDays", "30")
    assert (
        env["REQUIRE_CUSTOMER_TOKEN"] == str(_config_bool(config, "requireCustomerToken")).lower()
    )
    survey = _widget(config).get("postChatSurvey", False)
    assert env["DISCONNECT_ON_CUSTOMER_EXIT"] == ("AGENT" if survey else "")


def test_snap_start_publishes_a_version_behind_an_alias(stack_run):
    _, config, run = stack_run
    function = run.one("aws:lambda/function:Function").inputs
    integrations = run.of_type("aws:apigateway/integration:Integration")
    permissions = run.of_type("aws:lambda/permission:Permission")
    if _config_bool(config, "snapStart"):
        assert function["publish"] is True
        assert function["snapStart"] == {"applyOn": "PublishedVersions"}
        alias = run.one("aws:lambda/alias:Alias").inputs
        assert alias["name"] == "live"
        assert all(i.inputs["uri"].endswith(":live/invocations") for i in integrations)
        assert all(p.inputs["qualifier"] == "live" for p in permissions)
    else:
        assert not function.get("snapStart")
        assert run.of_type("aws:lambda/alias:Alias") == []
        assert all(
            i.inputs["uri"].endswith(":function:" + run.outputs["function_name"] + "/invocations")
            for i in integrations
        )


def test_contact_flow_arns_name_exactly_the_configured_flows(stack_run):
    _, config, run = stack_run
    region = config["aws:region"]
    instance = config["connect-chat:instanceId"]
    flows = [config["connect-chat:contactFlowId"], *_config_list(config, "extraContactFlowIds")]
    assert run.outputs["flow_arns"] == [
        f"arn:aws:connect:{region}:{ACCOUNT_ID}:instance/{instance}/contact-flow/{flow}"
        for flow in flows
    ]
    for arn in run.outputs["flow_arns"]:
        assert re.fullmatch(
            rf"arn:aws:connect:[a-z0-9-]+:\d{{12}}:instance/{UUID}/contact-flow/{UUID}", arn
        )


def test_function_role_may_only_start_chats_on_its_flows_and_log_to_its_group(stack_run):
    _, config, run = stack_run
    policy = json.loads(
        run.one("aws:iam/rolePolicy:RolePolicy", "start-chat-policy").inputs["policy"]
    )
    log_group_name = run.one("aws:cloudwatch/logGroup:LogGroup", "start-chat-logs").inputs["name"]
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["StartChatOnConfiguredFlowsOnly"]["Action"] == "connect:StartChatContact"
    assert by_sid["StartChatOnConfiguredFlowsOnly"]["Resource"] == sorted(run.outputs["flow_arns"])
    logs = by_sid["WriteOwnLogGroupOnly"]
    region = run.exports["region"]
    assert logs["Resource"] == f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{log_group_name}:*"
    assert set(logs["Action"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    instance = config["connect-chat:instanceId"]
    assert by_sid["ContinueContactsOfThisInstance"] == {
        "Sid": "ContinueContactsOfThisInstance",
        "Effect": "Allow",
        "Action": "connect:StartChatContact",
        "Resource": f"arn:aws:connect:{region}:{ACCOUNT_ID}:instance/{instance}/contact/*",
    }
    assert by_sid["ReadSigningSecretOnly"] == {
        "Sid": "ReadSigningSecretOnly",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": run.outputs["signing_secret_arn"],
    }
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert not any("*" in action for action in actions)
        if statement["Sid"] not in ("XRayTraceWrite", "ContinueContactsOfThisInstance"):
            resources = statement["Resource"]
            resources = resources if isinstance(resources, list) else [resources]
            assert all(r != "*" and not r.endswith("/*") for r in resources)
    assert set(by_sid) == {
        "StartChatOnConfiguredFlowsOnly",
        "ContinueContactsOfThisInstance",
        "ReadSigningSecretOnly",
        "WriteOwnLogGroupOnly",
        "XRayTraceWrite",
    }
    assert not run.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")


def _identity_and_resource_policies(run: ProgramRun) -> list[tuple[str, str]]:
    policies = [(r.name, r.inputs["policy"]) for r in run.of_type("aws:iam/rolePolicy:RolePolicy")]
    policies += [
        (r.name, r.inputs["policy"]) for r in run.of_type("aws:s3/bucketPolicy:BucketPolicy")
    ]
    return policies


def test_parliament_finds_nothing_in_any_generated_policy(stack_run):
    _, config, run = stack_run
    policies = _identity_and_resource_policies(run)
    expected = 3 if _config_bool(config, "createApiGatewayAccountRole") else 2
    assert len(policies) == expected, [name for name, _ in policies]
    for name, document in policies:
        findings = analyze_policy_string(document, include_community_auditors=True).findings
        assert findings == [], f"{name}: {[(f.issue, f.detail) for f in findings]}"


def test_parliament_flags_an_instance_wide_grant():
    """Proves the lint above can fail: the AWS sample's instance-only grant is a finding."""
    sample = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "connect:StartChatContact",
                       "Resource": f"arn:aws:connect:eu-west-2:{ACCOUNT_ID}:instance/x"}],
    }  # fmt: skip
    assert analyze_policy_string(json.dumps(sample)).findings


def test_roles_trust_only_their_service(stack_run):
    # parliament lints identity and resource policies; trust policies are checked here.
    _, _, run = stack_run
    roles = run.of_type("aws:iam/role:Role")
    assert roles
    for role in roles:
        (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert statement["Action"] == "sts:AssumeRole"
        assert statement["Effect"] == "Allow"
        expected = (
            "apigateway.amazonaws.com" if "cloudwatch" in role.name else "lambda.amazonaws.com"
        )
        assert statement["Principal"] == {"Service": expected}
        assert "managedPolicyArns" not in role.inputs


# ---- REST API -----------------------------------------------------------------------------


def test_api_is_regional_with_post_and_options_proxied_to_the_function(stack_run):
    _, _, run = stack_run
    api = run.one("aws:apigateway/restApi:RestApi").inputs
    assert api["endpointConfiguration"]["types"] == "REGIONAL"
    methods = {
        m.inputs["httpMethod"]: m.inputs for m in run.of_type("aws:apigateway/method:Method")
    }
    assert set(methods) == {"POST", "OPTIONS"}
    assert all(
        m["resourceId"] == "rootid1234" and m["authorization"] == "NONE" for m in methods.values()
    )
    for integration in run.of_type("aws:apigateway/integration:Integration"):
        assert integration.inputs["type"] == "AWS_PROXY"
        assert integration.inputs["integrationHttpMethod"] == "POST"
        assert re.fullmatch(
            r"arn:aws:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/"
            r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[^/]+/invocations",
            integration.inputs["uri"],
        )


def test_lambda_permission_source_arns_name_this_api_stage_method_and_root_path(stack_run):
    _, config, run = stack_run
    stage = config.get("connect-chat:stageName", "prod")
    arns = {p.inputs["sourceArn"] for p in run.of_type("aws:lambda/permission:Permission")}
    assert arns == set(run.outputs["permission_source_arns"].values())
    for arn in arns:
        assert re.fullmatch(
            rf"arn:aws:execute-api:{config['aws:region']}:\d{{12}}:{REST_API_ID}/{stage}/"
            r"(POST|OPTIONS)/",
            arn,
        ), arn
    for permission in run.of_type("aws:lambda/permission:Permission"):
        assert permission.inputs["principal"] == "apigateway.amazonaws.com"
        assert permission.inputs["action"] == "lambda:InvokeFunction"


def test_stage_has_throttling_within_the_connect_quota_json_access_logs_and_xray(stack_run):
    _, config, run = stack_run
    stage = run.one("aws:apigateway/stage:Stage").inputs
    assert stage["xrayTracingEnabled"] is True
    access_format = json.loads(stage["accessLogSettings"]["format"])
    for variable in ("$context.requestId", "$context.extendedRequestId",
                     "$context.identity.sourceIp", "$context.status", "$context.waf.error",
                     "$context.responseLatency"):  # fmt: skip
        assert variable in access_format.values()
    access_group = run.one("aws:cloudwatch/logGroup:LogGroup", "api-access-logs").inputs
    assert stage["accessLogSettings"]["destinationArn"].endswith(access_group["name"])
    settings = run.one("aws:apigateway/methodSettings:MethodSettings").inputs
    assert settings["methodPath"] == "*/*"
    values = settings["settings"]
    assert values["throttlingRateLimit"] <= float(config.get("connect-chat:startChatRateQuota", 5))
    assert values["throttlingBurstLimit"] <= int(config.get("connect-chat:startChatBurstQuota", 8))
    assert values["loggingLevel"] == "ERROR"
    assert values["dataTraceEnabled"] is False
    accounts = run.of_type("aws:apigateway/account:Account")
    assert len(accounts) == (1 if _config_bool(config, "createApiGatewayAccountRole") else 0)


def test_gateway_errors_carry_cors_and_a_json_body(stack_run):
    _, _, run = stack_run
    responses = {
        r.inputs["responseType"]: r.inputs for r in run.of_type("aws:apigateway/response:Response")
    }
    assert set(responses) == {"DEFAULT_4XX", "DEFAULT_5XX"}
    for response in responses.values():
        headers = response["responseParameters"]
        assert headers["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
        template = response["responseTemplates"]["application/json"]
        rendered = (
            template.replace("$context.error.messageString", '"Too Many Requests"')
            .replace("$context.error.responseType", "THROTTLED")
            .replace("$context.requestId", "abc")
        )
        assert json.loads(rendered)["error"]["message"] == "Too Many Requests"


def test_deployment_is_triggered_by_a_hash_and_has_no_stage_of_its_own(stack_run):
    _, _, run = stack_run
    deployment = run.one("aws:apigateway/deployment:Deployment")
    assert re.fullmatch(r"[0-9a-f]{64}", deployment.inputs["triggers"]["redeployment"])
    assert "stageName" not in deployment.inputs
    # Create-before-delete: the stage moves to the new deployment before the old one goes;
    # deleting first fails with "Active stages pointing to this deployment".
    assert deployment.delete_before_replace is False


# ---- WAF ---------------------------------------------------------------------------------


def test_web_acl_has_managed_size_and_rate_rules_and_is_attached_to_the_stage(stack_run):
    _, config, run = stack_run
    acl = run.one("aws:wafv2/webAcl:WebAcl").inputs
    assert acl["scope"] == "REGIONAL"
    rules = {rule["name"]: rule for rule in acl["rules"]}
    for group in ("AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet",
                  "AWSManagedRulesCommonRuleSet"):  # fmt: skip
        assert rules[group]["statement"]["managedRuleGroupStatement"]["vendorName"] == "AWS"
        assert rules[group]["overrideAction"] == {"none": {}}
    size = rules["BodyTooLarge"]["statement"]["sizeConstraintStatement"]
    assert size["fieldToMatch"]["body"]["oversizeHandling"] == "MATCH"
    assert size["comparisonOperator"] == "GT"
    assert rules["BodyTooLarge"]["action"] == {"block": {}}
    rate = rules["RatePerClientIp"]["statement"]["rateBasedStatement"]
    assert rate["aggregateKeyType"] == "IP"
    assert rate["limit"] == int(config.get("connect-chat:wafRateLimit", 100)) >= 10
    assert rate["evaluationWindowSec"] in (60, 120, 300, 600)
    assert rules["RatePerClientIp"]["action"] == {"block": {}}
    priorities = [rule["priority"] for rule in acl["rules"]]
    assert len(set(priorities)) == len(priorities)
    association = run.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert re.fullmatch(
        rf"arn:aws:apigateway:[a-z0-9-]+::/restapis/{REST_API_ID}/stages/[A-Za-z0-9_-]+",
        association["resourceArn"],
    )
    assert association["webAclArn"] == run.outputs["web_acl_arn"]


def test_waf_logs_to_a_retained_aws_waf_logs_group_with_redaction(stack_run):
    _, _, run = stack_run
    logging = run.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs
    group = run.one("aws:cloudwatch/logGroup:LogGroup", "firewall-logs").inputs
    assert group["name"].startswith("aws-waf-logs-")
    assert group["retentionInDays"] > 0
    assert logging["logDestinationConfigs"] == [
        f"arn:aws:logs:{run.exports['region']}:{ACCOUNT_ID}:log-group:{group['name']}"
    ]
    redacted = {field["singleHeader"]["name"] for field in logging["redactedFields"]}
    assert {"cookie", "authorization"} <= redacted


def test_waf_may_write_only_to_its_own_log_group_through_a_group_scoped_policy(stack_run):
    # Scoped to the group (resource_arn), so it is not one of the 10 account-level resource
    # policies a region allows, and WAF need not edit the shared AWSWAF-LOGS policy.
    _, _, run = stack_run
    region = run.exports["region"]
    group = run.one("aws:cloudwatch/logGroup:LogGroup", "firewall-logs").inputs["name"]
    group_arn = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{group}"
    policy = run.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy")
    assert policy.inputs["resourceArn"] == group_arn
    assert "policyName" not in policy.inputs
    assert json.loads(policy.inputs["policyDocument"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WafLogDeliveryToThisGroupOnly",
                "Effect": "Allow",
                "Principal": {"Service": "delivery.logs.amazonaws.com"},
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{group_arn}:log-stream:*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:logs:{region}:{ACCOUNT_ID}:*"},
                },
            }
        ],
    }
    logging = run.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    assert run.waits_for(logging, policy), "WAF checks the permission when logging starts"


def test_every_log_group_has_retention(stack_run):
    _, config, run = stack_run
    groups = run.of_type("aws:cloudwatch/logGroup:LogGroup")
    assert len(groups) == 4
    expected = int(config.get("connect-chat:logRetentionDays", 30))
    assert all(g.inputs["retentionInDays"] == expected for g in groups)


# ---- widget site -------------------------------------------------------------------------


def test_bucket_is_private_owner_enforced_encrypted_and_versioned(stack_run):
    _, _, run = stack_run
    block = run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    for flag in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block[flag] is True, flag
    ownership = run.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"
    encryption = run.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    assert encryption["rules"][0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"]
    versioning = run.one("aws:s3/bucketVersioning:BucketVersioning").inputs
    assert versioning["versioningConfiguration"]["status"] == "Enabled"
    bucket = run.one("aws:s3/bucket:Bucket").inputs
    assert "website" not in bucket and "acl" not in bucket
    assert bucket["forceDestroy"] is True, "pulumi destroy must be able to empty the bucket"


def test_bucket_policy_allows_only_this_distribution_and_denies_plain_http(stack_run):
    _, _, run = stack_run
    policy = json.loads(run.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    read = by_sid["CloudFrontOriginAccessControlReadOnly"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert read["Action"] == "s3:GetObject"
    source_arn = read["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert re.fullmatch(r"arn:aws:cloudfront::\d{12}:distribution/[A-Z0-9]+", source_arn)
    assert source_arn.endswith(DISTRIBUTION_ID)
    deny = by_sid["DenyInsecureTransport"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert len(deny["Resource"]) == 2
    assert set(by_sid) == {"CloudFrontOriginAccessControlReadOnly", "DenyInsecureTransport"}


def test_distribution_serves_the_bucket_through_oac_over_https_only(stack_run):
    _, config, run = stack_run
    oac = run.one("aws:cloudfront/originAccessControl:OriginAccessControl").inputs
    assert (
        oac["originAccessControlOriginType"],
        oac["signingBehavior"],
        oac["signingProtocol"],
    ) == ("s3", "always", "sigv4")
    distribution = run.one("aws:cloudfront/distribution:Distribution").inputs
    (origin,) = distribution["origins"]
    assert origin["originAccessControlId"]
    assert origin["domainName"].endswith(f".s3.{config['aws:region']}.amazonaws.com")
    assert "s3OriginConfig" not in origin
    assert distribution["defaultRootObject"] == "index.html"
    behaviours = [distribution["defaultCacheBehavior"], *distribution["orderedCacheBehaviors"]]
    for behaviour in behaviours:
        assert behaviour["viewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["compress"] is True
        assert behaviour["responseHeadersPolicyId"]
        assert "forwardedValues" not in behaviour
    assert (
        distribution["defaultCacheBehavior"]["cachePolicyId"]
        == "658327ea-f89d-4fab-a63d-7e88639e58f6"
    )
    no_cache = {b["pathPattern"]: b["cachePolicyId"] for b in distribution["orderedCacheBehaviors"]}
    assert no_cache == {"/prebuilt.html": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                        "/config.json": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                        "*.html": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}  # fmt: skip
    certificate = distribution["viewerCertificate"]
    domain = config.get("connect-chat:customDomain")
    if domain:
        assert distribution["aliases"] == [domain]
        assert certificate["minimumProtocolVersion"] == "TLSv1.2_2021"
        assert certificate["sslSupportMethod"] == "sni-only"
        assert run.outputs["site_url"] == f"https://{domain}/"
    else:
        assert certificate == {"cloudfrontDefaultCertificate": True}


def _directives(csp: str) -> dict[str, str]:
    pairs = [d.split(" ", 1) for d in csp.split("; ")]
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), f"a directive appears twice in {csp!r}"
    return dict(pairs)


def test_response_headers_set_hsts_nosniff_referrer_and_the_exact_csp(stack_run):
    _, config, run = stack_run
    security = run.one(RESPONSE_HEADERS_POLICY, "-site-headers").inputs["securityHeadersConfig"]
    assert security["strictTransportSecurity"]["accessControlMaxAgeSec"] >= 31_536_000
    assert security["contentTypeOptions"] == {"override": True}
    assert security["referrerPolicy"]["referrerPolicy"] == "strict-origin-when-cross-origin"
    assert "frameOptions" not in security, "X-Frame-Options would block the embedded widget"
    csp = security["contentSecurityPolicy"]["contentSecurityPolicy"]
    assert csp == run.outputs["content_security_policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = _directives(csp)
    region = config["aws:region"]
    expected_connect = [
        "'self'",
        f"https://{REST_API_ID}.execute-api.{region}.amazonaws.com",
        f"https://participant.connect.{region}.amazonaws.com",
        f"wss://*.transport.connect.{region}.amazonaws.com",
    ]
    if _config_bool(config, "attachmentsEnabled"):
        expected_connect.append(f"https://*.s3.{region}.amazonaws.com")
    assert directives["connect-src"].split(" ") == expected_connect
    assert directives["frame-ancestors"].split(" ") == [
        "'self'",
        *_config_list(config, "allowedOrigins"),
    ]
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"].split(" ") == ["'self'", "data:", "blob:", "https:"]


def test_prebuilt_page_gets_its_own_policy_differing_only_in_inline_styles(stack_run):
    _, _, run = stack_run
    policies = {p.name: p for p in run.of_type(RESPONSE_HEADERS_POLICY)}
    (strict_name,) = [n for n in policies if n.endswith("-site-headers")]
    (prebuilt_name,) = [n for n in policies if n.endswith("-site-prebuilt-headers")]
    assert len(policies) == 2
    strict_id, prebuilt_id = (response_headers_policy_id(n) for n in (strict_name, prebuilt_name))
    strict = policies[strict_name].inputs["securityHeadersConfig"]
    prebuilt = policies[prebuilt_name].inputs["securityHeadersConfig"]
    # Everything but the CSP (HSTS, nosniff, referrer policy, no frame options) is the same.
    assert {k: v for k, v in prebuilt.items() if k != "contentSecurityPolicy"} == {
        k: v for k, v in strict.items() if k != "contentSecurityPolicy"
    }
    strict_csp = _directives(strict["contentSecurityPolicy"]["contentSecurityPolicy"])
    prebuilt_csp_text = prebuilt["contentSecurityPolicy"]["contentSecurityPolicy"]
    assert prebuilt["contentSecurityPolicy"]["override"] is True
    assert prebuilt_csp_text == run.outputs["prebuilt_content_security_policy"]
    assert len(prebuilt_csp_text) <= CLOUDFRONT_CSP_MAX_LENGTH
    prebuilt_csp = _directives(prebuilt_csp_text)
    assert prebuilt_csp["style-src"] == "'self' 'unsafe-inline'"
    assert prebuilt_csp["script-src"] == "'self'"
    assert {k: v for k, v in prebuilt_csp.items() if k != "style-src"} == {
        k: v for k, v in strict_csp.items() if k != "style-src"
    }

    distribution = run.one("aws:cloudfront/distribution:Distribution").inputs
    ordered = distribution["orderedCacheBehaviors"]
    by_pattern = {b["pathPattern"]: b["responseHeadersPolicyId"] for b in ordered}
    assert by_pattern["/prebuilt.html"] == prebuilt_id
    assert {by_pattern["/config.json"], by_pattern["*.html"]} == {strict_id}
    assert distribution["defaultCacheBehavior"]["responseHeadersPolicyId"] == strict_id
    # CloudFront uses the first matching behaviour: *.html would otherwise win.
    patterns = [b["pathPattern"] for b in ordered]
    assert patterns.index("/prebuilt.html") < patterns.index("*.html")


def test_site_files_carry_content_type_and_cache_control(stack_run):
    _, _, run = stack_run
    objects = {
        o.inputs["key"]: o.inputs for o in run.of_type("aws:s3/bucketObjectv2:BucketObjectv2")
    }
    assert objects["widget.js"]["cacheControl"] == SHORT
    assert objects["widget.js"]["contentType"].startswith("text/javascript")
    for key, inputs in objects.items():
        if key.startswith("assets/"):
            assert inputs["cacheControl"] == IMMUTABLE
        if key.endswith(".html"):
            assert inputs["cacheControl"] == NO_CACHE
            assert inputs["contentType"] == "text/html; charset=utf-8"
        if key.endswith(".css"):
            assert inputs["contentType"].startswith("text/css")
        assert inputs["contentType"] != "application/octet-stream", key
    assert any(k.startswith("assets/") for k in objects), "the built site has hashed assets"


def test_function_code_is_the_deterministic_archive_of_the_handler_package(stack_run, tmp_path):
    _, _, run = stack_run
    code = run.one("aws:lambda/function:Function").inputs["code"]
    assert isinstance(code, pulumi.FileArchive)
    shipped = Path(code.path)
    assert shipped == PROJECT_DIR / "build" / "start-chat.zip"
    rebuilt = build_handler_archive(PROJECT_DIR / "handler", tmp_path / "start-chat.zip")
    assert shipped.read_bytes() == rebuilt.read_bytes()
    with zipfile.ZipFile(shipped) as archive:
        assert "handler/app.py" in archive.namelist()


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_program_tolerates_unknown_values_in_preview(stack):
    run = run_program(stack_config(stack), stack=stack, preview=True)
    assert len(run.of_type("aws:lambda/function:Function")) == 1
    assert len(run.of_type("aws:s3/bucketObjectv2:BucketObjectv2")) > 3
    # With the distribution's ARN unknown, the bucket policy cannot be rendered yet.
    policy = run.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"]
    assert isinstance(policy, pulumi.output.Unknown)


def test_optional_waf_rules_appear_when_configured():
    config = {
        **stack_config("dev"),
        "connect-chat:wafAnonymousIpRule": "true",
        "connect-chat:wafBlockedCountries": json.dumps(["KP", "RU"]),
        "connect-chat:wafRateWindowSeconds": "60",
    }
    acl = run_program(config).one("aws:wafv2/webAcl:WebAcl").inputs
    rules = {rule["name"]: rule for rule in acl["rules"]}
    assert "AWSManagedRulesAnonymousIpList" in rules
    geo = rules["BlockedCountries"]
    assert geo["statement"]["geoMatchStatement"]["countryCodes"] == ["KP", "RU"]
    assert geo["action"] == {"block": {}}
    window = rules["RatePerClientIp"]["statement"]["rateBasedStatement"]["evaluationWindowSec"]
    assert window == 60
    # Cheapest first: the IP reputation list is evaluated before everything else.
    assert min(acl["rules"], key=lambda r: r["priority"])["name"] == (
        "AWSManagedRulesAmazonIpReputationList"
    )


# ---- values AWS validates that mocks accept --------------------------------------------

# WAF metric names: letters, digits, hyphen and underscore, 1-128 characters (the provider's
# schema and the WAF API both refuse anything else). Pulumi stack names may contain periods.
WAF_METRIC_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")


def test_waf_metric_names_are_valid_for_a_stack_name_with_periods():
    stack = "team.eu-west-2." + "x" * 80  # a legal Pulumi stack name (<= 100 characters)
    acl = run_program(stack_config("dev"), stack=stack).one("aws:wafv2/webAcl:WebAcl").inputs
    names = [acl["visibilityConfig"]["metricName"]]
    names += [rule["visibilityConfig"]["metricName"] for rule in acl["rules"]]
    for name in names:
        assert WAF_METRIC_NAME.fullmatch(name), name
    assert acl["visibilityConfig"]["metricName"].startswith("connect-chat-team-eu-west-2-")


@pytest.mark.parametrize(
    ("max_body_bytes", "inspection_limit"),
    [(16_384, None), (16_385, "KB_32"), (40_000, "KB_48"), (65_536, "KB_64")],
)
def test_waf_inspects_as_much_body_as_the_size_rule_allows(max_body_bytes, inspection_limit):
    # API Gateway forwards only the first 16 KB of a body to WAF unless the web ACL asks for
    # more; with oversize handling MATCH a larger wafMaxBodyBytes would silently act as 16 KB.
    config = {**stack_config("dev"), "connect-chat:wafMaxBodyBytes": str(max_body_bytes)}
    acl = run_program(config).one("aws:wafv2/webAcl:WebAcl").inputs
    rules = {rule["name"]: rule for rule in acl["rules"]}
    assert rules["BodyTooLarge"]["statement"]["sizeConstraintStatement"]["size"] == max_body_bytes
    if inspection_limit is None:
        assert "associationConfig" not in acl
    else:
        assert acl["associationConfig"] == {
            "requestBodies": [{"apiGateway": {"defaultSizeInspectionLimit": inspection_limit}}]
        }


@pytest.mark.parametrize("max_body_bytes", [8_192, 8_193, 16_384, 65_536])
def test_core_rule_set_body_size_rule_defers_to_a_larger_body_limit(max_body_bytes):
    # The core rule set's SizeRestrictions_BODY blocks any body over 8 KB whatever
    # wafMaxBodyBytes says; above 8 KB it counts instead and BodyTooLarge enforces the limit.
    config = {**stack_config("dev"), "connect-chat:wafMaxBodyBytes": str(max_body_bytes)}
    acl = run_program(config).one("aws:wafv2/webAcl:WebAcl").inputs
    rules = {rule["name"]: rule for rule in acl["rules"]}
    core = rules["AWSManagedRulesCommonRuleSet"]["statement"]["managedRuleGroupStatement"]
    if max_body_bytes <= 8_192:
        assert "ruleActionOverrides" not in core
    else:
        assert core["ruleActionOverrides"] == [
            {"name": "SizeRestrictions_BODY", "actionToUse": {"count": {}}}
        ]
    assert rules["BodyTooLarge"]["action"] == {"block": {}}
    for name, rule in rules.items():
        if (
            name != "AWSManagedRulesCommonRuleSet"
            and "managedRuleGroupStatement" in rule["statement"]
        ):
            assert "ruleActionOverrides" not in rule["statement"]["managedRuleGroupStatement"]


# ---- creation order the engine derives from inputs and depends_on ----------------------


def test_the_recorded_dependencies_follow_inputs():
    # Guards the order tests below: an input taken from another resource is a dependency.
    run = run_program(stack_config("dev"))
    stage = run.one("aws:apigateway/stage:Stage")
    assert run.waits_for(stage, run.one("aws:apigateway/deployment:Deployment"))
    assert not run.waits_for(run.one("aws:apigateway/restApi:RestApi"), stage)


def test_lambda_permissions_wait_for_the_alias_they_name(stack_run):
    # AddPermission on function:live answers ResourceNotFoundException until the alias
    # exists; the order must not depend on the provider retrying it long enough.
    _, config, run = stack_run
    aliases = run.of_type("aws:lambda/alias:Alias")
    assert len(aliases) == (1 if _config_bool(config, "snapStart") else 0)
    for permission in run.of_type("aws:lambda/permission:Permission"):
        assert run.waits_for(permission, run.one("aws:lambda/function:Function"))
        for alias in aliases:
            assert run.waits_for(permission, alias), permission.name


# (waiting resource type, name suffix, awaited resource type, name suffix, why)
CREATION_ORDER = [
    ("aws:apigateway/stage:Stage", "", "aws:cloudwatch/logGroup:LogGroup", "execution-logs",
     "the execution log group keeps our retention only if it exists first"),
    ("aws:apigateway/stage:Stage", "", "aws:apigateway/account:Account", "",
     "stage logging fails with 'CloudWatch Logs role ARN must be set' before the account role"),
    ("aws:apigateway/methodSettings:MethodSettings", "", "aws:apigateway/account:Account", "",
     "execution logging needs the account role too"),
    ("aws:apigateway/account:Account", "", "aws:iam/rolePolicy:RolePolicy", "cloudwatch-policy",
     "the role must be able to write logs when API Gateway starts using it"),
    ("aws:s3/bucketPolicy:BucketPolicy", "",
     "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "",
     "S3 aborts a policy change while Block Public Access is being applied"),
    ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "",
     "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "",
     "S3 answers OperationAborted to bucket settings changed at the same time"),
    ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "",
     "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "",
     "one bucket setting at a time (OperationAborted)"),
    ("aws:s3/bucketVersioning:BucketVersioning", "",
     "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "",
     "one bucket setting at a time (OperationAborted)"),
    ("aws:s3/bucketPolicy:BucketPolicy", "", "aws:s3/bucketVersioning:BucketVersioning", "",
     "the policy comes last, after every other bucket setting (OperationAborted)"),
    ("aws:lambda/function:Function", "", "aws:iam/rolePolicy:RolePolicy", "start-chat-policy",
     "active tracing and logging need the role's permissions from the first invocation"),
    ("aws:lambda/function:Function", "", "aws:cloudwatch/logGroup:LogGroup", "start-chat-logs",
     "logging_config names a group that must exist"),
    ("aws:wafv2/webAclAssociation:WebAclAssociation", "", "aws:apigateway/stage:Stage", "",
     "WAF can only attach to an existing stage"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("waiting", "waiting_suffix", "awaited", "awaited_suffix", "why"), CREATION_ORDER
)
def test_resources_are_created_in_the_order_aws_requires(
    stack_run, waiting, waiting_suffix, awaited, awaited_suffix, why
):
    _, config, run = stack_run
    account = "aws:apigateway/account:Account"
    if account in (waiting, awaited) and not _config_bool(config, "createApiGatewayAccountRole"):
        # This stack relies on the account's existing role; there is no order to keep.
        assert run.of_type(account) == []
        return
    assert run.waits_for(run.one(waiting, waiting_suffix), run.one(awaited, awaited_suffix)), why


def test_the_deployment_waits_for_every_method_integration_and_gateway_response(stack_run):
    _, _, run = stack_run
    deployment = run.one("aws:apigateway/deployment:Deployment")
    for type_token in (
        "aws:apigateway/method:Method",
        "aws:apigateway/integration:Integration",
        "aws:apigateway/response:Response",
    ):
        for resource in run.of_type(type_token):
            assert run.waits_for(deployment, resource), resource.name


# ---- destroy and update behaviour --------------------------------------------------------

ACCOUNT_WIDE = (
    "aws:apigateway/account:Account",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
)


def test_destroy_keeps_the_account_wide_api_gateway_logging_role():
    # pulumi-aws v7 resets API Gateway's account-wide CloudWatch role when an Account resource
    # is deleted: `pulumi destroy -s dev` would break stage logging of every other API in the
    # account and region. The setting, its role and the role's policy stay.
    run = run_program({**stack_config("dev"), "connect-chat:createApiGatewayAccountRole": "true"})
    retained = sorted((r.type, r.name) for r in run.resources if r.retain_on_delete)
    assert retained == sorted(
        [
            ("aws:apigateway/account:Account", "connect-chat-api-account"),
            ("aws:iam/role:Role", "connect-chat-api-cloudwatch-role"),
            ("aws:iam/rolePolicy:RolePolicy", "connect-chat-api-cloudwatch-policy"),
        ]
        + [(r.type, r.name) for r in run.resources if _is_site_asset(r)]
    )
    # Guards the recorder: a stack that relies on an existing role retains none of them.
    without = run_program(
        {**stack_config("dev"), "connect-chat:createApiGatewayAccountRole": "false"}
    )
    assert not any(r.retain_on_delete for r in without.resources if r.type in ACCOUNT_WIDE)


def _is_site_asset(resource) -> bool:
    return resource.type == "aws:s3/bucketObjectv2:BucketObjectv2" and resource.inputs[
        "key"
    ].startswith("assets/")


def test_the_signing_secret_holds_two_random_keys_as_a_secret_that_pulumi_does_not_revert(
    monkeypatch,
):
    import pulumi_aws as aws

    recorded: list[tuple[dict, pulumi.ResourceOptions]] = []
    real_version = aws.secretsmanager.SecretVersion

    def recording_version(name, opts=None, **kwargs):
        # Scheduled on the program's loop, which runs it before the run ends.
        kwargs["secret"] = asyncio.ensure_future(kwargs["secret_string"].is_secret())
        recorded.append((kwargs, opts))
        return real_version(name, opts=opts, **{k: v for k, v in kwargs.items() if k != "secret"})

    monkeypatch.setattr(aws.secretsmanager, "SecretVersion", recording_version)
    run = run_program(stack_config("dev"))
    ((kwargs, opts),) = recorded
    assert opts.ignore_changes == ["secretString"]
    assert kwargs["secret"].result() is True
    keys = run.of_type("random:index/randomBytes:RandomBytes")
    assert sorted(k.inputs["length"] for k in keys) == [32, 32]
    sent = run.one("aws:secretsmanager/secretVersion:SecretVersion").inputs["secretString"]
    # What the engine receives: Pulumi's secret envelope, so state stores it encrypted.
    assert sent["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
    document = json.loads(sent["value"])
    assert set(document) == {"current", "previous"}
    assert document["current"] != document["previous"]
    assert all(len(base64.b64decode(document[k])) == 32 for k in document)
    secret = run.one("aws:secretsmanager/secret:Secret")
    assert secret.inputs["namePrefix"] == "connect-chat-dev-signing-"
