"""Runs the real __main__.py under Pulumi mocks and records what it declared.

Traps this avoids (shared/reference/pulumi-notes.md): mocks are installed before the program
runs, every run gets a fresh event loop and a fresh root stack, registration is drained with
`pulumi.runtime.test` before anything is read, preview is off so every apply runs, and invoke
results use the camelCase names the SDK reads.
"""

from __future__ import annotations

import asyncio
import base64
import json
import runpy
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime.settings
import yaml
from pulumi.runtime.mocks import MockMonitor

PROJECT_DIR = Path(__file__).resolve().parents[2]
MAIN = PROJECT_DIR / "__main__.py"
PROJECT = "connect-chat"
ACCOUNT_ID = "123456789012"
DISTRIBUTION_ID = "E2QWRUHEXAMPLE"
REST_API_ID = "a1b2c3d4e5"
# The layer number the mocked SSM lookup answers: deliberately one no code path computes.
POWERTOOLS_LAYER_NUMBER = 27
# What the engine appends to an auto-named resource's physical name.
AUTONAME_SUFFIX = "7f3e2a1"


def powertools_parameter_value(region: str) -> str:
    """What AWS stores in the public Powertools SSM parameters of `region`."""
    return (
        f"arn:aws:lambda:{region}:017000801446:layer:"
        f"AWSLambdaPowertoolsPythonV3-python313-arm64:{POWERTOOLS_LAYER_NUMBER}"
    )


