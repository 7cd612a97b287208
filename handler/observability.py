"""Structured logs and EMF metrics (Powertools), safe for concurrent invocations.

Local mode calls the handler from several threads, so nothing request-scoped may live in shared
state: log keys go through Powertools' thread-safe (context-local) keys, and each invocation
gets its own metric set (EphemeralMetrics) instead of the process-wide Metrics singleton.
"""

from __future__ import annotations

import os

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "connect-chat"
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "ConnectChat"

logger = Logger(service=SERVICE)


class ChatMetrics:
    """One invocation's metrics: chats started, rejections by reason, Connect errors by type."""

    def __init__(self) -> None:
        self._metrics = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)

    def chat_started(self) -> None:
        self._metrics.add_metric(name="ChatsStarted", unit=MetricUnit.Count, value=1)

    def rejected(self, reason: str) -> None:
        self._metrics.add_dimension(name="Reason", value=reason)
        self._metrics.add_metric(name="ChatRejections", unit=MetricUnit.Count, value=1)

    def connect_error(self, error_type: str) -> None:
        self._metrics.add_dimension(name="ErrorType", value=error_type[:250])
        self._metrics.add_metric(name="ConnectErrors", unit=MetricUnit.Count, value=1)

    def flush(self) -> None:
        if self._metrics.metric_set:
            self._metrics.flush_metrics()
