"""WebSub: tell the hub that a feed changed, so subscribers get it without polling."""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger(__name__)
TIMEOUT_S = 5


def ping(hub: str, topics: list[str]) -> list[str]:
    """POST hub.mode=publish for each topic URL. Returns the topics the hub accepted (2xx).

    A hub that is down must not fail publishing: errors are logged, and the next publish pings
    again.
    """
    accepted = []
    for topic in topics:
        body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
        request = urllib.request.Request(
            hub, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                if 200 <= response.status < 300:
                    accepted.append(topic)
        except (urllib.error.URLError, OSError) as exc:
            log.warning("WebSub hub %s refused %s: %s", hub, topic, exc)
    return accepted
