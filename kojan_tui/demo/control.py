"""The demo's control API on the server's own port, outside AWS's namespace, for loopback callers only.

``GET /_kojan/scenario``, ``POST /_kojan/scenario {"name": ...}``, ``POST /_kojan/reset {"scenario": ...}``,
``GET /_kojan/status``, ``POST /_kojan/advance {"seconds": N}`` (the world's clock moves on N seconds, its ticks
done at once: tests), and the simulated API's health URL ``GET /_kojan/app/health`` (200 or 503). moto's
``/moto-api/reset`` is refused: it would wipe the seeded world.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable, Iterable
from typing import Any

from kojan_tui.demo.scenarios import SCENARIOS

PREFIX = "/_kojan/"


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return address == "localhost"


class ControlApp:
    """WSGI middleware: answers ``/_kojan/*`` itself and passes everything else to moto."""

    def __init__(self, moto_app: Callable[..., Iterable[bytes]], handlers: Any):
        self.moto_app = moto_app
        self.handlers = handlers  # .scenario(), .set_scenario(name), .reset(name), .advance(s), .status(), .app_health()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path.startswith("/moto-api/reset"):
            return self._reply(start_response, 403, {"error": "the demo world cannot be wiped; POST /_kojan/reset re-seeds it"})
        if not path.startswith(PREFIX):
            return self.moto_app(environ, start_response)
        if not is_loopback(environ.get("REMOTE_ADDR", "")):
            return self._reply(start_response, 403, {"error": "the control API answers 127.0.0.1 only"})
        try:
            body = self._body(environ) if method == "POST" else {}
            route = (method, path[len(PREFIX) :].rstrip("/"))
            if route == ("GET", "scenario"):
                return self._reply(start_response, 200, self._scenario_view())
            if route == ("POST", "scenario"):
                self.handlers.set_scenario(self._scenario_name(body, "name"))
                return self._reply(start_response, 200, self._scenario_view())
            if route == ("POST", "reset"):
                self.handlers.reset(self._scenario_name(body, "scenario", default="healthy"))
                return self._reply(start_response, 200, self._scenario_view())
            if route == ("POST", "advance"):
                return self._reply(start_response, 200, self.handlers.advance(self._seconds(body)))
            if route == ("GET", "status"):
                return self._reply(start_response, 200, self.handlers.status())
            if route == ("GET", "app/health"):
                return self._reply(start_response, *self.handlers.app_health())
            return self._reply(start_response, 404, {"error": f"no such control endpoint: {method} {path}"})
        except ValueError as exc:
            return self._reply(start_response, 400, {"error": str(exc), "scenarios": list(SCENARIOS)})

    def _scenario_view(self) -> dict[str, Any]:
        return {
            "scenario": self.handlers.scenario(),
            "scenarios": [{"name": s.name, "description": s.description} for s in SCENARIOS.values()],
        }

    @staticmethod
    def _scenario_name(body: dict[str, Any], key: str, default: str | None = None) -> str:
        name = body.get(key, default)
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        return name

    @staticmethod
    def _seconds(body: dict[str, Any]) -> float:
        seconds = body.get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise ValueError(f'"seconds" must be a number of seconds, not {seconds!r}')
        return float(seconds)

    @staticmethod
    def _body(environ: dict[str, Any]) -> dict[str, Any]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            data = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            raise ValueError(f"the body is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data

    @staticmethod
    def _reply(start_response: Callable[..., Any], status: int, payload: dict[str, Any]) -> list[bytes]:
        body = json.dumps(payload).encode()
        reason = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable"}[status]
        start_response(f"{status} {reason}", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
