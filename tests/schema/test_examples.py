"""The examples use the package as its schema describes it, in each language's own syntax.

A consumer's SDK is generated from provider/schema.json, so every property an example sets must
exist there with the right type (recursively into the widget), outputs of other resources may go
only where a property is not plain, and every output an example reads must be a package output.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.chat_settings import schema_name, schema_values
from components.config_error import ArgumentError

from .package_schema import PACKAGE, ROOT, TOKEN, committed_schema, component
from .schema_values import Output, object_problems

EXAMPLES = ROOT / "examples"
# The placeholder organisation every example and the README use (`pulumi package add` names the
# TypeScript package after the GitHub organisation: @acme/connect-chat).
ORG = "acme"
RELEASE = "v0.1.0"
PLUGIN_SOURCE = f"github.com/{ORG}/connect-chat/provider@{RELEASE}"
TYPESCRIPT = ROOT / "site" / "node_modules" / "typescript"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return committed_schema()


def _argument_problems(arguments: Any, schema: dict[str, Any]) -> list[str]:
    inputs = component(schema)
    return object_problems(
        arguments, inputs["inputProperties"], inputs["requiredInputs"], schema, ""
    )


# ---- YAML -----------------------------------------------------------------------------------

_INTERPOLATION = re.compile(r"\$\{([^}]*)\}")


def _yaml_values(node: Any) -> Any:
    """A YAML program's value, with `${...}` and `fn::` expressions as Outputs."""
    if isinstance(node, str) and _INTERPOLATION.search(node):
        whole = _INTERPOLATION.fullmatch(node) is not None
        # `${a.b}` is the referenced value itself; text around it makes a string.
        return Output(node, None if whole else "string")
    if isinstance(node, dict) and len(node) == 1 and str(next(iter(node))).startswith("fn::"):
        return Output(json.dumps(node))
    if isinstance(node, dict):
        return {key: _yaml_values(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_yaml_values(item) for item in node]
    return node


@pytest.fixture(scope="module")
def yaml_program() -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / "yaml" / "Pulumi.yaml").read_text())


def test_the_yaml_example_adds_the_package_from_its_tag(yaml_program):
    assert yaml_program["runtime"] == "yaml"
    assert yaml_program["packages"] == {PACKAGE: PLUGIN_SOURCE}


def test_the_yaml_example_declares_connect_chat_with_schema_properties(yaml_program, schema):
    resources = {
        name: resource
        for name, resource in yaml_program["resources"].items()
        if resource["type"].startswith(f"{PACKAGE}:")
    }
    assert [resource["type"] for resource in resources.values()] == [TOKEN]
    assert TOKEN in schema["resources"]
    (properties,) = (_yaml_values(r["properties"]) for r in resources.values())
    assert _argument_problems(properties, schema) == []
    # The ids come from the program's lookups: the example shows outputs feeding inputs.
    assert isinstance(properties["instanceId"], Output)
    assert isinstance(properties["contactFlowId"], Output)


def test_the_yaml_example_reads_only_package_outputs(yaml_program, schema):
    (name,) = (n for n, r in yaml_program["resources"].items() if r["type"] == TOKEN)
    references = {
        match.group(1).split(".", 1)[1]
        for value in yaml_program["outputs"].values()
        for match in _INTERPOLATION.finditer(value)
        if match.group(1).startswith(f"{name}.")
    }
    assert references == {"siteUrl", "apiEndpoint"}
    assert references <= set(component(schema)["properties"])


# ---- TypeScript -----------------------------------------------------------------------------


def _typescript_values(value: Any) -> Any:
    """The evaluator's JSON, with its {"$output": source} markers as Outputs."""
    if isinstance(value, dict) and set(value) == {"$output"}:
        return Output(value["$output"])
    if isinstance(value, dict):
        return {key: _typescript_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typescript_values(item) for item in value]
    return value


