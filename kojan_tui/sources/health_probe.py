"""One GET of the API's own health URL (``[service] health_url``), with a timeout: status, a short body, or why not."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp

DEFAULT_TIMEOUT_S = 5.0
MAX_BODY_BYTES = 4096  # a health answer is small; more is not read


@dataclass(frozen=True)
class HealthAnswer:
    url: str
    status: int | None  # None: no HTTP answer at all (refused, timeout, DNS)
    body: str = ""  # the first bytes of the answer, decoded leniently (untrusted: shown made visible)
    error: str = ""  # why there was no answer
    elapsed_ms: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


async def probe(url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> HealthAnswer:
    """GET ``url``; never raises (a failure is an answer with ``error``). Redirects are not followed."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with aiohttp.ClientSession(timeout=timeout, trust_env=False) as session:
            async with session.get(url, allow_redirects=False, headers={"User-Agent": "kojan-tui health check"}) as response:
                raw = await response.content.read(MAX_BODY_BYTES)
                elapsed = (loop.time() - started) * 1000
                return HealthAnswer(url, response.status, raw.decode("utf-8", "replace"), elapsed_ms=elapsed)
    except TimeoutError:
        return HealthAnswer(url, None, error=f"no answer within {timeout_s:g} s")
    except aiohttp.InvalidURL:
        return HealthAnswer(url, None, error="not a valid URL")
    except (aiohttp.ClientError, OSError) as error:
        return HealthAnswer(url, None, error=f"{type(error).__name__}: {error}")
