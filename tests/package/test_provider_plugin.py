"""provider/ runs as Pulumi's language host runs it and serves the connect-chat schema.

The host starts `<venv python> <plugin folder> <engine address>` from the consumer's folder and
reads the gRPC port from the first line of stdout. Here the plugin's venv is this venv plus the
installed wheel; the engine address is never dialled before a deployment.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
import yaml
from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .installed_package import PROJECT_DIR, installed_package_path

PLUGIN_DIR = PROJECT_DIR / "provider"


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_package_path(tmp_path_factory)


def plugin_env(target: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(target)}


def first_line(plugin: subprocess.Popen[str], timeout: float) -> str:
    """The plugin's first stdout line, or "" if it prints none in time (never hangs the suite)."""
    assert plugin.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(plugin.stdout, selectors.EVENT_READ)
        return plugin.stdout.readline().strip() if selector.select(timeout) else ""


@pytest.fixture(scope="module")
def provider_stub(
    target: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[provider_pb2_grpc.ResourceProviderStub]:
    work = tmp_path_factory.mktemp("consumer-project")
    # A file, not a pipe: nobody reads stderr while the plugin serves, so a pipe could fill up.
    with (work / "plugin.stderr").open("w+") as stderr:
        plugin = subprocess.Popen(
            [sys.executable, str(PLUGIN_DIR), "127.0.0.1:1"],
            cwd=work,
            env=plugin_env(target),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            port = first_line(plugin, timeout=120)
            if not port.isdigit():
                plugin.kill()
                plugin.wait(timeout=60)
                stderr.seek(0)
                pytest.fail(f"the plugin printed {port!r}, not a port: {stderr.read()}")
            with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
                grpc.channel_ready_future(channel).result(timeout=60)
                yield provider_pb2_grpc.ResourceProviderStub(channel)
        finally:
            plugin.terminate()
            plugin.communicate(timeout=60)


def test_the_plugin_serves_the_connect_chat_package(
    provider_stub: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    schema = json.loads(provider_stub.GetSchema(provider_pb2.GetSchemaRequest(), timeout=60).schema)
    assert schema["name"] == "connect-chat"
    assert schema["version"] == "0.1.0"
    assert list(schema["resources"]) == ["connect-chat:index:ConnectChat"]
    # No namespace of our own: a git source's organisation names the SDK (docs/architecture.md).
    assert "namespace" not in schema


def test_the_plugin_reports_the_package_version(
    provider_stub: provider_pb2_grpc.ResourceProviderStub,
) -> None:
    assert provider_stub.GetPluginInfo(empty_pb2.Empty(), timeout=60).version == "0.1.0"


GUARD_PROBE = """
import runpy, sys
from pulumi.provider import experimental
calls = []
experimental.component_provider_host = lambda *args, **kwargs: calls.append((args, kwargs))
module = runpy.run_path(sys.argv[1], run_name="imported_by_the_analyzer")
assert calls == [], calls
module["main"]()
(components, name), options = calls[0]
print([component.__module__ + "." + component.__name__ for component in components], name, options)
"""


def test_importing_the_entry_point_starts_no_server(target: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", GUARD_PROBE, str(PLUGIN_DIR / "__main__.py")],
        cwd=tmp_path,
        env=plugin_env(target),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.stdout.strip() == (
        "['connect_chat.connect_chat.ConnectChat'] connect-chat {'version': '0.1.0'}"
    )


def test_the_plugin_manifest_runs_python_from_its_own_pip_venv() -> None:
    manifest = yaml.safe_load((PLUGIN_DIR / "PulumiPlugin.yaml").read_text())
    assert manifest == {
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    }
