"""The stack's widget branding: the shared vectors, and the contrast rule's promise that every
colour valid before it (any #rrggbb) stays valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from components import widget_branding
from components.config import parse_widget
from components.config_error import ArgumentError, ConfigError
from components.widget_branding import contrast_ratio, primary_colour_problem, text_colour_on

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "widget-branding.json").read_text())


@pytest.mark.parametrize("case", VECTORS["valid"], ids=lambda case: json.dumps(case["widget"]))
def test_valid_branding_becomes_the_config_json_theme(case: dict[str, Any]) -> None:
    assert parse_widget(case["widget"], ("topic",)).theme() == case["theme"]


@pytest.mark.parametrize("case", VECTORS["invalid"], ids=lambda case: json.dumps(case["widget"]))
def test_invalid_branding_names_the_key_and_the_rule(case: dict[str, Any]) -> None:
    with pytest.raises(ArgumentError) as refused:
        parse_widget(case["widget"], ("topic",))
    assert refused.value.argument == f"widget.{case['field']}"
    assert case["rule"] in refused.value.rule


def test_every_colour_keeps_aa_text_so_no_colour_valid_before_is_refused() -> None:
    # Black or white, whichever contrasts more, reaches at least 4.58:1 on any colour; the
    # closest colours sit around relative luminance 0.18, which this grid crosses many times.
    levels = range(0, 256, 3)
    refused = [
        colour
        for colour in (f"#{r:02x}{g:02x}{b:02x}" for r in levels for g in levels for b in levels)
        if primary_colour_problem(colour) is not None
    ]
    assert refused == []
    closest = min(contrast_ratio(c, text_colour_on(c)) for c in ("#757575", "#767676", "#777777"))
    assert 4.5 <= closest < 4.62


def test_a_refusal_gives_the_ratio_and_the_text_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    # No #rrggbb fails AA today; a stricter target shows what an operator would read.
    monkeypatch.setattr(widget_branding, "AA_CONTRAST", 7)
    assert primary_colour_problem("#777777") == (
        "gives black text a contrast of 4.69:1, below WCAG AA's 7:1"
    )
    assert primary_colour_problem("#0000ff") is None


def test_the_pulumi_config_path_applies_the_same_rules() -> None:
    from components.stack_config import parse_config

    from .pulumi_harness import stack_config

    raw: dict[str, str | None] = {
        key.removeprefix("connect-chat:"): value for key, value in stack_config("dev").items()
    }
    raw["widget"] = '{"height": 1000}'
    with pytest.raises(
        ConfigError, match=r"config connect-chat:widget\.height = 1000: must be a whole number"
    ):
        parse_config(raw)


def test_the_stack_writes_its_branding_into_config_json() -> None:
    from components.connect_chat import widget_config
    from components.stack_config import parse_config

    from .pulumi_harness import stack_config

    branded = VECTORS["valid"][1]
    raw: dict[str, str | None] = {
        key.removeprefix("connect-chat:"): value for key, value in stack_config("dev").items()
    }
    raw["widget"] = json.dumps(branded["widget"])
    theme = widget_config(parse_config(raw), "https://api.example.com/prod/")["theme"]
    assert theme == branded["theme"]
