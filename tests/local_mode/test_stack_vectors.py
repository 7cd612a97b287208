"""Local mode's reading of a stack file against the cases shared with the stack config,
the handler and the widget: a bad origin stops `make dev` with the key and the rule."""

import json
from pathlib import Path

import pytest
import yaml

from local_mode.stack_config import StackConfigError, load_stack

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
ORIGINS = json.loads((VECTORS / "origins.json").read_text())["cases"]


def _stack_file(tmp_path: Path, origins: list[str]) -> Path:
    path = tmp_path / "Pulumi.vectors.yaml"
    config = {
        "aws:region": "eu-west-2",
        "connect-chat:instanceId": "11111111-2222-4333-8444-555555555555",
        "connect-chat:contactFlowId": "66666666-7777-4888-9999-aaaaaaaaaaaa",
        "connect-chat:allowedOrigins": origins,
    }
    path.write_text(yaml.safe_dump({"config": config}, allow_unicode=True))
    return path


@pytest.mark.parametrize("case", ORIGINS, ids=[repr(c["origin"]) for c in ORIGINS])
def test_allowed_origins_follow_the_shared_vectors(tmp_path, case):
    path = _stack_file(tmp_path, [case["origin"]])
    if case["accepted"]["localMode"]:
        assert load_stack("vectors", path).allowed_origins == (case["origin"],)
    else:
        with pytest.raises(StackConfigError) as caught:
            load_stack("vectors", path)
        assert "connect-chat:allowedOrigins" in str(caught.value)
        assert repr(case["origin"]) in str(caught.value)
