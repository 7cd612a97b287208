"""ConnectChat's typed arguments: what another program passes, and what existing stacks keep.

Programs call ConnectChat with Python names (`from connect_chat import ConnectChat`), or through
Pulumi's component provider, which hands over the same names after mapping the schema's. Values
a program takes from its other resources arrive as outputs and are checked when they resolve.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from components.chat_settings import PLACEHOLDER_ID, python_args, schema_values
from components.config_error import ArgumentError
from components.stack_config import values_from_stack_config

from .pulumi_harness import Declared, run_program, stack_config

INSTANCE = "11111111-2222-4333-8444-555555555555"
FLOW = "66666666-7777-4888-9999-aaaaaaaaaaaa"
OTHER_FLOW = "76666666-7777-4888-9999-aaaaaaaaaaaa"
RELEASED_URNS = json.loads((Path(__file__).parent / "released-urns.json").read_text())["stacks"]


def _program(tmp_path: Path, body: str) -> Path:
    """A program outside this repository's root, importing the component as a user would."""
    main = tmp_path / "consumer" / "__main__.py"
    main.parent.mkdir(parents=True)
    main.write_text(
        "import pulumi\n\nfrom components import ConnectChat\n\n" + textwrap.dedent(body)
    )
    return main


def _environment(run_resources: list[Declared]) -> dict[str, str]:
    (function,) = [r for r in run_resources if r.type == "aws:lambda/function:Function"]
    return function.inputs["environment"]["variables"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_existing_stacks_keep_every_resource_urn(stack):
    # Same type tokens, names and parents as the release before the package: no replacement.
    run = run_program(stack_config(stack), stack=stack)
    assert sorted(r.urn for r in run.resources) == RELEASED_URNS[stack]


def test_inputs_from_other_resources_are_checked_when_they_resolve_and_used(tmp_path):
    main = _program(
        tmp_path,
        f"""
        import pulumi_aws as aws

        # Any resource's output: the mocks echo a topic's name back.
        ids = aws.sns.Topic("ids", name="{INSTANCE}")
        flow = aws.sns.Topic("flow", name="{FLOW}")
        chat = ConnectChat(
            "connect-chat",
            {{
                "instance_id": ids.name,
                "contact_flow_id": flow.name,
                "extra_contact_flow_ids": [flow.name.apply(lambda v: "7" + v[1:])],
                "allowed_origins": pulumi.Output.from_input(["https://www.example.com"]),
                "widget": {{"title": flow.name.apply(lambda _: "Ask us")}},
                "region": "eu-west-2",
            }},
        )
        """,
    )
    run = run_program({}, main=main)
    environment = _environment(run.resources)
    assert environment["INSTANCE_ID"] == INSTANCE
    assert environment["CONTACT_FLOW_ID"] == FLOW
    assert environment["ALLOWED_CONTACT_FLOW_IDS"] == OTHER_FLOW
    assert environment["ALLOWED_ORIGINS"].endswith(",https://www.example.com")
    assert run.outputs["widget_config"]["theme"]["title"] == "Ask us"
    assert run.outputs["flow_arns"] == [
        f"arn:aws:connect:eu-west-2:123456789012:instance/{INSTANCE}/contact-flow/{flow}"
        for flow in (FLOW, OTHER_FLOW)
    ]
    # The stand-in used to check the plain arguments early never reaches a resource.
    assert PLACEHOLDER_ID not in json.dumps([r.inputs for r in run.resources], default=str)


def test_an_output_that_breaks_a_rule_fails_the_deployment_with_the_rule(tmp_path):
    main = _program(
        tmp_path,
        f"""
        import pulumi_aws as aws

        ids = aws.sns.Topic("ids", name="not-an-instance-id")
        chat = ConnectChat(
            "connect-chat",
            {{"instance_id": ids.name, "contact_flow_id": "{FLOW}", "region": "eu-west-2"}},
        )
        """,
    )
    with pytest.raises(Exception, match="ConnectChat argument instanceId = 'not-an-instance-id'"):
        run_program({}, main=main)


def test_an_output_for_a_plain_argument_is_refused_before_any_resource(tmp_path):
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat",
            {{
                "instance_id": "{INSTANCE}",
                "contact_flow_id": "{FLOW}",
                "region": "eu-west-2",
                "snap_start": pulumi.Output.from_input(True),
            }},
        )
        """,
    )
    declared: list[Declared] = []
    with pytest.raises(ArgumentError, match="ConnectChat argument snapStart = '<output>'") as e:
        run_program({}, main=main, declared=declared)
    assert "must be a plain value" in e.value.rule
    assert declared == []


def test_a_known_value_that_breaks_a_rule_stops_before_any_resource(tmp_path):
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat",
            {{
                "instance_id": "{INSTANCE}",
                "contact_flow_id": "{FLOW}",
                "region": "eu-west-2",
                "widget": {{"pre_chat_fields": [{{"attribute": "topic"}}]}},
            }},
        )
        """,
    )
    declared: list[Declared] = []
    with pytest.raises(ArgumentError) as refused:
        run_program({}, main=main, declared=declared)
    assert str(refused.value) == (
        "ConnectChat argument widget.preChatFields[0].attribute = 'topic': "
        "must be one of allowedAttributes []"
    )
    assert declared == []


