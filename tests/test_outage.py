"""A full or read-only disk, database or Redis: how it is told (doctor, one-line reasons) and
how a task waits for Redis to take writes again. Real processes: tests/integration/test_full_disk.py."""

from __future__ import annotations

import os

import pytest
import redis
from sqlalchemy.exc import InternalError, OperationalError

from syndicate import config
from syndicate.cli.doctor import MIN_FREE_BYTES, data_filesystems, size_text, space_problem
from syndicate.store.errors import UNAVAILABLE, describe
from workers import dispatch


def test_disk_space_fails_under_an_absolute_floor_whatever_the_disk_size():
    assert space_problem(MIN_FREE_BYTES) is None
    low = space_problem(MIN_FREE_BYTES - 1)
    assert low is not None and "under 100.0 MiB free" in low and "Redis refuses writes" in low
    # 1% of a 2 TB disk is plenty; 1% of a small volume is not: only the bytes count.
    assert space_problem(20 * 1024**3) is None
    assert space_problem(0) is not None


@pytest.mark.parametrize(
    "n, text",
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KiB"), (3_355_443, "3.2 MiB"), (5 * 1024**4, "5.0 TiB")],
)
def test_size_text(n, text):
    assert size_text(n) == text


def test_the_filesystems_checked_are_the_data_directory_redis_and_sqlite_counted_once(tmp_path):
    settings = config.load({"SYNDICATE_DATA_DIR": str(tmp_path / "not-yet" / "data")})
    found = data_filesystems(settings)
    assert found == [tmp_path]  # nothing exists yet: the nearest existing folder, once
    assert os.statvfs(found[0]).f_blocks > 0


def read_only_error() -> InternalError:
    orig = Exception("cannot execute UPDATE in a read-only transaction")
    return InternalError("UPDATE jobs SET ...", {}, orig)


def test_a_read_only_or_full_database_is_unavailable_not_the_articles_fault():
    assert isinstance(read_only_error(), UNAVAILABLE)
    assert describe(read_only_error()) == (
        "database unavailable: cannot execute UPDATE in a read-only transaction "
        "(it only reads now, as a standby does; use the primary)"
    )
    full = OperationalError(
        "INSERT", {}, Exception('could not extend file "base/1/2": No space left on device')
    )
    assert describe(full).endswith("(free disk space, then try again)")


class Refusing:
    """A Redis client that refuses ``refusals`` writes, then takes them."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.writes = 0

    def set(self, *_args: object, **_kwargs: object) -> bool:
        self.writes += 1
        if self.writes <= self.refusals:
            raise redis.ResponseError("MISCONF Errors writing to the AOF file: No space left on device")
        return True


def test_waiting_for_writes_backs_off_with_jitter_up_to_a_cap_then_goes_on():
    slept: list[float] = []
    client = Refusing(refusals=8)
    assert dispatch.wait_for_writes(client, budget_s=3600, what="test", sleep=slept.append)  # type: ignore[arg-type]
    assert client.writes == 9 and len(slept) == 8
    assert all(0 <= s <= dispatch.WAIT_CAP_S for s in slept), slept
    assert dispatch.write_refusal(client) is None


def test_waiting_for_writes_gives_up_when_its_budget_is_spent():
    client = Refusing(refusals=10**9)
    assert not dispatch.wait_for_writes(client, budget_s=0, what="test", sleep=lambda _s: None)  # type: ignore[arg-type]
    reason = dispatch.write_refusal(client)  # type: ignore[arg-type]
    assert reason == "ResponseError: MISCONF Errors writing to the AOF file: No space left on device"
