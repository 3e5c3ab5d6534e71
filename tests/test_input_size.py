"""An input over the size limit is refused with its real size, not the limit plus one byte."""

from __future__ import annotations

import os
import threading

import pytest

from syndicate import ingest, submit
from syndicate.ingest.errors import TooLarge, size_text

LIMIT = 2_000_000


@pytest.mark.parametrize(
    "n, text",
    [(0, "0 bytes"), (999, "999 bytes"), (12_500, "12.5 kB"), (999_999, "1.0 MB"), (3_201_000, "3.2 MB"),
     (1_100_000_000, "1.1 GB")],
)  # fmt: skip
def test_size_text(n, text):
    assert size_text(n) == text


def test_the_message_gives_the_size_and_the_limit():
    assert TooLarge.of(3_201_000, LIMIT).message == "too large: 3.2 MB (3,201,000 bytes), the limit is 2.0 MB"


def test_a_large_file_is_measured_whole_but_read_only_past_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 640_000)  # 3,200,000 bytes
    (source,) = submit.sources([str(path)], LIMIT)
    assert isinstance(source, submit.Source)
    assert len(source.data) == LIMIT + 1 and source.total == 3_200_000
    article, reason = submit.parse_source(source, ingest.IngestOptions(max_bytes=LIMIT))
    assert article is None and reason == "too large: 3.2 MB (3,200,000 bytes), the limit is 2.0 MB"


def test_a_stream_with_no_size_is_read_on_to_its_end_and_counted():
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as out:
            for _ in range(5):
                out.write(b"x" * 1_000_000)

    writer = threading.Thread(target=feed)
    writer.start()
    with os.fdopen(read_end, "rb") as stream:
        data, total, exact = submit._read_counting(stream, LIMIT)
    writer.join()
    assert len(data) == LIMIT + 1 and total == 5_000_000 and exact


def test_an_input_within_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "small.txt"
    path.write_bytes(b"x" * LIMIT)
    (source,) = submit.sources([str(path)], LIMIT)
    assert isinstance(source, submit.Source) and source.data == path.read_bytes() and source.total == LIMIT