def response_headers_policy_id(name: str) -> str:
    """A UUID, as CloudFront gives, distinct per policy so behaviours can be told apart."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def stack_config(stack: str) -> dict[str, str]:
    """A shipped Pulumi.<stack>.yaml as the engine hands it to the program: strings, JSON."""
    document = yaml.safe_load((PROJECT_DIR / f"Pulumi.{stack}.yaml").read_text())
    values = document["config"]
    return {
        key: value if isinstance(value, str) else json.dumps(value) for key, value in values.items()
    }


@dataclass
class Declared:
    type: str
    name: str
    inputs: dict[str, Any]
    urn: str = ""
    # URNs this resource waits for: explicit depends_on plus every input's source resource.
    dependencies: frozenset[str] = frozenset()
    delete_before_replace: bool = False
    retain_on_delete: bool = False


@dataclass(frozen=True)
class InvokeCall:
    token: str
    args: dict[str, Any]


@dataclass
class ProgramRun:
    resources: list[Declared]
    outputs: dict[str, Any]
    exports: dict[str, Any]
    invokes: list[InvokeCall] = field(default_factory=list)

    def invoked(self, token: str) -> list[InvokeCall]:
        return [call for call in self.invokes if call.token == token]

    def of_type(self, type_token: str) -> list[Declared]:
        return [r for r in self.resources if r.type == type_token]

    def waits_for(self, resource: Declared, other: Declared) -> bool:
        """Whether the engine would create `resource` only after `other` (directly or not)."""
        by_urn = {r.urn: r for r in self.resources}
        pending, seen = list(resource.dependencies), set()
        while pending:
            urn = pending.pop()
            if urn == other.urn:
                return True
            if urn in seen or urn not in by_urn:
                continue
            seen.add(urn)
            pending.extend(by_urn[urn].dependencies)
        return False

    def one(self, type_token: str, name_suffix: str = "") -> Declared:
        found = [r for r in self.of_type(type_token) if r.name.endswith(name_suffix)]
        assert len(found) == 1, f"expected one {type_token} *{name_suffix}, got {len(found)}"
        return found[0]


class RecordingMocks(pulumi.runtime.Mocks):
    """Returns realistic ARNs so apply-based checks see what AWS would hand back."""

    def __init__(
        self, region: str, computed_outputs: bool = True, bucket_keys: tuple[str, ...] = ()
    ) -> None:
        self.region = region
        # What ListObjectsV2 finds in the site bucket (earlier deploys' uploads).
        self.bucket_keys = bucket_keys
        # Off in preview: like the engine, leave every provider-computed output unknown.
        self.computed_outputs = computed_outputs
        self.declared: list[Declared] = []
        self.invokes: list[InvokeCall] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        self.declared.append(Declared(args.typ, args.name, dict(args.inputs)))
        outputs = dict(args.inputs)
        if not self.computed_outputs:
            return f"{args.name}-id", outputs
        region, account = self.region, ACCOUNT_ID
        resource_id = f"{args.name}-id"
        typ = args.typ
        if typ == "aws:apigateway/restApi:RestApi":
            resource_id = REST_API_ID
            # The engine auto-names resources; mocks do not, so answer as it would.
            outputs.setdefault("name", f"{args.name}-{AUTONAME_SUFFIX}")
            outputs["rootResourceId"] = "rootid1234"
            outputs["executionArn"] = f"arn:aws:execute-api:{region}:{account}:{REST_API_ID}"
        elif typ == "aws:apigateway/stage:Stage":
            stage = args.inputs["stageName"]
            outputs["arn"] = f"arn:aws:apigateway:{region}::/restapis/{REST_API_ID}/stages/{stage}"
            outputs["invokeUrl"] = (
                f"https://{REST_API_ID}.execute-api.{region}.amazonaws.com/{stage}"
            )
        elif typ == "aws:lambda/function:Function":
            name = f"{args.name}-abc1234"
            resource_id = name
            outputs["name"] = name
            outputs["arn"] = f"arn:aws:lambda:{region}:{account}:function:{name}"
            outputs["invokeArn"] = (
                f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                f"{outputs['arn']}/invocations"
            )
            outputs["version"] = "1" if args.inputs.get("publish") else "$LATEST"
        elif typ == "aws:lambda/alias:Alias":
            function_arn = (
                f"arn:aws:lambda:{region}:{account}:function:{args.inputs['functionName']}"
            )
            outputs["arn"] = f"{function_arn}:{args.inputs['name']}"
            outputs["invokeArn"] = (
                f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
                f"{outputs['arn']}/invocations"
            )
        elif typ == "aws:cloudwatch/logGroup:LogGroup":
            outputs["arn"] = f"arn:aws:logs:{region}:{account}:log-group:{args.inputs['name']}"
        elif typ == "aws:iam/role:Role":
            outputs["arn"] = f"arn:aws:iam::{account}:role/{args.name}"
        elif typ == "aws:wafv2/webAcl:WebAcl":
            outputs.setdefault("name", f"{args.name}-{AUTONAME_SUFFIX}")
            outputs["arn"] = (
                f"arn:aws:wafv2:{region}:{account}:regional/webacl/{args.name}/"
                "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
            )
        elif typ == "aws:s3/bucket:Bucket":
            resource_id = f"{args.name}-0123abcd"
            outputs["bucket"] = resource_id
            outputs["arn"] = f"arn:aws:s3:::{resource_id}"
            outputs["bucketRegionalDomainName"] = f"{resource_id}.s3.{region}.amazonaws.com"
        elif typ == "aws:cloudfront/distribution:Distribution":
            resource_id = DISTRIBUTION_ID
            outputs["arn"] = f"arn:aws:cloudfront::{account}:distribution/{DISTRIBUTION_ID}"
            outputs["domainName"] = "d111111abcdef8.cloudfront.net"
        elif typ == "aws:secretsmanager/secret:Secret":
            resource_id = f"arn:aws:secretsmanager:{region}:{account}:secret:{args.name}-AbCdEf"
            outputs["arn"] = resource_id
        elif typ == "aws:secretsmanager/secretVersion:SecretVersion":
            outputs["arn"] = args.inputs["secretId"]
        elif typ == "random:index/randomBytes:RandomBytes":
            # What the provider computes: `length` random bytes, base64 and hex.
            raw = bytes([len(args.name) % 256]) * int(args.inputs["length"])
            outputs["base64"] = base64.b64encode(raw).decode()
            outputs["hex"] = raw.hex()
        elif typ == "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
            resource_id = response_headers_policy_id(args.name)
        elif typ == "aws:sns/topic:Topic":
            outputs["arn"] = f"arn:aws:sns:{region}:{account}:{args.name}-{AUTONAME_SUFFIX}"
        return resource_id, outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        self.invokes.append(InvokeCall(args.token, dict(args.args)))
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/tester",
                "userId": "AIDAEXAMPLE",
                "id": ACCOUNT_ID,
            }
        if args.token == "aws:index/getPartition:getPartition":
            return {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "reverseDnsPrefix": "com.amazonaws",
                "id": "aws",
            }
        if args.token == "aws:s3/getObjects:getObjects":
            prefix = args.args.get("prefix") or ""
            keys = [key for key in self.bucket_keys if key.startswith(prefix)]
            return {"bucket": args.args["bucket"], "id": args.args["bucket"], "keys": keys,
                    "commonPrefixes": [], "owners": [], "requestCharged": ""}  # fmt: skip
        if args.token == "aws:index/getRegion:getRegion":
            return {"region": self.region, "name": self.region, "id": self.region}
        if args.token == "aws:ssm/getParameter:getParameter":
            name = args.args["name"]
            if not name.startswith("/aws/service/powertools/"):
                raise AssertionError(f"unexpected SSM parameter {name}")
            value = powertools_parameter_value(self.region)
            # As the provider answers for a String parameter: both value fields carry the text.
            return {
                "arn": f"arn:aws:ssm:{self.region}::parameter{name}",
                "id": name,
                "name": name,
                "type": "String",
                "value": value,
                "insecureValue": value,
                "version": 1,
                "withDecryption": True,
                "region": self.region,
            }
        raise AssertionError(f"unexpected invoke {args.token}")


class RecordingMonitor(MockMonitor):
    """Also keeps each registration's dependencies, which the mocks' callback never sees."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.dependencies: dict[str, frozenset[str]] = {}
        self.delete_before_replace: dict[str, bool] = {}
        self.retain_on_delete: dict[str, bool] = {}

    def RegisterResource(self, request):  # the gRPC method name
        urns = set(request.dependencies)
        for property_dependencies in request.propertyDependencies.values():
            urns.update(property_dependencies.urns)
        self.dependencies[request.name] = frozenset(urns)
        self.delete_before_replace[request.name] = bool(request.deleteBeforeReplace)
        self.retain_on_delete[request.name] = bool(request.retainOnDelete)
        return super().RegisterResource(request)