def evaluate_typescript(program: Path, sdk_module: str) -> dict[str, Any]:
    """Runs the program with stubbed imports (tests/schema/evaluate_program.cjs)."""
    assert TYPESCRIPT.is_dir(), "run `cd site && npm ci` first: the evaluator uses its TypeScript"
    completed = subprocess.run(
        [
            "node",
            str(Path(__file__).with_name("evaluate_program.cjs")),
            str(TYPESCRIPT),
            str(program),
            sdk_module,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.fixture(scope="module")
def typescript_run() -> dict[str, Any]:
    return evaluate_typescript(EXAMPLES / "typescript" / "index.ts", f"@{ORG}/{PACKAGE}")


def test_the_typescript_example_imports_the_sdk_package_add_generates(typescript_run):
    project = yaml.safe_load((EXAMPLES / "typescript" / "Pulumi.yaml").read_text())
    assert project["runtime"]["name"] == "nodejs"
    assert project["packages"] == {PACKAGE: PLUGIN_SOURCE}
    manifest = json.loads((EXAMPLES / "typescript" / "package.json").read_text())
    # `pulumi package add` generates sdks/connect-chat, named after the GitHub organisation.
    assert manifest["dependencies"][f"@{ORG}/{PACKAGE}"] == f"file:sdks/{PACKAGE}"
    assert set(typescript_run["imported"]) == {"@pulumi/pulumi", "@pulumi/aws", f"@{ORG}/{PACKAGE}"}
    tsconfig = json.loads((EXAMPLES / "typescript" / "tsconfig.json").read_text())
    assert tsconfig["files"] == ["index.ts"]


def test_the_typescript_example_passes_schema_properties(typescript_run, schema):
    (chat,) = typescript_run["constructed"]
    assert (chat["component"], chat["name"]) == ("ConnectChat", "website-chat")
    arguments = _typescript_values(chat["args"])
    assert _argument_problems(arguments, schema) == []
    assert isinstance(arguments["instanceId"], Output)
    assert arguments["instanceId"].source.endswith(").id")
    assert isinstance(arguments["contactFlowId"], Output)


def test_the_typescript_example_reads_only_package_outputs(typescript_run, schema):
    (chat,) = typescript_run["constructed"]
    assert set(chat["reads"]) == {"siteUrl", "apiEndpoint"}
    assert set(chat["reads"]) <= set(component(schema)["properties"])
    assert set(typescript_run["exported"]) == {"siteUrl", "apiEndpoint", "embedTag"}


def test_the_typescript_evaluator_sees_a_misspelt_property(tmp_path, schema):
    """Guards the tests above: the evaluator reports what a program really passes."""
    source = (EXAMPLES / "typescript" / "index.ts").read_text()
    broken = source.replace("allowedOrigins:", "allowedOrigin:").replace(
        'primaryColor: "#0b5fff"', "primaryColor: 11"
    )
    assert broken != source
    (tmp_path / "index.ts").write_text(broken)
    (chat,) = evaluate_typescript(tmp_path / "index.ts", f"@{ORG}/{PACKAGE}")["constructed"]
    problems = _argument_problems(_typescript_values(chat["args"]), schema)
    assert problems == [
        "allowedOrigin: not a property (the schema has "
        + ", ".join(sorted(component(schema)["inputProperties"]))
        + ")",
        "widget.primaryColor: string expected, int 11 given",
    ]


# ---- Python ---------------------------------------------------------------------------------


def _python_values(node: ast.expr) -> Any:
    """A literal as its value; anything computed (another resource's output) as an Output."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_python_values(item) for item in node.elts]
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return {
            key.value: _python_values(value)  # type: ignore[union-attr]
            for key, value in zip(node.keys, node.values, strict=True)
        }
    return Output(ast.unparse(node))


def test_the_python_example_installs_the_package_from_its_tag():
    project = yaml.safe_load((EXAMPLES / "python" / "Pulumi.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    requirements = [
        line
        for line in (EXAMPLES / "python" / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert requirements == [f"connect-chat @ git+https://github.com/{ORG}/connect-chat@{RELEASE}"]


def test_the_python_example_passes_connect_chat_args(schema):
    tree = ast.parse((EXAMPLES / "python" / "__main__.py").read_text())
    imports = [
        (node.module, [alias.name for alias in node.names])
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    ]
    assert imports == [("connect_chat", ["ConnectChat"])]
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ConnectChat"
    ]
    assert len(calls) == 1 and len(calls[0].args) == 2 and calls[0].keywords == []
    name, args = (_python_values(arg) for arg in calls[0].args)
    assert name == "website-chat"
    # The package's own renaming: a misspelt or camelCase key is an ArgumentError naming it.
    try:
        arguments = schema_values(args)
    except ArgumentError as error:
        pytest.fail(str(error))
    assert _argument_problems(arguments, schema) == []
    assert isinstance(arguments["instanceId"], Output)
    read = {
        schema_name(node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "chat"
    }
    assert read == {"siteUrl", "apiEndpoint"}
    assert read <= set(component(schema)["properties"])


def test_the_readme_typescript_snippet_passes_schema_properties(tmp_path, schema):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Use it from your own Pulumi program", 1)[1].split("\n## ", 1)[0]
    (snippet,) = re.findall(r"```ts\n(.*?)```", section, flags=re.DOTALL)
    (tmp_path / "index.ts").write_text(snippet)
    run = evaluate_typescript(tmp_path / "index.ts", f"@{ORG}/{PACKAGE}")
    (chat,) = run["constructed"]
    assert _argument_problems(_typescript_values(chat["args"]), schema) == []
    assert set(chat["reads"]) == {"siteUrl"} <= set(component(schema)["properties"])
    assert f'import {{ ConnectChat }} from "@{ORG}/{PACKAGE}";' in snippet
    assert f"pulumi package add {PLUGIN_SOURCE}" in section
    assert f'pip install "connect-chat @ git+https://github.com/{ORG}/connect-chat@{RELEASE}"' in (
        section
    )


def pyright_errors(program: str, workspace: Path) -> list[str]:
    """pyright's errors for a consumer program that imports `connect_chat` (this checkout's
    components/, as the installed package names it)."""
    workspace.mkdir()
    (workspace / "connect_chat").symlink_to(ROOT / "components", target_is_directory=True)
    (workspace / "program.py").write_text(program)
    config = {
        "include": ["program.py"],
        "extraPaths": [str(workspace)],
        "pythonVersion": "3.11",
        "typeCheckingMode": "standard",
        "venvPath": str(ROOT),
        "venv": ".venv",
    }
    (workspace / "pyrightconfig.json").write_text(json.dumps(config))
    completed = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pyright"), "--outputjson", "-p", "pyrightconfig.json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(completed.stdout)
    assert report["summary"]["filesAnalyzed"] == 1, completed.stdout
    return [
        f"{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]


def test_the_python_example_type_checks_against_connect_chat_args(tmp_path):
    """pyright reads ConnectChatArgs as a consumer's editor does: names, types and Inputs."""
    program = (EXAMPLES / "python" / "__main__.py").read_text()
    assert pyright_errors(program, tmp_path / "good") == []
    # Guards the check: an output where a plain value is required is a type error.
    broken = program.replace(
        '"allowed_attributes": ["topic"],',
        '"allowed_attributes": ["topic"], "snap_start": instance.id,',
    )
    assert broken != program
    errors = pyright_errors(broken, tmp_path / "broken")
    assert len(errors) == 1, errors
    assert (
        '"ConnectChatArgs"' in errors[0]
        and '"Output[Any]" is not assignable to "bool"' in errors[0]
    )
