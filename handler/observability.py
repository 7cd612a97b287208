"""Structured logs and EMF metrics (Powertools), safe for concurrent invocations.

Local mode calls the handler from several threads, so nothing request-scoped may live in shared
state: log keys go through Powertools' thread-safe (context-local) keys, and each thread keeps
its own metric set (EphemeralMetrics), flushed and emptied at the end of every invocation,
instead of the process-wide Metrics singleton whose metric set all instances share.

A started chat writes one line, not two: its record (request ids, contact id, flow) rides in
the EMF metric set as metadata, which CloudWatch keeps as top-level fields of the log event,
searchable in Logs Insights like a log line's keys. Each line is a JSON serialisation and a
write, the larger part of the handler's own per-request cost.
"""

from __future__ import annotations

import json
import os
import threading

from aws_lambda_powertools.logging import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider import cold_start

from .metric_names import (
    CHAT_REJECTIONS,
    CHATS_STARTED,
    CLIENT_CONTACT_NOT_FOUND,
    CONNECT_ERRORS,
    ERROR_TYPE,
    REASON,
)

SERVICE = os.environ.get("POWERTOOLS_SERVICE_NAME") or "connect-chat"
NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or "ConnectChat"
CHAT_STARTED = "chat started"
# Two stacks in one account and region would otherwise write the same metrics and trip each
# other's alarms: every set carries the stack's name (the Pulumi program sets STACK_NAME).
STACK = os.environ.get("STACK_NAME") or ""
STACK_DIMENSION = "stack"

# Our messages are fixed sentences. By default Powertools tries json.loads on every message,
# and the JSONDecodeError it then swallows is the dearest step of a log line.
logger = Logger(service=SERVICE, json_deserializer=str)
_per_thread = threading.local()
# Powertools' flush_metrics() builds a new encoder for every set and checks the disabled switch
# a second time; flush() below does both once (the set itself is still Powertools').
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


def _thread_metrics() -> EphemeralMetrics:
    # One provider per thread, reused: building one costs about a fifth of a warm request.
    metrics = getattr(_per_thread, "metrics", None)
    if metrics is None:
        metrics = _per_thread.metrics = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
        if STACK:
            # Default dimensions survive clear_metrics(), so every flushed set carries it.
            metrics.set_default_dimensions(**{STACK_DIMENSION: STACK})
    return metrics


# Powertools reads AWS_LAMBDA_INITIALIZATION_TYPE: False under provisioned concurrency. Our own
# flag, not Powertools' module-wide one, so each import of the handler is its own cold start.
_cold_start_pending = cold_start.is_cold_start


def record_cold_start(context: object) -> None:
    """Powertools' ColdStart metric, once per container.

    Powertools writes it as a line of its own with the dimensions function_name and service
    only (no default dimensions such as stack); the function's name already tells the stacks
    apart, so alarms and graphs use exactly that pair.
    """
    global _cold_start_pending
    if not _cold_start_pending:
        return
    _cold_start_pending = False
    if is_metrics_disabled():
        return
    try:
        _thread_metrics().add_cold_start_metric(context)  # type: ignore[arg-type]
    except Exception:
        logger.exception("could not emit the cold-start metric")


class ChatMetrics:
    """One invocation's metrics: chats started, rejections by reason, Connect errors by type."""

    def __init__(self, request_id: str, function_request_id: str | None = None) -> None:
        self._request_id = request_id
        self._function_request_id = function_request_id
        self._started: dict[str, str | None] | None = None
        self._metrics = _thread_metrics()
        if self._metrics.metric_set or self._metrics.metadata_set:
            # Left over: Powertools skips its clear when POWERTOOLS_METRICS_DISABLED is set.
            self._metrics.clear_metrics()

    def chat_started(self, contact_id: str | None, contact_flow_id: str) -> None:
        """Count the chat and attach its record: ids only, never the token, name or attributes."""
        self._metrics.add_metric(name=CHATS_STARTED, unit=MetricUnit.Count, value=1)
        self._started = {
            "contact_id": contact_id,
            "contact_flow_id": contact_flow_id,
            "request_id": self._request_id,
            "function_request_id": self._function_request_id,
        }
        # add_metadata() formats a debug message per key even with debug off; the set is the
        # same public dict it fills. The log lines' own keys, so one query finds every outcome.
        metadata = self._metrics.metadata_set
        metadata["level"] = "INFO"
        metadata["message"] = CHAT_STARTED
        metadata.update(self._started)

    def rejected(self, reason: str) -> None:
        self._metrics.add_dimension(name=REASON, value=reason)
        self._metrics.add_metric(name=CHAT_REJECTIONS, unit=MetricUnit.Count, value=1)

    def connect_error(self, error_type: str) -> None:
        self._metrics.add_dimension(name=ERROR_TYPE, value=error_type[:250])
        self._metrics.add_metric(name=CONNECT_ERRORS, unit=MetricUnit.Count, value=1)

    def client_contact_not_found(self) -> None:
        """Not a Connect error of the stack's: kept apart so clients cannot set off its alarm."""
        self._metrics.add_metric(name=CLIENT_CONTACT_NOT_FOUND, unit=MetricUnit.Count, value=1)

    def flush(self) -> None:
        """Emit the set; a metrics failure is logged and never costs the caller its answer."""
        try:
            if not self._metrics.metric_set:
                return
            if is_metrics_disabled():
                # No EMF line will carry the record: log it instead (local mode, or an
                # operator who turned metrics off, still sees every started chat).
                if self._started is not None:
                    logger.info(CHAT_STARTED, extra=self._started)
                self._metrics.clear_metrics()
            else:
                line = _COMPACT_JSON.encode(self._metrics.serialize_metric_set())
                print(line)  # stdout, as Powertools does: Lambda ships it to CloudWatch Logs
                self._metrics.clear_metrics()
        except Exception:
            logger.exception("could not emit metrics", extra=self._started or {})
            self._metrics.clear_metrics()
