"""Records what the real handler writes as EMF, under the environment the program gives it.

The monitoring tests compare the dashboard and alarms with these lines, not with a second
hand-written list of metric names.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType, SimpleNamespace

# The handler modules that read the environment at import (as a cold start does).
_ENVIRONMENT_BOUND = ("handler.observability",)
# Switches a developer's shell may have set; they would silence every line.
_SILENCERS = ("POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV")


@dataclass(frozen=True)
class EmittedMetric:
    namespace: str
    name: str
    dimensions: dict[str, str]


@contextlib.contextmanager
def _imported_with(environment: Mapping[str, str]) -> Iterator[ModuleType]:
    names = [*environment, *_SILENCERS]
    saved_environment = {name: os.environ.get(name) for name in names}
    saved_modules = {name: sys.modules.get(name) for name in _ENVIRONMENT_BOUND}
    try:
        for name in _SILENCERS:
            os.environ.pop(name, None)
        os.environ.update(environment)
        for name in _ENVIRONMENT_BOUND:
            sys.modules.pop(name, None)
        yield importlib.import_module("handler.observability")
    finally:
        for name, value in saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def recorded_handler_metrics(
    environment: Mapping[str, str], function_name: str
) -> list[EmittedMetric]:
    """Every metric the handler writes: a started chat, a rejection, a Connect error, a cold
    start, each through the handler's own code, parsed back from the printed EMF lines."""
    out = io.StringIO()
    with _imported_with(environment) as observability, contextlib.redirect_stdout(out):
        observability.record_cold_start(SimpleNamespace(function_name=function_name))
        started = observability.ChatMetrics("req-1", "inv-1")
        started.chat_started("contact-1", "flow-1")
        started.flush()
        rejected = observability.ChatMetrics("req-2", "inv-2")
        rejected.rejected("INVALID_REQUEST")
        rejected.flush()
        failed = observability.ChatMetrics("req-3", "inv-3")
        failed.connect_error("ThrottlingException")
        failed.flush()
    emitted = []
    for line in out.getvalue().splitlines():
        document = json.loads(line)
        for directive in document["_aws"]["CloudWatchMetrics"]:
            for dimension_set in directive["Dimensions"]:
                for metric in directive["Metrics"]:
                    emitted.append(
                        EmittedMetric(
                            directive["Namespace"],
                            metric["Name"],
                            {name: document[name] for name in dimension_set},
                        )
                    )
    return emitted
