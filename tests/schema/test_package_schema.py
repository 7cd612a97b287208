"""The package schema: committed as reviewed, described, typed as the arguments promise.

Every SDK `pulumi package add` generates (TypeScript, Go, C#, Java, YAML) is this document, so
these tests read it as a consumer's compiler would: names, types, required-ness, and whether a
property takes another resource's output (no `plain`) or only a literal (`plain: true`).
"""

from __future__ import annotations

import ast
import difflib
import inspect
import typing
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml

from components import connect_chat as connect_chat_module
from components.chat_settings import is_input, schema_name
from components.connect_chat_args import ConnectChatArgs

from .package_schema import (
    REGENERATE,
    ROOT,
    SCHEMA_FILE,
    TOKEN,
    committed_schema,
    component,
    inferred_schema,
    render,
    type_name,
)

OUTPUTS = {
    "apiEndpoint",
    "siteUrl",
    "widgetConfig",
    "webAclArn",
    "functionName",
    "signingSecretArn",
    "alarmTopicArn",
    "region",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return inferred_schema()


def test_the_committed_schema_is_what_the_analyzer_infers(schema):
    inferred, committed = render(schema), SCHEMA_FILE.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            inferred.splitlines(keepends=True),
            "provider/schema.json (committed)",
            "provider/schema.json (inferred)",
        )
    )
    assert inferred == committed, (
        "The package schema changed: every generated SDK changes with it. Review the diff, "
        f"then run `{REGENERATE}` and commit provider/schema.json.\n{diff}"
    )


def test_the_committed_schema_names_the_package_and_its_one_component():
    schema = committed_schema()
    assert (schema["name"], schema["version"], list(schema["resources"])) == (
        "connect-chat",
        "0.0.0",
        [TOKEN],
    )
    # No provider or other package types leak into the interface consumers code against.
    assert schema["dependencies"] == []
    assert component(schema)["isComponent"] is True


