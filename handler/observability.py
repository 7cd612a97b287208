"""Structured logs and EMF metrics (Powertools), safe for concurrent invocations.

Local mode calls the handler from several threads, so nothing request-scoped may live in shared
state: log keys go through Powertools' thread-safe (context-local) keys, and each thread keeps
its own metric set (EphemeralMetrics), flushed and emptied at the end of every invocation,
instead of the process-wide Metrics singleton whose metric set all instances share.
"""

from __future__ import annotations

import os
import threading

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "connect-chat"
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "ConnectChat"

# Our messages are fixed sentences. By default Powertools tries json.loads on every message,
# and the JSONDecodeError it then swallows is the dearest step of a log line.
logger = Logger(service=SERVICE, json_deserializer=str)
_per_thread = threading.local()


def _thread_metrics() -> EphemeralMetrics:
    # One provider per thread, reused: building one costs about a fifth of a warm request.
    metrics = getattr(_per_thread, "metrics", None)
    if metrics is None:
        metrics = _per_thread.metrics = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
    return metrics


class ChatMetrics:
    """One invocation's metrics: chats started, rejections by reason, Connect errors by type."""

    def __init__(self) -> None:
        self._metrics = _thread_metrics()
        if self._metrics.metric_set:
            # Left over: Powertools skips its clear when POWERTOOLS_METRICS_DISABLED is set.
            self._metrics.clear_metrics()

    def chat_started(self) -> None:
        self._metrics.add_metric(name="ChatsStarted", unit=MetricUnit.Count, value=1)

    def rejected(self, reason: str) -> None:
        self._metrics.add_dimension(name="Reason", value=reason)
        self._metrics.add_metric(name="ChatRejections", unit=MetricUnit.Count, value=1)

    def connect_error(self, error_type: str) -> None:
        self._metrics.add_dimension(name="ErrorType", value=error_type[:250])
        self._metrics.add_metric(name="ConnectErrors", unit=MetricUnit.Count, value=1)

    def flush(self) -> None:
        """Emit the set; a metrics failure is logged and never costs the caller its answer."""
        try:
            if self._metrics.metric_set:
                self._metrics.flush_metrics()
        except Exception:
            logger.exception("could not emit metrics")
            self._metrics.clear_metrics()
