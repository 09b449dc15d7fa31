"""Login throttling that an attacker cannot turn into a lockout of somebody else.

Three windows of failed attempts (in memory, per server process):

* per account **and** client: after ``max_failures`` the same client may not try that account again
  for the window (a guessing script is stopped; the real user, from another client, is not);
* per account, from any client: no block, only a growing **delay** before the password is checked
  (1 s, 2 s, 4 s … up to ``max_delay``), so guessing one account from many clients crawls while
  its owner still gets in after a short wait;
* per client: a high ceiling (``max_per_ip``) against one client spraying many accounts. Behind a
  reverse proxy, run uvicorn with ``--proxy-headers --forwarded-allow-ips`` so that the client is the
  real one and not the proxy (else everyone behind it shares this ceiling).
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0, max_per_ip: int = 200,
                 max_delay: float = 8.0) -> None:
        self.max_failures = max_failures
        self.max_per_ip = max_per_ip
        self.window = window_seconds
        self.max_delay = max_delay
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _count(self, key: str, now: float) -> int:
        q = self._events.get(key)
        if not q:
            return 0
        while q and q[0] < now - self.window:
            q.popleft()
        return len(q)

    @staticmethod
    def _keys(username: str, ip: str) -> tuple[str, str, str]:
        u = username.lower()
        return f"u:{u}", f"ui:{u}\x00{ip}", f"ip:{ip}"

    def blocked(self, username: str, ip: str) -> bool:
        """Whether this client must not try this account now (its own failures, or its global ceiling)."""
        now = time.monotonic()
        _, pair, per_ip = self._keys(username, ip)
        with self._lock:
            return self._count(pair, now) >= self.max_failures or self._count(per_ip, now) >= self.max_per_ip

    def delay(self, username: str) -> float:
        """Seconds to wait before checking a password for ``username`` (0 until it has failures)."""
        now = time.monotonic()
        with self._lock:
            n = self._count(self._keys(username, "")[0], now)
        if n < self.max_failures:
            return 0.0
        return float(min(self.max_delay, 2.0 ** (n - self.max_failures)))

    def failure(self, username: str, ip: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._events) > 50_000:  # many distinct names: drop the windows that have expired
                for key in [k for k, q in self._events.items() if not q or q[-1] < now - self.window]:
                    del self._events[key]
            for key in self._keys(username, ip):
                self._events.setdefault(key, deque()).append(now)

    def success(self, username: str, ip: str = "") -> None:
        u, pair, _ = self._keys(username, ip)
        with self._lock:
            self._events.pop(u, None)
            self._events.pop(pair, None)