def _input_property_sets(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every set of input properties: the component's and each object type's."""
    sets = {TOKEN: component(schema)["inputProperties"]}
    sets.update({name: t["properties"] for name, t in schema["types"].items()})
    return sets


def test_every_input_property_has_a_one_line_description(schema):
    sets = _input_property_sets(schema)
    assert set(sets) == {
        TOKEN,
        "connect-chat:index:WidgetOptions",
        "connect-chat:index:PreChatFieldOptions",
        "connect-chat:index:DisplayNameOptions",
    }
    undescribed = [
        f"{owner}.{name}: {prop.get('description')!r}"
        for owner, properties in sets.items()
        for name, prop in properties.items()
        # The analyzer copies the docstring literally: a wrapped one would carry its indentation
        # into every SDK's doc comments.
        if not prop.get("description", "").strip()
        or "\n" in prop["description"]
        or prop["description"] != prop["description"].strip()
    ]
    assert undescribed == []
    assert all(t["description"].strip() for t in schema["types"].values())
    assert component(schema)["description"].strip()
    outputs = component(schema)["properties"]
    assert [name for name, prop in outputs.items() if not prop.get("description", "").strip()] == []


def test_the_required_inputs_are_the_instance_and_the_flow(schema):
    assert set(component(schema)["requiredInputs"]) == {"instanceId", "contactFlowId"}
    assert schema["types"]["connect-chat:index:PreChatFieldOptions"]["required"] == ["attribute"]
    assert "required" not in schema["types"]["connect-chat:index:WidgetOptions"]
    assert "required" not in schema["types"]["connect-chat:index:DisplayNameOptions"]


def _is_input_annotation(annotation: Any) -> bool:
    """pulumi.Input[T] is Union[T, Awaitable[T], Output[T]]."""
    return get_origin(annotation) is typing.Union and any(
        get_origin(arg) is Awaitable for arg in get_args(annotation)
    )


def _expected_shape(annotation: Any) -> dict[str, Any]:
    """The schema property (without descriptions) a field's annotation promises."""
    if get_origin(annotation) in (typing.NotRequired, typing.Required):
        annotation = get_args(annotation)[0]
    plain = not _is_input_annotation(annotation)
    if not plain:
        annotation = next(a for a in get_args(annotation) if get_origin(a) is Awaitable)
        annotation = get_args(annotation)[0]
    shape: dict[str, Any]
    if annotation in (str, int, bool):
        shape = {"type": {str: "string", int: "integer", bool: "boolean"}[annotation]}
    elif get_origin(annotation) in (list, Sequence):
        shape = {"type": "array", "items": _expected_shape(get_args(annotation)[0])}
    elif typing.is_typeddict(annotation):
        shape = {"$ref": f"#/types/connect-chat:index:{annotation.__name__}"}
    else:
        raise AssertionError(f"no schema type for {annotation!r}")
    return {**shape, "plain": True} if plain else shape


def _without_descriptions(prop: dict[str, Any]) -> dict[str, Any]:
    return {
        key: _without_descriptions(value) if isinstance(value, dict) else value
        for key, value in prop.items()
        if key != "description"
    }


def _nested_types() -> dict[str, type]:
    """Every TypedDict nested in ConnectChatArgs, by schema type token."""
    found: dict[str, type] = {}

    def visit(annotation: Any) -> None:
        if typing.is_typeddict(annotation):
            found[f"connect-chat:index:{annotation.__name__}"] = annotation
            for field in inspect.get_annotations(annotation).values():
                visit(field)
        for arg in get_args(annotation):
            visit(arg)

    for field in inspect.get_annotations(ConnectChatArgs).values():
        visit(field)
    return found


def test_every_property_has_the_type_its_annotation_promises(schema):
    """string/integer/boolean/array/$ref, and `plain` exactly where the field is no Input."""
    nested = _nested_types()
    assert set(nested) == set(schema["types"])
    sets = _input_property_sets(schema)
    for token, typed_dict in [(TOKEN, ConnectChatArgs), *nested.items()]:
        expected = {
            schema_name(field): _expected_shape(annotation)
            for field, annotation in inspect.get_annotations(typed_dict).items()
        }
        actual = {name: _without_descriptions(prop) for name, prop in sets[token].items()}
        assert actual == expected, token


def test_plain_is_exactly_on_the_arguments_that_are_not_inputs(schema):
    """TypeScript users may pass an Output wherever the arguments module takes pulumi.Input."""
    inputs = component(schema)["inputProperties"]
    plain = {name for name, prop in inputs.items() if prop.get("plain")}
    not_inputs = {
        schema_name(field)
        for field in inspect.get_annotations(ConnectChatArgs)
        if not is_input(ConnectChatArgs, field)
    }
    assert plain == not_inputs
    assert "instanceId" not in plain and "region" in plain  # the two ends of the rule
    nested = [
        f"{owner}.{name}"
        for owner, properties in _input_property_sets(schema).items()
        if owner != TOKEN
        for name, prop in properties.items()
        if prop.get("plain")
    ]
    assert nested == []  # the widget's settings are all inputs


def _internal_attributes() -> set[str]:
    """Attributes ConnectChat sets on itself that its class body does not annotate."""
    tree = ast.parse(Path(inspect.getfile(connect_chat_module)).read_text())
    cls = next(
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "ConnectChat"
    )
    annotated = {
        node.target.id
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assigned = {
        target.attr
        for node in ast.walk(cls)
        for target in (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        if isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    }
    return assigned - annotated


def test_the_outputs_are_exactly_the_public_ones(schema):
    resource = component(schema)
    assert set(resource["properties"]) == OUTPUTS
    # alarmTopicArn is absent when monitoring is false; every other output is always set.
    assert set(resource["required"]) == OUTPUTS - {"alarmTopicArn"}
    internal = {schema_name(name) for name in _internal_attributes()}
    assert {
        "flowArns",
        "contentSecurityPolicy",
        "retiredAssetKeys",
        "lambdaPermissionSourceArns",
    } <= internal
    assert internal & set(resource["properties"]) == set()


def test_the_stack_config_keys_are_the_inputs_but_the_region(schema):
    """The repository's stack sets the same names (connect-chat:<input>); region is aws:region."""
    declared = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["config"]
    inputs = component(schema)["inputProperties"]
    assert {*declared, "widget"} == set(inputs) - {"region"}
    declared_types = {
        key: (d["type"], d.get("items", {}).get("type")) for key, d in declared.items()
    }
    schema_types = {
        key: (inputs[key]["type"], inputs[key].get("items", {}).get("type")) for key in declared
    }
    assert declared_types == schema_types
    assert type_name(inputs["widget"]["$ref"]) == "connect-chat:index:WidgetOptions"
