"""SnapStart is refused, with its source, in the regions where Lambda does not offer it."""

from __future__ import annotations

import pytest

from components.config import SNAPSTART_UNAVAILABLE_REGIONS
from components.config_error import ConfigError
from components.stack_config import parse_config

from .pulumi_harness import run_program, stack_config

SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html"


def _raw(**overrides: str) -> dict[str, str | None]:
    raw: dict[str, str | None] = {
        k.removeprefix("connect-chat:"): v for k, v in stack_config("dev").items()
    }
    raw.update(overrides)
    return raw


def test_the_list_is_the_documented_one():
    assert SNAPSTART_UNAVAILABLE_REGIONS == {
        "ap-east-2": "Asia Pacific (Taipei)",
        "ap-southeast-6": "Asia Pacific (New Zealand)",
    }


@pytest.mark.parametrize("region", sorted(SNAPSTART_UNAVAILABLE_REGIONS))
def test_snap_start_is_refused_where_lambda_does_not_offer_it(region):
    with pytest.raises(ConfigError) as caught:
        parse_config(_raw(**{"aws:region": region, "snapStart": "true"}))
    assert caught.value.key == "connect-chat:snapStart"
    assert region in caught.value.rule and SOURCE in caught.value.rule
    # Without SnapStart the same region is fine.
    assert parse_config(_raw(**{"aws:region": region, "snapStart": "false"})).region == region


def test_snap_start_is_kept_where_it_is_offered():
    assert parse_config(_raw(snapStart="true")).snap_start is True


def test_the_program_stops_before_any_resource():
    declared: list = []
    config = {**stack_config("prod"), "aws:region": "ap-southeast-6"}
    with pytest.raises(ConfigError):
        run_program(config, stack="prod", declared=declared)
    assert declared == []
