"""Config provenance (issue 20): nothing from the working directory unless named or trusted; the loopback rule
for every way an endpoint is set; --check says which config, endpoint and mode are in use."""

from __future__ import annotations

import asyncio
import json
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kojan_tui import cli
from kojan_tui.core.config import ConfigError
from kojan_tui.core.config_trust import choose_config, trust_config
from kojan_tui.core.endpoints import EndpointSetting, check_endpoints, configured_endpoints, endpoint_label


class CountingServer:
    """A loopback HTTP server that answers every request with a 400 and counts them."""

    def __init__(self) -> None:
        self.count = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                owner.count += 1
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                body = b'{"__type":"Hostile","message":"you reached the hostile server"}'
                self.send_response(400)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # shutdown() waits for serve_forever to notice: poll every 20 ms, not its default 0.5 s
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hostile_server():
    server = CountingServer()
    yield server
    server.stop()


@pytest.fixture
def isolated_dirs(tmp_path, monkeypatch):
    """An empty user config dir and state dir (the trusted-config list), and a working directory."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    work = tmp_path / "clone"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


# -- the done-when: a hostile ./config.toml reaches nothing until named or trusted ---------------------------------


def test_a_hostile_cwd_config_sends_nothing_until_named_or_trusted(
    seeded_aws, hostile_server, isolated_dirs, monkeypatch, capsys
):
    monkeypatch.setenv("AWS_ENDPOINT_URL", seeded_aws.endpoint)  # the user's own choice
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    hostile = isolated_dirs / "config.toml"
    hostile.write_text(f'[aws]\nendpoint_url = "{hostile_server.url}"\nmax_attempts = 1\n[ui]\nread_only = false\n')

    assert cli.main(["--check"]) == 3  # judged on the user's AWS (its seeded service runs 0 of 2: ALERT)
    captured = capsys.readouterr()
    assert hostile_server.count == 0
    assert captured.err.strip() == (
        f"kojan-tui: ignoring {hostile} (not trusted); use it with --config {hostile}, "
        f"or trust it once with --trust-config {hostile}"
    )
    assert "config      none found: built-in defaults" in captured.out
    assert f"endpoint    {seeded_aws.endpoint} (from AWS_ENDPOINT_URL)" in captured.out
    assert "mode        READ-WRITE" in captured.out

    assert cli.main(["--config", "config.toml", "--check"]) == 4  # named: used; the hostile server cannot be judged
    assert hostile_server.count > 0
    assert f"endpoint    {hostile_server.url}" in capsys.readouterr().out

    before = hostile_server.count
    assert cli.main(["--trust-config", "config.toml"]) == 0
    assert cli.main(["--check"]) == 4  # trusted: used from the working directory
    assert hostile_server.count > before
    out = capsys.readouterr().out
    assert f"config      {hostile}" in out

    hostile.write_text(hostile.read_text() + "# changed\n")  # a changed file is asked about again
    before = hostile_server.count
    assert cli.main(["--check"]) == 3
    assert hostile_server.count == before
    assert "(changed since you trusted it)" in capsys.readouterr().err


def test_lookup_order(tmp_path):
    store, user, cwd = tmp_path / "state" / "trusted.json", tmp_path / "user" / "config.toml", tmp_path / "work"
    cwd.mkdir()
    assert choose_config(None, cwd, user_path=user, store=store).path is None
    user.parent.mkdir()
    user.write_text("")
    assert choose_config(None, cwd, user_path=user, store=store).path == user  # the user config dir is trusted
    (cwd / "config.toml").write_text("[ui]\n")
    choice = choose_config(None, cwd, user_path=user, store=store)
    assert (choice.path, choice.how) == (user, "user config dir") and "not trusted" in (choice.notice or "")
    trust_config("config.toml", cwd=cwd, store=store)
    choice = choose_config(None, cwd, user_path=user, store=store)
    assert (choice.path, choice.how, choice.notice) == (cwd / "config.toml", "trusted", None)
    explicit = tmp_path / "elsewhere.toml"
    explicit.write_text("")
    assert choose_config(str(explicit), cwd, user_path=user, store=store).path == explicit
    assert choose_config("../elsewhere.toml", cwd, user_path=user, store=store).path == cwd / "../elsewhere.toml"
    remembered = json.loads(store.read_text())
    assert (
        list(remembered) == [str((cwd / "config.toml").resolve())] and len(remembered[str((cwd / "config.toml").resolve())]) == 64
    )
    assert stat.S_IMODE(store.stat().st_mode) == 0o600 and stat.S_IMODE(store.parent.stat().st_mode) == 0o700


def test_trusting_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        trust_config("nope.toml", cwd=tmp_path, store=tmp_path / "t.json")


# -- the loopback rule, however the endpoint is set ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "profile", "services", "expected"),
    [
        ({"AWS_ENDPOINT_URL": "http://evil.example"}, {}, {}, [("http://evil.example", "AWS_ENDPOINT_URL")]),
        ({"AWS_ENDPOINT_URL_ECS": "http://evil.example"}, {}, {}, [("http://evil.example", "AWS_ENDPOINT_URL_ECS")]),
        ({}, {"endpoint_url": "http://evil.example"}, {}, [("http://evil.example", "endpoint_url of p")]),
        ({}, {}, {"ecs": {"endpoint_url": "http://evil.example"}}, [("http://evil.example", "ecs endpoint_url of p")]),
        ({"AWS_ENDPOINT_URL": "http://evil.example", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"}, {}, {}, []),
    ],
    ids=["env", "env-service", "profile", "profile-services", "ignored"],
)
def test_every_endpoint_source_is_listed_and_judged(environ, profile, services, expected):
    found = configured_endpoints(None, environ, profile, services, profile_label="p")
    assert [(s.url, s.origin) for s in found] == expected
    if expected:
        with pytest.raises(ConfigError) as caught:
            check_endpoints(found)
        assert "sends credentials in plaintext" in str(caught.value) and expected[0][1] in str(caught.value)


def test_loopback_and_https_endpoints_pass_and_an_explicit_one_wins():
    check_endpoints((EndpointSetting("http://127.0.0.1:5000", "AWS_ENDPOINT_URL"), EndpointSetting("https://x", "y")))
    found = configured_endpoints("https://proxy.example", {"AWS_ENDPOINT_URL": "http://evil.example"})
    assert found == (EndpointSetting("https://proxy.example", "aws.endpoint_url"),)
    assert endpoint_label(found) == "https://proxy.example"
    assert endpoint_label(()) is None


def test_cli_refuses_a_plaintext_endpoint_from_the_environment(isolated_dirs, hostile_server, monkeypatch, capsys):
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://sts.evil.example")
    assert cli.main(["--check"]) == 2
    err = capsys.readouterr().err
    assert err.strip().startswith("config error in AWS_ENDPOINT_URL_STS: 'http://sts.evil.example' sends credentials")


@pytest.mark.parametrize(
    ("aws_config_text", "origin"),
    [
        ("[profile prod]\nregion = ap-northeast-1\nendpoint_url = http://10.0.0.9:8080\n", "endpoint_url"),
        (
            "[profile prod]\nregion = ap-northeast-1\nservices = mine\n[services mine]\necs =\n  endpoint_url = http://10.0.0.9:8080\n",
            "ecs endpoint_url",
        ),
    ],
    ids=["profile", "services-section"],
)
def test_cli_refuses_a_plaintext_endpoint_from_the_aws_profile(isolated_dirs, monkeypatch, capsys, aws_config_text, origin):
    aws_config = isolated_dirs.parent / "aws-config"
    aws_config.write_text(aws_config_text)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_config))
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    assert cli.main(["--profile", "prod", "--check"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"config error in {origin} of profile prod in the AWS config file: 'http://10.0.0.9:8080'")


def test_the_app_started_in_a_hostile_directory_sends_it_nothing_until_trusted(
    seeded_aws, hostile_server, isolated_dirs, monkeypatch, capsys
):
    """The real command (config lookup, gateway, app and its polls), headless: the hostile endpoint hears
    nothing; the user's own endpoint is polled; the top line names config, endpoint and mode."""
    from kojan_tui.ui.app import KojanApp
    from kojan_tui.ui.widgets.context_bar import ContextBar

    monkeypatch.setenv("AWS_ENDPOINT_URL", seeded_aws.endpoint)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    (isolated_dirs / "config.toml").write_text(f'[aws]\nendpoint_url = "{hostile_server.url}"\nmax_attempts = 1\n')
    original, seen = KojanApp.run_async, {}

    async def headless(self, **_kwargs):
        async def exit_once_polled() -> None:
            def bar() -> str:
                found = self.screen.query(ContextBar)
                return found.first().render().plain if found else ""

            deadline = time.monotonic() + 30

            def settled() -> bool:
                told = bool(list(self._notifications)) or not self._startup_warnings  # the ignored-config line
                return sum(self.gateway.requests.values()) >= 5 and "chart" in bar() and told

            while not settled() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # a condition, polled: the app's own requests and its top line
            seen["requests"], seen["bar"] = sum(self.gateway.requests.values()), bar()
            seen["toasts"] = [str(n.message) for n in self._notifications]
            self.exit()

        watcher = asyncio.create_task(exit_once_polled())
        try:
            return await original(self, headless=True, size=(200, 48))
        finally:
            watcher.cancel()

    monkeypatch.setattr(KojanApp, "run_async", headless)
    assert cli.main(["--lang", "en"]) == 0  # the top line's English words are asserted
    assert seen["requests"] >= 5 and hostile_server.count == 0
    assert "READ-WRITE" in seen["bar"] and "config: defaults" in seen["bar"]
    assert f"endpoint {seeded_aws.endpoint} (from AWS_ENDPOINT_URL)" in seen["bar"]
    assert "ignoring" in capsys.readouterr().err
    assert any(t.startswith("kojan-tui: ignoring ") for t in seen["toasts"]), seen["toasts"]  # said on screen too

    assert cli.main(["--trust-config", "config.toml"]) == 0
    assert cli.main(["--lang", "en"]) == 0
    assert hostile_server.count > 0 and f"endpoint {hostile_server.url}" in seen["bar"]
    assert f"config {isolated_dirs / 'config.toml'}" in seen["bar"]
