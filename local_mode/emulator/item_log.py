"""A contact's stored chat items, and a persistent-chat session's transcript as one view.

Everything a request looks up is indexed, so one busy chat cannot slow the others (the
emulator serves every chat from one event loop): an item by Id (a dict; Ids may repeat, as
streamed bot answers reuse one, so the first kept occurrence is indexed), a position by time
or by sequence number (bisection: items are appended in time and sequence order), a page (a
slice). Each contact keeps only its newest `cap` items; older ones are forgotten in chunks so
trimming costs O(1) per append on average.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

Item = dict[str, Any]


def _seq(item: Item) -> int:
    return int(item["_seq"])


def _time(item: Item) -> str:
    return str(item["AbsoluteTime"])


class ItemLog:
    """One contact's items, append-only, the newest `cap` kept."""

    def __init__(self, contact_id: str, cap: int) -> None:
        if cap < 1:
            raise ValueError("cap must be at least 1")
        self.contact_id = contact_id
        self.cap = cap
        self.forgotten = 0
        self.message_count = 0
        self._items: list[Item] = []
        self._first_by_id: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Item]:
        return iter(self._items)

    def __getitem__(self, index: int) -> Item:
        return self._items[index]

    def append(self, item: Item) -> None:
        self._first_by_id.setdefault(item["Id"], self.forgotten + len(self._items))
        self._items.append(item)
        if item["Type"] == "MESSAGE":
            self.message_count += 1
        if len(self._items) > self.cap:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        # A tenth of the cap at a time: the rebuild below then runs once per cap/10 appends.
        drop = len(self._items) - self.cap + max(1, self.cap // 10)
        drop = min(drop, len(self._items) - 1)
        del self._items[:drop]
        self.forgotten += drop
        self._first_by_id = {}
        for offset, item in enumerate(self._items):
            self._first_by_id.setdefault(item["Id"], self.forgotten + offset)

    def index_of(self, item_id: str) -> int | None:
        """The position (in what is kept) of the first kept item with this Id."""
        absolute = self._first_by_id.get(item_id)
        return None if absolute is None else absolute - self.forgotten

    def slice(self, low: int, high: int) -> list[Item]:
        return self._items[low:high]

    def first_at_or_after_time(self, moment: str) -> int:
        return bisect_left(self._items, moment, key=_time)

    def after_last_at_or_before_time(self, moment: str) -> int:
        return bisect_right(self._items, moment, key=_time)

    def first_at_or_after_seq(self, sequence: int) -> int:
        return bisect_left(self._items, sequence, key=_seq)

    def after_last_at_or_before_seq(self, sequence: int) -> int:
        return bisect_right(self._items, sequence, key=_seq)


class SessionTranscript:
    """The items of a session's contacts, oldest contact first, as one sequence (no copy)."""

    def __init__(self, logs: list[ItemLog]) -> None:
        self.logs = logs
        self.starts: list[int] = []
        total = 0
        for log in logs:
            self.starts.append(total)
            total += len(log)
        self.length = total

    def __len__(self) -> int:
        return self.length

    def contact_ids(self) -> set[str]:
        return {log.contact_id for log in self.logs}

    def only(self, contact_id: str) -> SessionTranscript:
        return SessionTranscript([log for log in self.logs if log.contact_id == contact_id])

    def slice(self, low: int, high: int) -> list[Item]:
        low, high = max(0, low), min(self.length, high)
        page: list[Item] = []
        for start, log in zip(self.starts, self.logs, strict=True):
            if start >= high:
                break
            if start + len(log) > low:
                page.extend(log.slice(max(0, low - start), high - start))
        return page

    def item(self, position: int) -> Item:
        which = bisect_right(self.starts, position) - 1
        return self.logs[which][position - self.starts[which]]

    def contains_id(self, item_id: str) -> bool:
        return any(log.index_of(item_id) is not None for log in self.logs)

    def index_of(self, item_id: str) -> int | None:
        for start, log in zip(self.starts, self.logs, strict=True):
            index = log.index_of(item_id)
            if index is not None:
                return start + index
        return None

    def _position(self, find: str, value: Any) -> int:
        """Applies an ItemLog bisection across the logs (each log is ordered after the last)."""
        for start, log in zip(self.starts, self.logs, strict=True):
            index = getattr(log, find)(value)
            if index < len(log):
                return start + index
        return self.length

    def first_at_or_after_time(self, moment: str) -> int:
        return self._position("first_at_or_after_time", moment)

    def last_at_or_before_time(self, moment: str) -> int:
        return self._position("after_last_at_or_before_time", moment) - 1

    def first_at_or_after_seq(self, sequence: int) -> int:
        return self._position("first_at_or_after_seq", sequence)

    def last_at_or_before_seq(self, sequence: int) -> int:
        return self._position("after_last_at_or_before_seq", sequence) - 1
