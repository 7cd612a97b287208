"""Checks a program's ConnectChat arguments against the package schema, as an SDK would.

Values are parsed from the examples: literals as Python values, and anything computed from
another resource (a YAML `${...}` or `fn::` expression, a TypeScript Output) as an `Output`,
which the schema accepts only where a property is not `plain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .package_schema import type_name


@dataclass(frozen=True)
class Output:
    """A value known only at deployment; `type` is the schema type when the syntax tells it."""

    source: str
    type: str | None = None


_LITERAL_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "number": (int, float),
    "array": (list,),
    "object": (dict,),
}


def value_problems(
    value: Any, prop: dict[str, Any], schema: dict[str, Any], path: str
) -> list[str]:
    """What is wrong with `value` as the schema property `prop`; [] when nothing is."""
    if isinstance(value, Output):
        if prop.get("plain"):
            return [f"{path}: takes a plain value, not an output ({value.source})"]
        expected = "object" if "$ref" in prop else prop["type"]
        if value.type is not None and value.type != expected:
            return [f"{path}: {expected} expected, {value.type} output given ({value.source})"]
        return []
    if "$ref" in prop:
        declared = schema["types"][type_name(prop["$ref"])]
        return object_problems(
            value, declared["properties"], declared.get("required", []), schema, path
        )
    kind = prop["type"]
    # bool is an int in Python, never in a schema.
    if not isinstance(value, _LITERAL_TYPES[kind]) or (
        isinstance(value, bool) and kind in ("integer", "number")
    ):
        return [f"{path}: {kind} expected, {type(value).__name__} {value!r} given"]
    if kind == "array":
        return [
            problem
            for index, item in enumerate(value)
            for problem in value_problems(item, prop["items"], schema, f"{path}[{index}]")
        ]
    return []


def object_problems(
    value: Any,
    properties: dict[str, Any],
    required: list[str],
    schema: dict[str, Any],
    path: str,
) -> list[str]:
    """What is wrong with `value` as an object of these properties; [] when nothing is."""
    if not isinstance(value, dict):
        return [f"{path}: an object expected, {type(value).__name__} {value!r} given"]
    where = f"{path}." if path else ""
    problems = [
        f"{where}{key}: not a property (the schema has {', '.join(sorted(properties))})"
        for key in value
        if key not in properties
    ]
    problems += [f"{where}{key}: required, missing" for key in required if key not in value]
    problems += [
        problem
        for key, item in value.items()
        if key in properties
        for problem in value_problems(item, properties[key], schema, f"{where}{key}")
    ]
    return problems
