"""The program's two build inputs: the handler archive and the built widget site."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from components import package_assets
from components.api_deployment_trigger import redeployment_hash
from components.code_archive import HandlerPackageError, build_handler_archive
from components.content_security_policy import chat_page_csp
from components.site_files import IMMUTABLE, NO_CACHE, SHORT, SiteNotBuiltError, site_files

from .pulumi_harness import PROJECT_DIR, run_program, stack_config

HANDLER_DIR = PROJECT_DIR / "handler"


def _copy_handler(tmp_path: Path) -> Path:
    copy = tmp_path / "src" / "handler"
    shutil.copytree(HANDLER_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_two_builds_of_the_handler_are_byte_identical(tmp_path):
    package = _copy_handler(tmp_path)
    first = build_handler_archive(package, tmp_path / "a" / "start-chat.zip").read_bytes()
    # A later checkout: new mtimes, other permissions, stray bytecode.
    for path in package.rglob("*.py"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
        path.chmod(0o600)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "app.cpython-313.pyc").write_bytes(b"\x00stale")
    second = build_handler_archive(package, tmp_path / "b" / "start-chat.zip").read_bytes()
    assert first == second


def test_a_code_change_changes_the_archive(tmp_path):
    package = _copy_handler(tmp_path)
    before = build_handler_archive(package, tmp_path / "a.zip").read_bytes()
    (package / "app.py").write_text((package / "app.py").read_text() + "\n# changed\n")
    after = build_handler_archive(package, tmp_path / "b.zip").read_bytes()
    assert before != after


def test_archive_holds_the_package_folder_sorted_without_bytecode(tmp_path):
    package = _copy_handler(tmp_path)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.pyc").write_bytes(b"x")
    archive = build_handler_archive(package, tmp_path / "start-chat.zip")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        infos = zf.infolist()
    assert "handler/app.py" in names and "handler/__init__.py" in names
    assert names == sorted(names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    # The handler package, and beside it the bundled PyJWT (tests/infra/test_code_archive.py).
    assert all(n.startswith(("handler/", "jwt/", "pyjwt-2.15.1.dist-info/")) for n in names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_STORED}


def test_a_missing_handler_module_is_a_clear_error(tmp_path):
    (tmp_path / "handler").mkdir()
    with pytest.raises(HandlerPackageError, match=r"handler\.app\.lambda_handler"):
        build_handler_archive(tmp_path / "handler", tmp_path / "x.zip")


def test_site_files_get_cache_rules_by_kind(tmp_path):
    (tmp_path / "assets").mkdir()
    for name in ("widget.js", "chat.html", "index.html", "config.json", "assets/main-abc.js"):
        (tmp_path / name).write_text("x")
    files = {f.key: f for f in site_files(tmp_path)}
    assert "config.json" not in files, "the stack writes config.json from its outputs"
    assert files["widget.js"].cache_control == SHORT
    assert files["chat.html"].cache_control == NO_CACHE
    assert files["assets/main-abc.js"].cache_control == IMMUTABLE


def test_program_without_a_built_site_says_to_run_make_site(tmp_path, monkeypatch):
    # A checkout whose widget was never built: the component looks beside its own package.
    project = tmp_path / "project"
    project.mkdir()
    (project / "handler").symlink_to(PROJECT_DIR / "handler")
    monkeypatch.setattr(package_assets, "CHECKOUT_ROOT", project)
    declared: list = []
    with pytest.raises(SiteNotBuiltError, match="make site") as caught:
        run_program(stack_config("dev"), declared=declared)
    assert str(project / "site" / "dist") in str(caught.value)
    assert declared == []


def test_a_csp_over_cloudfronts_limit_is_refused_naming_allowed_origins():
    origins = [f"https://shop{i}.example-with-a-long-name.com" for i in range(50)]
    with pytest.raises(ValueError, match="connect-chat:allowedOrigins"):
        chat_page_csp(
            api="https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com",
            region="eu-west-2",
            attachments_enabled=True,
            frame_ancestors=origins,
        )


def test_csp_leaves_out_the_attachment_host_when_attachments_are_off():
    csp = chat_page_csp(
        api="https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com",
        region="eu-west-2",
        attachments_enabled=False,
        frame_ancestors=["https://www.example.com"],
    )
    assert ".s3." not in csp
    assert "frame-ancestors 'self' https://www.example.com" in csp


def test_redeployment_hash_follows_content_not_key_order():
    assert redeployment_hash({"a": 1, "b": [1, 2]}) == redeployment_hash({"b": [1, 2], "a": 1})
    assert redeployment_hash({"a": 1}) != redeployment_hash({"a": 2})


def test_changing_the_integration_target_redeploys_the_api():
    """SnapStart moves the integration to the alias: the Deployment trigger must change."""
    plain = stack_config("dev")
    snap = {**plain, "connect-chat:snapStart": "true"}
    trigger = [
        run_program(c).one("aws:apigateway/deployment:Deployment").inputs["triggers"]
        for c in (plain, plain, snap)
    ]
    assert trigger[0] == trigger[1], "an unchanged program must not redeploy"
    assert trigger[0] != trigger[2]