def run_program(
    config: dict[str, str],
    stack: str = "dev",
    preview: bool = False,
    declared: list[Declared] | None = None,
    main: Path = MAIN,
    bucket_keys: tuple[str, ...] = (),
) -> ProgramRun:
    """Runs __main__.py with `config`; raises whatever the program raises.

    `declared`, when given, receives every resource registered, even if the program fails.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        region = config.get("aws:region", "eu-west-2")
        mocks = RecordingMocks(region, computed_outputs=not preview, bucket_keys=bucket_keys)
        if declared is not None:
            mocks.declared = declared
        monitor = RecordingMonitor(mocks)
        pulumi.runtime.settings.set_root_resource(None)
        pulumi.runtime.set_all_config(dict(config))
        pulumi.runtime.set_mocks(
            mocks, project=PROJECT, stack=stack, preview=preview, monitor=monitor
        )
        resolved: dict[str, Any] = {}

        @pulumi.runtime.test
        def program() -> pulumi.Output:
            namespace = runpy.run_path(str(main), run_name="__main__")
            if "observed" in namespace:
                # A test's own program names the outputs it wants resolved.
                return pulumi.Output.all(**namespace["observed"]).apply(resolved.update)
            chat = namespace["chat"]
            return pulumi.Output.all(
                api_endpoint=chat.api_endpoint,
                site_url=chat.site_url,
                widget_config=chat.widget_config,
                web_acl_arn=chat.web_acl_arn,
                function_name=chat.function_name,
                signing_secret_arn=chat.signing_secret_arn,
                flow_arns=chat.flow_arns,
                content_security_policy=chat.content_security_policy,
                prebuilt_content_security_policy=chat.prebuilt_content_security_policy,
                permission_source_arns=pulumi.Output.all(**chat.lambda_permission_source_arns),
                alarm_topic_arn=chat.alarm_topic_arn,
                retired_asset_keys=chat.retired_asset_keys,
            ).apply(resolved.update)

        if preview:
            # Outputs stay unknown in preview: drain registration without resolving them.
            pulumi.runtime.test(lambda: runpy.run_path(str(main), run_name="__main__"))()
        else:
            program()
        urns = {
            registration.urn.rsplit("::", 1)[-1]: urn
            for urn, registration in monitor.resources.items()
        }
        for declared in mocks.declared:
            declared.urn = urns.get(declared.name, "")
            declared.dependencies = monitor.dependencies.get(declared.name, frozenset())
            declared.delete_before_replace = monitor.delete_before_replace.get(declared.name, False)
            declared.retain_on_delete = monitor.retain_on_delete.get(declared.name, False)
        root = pulumi.runtime.settings.get_root_resource()
        exports = dict(getattr(root, "outputs", {}) or {})
        return ProgramRun(mocks.declared, resolved, exports, mocks.invokes)
    finally:
        pulumi.runtime.settings.set_root_resource(None)
        asyncio.set_event_loop(None)
        loop.close()
