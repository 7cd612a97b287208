"""Deploys, updates and re-runs: old assets outlive a deploy, then go; nothing drifts."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from components.config_error import ConfigError
from components.site_files import IMMUTABLE
from components.stack_config import parse_config

from .pulumi_harness import PROJECT_DIR, ProgramRun, run_program, stack_config

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
COPY = "aws:s3/objectCopy:ObjectCopy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
RETIRED_TAGS = {"connect-chat-retired": "true"}
OLD_ASSET = "assets/main-OLDHASH1.js"


def _current_asset_keys() -> list[str]:
    dist = PROJECT_DIR / "site" / "dist"
    return sorted(p.relative_to(dist).as_posix() for p in (dist / "assets").rglob("*"))


# ---- S3 lifecycle semantics, as AWS documents them, to judge the declared rules ----------


def _filter_matches(rule_filter: dict[str, Any], key: str, tags: dict[str, str]) -> bool:
    if not rule_filter:
        return True
    if "and" in rule_filter:
        both = rule_filter["and"]
        return key.startswith(both.get("prefix", "")) and all(
            tags.get(k) == v for k, v in both.get("tags", {}).items()
        )
    if "tag" in rule_filter:
        return tags.get(rule_filter["tag"]["key"]) == rule_filter["tag"]["value"]
    return key.startswith(rule_filter.get("prefix", ""))


def _expires_current_version(rule: dict[str, Any], key: str, tags: dict[str, str]) -> bool:
    """Whether the rule would, in time, delete the version CloudFront serves."""
    expiration = rule.get("expiration") or {}
    ages_out = "days" in expiration or "date" in expiration
    return rule["status"] == "Enabled" and ages_out and _filter_matches(rule["filter"], key, tags)


def _rules(run: ProgramRun) -> list[dict[str, Any]]:
    return run.one(LIFECYCLE).inputs["rules"]


def test_lifecycle_expires_retired_assets_noncurrent_versions_and_stray_markers(stack_run):
    _, config, run = stack_run
    lifecycle = run.one(LIFECYCLE)
    # The site bucket's id, as every other bucket setting names it.
    assert (
        lifecycle.inputs["bucket"] == run.one("aws:s3/bucketPolicy:BucketPolicy").inputs["bucket"]
    )
    days = int(config.get("connect-chat:retiredAssetDays", "30"))
    assert _rules(run) == [
        {
            "id": "expire-retired-assets",
            "status": "Enabled",
            "filter": {"and": {"prefix": "assets/", "tags": RETIRED_TAGS}},
            "expiration": {"days": days},
        },
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {},
            "noncurrentVersionExpiration": {"noncurrentDays": days},
            "expiration": {"expiredObjectDeleteMarker": True},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
        },
    ]
    # S3 refuses a lifecycle change while another bucket setting is being applied.
    assert run.waits_for(lifecycle, run.one("aws:s3/bucketVersioning:BucketVersioning"))


def test_no_expiring_rule_ever_matches_an_object_of_the_current_build(stack_run):
    _, _, run = stack_run
    rules = [_snake_rule(rule) for rule in _rules(run)]
    objects = run.of_type(OBJECT)
    assert len(objects) > 5
    for uploaded in objects:
        tags = uploaded.inputs.get("tags") or {}
        assert tags == {}, "current uploads carry no retirement tag"
        for rule in rules:
            assert not _expires_current_version(rule, uploaded.inputs["key"], tags), (
                rule["id"],
                uploaded.inputs["key"],
            )
    # Guards the judge above: a retired asset is matched, and so would be the current build
    # under a rule on the prefix alone.
    assert any(_expires_current_version(rule, OLD_ASSET, RETIRED_TAGS) for rule in rules)
    prefix_only = {"status": "Enabled", "filter": {"prefix": "assets/"}, "expiration": {"days": 1}}
    assert _expires_current_version(prefix_only, _current_asset_keys()[0], {})


def _snake_rule(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rule["id"],
        "status": rule["status"],
        "filter": rule.get("filter") or {},
        "expiration": {
            {"days": "days", "date": "date"}.get(k, k): v
            for k, v in (rule.get("expiration") or {}).items()
        },
    }


def test_hashed_assets_survive_the_deploy_that_drops_them_and_nothing_else_does(stack_run):
    _, _, run = stack_run
    for uploaded in run.of_type(OBJECT):
        is_asset = uploaded.inputs["key"].startswith("assets/")
        assert uploaded.retain_on_delete is is_asset, uploaded.inputs["key"]
    assert any(o.retain_on_delete for o in run.of_type(OBJECT))


def test_assets_left_by_an_earlier_build_are_tagged_so_they_expire():
    current = _current_asset_keys()
    run = run_program(stack_config("dev"), bucket_keys=(*current, OLD_ASSET, "index.html"))
    (copy,) = run.of_type(COPY)
    bucket = run.one(LIFECYCLE).inputs["bucket"]
    assert copy.inputs == {
        "bucket": bucket,
        "key": OLD_ASSET,
        "source": f"{bucket}/{OLD_ASSET}",
        # S3 refuses a copy onto itself that changes no metadata; the upload's headers.
        "metadataDirective": "REPLACE",
        "contentType": "text/javascript; charset=utf-8",
        "cacheControl": IMMUTABLE,
        "taggingDirective": "REPLACE",
        "tags": RETIRED_TAGS,
    }
    # Forgetting the copy later (expired, or the key current again) must not delete it.
    assert copy.retain_on_delete is True
    assert run.outputs["retired_asset_keys"] == [OLD_ASSET]


def test_a_bucket_holding_only_the_current_build_retires_nothing():
    run = run_program(stack_config("dev"), bucket_keys=tuple(_current_asset_keys()))
    assert run.of_type(COPY) == [] and run.outputs["retired_asset_keys"] == []
    # Guards the emptiness: the listing was made, and of the right prefix.
    (listing,) = run.invoked("aws:s3/getObjects:getObjects")
    assert listing.args["prefix"] == "assets/"


def test_retired_asset_days_reaches_both_rules():
    run = run_program({**stack_config("dev"), "connect-chat:retiredAssetDays": "7"})
    retired, noncurrent = _rules(run)
    assert retired["expiration"] == {"days": 7}
    assert noncurrent["noncurrentVersionExpiration"] == {"noncurrentDays": 7}


@pytest.mark.parametrize("value", ["0", "366", "7.5", "week"])
def test_retired_asset_days_is_refused_outside_its_rule(value):
    raw = {k.removeprefix("connect-chat:"): v for k, v in stack_config("dev").items()}
    with pytest.raises(ConfigError) as caught:
        parse_config({**raw, "retiredAssetDays": value})
    assert caught.value.key == "connect-chat:retiredAssetDays"
    assert "between 1 and 365" in caught.value.rule


# ---- no perpetual diffs ------------------------------------------------------------------


def test_bucket_encryption_is_aes256_without_the_kms_only_bucket_key(stack_run):
    _, _, run = stack_run
    encryption = run.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    ).inputs
    assert encryption["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
    ]


def test_the_cloudfront_origin_states_its_connection_settings(stack_run):
    _, _, run = stack_run
    (origin,) = run.one("aws:cloudfront/distribution:Distribution").inputs["origins"]
    assert (origin["connectionAttempts"], origin["connectionTimeout"]) == (3, 10)


def _comparable(value: Any) -> Any:
    if isinstance(value, pulumi.FileAsset | pulumi.FileArchive):
        return (type(value).__name__, value.path)
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_comparable(v) for v in value]
    return value


def _declared_inputs(run: ProgramRun) -> dict[str, Any]:
    by_name = {f"{r.type}::{r.name}": _comparable(r.inputs) for r in run.resources}
    assert len(by_name) == len(run.resources), "two resources share a type and name"
    return by_name


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_same_inputs_declare_the_same_program_twice(stack):
    config = stack_config(stack)
    first = _declared_inputs(run_program(config, stack=stack))
    second = _declared_inputs(run_program(config, stack=stack))
    # Registration order is asynchronous and carries no meaning; names and inputs do.
    assert sorted(first) == sorted(second)
    for name, inputs in first.items():
        assert json.dumps(inputs, sort_keys=True, default=str) == json.dumps(
            second[name], sort_keys=True, default=str
        ), name
    assert len(first) > 50
