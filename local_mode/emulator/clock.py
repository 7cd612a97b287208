"""Timestamps in the format the Participant Service uses (ISO 8601, milliseconds, Z)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def iso_now(offset_seconds: float = 0.0) -> str:
    moment = datetime.now(UTC) + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