def test_a_schema_name_in_python_is_refused_with_the_python_name(tmp_path):
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat",
            {{"instanceId": "{INSTANCE}", "contact_flow_id": "{FLOW}", "region": "eu-west-2"}},
        )
        """,
    )
    with pytest.raises(ArgumentError) as refused:
        run_program({}, main=main)
    assert str(refused.value) == (
        f"ConnectChat argument instanceId = '{INSTANCE}': "
        "is not an argument (Python names are snake_case: instance_id)"
    )


def test_the_region_defaults_to_the_aws_providers(tmp_path):
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat", {{"instance_id": "{INSTANCE}", "contact_flow_id": "{FLOW}"}}
        )
        """,
    )
    run = run_program({"aws:region": "ca-central-1"}, main=main)
    assert run.outputs["api_endpoint"].startswith("https://a1b2c3d4e5.execute-api.ca-central-1.")


def test_no_region_anywhere_names_the_argument_and_the_provider_key(tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat", {{"instance_id": "{INSTANCE}", "contact_flow_id": "{FLOW}"}}
        )
        """,
    )
    with pytest.raises(ArgumentError) as refused:
        run_program({}, main=main)
    assert str(refused.value) == (
        "ConnectChat argument region = None: "
        "is required: pass region, or configure the AWS provider's (aws:region)"
    )


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_config_and_python_arguments_map_both_ways(stack):
    raw = {key.removeprefix("connect-chat:"): v for key, v in stack_config(stack).items()}
    values = values_from_stack_config(raw)
    assert schema_values(python_args(values)) == values
    if stack == "dev":
        widget = python_args(values)["widget"]
        assert widget["pre_chat_fields"][0]["attribute"] == "topic"
        assert widget["primary_color"] == "#1f4fd1"


def test_the_component_provider_path_maps_the_schema_names(tmp_path):
    # What `pulumi package add` consumers exercise: the provider receives schema names,
    # maps them to Python names along the inferred schema, and constructs the component.
    main = tmp_path / "consumer" / "__main__.py"
    main.parent.mkdir(parents=True)
    main.write_text(
        textwrap.dedent(
            f"""
            import pulumi
            from pulumi.provider.experimental.component import ComponentProvider

            from components import ConnectChat

            provider = ComponentProvider([ConnectChat], "connect-chat")
            result = provider.construct(
                "connect-chat",
                "connect-chat:index:ConnectChat",
                {{
                    "instanceId": "{INSTANCE}",
                    "contactFlowId": "{FLOW}",
                    "region": "eu-west-2",
                    "allowedAttributes": ["topic"],
                    "chatDurationInMinutes": 90.0,
                    "widget": {{
                        "title": "Help desk",
                        "primaryColor": "#222222",
                        "displayNames": {{"agent": "Support"}},
                        "preChatFields": [
                            {{"attribute": "topic", "type": "select", "options": ["A", "B"]}}
                        ],
                    }},
                }},
            )
            observed = {{"state": result.state}}
            """
        )
    )
    run = run_program({}, main=main)
    state = run.outputs["state"]
    assert set(state) == {
        "apiEndpoint", "siteUrl", "widgetConfig", "webAclArn", "functionName",
        "signingSecretArn", "alarmTopicArn", "region",
    }  # fmt: skip
    document = state["widgetConfig"]
    assert document["chatDurationInMinutes"] == 90
    assert document["theme"]["title"] == "Help desk"
    assert document["theme"]["displayNames"] == {"agent": "Support"}
    assert document["preChatFields"] == [
        {"attribute": "topic", "label": "topic", "type": "select", "required": False,
         "options": ["A", "B"]}
    ]  # fmt: skip


def test_unknown_inputs_in_preview_declare_every_resource(tmp_path):
    # In preview another resource's id is unknown: nothing may branch on it or fail.
    main = _program(
        tmp_path,
        f"""
        import pulumi_aws as aws

        ids = aws.sns.Topic("ids", name="{INSTANCE}")
        chat = ConnectChat(
            "connect-chat",
            {{"instance_id": ids.arn, "contact_flow_id": "{FLOW}", "region": "eu-west-2"}},
        )
        """,
    )
    known = run_program(
        {},
        main=_program(
            tmp_path / "known",
            f"""
        import pulumi_aws as aws

        ids = aws.sns.Topic("ids", name="{INSTANCE}")
        chat = ConnectChat(
            "connect-chat",
            {{"instance_id": "{INSTANCE}", "contact_flow_id": "{FLOW}", "region": "eu-west-2"}},
        )
        """,
        ),
    )
    preview = run_program({}, main=main, preview=True)
    assert sorted(r.urn for r in preview.resources) == sorted(r.urn for r in known.resources)


def test_a_region_other_than_the_providers_fails_the_deployment(tmp_path):
    main = _program(
        tmp_path,
        f"""
        chat = ConnectChat(
            "connect-chat",
            {{"instance_id": "{INSTANCE}", "contact_flow_id": "{FLOW}", "region": "eu-west-2"}},
        )
        """,
    )
    # The mocked provider answers getRegion with aws:region, as an explicit provider would.
    with pytest.raises(
        Exception,
        match=r"ConnectChat argument region = 'eu-west-2': the AWS "
        r"provider deploys to eu-west-1: pass region='eu-west-1' \(or omit it\)",
    ):
        run_program({"aws:region": "eu-west-1"}, main=main)
