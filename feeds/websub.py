"""WebSub: tell the hub that a feed changed, so subscribers get it without polling.

W3C WebSub (section 6, Publishing) leaves the way a publisher tells its hub to the two of
them; ``hub.mode=publish`` with ``hub.url``, from PubSubHubbub 0.3 (7.1, New Content
Notification), is what public hubs accept.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger(__name__)
TIMEOUT_S = 5


def ping(hub: str, topics: list[str]) -> list[str]:
    """POST hub.mode=publish for each topic URL. Returns the topics the hub accepted (2xx).

    One form-encoded POST per topic, each with a TIMEOUT_S-second timeout. A hub that is down
    must not fail publishing: errors (refusals, network errors, timeouts) are logged, never
    raised, and the next publish pings again.
    """
    accepted: list[str] = []
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
