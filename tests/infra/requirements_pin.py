"""The versions handler/requirements.txt pins, read as text (the handler code is not imported)."""

from __future__ import annotations

import re

from .pulumi_harness import PROJECT_DIR

REQUIREMENTS = PROJECT_DIR / "handler" / "requirements.txt"


def pinned_powertools_version() -> str:
    pins = re.findall(
        r"^aws-lambda-powertools(?:\[[^\]]*\])?==([^\s;#]+)",
        REQUIREMENTS.read_text(),
        flags=re.MULTILINE,
    )
    assert len(pins) == 1, f"expected one aws-lambda-powertools== pin in {REQUIREMENTS}: {pins}"
    return pins[0]
