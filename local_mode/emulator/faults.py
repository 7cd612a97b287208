"""Errors a test asks for: the next N calls of an operation fail like the real service."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import INJECTABLE_ERRORS, ServiceError


@dataclass
class Fault:
    error: str
    remaining: int


class FaultInjector:
    def __init__(self) -> None:
        self._faults: dict[str, Fault] = {}

    def arm(self, operation: str, error: str, count: int) -> None:
        if error not in INJECTABLE_ERRORS:
            raise ValueError(f"error must be one of {sorted(INJECTABLE_ERRORS)}")
        if count < 0:
            raise ValueError("count must be 0 or more")
        if count == 0:
            self._faults.pop(operation, None)
        else:
            self._faults[operation] = Fault(error, count)

    def check(self, operation: str) -> None:
        fault = self._faults.get(operation)
        if fault is None:
            return
        fault.remaining -= 1
        if fault.remaining <= 0:
            del self._faults[operation]
        raise ServiceError(
            fault.error, INJECTABLE_ERRORS[fault.error], f"Injected {fault.error} for {operation}"
        )

    def armed(self) -> dict[str, dict[str, object]]:
        return {op: {"error": f.error, "count": f.remaining} for op, f in self._faults.items()}
