"""Login rate limiting: a sliding window of failed attempts per username and per client IP.

In memory, per server process: enough to slow a password-guessing script to a crawl
(the limit applies to both keys, so rotating usernames from one IP does not help).
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0, max_per_ip: int = 20) -> None:
        self.max_failures = max_failures
        self.max_per_ip = max_per_ip
        self.window = window_seconds
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _count(self, key: str, now: float) -> int:
        q = self._events.get(key)
        if not q:
            return 0
        while q and q[0] < now - self.window:
            q.popleft()
        return len(q)

    def blocked(self, username: str, ip: str) -> bool:
        """Whether a login attempt must be refused before the password is even checked."""
        now = time.monotonic()
        with self._lock:
            return (self._count(f"u:{username.lower()}", now) >= self.max_failures
                    or self._count(f"ip:{ip}", now) >= self.max_per_ip)

    def failure(self, username: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._events) > 50_000:  # many distinct names: drop the windows that have expired
                for key in [k for k, q in self._events.items() if not q or q[-1] < now - self.window]:
                    del self._events[key]
            for key in (f"u:{username.lower()}", f"ip:{ip}"):
                self._events.setdefault(key, deque()).append(now)

    def success(self, username: str) -> None:
        with self._lock:
            self._events.pop(f"u:{username.lower()}", None)
