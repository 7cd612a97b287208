"""The per-contact item log and the session view GetTranscript reads: indexed lookups, the
per-chat cap, repeated Ids, and pages that stay put while the chat grows and forgets."""

from __future__ import annotations

import itertools
import time

import pytest

from local_mode.emulator import EmulatorSettings
from local_mode.emulator.item_log import ItemLog, SessionTranscript

SEQUENCE = itertools.count(1000)


def item(item_id: str, moment: str = "2026-01-01T00:00:00.000Z", kind: str = "MESSAGE") -> dict:
    return {"Id": item_id, "AbsoluteTime": moment, "Type": kind, "_seq": next(SEQUENCE)}


def stamp(n: int) -> str:
    return f"2026-01-01T00:{n // 60000 % 60:02d}:{n // 1000 % 60:02d}.{n % 1000:03d}Z"


def filled(contact_id: str, ids: list[str], cap: int = 1000, start: int = 0) -> ItemLog:
    log = ItemLog(contact_id, cap)
    for n, item_id in enumerate(ids):
        log.append(item(item_id, stamp(start + n)))
    return log


def test_repeated_ids_index_the_first_kept_occurrence():
    log = filled("c", ["a", "b", "a", "c"])
    assert [log.index_of(i) for i in ("a", "b", "c", "zz")] == [0, 1, 3, None]


def test_cap_forgets_the_oldest_in_chunks_and_keeps_the_index_right():
    log = filled("c", [f"m{n}" for n in range(25)], cap=10)
    kept = [i["Id"] for i in log]
    # 11th append forgot 2 (one over + a tenth of the cap), and so on: never more than 10.
    assert kept == [f"m{n}" for n in range(16, 25)]
    assert (log.forgotten, len(log), log.message_count) == (16, 9, 25)
    assert log.index_of("m3") is None
    assert log.index_of("m16") == 0 and log.index_of("m24") == 8


def test_repeated_id_whose_first_occurrence_is_forgotten_points_at_a_kept_one():
    log = filled("c", ["x", "y", "z", "x", "w"], cap=4)
    assert [i["Id"] for i in log] == ["z", "x", "w"]
    assert log.index_of("x") == 1


def session() -> SessionTranscript:
    first = filled("one", ["a1", "a2"], start=0)
    second = filled("two", ["b1", "b2", "b3"], start=10)
    third = filled("three", ["c1"], start=20)
    return SessionTranscript([first, second, third])


def test_session_slices_across_contacts_without_gaps():
    view = session()
    assert len(view) == 6
    assert [i["Id"] for i in view.slice(1, 5)] == ["a2", "b1", "b2", "b3"]
    assert [i["Id"] for i in view.slice(-3, 99)] == ["a1", "a2", "b1", "b2", "b3", "c1"]
    assert view.slice(4, 4) == []
    assert [view.item(p)["Id"] for p in range(6)] == ["a1", "a2", "b1", "b2", "b3", "c1"]
    assert view.contact_ids() == {"one", "two", "three"}
    assert [i["Id"] for i in view.only("two").slice(0, 9)] == ["b1", "b2", "b3"]


def test_session_lookups_by_id_time_and_sequence():
    view = session()
    assert [view.index_of(i) for i in ("a1", "b2", "c1", "nope")] == [0, 3, 5, None]
    assert view.contains_id("b3") and not view.contains_id("nope")
    assert view.first_at_or_after_time(stamp(5)) == 2
    assert view.last_at_or_before_time(stamp(5)) == 1
    assert view.first_at_or_after_time(stamp(11)) == 3
    assert view.last_at_or_before_time(stamp(11)) == 3
    assert view.first_at_or_after_time(stamp(99)) == 6
    assert view.last_at_or_before_time("2025-01-01T00:00:00.000Z") == -1
    sequence = view.item(3)["_seq"]
    assert view.first_at_or_after_seq(sequence) == 3
    assert view.last_at_or_before_seq(sequence) == 3
    assert view.first_at_or_after_seq(sequence + 1000) == 6


def test_lookups_do_not_scan_a_hot_chat():
    # 50,000 items; 20,000 lookups of each kind. Indexed: well under a second. A scan per
    # lookup would be 10^9 steps (minutes).
    log = filled("hot", [f"m{n}" for n in range(50_000)], cap=60_000)
    view = SessionTranscript([filled("old", ["o1"], start=0), log])
    probes = [f"m{n}" for n in range(0, 50_000, 50)] * 20
    started = time.perf_counter()
    for probe in probes:
        assert view.index_of(probe) is not None
        assert view.contains_id(probe)
    moments = [stamp(n) for n in range(0, 20_000)]
    for moment in moments:
        view.first_at_or_after_time(moment)
        view.last_at_or_before_time(moment)
    for position in range(0, 50_000, 5):
        view.slice(position, position + 15)
    assert time.perf_counter() - started < 5.0


@pytest.mark.parametrize("cap", [0, -1])
def test_cap_must_be_positive(cap):
    with pytest.raises(ValueError, match="cap must be at least 1"):
        ItemLog("c", cap)


def test_emulator_settings_refuse_a_cap_below_one_naming_the_setting():
    with pytest.raises(ValueError, match=r"max_items_per_contact must be at least 1"):
        EmulatorSettings(max_items_per_contact=0)
