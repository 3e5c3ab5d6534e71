"""`syndicate submit` tells the operator the real size of an input over the limit."""

from __future__ import annotations


def test_a_file_or_stdin_over_the_limit_is_refused_with_its_real_size(site, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"12 May, 2020 10:00\n\nTitle\n\n" + b"word " * 640_000)  # 3,200,027 bytes
    expected = "too large: 3.2 MB (3,200,027 bytes), the limit is 2.0 MB"
    for args, data, name in (
        (["submit", str(path)], None, str(path)),
        (["submit", "-"], path.read_bytes(), "-"),
    ):
        result = site.cli(*args, input=data)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1, result.stderr
        assert name in lines[0] and expected in lines[0], lines[0]


def test_an_endless_or_stalled_stream_is_refused_without_hanging(site):
    """/dev/zero never ends: `submit` stops counting after a bounded time and says "more than"."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "syndicate", "submit", "/dev/zero"],
        env=site.env,
        capture_output=True,
        timeout=60,
    )
    line = result.stderr.decode().strip()
    assert result.returncode == 2 and "too large: more than" in line and "\n" not in line, line
