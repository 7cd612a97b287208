"""Issue 10 (and issue 9 items 8, 9): whole values, so a dropped part cannot pass.

The redeployment hash against every input of every API part; both response headers policies
in full (CSP, HSTS and the rest); the WAF log redaction set exactly; the attachment hosts of
us-east-1 and of another region; the CSP module importable without Pulumi or handler code.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from components import chat_api
from components.api_deployment_trigger import redeployment_hash
from components.content_security_policy import attachment_origins, chat_page_csp

from .pulumi_harness import PROJECT_DIR, ProgramRun, run_program, stack_config

RESPONSE_HEADERS_POLICY = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy"
DEPLOYMENT = "aws:apigateway/deployment:Deployment"

# ---- the redeployment hash ---------------------------------------------------------------

# API Gateway resources that a Deployment does not snapshot: the deployment itself, the stage
# and its settings (they point at a deployment), and the account-wide logging role.
NOT_SNAPSHOTTED = {"Deployment", "Stage", "MethodSettings", "Account"}
# The ids tying a part to this API: the Deployment names the API itself.
TIES = {"restApi", "restApiId", "resourceId"}


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def _declared_snapshot(run: ProgramRun) -> dict[str, dict[str, dict]]:
    """Every input of every API Gateway resource a deployment freezes, as the mocks saw it."""
    parts: dict[str, dict[str, dict]] = {}
    for resource in run.resources:
        if not resource.type.startswith("aws:apigateway/"):
            continue
        kind = resource.type.rsplit(":", 1)[1]
        if kind in NOT_SNAPSHOTTED:
            continue
        inputs = {_snake(k): v for k, v in resource.inputs.items() if k not in TIES}
        parts.setdefault(kind, {})[resource.name] = inputs
    return parts


def _trigger(run: ProgramRun) -> str:
    return run.one(DEPLOYMENT).inputs["triggers"]["redeployment"]


def test_the_redeployment_hash_covers_every_input_of_every_api_part(stack_run):
    """Any input added to a method, an integration, a gateway response or the API itself, or
    any new API Gateway resource (a validator, a policy), changes what is declared; unless
    the hash takes it too, this fails."""
    _, _, run = stack_run
    declared = _declared_snapshot(run)
    assert set(declared) == {"RestApi", "Method", "Integration", "Response"}
    assert {name.rsplit("-", 1)[1] for name in declared["Response"]} == {"4xx", "5xx"}
    assert _trigger(run) == redeployment_hash(declared)


def _changed_inputs(run: ProgramRun):
    declared = _declared_snapshot(run)
    for kind, parts in declared.items():
        for name, inputs in parts.items():
            for key in inputs:
                yield kind, name, key


def test_changing_or_dropping_any_single_input_changes_the_hash():
    run = run_program(stack_config("dev"))
    declared = _declared_snapshot(run)
    seen = set()
    for kind, name, key in _changed_inputs(run):
        changed = {k: {n: dict(i) for n, i in p.items()} for k, p in declared.items()}
        changed[kind][name][key] = "changed"
        dropped = {k: {n: dict(i) for n, i in p.items()} for k, p in declared.items()}
        del dropped[kind][name][key]
        for variant in (changed, dropped):
            digest = redeployment_hash(variant)
            assert digest != _trigger(run), (kind, name, key)
            seen.add(digest)
    # A response, a method or an integration dropped as a whole changes it too.
    for kind in declared:
        for name in declared[kind]:
            without = {k: {n: i for n, i in p.items() if n != name} for k, p in declared.items()}
            assert redeployment_hash(without) != _trigger(run), name
    assert len(seen) == 2 * len(list(_changed_inputs(run)))


@pytest.mark.parametrize(
    ("constant", "value"),
    [
        ("GATEWAY_ERROR_TEMPLATE", '{"error":{"code":"$context.error.responseType"}}'),
        ("GATEWAY_CORS_HEADERS", {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}),
        ("GATEWAY_RESPONSE_TYPES", ("DEFAULT_4XX",)),
        ("METHODS", ("POST",)),
    ],
)
def test_a_changed_api_part_redeploys(monkeypatch, constant, value):
    """The program itself, changed one part at a time: the trigger must move each time."""
    before = _trigger(run_program(stack_config("dev")))
    monkeypatch.setattr(chat_api, constant, value)
    after = run_program(stack_config("dev"))
    assert _trigger(after) != before
    assert _trigger(after) == redeployment_hash(_declared_snapshot(after))


# ---- the response headers policies, whole ------------------------------------------------

API = "https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com"
CONNECT_EU_WEST_2 = (
    "https://participant.connect.eu-west-2.amazonaws.com "
    "wss://*.transport.connect.eu-west-2.amazonaws.com"
)
STRICT_CSP = {
    # dev: attachments on, one allowed origin.
    "dev": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob: https:; "
    f"connect-src 'self' {API} {CONNECT_EU_WEST_2} https://*.s3.eu-west-2.amazonaws.com; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self' https://www.example.com",
    # prod: attachments off, two allowed origins.
    "prod": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob: https:; "
    f"connect-src 'self' {API} {CONNECT_EU_WEST_2}; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self' https://www.example.com https://shop.example.com",
}
# As shipped: two years, subdomains included, no preload (preload is a commitment the
# operator makes for the whole domain, hstspreload.org; not ours to make for them).
HSTS = {"accessControlMaxAgeSec": 63_072_000, "includeSubdomains": True, "override": True}


def _security_headers(csp: str) -> dict:
    return {
        "contentSecurityPolicy": {"contentSecurityPolicy": csp, "override": True},
        "contentTypeOptions": {"override": True},
        "referrerPolicy": {"referrerPolicy": "strict-origin-when-cross-origin", "override": True},
        "strictTransportSecurity": HSTS,
    }


def test_both_response_headers_policies_are_exactly_as_shipped(stack_run):
    stack, _, run = stack_run
    policies = {p.name: p.inputs for p in run.of_type(RESPONSE_HEADERS_POLICY)}
    strict = STRICT_CSP[stack]
    prebuilt = strict.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';")
    assert prebuilt != strict
    assert policies == {
        "connect-chat-site-headers": {
            "comment": "connect-chat widget: HSTS, nosniff, referrer policy, CSP for Connect chat",
            "securityHeadersConfig": _security_headers(strict),
        },
        "connect-chat-site-prebuilt-headers": {
            "comment": "connect-chat prebuilt.html: the site's headers, CSP with inline styles",
            "securityHeadersConfig": _security_headers(prebuilt),
        },
    }
    assert run.outputs["content_security_policy"] == strict
    assert run.outputs["prebuilt_content_security_policy"] == prebuilt


# ---- attachments: the S3 hosts Connect presigns, per region ------------------------------


def test_us_east_1_allows_the_legacy_global_s3_host_as_well_as_the_regional_one():
    run = run_program({**stack_config("dev"), "aws:region": "us-east-1"})
    csp = run.one(RESPONSE_HEADERS_POLICY, "-site-headers").inputs["securityHeadersConfig"][
        "contentSecurityPolicy"
    ]["contentSecurityPolicy"]
    assert csp == (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data: blob: https:; "
        "connect-src 'self' https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com "
        "https://participant.connect.us-east-1.amazonaws.com "
        "wss://*.transport.connect.us-east-1.amazonaws.com "
        "https://*.s3.amazonaws.com https://*.s3.us-east-1.amazonaws.com; "
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'self' https://www.example.com"
    )


@pytest.mark.parametrize(
    ("region", "hosts"),
    [
        ("us-east-1", ("https://*.s3.amazonaws.com", "https://*.s3.us-east-1.amazonaws.com")),
        ("eu-west-2", ("https://*.s3.eu-west-2.amazonaws.com",)),
        ("us-east-2", ("https://*.s3.us-east-2.amazonaws.com",)),
    ],
)
def test_attachment_hosts_per_region(region, hosts):
    assert attachment_origins(region) == hosts
    csp = chat_page_csp(
        api="https://x.example", region=region, attachments_enabled=True, frame_ancestors=()
    )
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["connect-src"].split(" ")[-len(hosts) :] == list(hosts)
    # Downloaded images are shown from a blob: URL; a direct S3 image link is https:.
    assert directives["img-src"] == "'self' data: blob: https:"


# ---- one CSP: the module local mode imports ----------------------------------------------


def test_the_csp_module_imports_neither_pulumi_nor_the_handler():
    probe = (
        "import sys, components.content_security_policy; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pulumi', 'pulumi_aws', "
        "'handler')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost:8082",
        "http://127.0.0.1",
        "ws://127.0.0.1:8082/path",
        "http://127.0.0.1:0",
        "*",
    ],
)
def test_only_loopback_emulator_origins_can_be_added(origin):
    with pytest.raises(ValueError, match="only local mode's emulator"):
        chat_page_csp(
            api="https://x.example",
            region="eu-west-2",
            attachments_enabled=False,
            frame_ancestors=(),
            emulator_origins=(origin,),
        )


# ---- WAF log redaction -------------------------------------------------------------------


def test_waf_logs_redact_exactly_the_credential_headers(stack_run):
    _, _, run = stack_run
    logging = run.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs
    # x-amz-bearer carries the Participant Service connection token; the others are the usual
    # credentials. The list is whole: a dropped header must fail, an extra one must be argued.
    assert logging["redactedFields"] == [
        {"singleHeader": {"name": "cookie"}},
        {"singleHeader": {"name": "authorization"}},
        {"singleHeader": {"name": "x-amz-bearer"}},
    ]
