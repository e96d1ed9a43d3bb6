"""The ``kojan-tui`` command: parse flags, load the config, then check AWS, list scenarios or run the app.

Config mistakes end with one line and exit status 2; anything unexpected with one line and status 1
(``KOJAN_DEBUG=1`` shows the traceback; under ``--check``, 4: it could not judge). ``--check``'s exit status
follows its verdict (``CHECK_EXIT_CODES``). The gateway is closed and the demo AWS stopped on every path.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kojan_tui import __version__
from kojan_tui.core.config import Config, ConfigError, ConfigOverrides, load_config
from kojan_tui.core.config_trust import choose_config, trust_config
from kojan_tui.core.endpoints import check_endpoints, endpoint_label
from kojan_tui.core.fleet_config import is_fleet
from kojan_tui.core.logtext import make_visible

if TYPE_CHECKING:
    from kojan_tui.aws.gateway import AwsGateway

DEMO_HEALTH_PATH = "/_kojan/app/health"  # the embedded AWS's simulated API health URL
DEMO_CREDENTIALS = ("demo", "demo")  # the embedded AWS accepts any; the user's real ones are never sent to it
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# --check: its exit status is its verdict, so a script can rely on it (documented in --help and the README).
EXIT_WARN, EXIT_ALERT, EXIT_UNKNOWN = 1, 3, 4
CHECK_EXIT_CODES = """\
--check exit status:
  0  OK             the service's verdict is OK (and the audit copy group, when configured, exists)
  1  WARN           the verdict is a warning (e.g. a rollout in progress)
  2  bad config     a config or usage mistake, or the [audit] log_group does not exist
  3  ALERT          the verdict is an alert (tasks missing, rollout failed, no healthy target…)
  4  could not judge  AWS unreachable or silent, credentials missing or expired, access denied, no data
  when several apply, the most serious wins: 3, then 4, then 2, then 1.
"""
# --check is a smoke test: it answers in seconds, also when the endpoint is dead (a short connect, few attempts).
CHECK_CONNECT_TIMEOUT_S, CHECK_READ_TIMEOUT_S, CHECK_MAX_ATTEMPTS = 2.0, 5.0, 2

EXAMPLES = """\
examples:
  kojan-tui --demo                                   the dashboard against a simulated kojan-map (no AWS needed)
  kojan-tui --demo --scenario db-outage              ... with the database down (S08)
  kojan-tui --demo --list-scenarios                  what the demo can simulate
  kojan-tui --profile prod --read-only               production, with every mutating action refused
  kojan-tui --check                                  smoke test: credentials, region, the service's verdict; exit 0-4
  kojan-tui --config ~/kojan.toml --theme kojan-light
  kojan-tui --demo --lang en                         the whole UI in English (ja: the guide's Japanese, the default)
  kojan-tui team init [--print]                      create the [team] table (or print the AWS CLI commands)
  kojan-tui collect                                  poll AWS once for the team: write the dashboard to the [team] table
  kojan-tui --team                                   the dashboard from the collector's frames (polls itself if it is silent)

config: --config PATH, else ./config.toml only once trusted (--trust-config ./config.toml; asked again
when it changes), else {user_config}; flags override it.
AWS_PROFILE and AWS_ENDPOINT_URL work as in the aws CLI when neither the config nor a flag sets them;
every endpoint, however set, must be https:// unless it is loopback.

"""


def build_parser() -> argparse.ArgumentParser:
    from kojan_tui.core.config import user_config_path

    parser = argparse.ArgumentParser(
        prog="kojan-tui",
        description="A live terminal console for the on-call engineers of the kojan-map business backend\n"
        "(ECS service, ALB, RDS, CloudWatch Logs): health, S03 thresholds, logs and errors, one key away.",
        epilog=EXAMPLES.format(user_config=user_config_path()) + CHECK_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config", metavar="PATH", help="the config file (default: a trusted ./config.toml, else the user config dir)"
    )
    parser.add_argument(
        "--trust-config", metavar="PATH", help="trust this config file as it is now (for use from its directory), then exit"
    )
    parser.add_argument("--profile", help="AWS profile to use (overrides aws.profile and AWS_PROFILE)")
    parser.add_argument("--region", help="AWS region (overrides aws.region)")
    parser.add_argument(
        "--endpoint-url", metavar="URL", help="send AWS calls here (overrides aws.endpoint_url and AWS_ENDPOINT_URL)"
    )
    parser.add_argument(
        "--read-only", action="store_true", default=None, help="refuse every mutating action (rollback, redeploy)"
    )
    parser.add_argument(
        "--refresh", type=float, metavar="SECONDS", help="dashboard metrics refresh interval (refresh.metrics_seconds)"
    )
    parser.add_argument("--theme", metavar="NAME", help="colour theme, e.g. kojan-dark, kojan-light (overrides ui.theme)")
    parser.add_argument(
        "--lang", metavar="ja|en", help="the UI language: ja (the guide's, default) or en (overrides ui.language)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="run against an embedded, simulated AWS on 127.0.0.1 (dummy credentials)"
    )
    parser.add_argument("--scenario", metavar="NAME", help="with --demo: the scenario to start in (default: healthy)")
    parser.add_argument("--list-scenarios", action="store_true", help="with --demo: list the demo scenarios and exit")
    parser.add_argument(
        "--fleet", action="store_true", help="with --demo: a fleet of four services in production and staging (issue 26)"
    )
    parser.add_argument(
        "--allow-production-writes",
        action="store_true",
        help="with [[fleet.services]]: allow changes (rollback, redeploy) to production services, read-only without it",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="call STS and describe-services once, print what was found; the exit status is the verdict (below)",
    )
    parser.add_argument(
        "--team",
        action="store_true",
        help="read the dashboard from the frames `kojan-tui collect` writes to the [team] table instead of polling",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    team = commands.add_parser("team", help="team mode: the DynamoDB table the on-call team shares ([team] table)")
    team_actions = team.add_subparsers(dest="team_action", metavar="ACTION", required=True)
    init = team_actions.add_parser(
        "init", help="create the [team] table (on-demand, TTL on expires_at), or print the AWS CLI commands"
    )
    init.add_argument("--print", dest="print_only", action="store_true", help="print the AWS CLI commands, create nothing")
    collect = commands.add_parser(
        "collect", help="headless: poll AWS at the configured refresh and write each changed frame to the [team] table"
    )
    collect.add_argument("--id", dest="collector_id", metavar="NAME", help="this collector's name (default: host-pid)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if (args.scenario or args.list_scenarios or args.fleet) and not args.demo:
            parser.error("--scenario, --list-scenarios and --fleet need --demo")
    except SystemExit as exit_:  # --help, --version, usage errors: argparse already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    try:
        return _run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, not a traceback
        if os.environ.get("KOJAN_DEBUG") == "1":
            traceback.print_exc()
        else:
            one_line = _safe(" ".join(str(error).split()))
            print(
                f"kojan-tui: unexpected error: {type(error).__name__}: {one_line} (KOJAN_DEBUG=1 shows the traceback)",
                file=sys.stderr,
            )
        return EXIT_UNKNOWN if args.check else EXIT_FAILED  # under --check, 1 means WARN


def _run(args: argparse.Namespace) -> int:
    if args.list_scenarios:
        return _list_scenarios()
    if args.trust_config:
        print(f"kojan-tui: trusted {_safe(trust_config(args.trust_config, cwd=Path.cwd()))} as it is now")
        return EXIT_OK
    choice = choose_config(args.config, Path.cwd())
    if choice.notice:
        print(_safe(choice.notice), file=sys.stderr)
    path = choice.path
    overrides = ConfigOverrides(
        profile=args.profile,
        region=args.region,
        endpoint_url=args.endpoint_url,
        read_only=args.read_only,
        refresh_seconds=args.refresh,
        theme=args.theme,
        language=args.lang,
    )
    config = load_config(path, overrides)
    if args.command == "team":
        return _team_init(config, print_only=args.print_only)
    if args.team:
        config = replace(config, team=replace(config.team, frames=True))
    if args.command == "collect" or config.team.frames:
        if not config.team.table:
            what = "collect" if args.command == "collect" else "--team"
            print(
                f"kojan-tui: {what} needs a team table: [team] table is empty in {_safe(config.source)} "
                "(name the table there; `kojan-tui team init` creates it)",
                file=sys.stderr,
            )
            return EXIT_USAGE
    if not args.check:
        code = _check_theme(config, from_flag=args.theme is not None)
        if code != EXIT_OK:
            return code
    demo: Any = None
    try:
        static_credentials = None
        if args.demo:
            if args.fleet:  # issue 26: the simulated service and its sidekicks, each in its own scenario
                from kojan_tui.demo.fleet import demo_fleet_config

                config = demo_fleet_config(config)
            demo, code = _start_demo(args.scenario or "healthy", config)
            if demo is None:
                return EXIT_UNKNOWN if args.check and code == EXIT_FAILED else code
            config = demo_config(config, demo.endpoint_url)
            static_credentials = DEMO_CREDENTIALS
        gateway = _make_gateway(check_settings(config) if args.check else config, static_credentials)
        check_endpoints(gateway.endpoint_settings())  # the loopback rule, however the endpoint was set
        if args.check:
            return asyncio.run(_check(config, gateway, demo))
        if demo is not None and config.team.table:  # the embedded AWS starts empty: make the team table in it
            from kojan_tui.core.team import team_region

            asyncio.run(_create_team_table(gateway, config.team.table, team_region(config.team.region, config.aws.region)))
        if args.command == "collect":
            from kojan_tui.collect import collect

            return asyncio.run(collect(config, gateway, collector_id=args.collector_id))
        audit = _audit_trail(demo=demo is not None)
        if is_fleet(config):  # issue 26: the fleet screen, one service's app at a time
            return _run_fleet(config, gateway, demo, audit, args.allow_production_writes, (choice.notice or "",))
        return _run_app(config, gateway, demo, audit, notices=(choice.notice or "",))
    finally:
        if demo is not None:
            demo.stop()


def _team_init(config: Config, *, print_only: bool) -> int:
    """``kojan-tui team init``: create the table (an existing one is left as it is) or print how to."""
    from kojan_tui.core.team import init_commands, team_region

    table, region = config.team.table, team_region(config.team.region, config.aws.region)
    if not table:
        print(f"kojan-tui: [team] table is empty in {_safe(config.source)}: name the table there first", file=sys.stderr)
        return EXIT_USAGE
    if print_only:
        print("\n".join(init_commands(table, region, config.aws.profile)))
        return EXIT_OK
    gateway = _make_gateway(config, None)
    check_endpoints(gateway.endpoint_settings())
    return asyncio.run(_create_team_table(gateway, table, region))


async def _create_team_table(gateway: AwsGateway, table: str, region: str) -> int:
    from kojan_tui.core.errors import AwsFailure, FailureKind

    try:
        try:
            status = await gateway.dynamodb_table_status(table)
        except AwsFailure as failure:
            if failure.kind is not FailureKind.NOT_FOUND:
                raise
        else:
            ttl = "TTL on expires_at"
            try:
                await gateway.dynamodb_enable_ttl(table)  # a table made by hand gets its TTL too
            except AwsFailure as failure:  # AWS refuses to enable a TTL that is already on
                if failure.kind is not FailureKind.INVALID_REQUEST:
                    raise
                ttl = f"TTL left as it is ({_safe(failure.message)})"
            print(f"kojan-tui: table {_safe(table)} already exists in {region} ({_safe(status)}); {ttl}")
            return EXIT_OK
        await gateway.dynamodb_create_table(table)
        print(f"kojan-tui: created table {_safe(table)} in {region} (on-demand, TTL on expires_at)")
        return EXIT_OK
    except AwsFailure as failure:
        print(f"kojan-tui: team init failed: {_safe(failure)}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        await gateway.close()


def _check_theme(config: Config, *, from_flag: bool) -> int:
    """A broken theme file or an unknown theme name is bad input: one line, exit 2, before anything starts."""
    from kojan_tui.ui.themes import ThemeError, load_themes

    try:
        themes = load_themes()
    except ThemeError as error:
        print(f"kojan-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    if config.ui.theme not in themes:
        where = "--theme" if from_flag else f"ui.theme in {config.source}"
        print(f"kojan-tui: unknown theme {config.ui.theme!r} ({where}); choose one of: {', '.join(themes)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _safe(text: object) -> str:
    """AWS-provided text made safe for a terminal: control, bidi and invisible characters shown, not obeyed."""
    return make_visible(str(text))


def _list_scenarios() -> int:
    from kojan_tui.demo.scenarios import SCENARIOS

    width = max(len(name) for name in SCENARIOS)
    for name, scenario in SCENARIOS.items():
        print(f"{name:<{width}}  {scenario.description}")
    return EXIT_OK


def demo_config(config: Config, endpoint_url: str) -> Config:
    """Everything the app reaches points at the embedded AWS: AWS calls, the API's health URL (S29), and the
    audit copy goes to the group the embedded AWS seeded."""
    from kojan_tui.demo import audit_log_group

    return replace(
        config,
        aws=replace(config.aws, endpoint_url=endpoint_url, profile=None),
        service=replace(config.service, health_url=endpoint_url + DEMO_HEALTH_PATH),
        audit=replace(config.audit, log_group=audit_log_group(config)),
    )


def _start_demo(scenario: str, config: Config) -> tuple[Any, int]:
    """The running embedded AWS and 0, or None and the exit status after saying why in one line."""
    from kojan_tui.demo.embedded import EmbeddedAws
    from kojan_tui.demo.scenarios import SCENARIOS

    if scenario not in SCENARIOS:
        print(f"kojan-tui: unknown scenario {scenario!r}; choose one of: {', '.join(SCENARIOS)}", file=sys.stderr)
        return None, EXIT_USAGE
    print(f"starting the embedded demo AWS (scenario {scenario})…", file=sys.stderr)
    demo = EmbeddedAws(scenario, config)
    try:
        demo.start()
    except Exception as error:  # noqa: BLE001 - say why in one line; start() has already cleaned up
        demo.stop()
        last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
        print(f"kojan-tui: the embedded demo AWS did not start: {_safe(last[0])}", file=sys.stderr)
        return None, EXIT_FAILED
    return demo, EXIT_OK


def check_settings(config: Config) -> Config:
    """The config --check runs with: connect timeout, read timeout and attempts capped, so a dead endpoint is said
    in seconds (the dashboard keeps the configured, patient ones)."""
    aws = config.aws
    return replace(
        config,
        aws=replace(
            aws,
            connect_timeout=min(aws.connect_timeout, CHECK_CONNECT_TIMEOUT_S),
            read_timeout=min(aws.read_timeout, CHECK_READ_TIMEOUT_S),
            max_attempts=min(aws.max_attempts, CHECK_MAX_ATTEMPTS),
        ),
    )


def check_exit_code(verdict: Any, *, judged: bool, bad_config: bool) -> int:
    """--check's exit status (``CHECK_EXIT_CODES``): the service's verdict (a ``Level``; None: not read), raised to
    "could not judge" when a call failed and to "bad config" when the config names what does not exist."""
    from kojan_tui.core.levels import Level

    by_level = {Level.OK: EXIT_OK, Level.WARNING: EXIT_WARN, Level.ALERT: EXIT_ALERT}
    codes = [by_level.get(verdict, EXIT_UNKNOWN) if verdict is not None else EXIT_UNKNOWN]
    if not judged:
        codes.append(EXIT_UNKNOWN)
    if bad_config:
        codes.append(EXIT_USAGE)
    severity = [EXIT_OK, EXIT_WARN, EXIT_USAGE, EXIT_UNKNOWN, EXIT_ALERT]  # least to most serious
    return max(codes, key=severity.index)


CHECK_RESULT_WORDS = {
    EXIT_OK: "OK",
    EXIT_WARN: "WARN",
    EXIT_USAGE: "BAD CONFIG",
    EXIT_ALERT: "ALERT",
    EXIT_UNKNOWN: "COULD NOT JUDGE",
}


def _make_gateway(config: Config, static_credentials: tuple[str, str] | None) -> AwsGateway:
    from kojan_tui.aws.gateway import AwsGateway
    from kojan_tui.core.team import team_region

    gateway = AwsGateway(config.aws, read_only=config.ui.read_only, static_credentials=static_credentials)
    gateway.service_regions["dynamodb"] = team_region(config.team.region, config.aws.region)  # the [team] table's
    return gateway


def _audit_trail(*, demo: bool) -> Any:
    from kojan_tui.core.audit import AuditTrail, default_audit_path

    audit_path = default_audit_path()
    if demo:  # demo actions never mix with the record of real ones
        audit_path = audit_path.with_name("audit-demo.jsonl")
    return AuditTrail(audit_path)


def database_path(demo_state: tempfile.TemporaryDirectory | None) -> Path:
    """The user's state database; with ``--demo``, one in a directory of this launch (removed at exit): the
    embedded AWS is a new world at every launch, so a demo's runs, incidents and unanswered actions belong to it
    alone and are never resumed against the next one."""
    from kojan_tui.store.database import default_database_path

    return Path(demo_state.name) / "kojan-demo.sqlite3" if demo_state is not None else default_database_path()


def _run_app(
    config: Config,
    gateway: AwsGateway,
    demo: Any,
    audit: Any,
    notices: tuple[str, ...] = (),
    *,
    fleet: Any = None,
    demo_state: tempfile.TemporaryDirectory | None = None,
) -> int:
    from kojan_tui.store.database import LazyDatabase
    from kojan_tui.ui.app import KojanApp

    own_state = demo_state is None
    if demo_state is None:
        demo_state = tempfile.TemporaryDirectory(prefix="kojan-demo-state-") if demo is not None else None
    database = LazyDatabase(database_path(demo_state))
    said = {"notices": tuple(n for n in notices if n)} if any(notices) else {}  # an ignored ./config.toml
    clock = {"clock": demo.clock} if demo is not None else {}  # the embedded AWS's time (the wall clock unless advanced)
    extra = {"fleet": fleet} if fleet is not None else {}
    app = KojanApp(config, gateway, demo=demo, audit=audit, database=database, **clock, **said, **extra)
    gc.freeze()  # what start-up made lives for the whole run: keep it out of full collections (key latency)

    async def run() -> None:
        from kojan_tui.ui.terminal import end_when_terminal_gone

        fds = tuple(stream.fileno() for stream in (sys.__stdin__, sys.__stdout__) if stream is not None)
        watch = asyncio.create_task(end_when_terminal_gone(app, fds, on_forced_exit=demo.stop if demo else None))
        try:
            await app.run_async()
        finally:
            watch.cancel()
            await gateway.close()

    try:
        asyncio.run(run())
    finally:
        if demo_state is not None and own_state:
            demo_state.cleanup()
    return app.return_code or EXIT_OK


def _run_fleet(
    config: Config, gateway: AwsGateway, demo: Any, audit: Any, allow_production_writes: bool, notices: tuple[str, ...]
) -> int:
    """The fleet screen first; opening another service ends that app and starts it again on the chosen one
    (every screen unchanged, for that service). Production runs read-only unless --allow-production-writes."""
    from kojan_tui.core.fleet_config import member_of, run_config
    from kojan_tui.ui.screens.fleet import FleetHome

    demo_state = tempfile.TemporaryDirectory(prefix="kojan-demo-state-") if demo is not None else None
    key: str | None = None
    try:
        while True:
            chosen = run_config(config, key, allow_production_writes=allow_production_writes)
            if (
                demo is not None
                and chosen.service.name == config.service.name
                and chosen.service.cluster == config.service.cluster
            ):
                chosen = replace(chosen, service=config.service)  # the simulated one keeps demo_config's health URL
            gateway.read_only = chosen.ui.read_only  # the backstop follows the open service's environment
            home = FleetHome(config, member_of(chosen).key, home=key is None, allow_production_writes=allow_production_writes)
            code = _run_app(chosen, gateway, demo, audit, notices, fleet=home, demo_state=demo_state)
            if home.next_key is None:
                return code
            key, notices = home.next_key, ()
    finally:
        if demo_state is not None:
            demo_state.cleanup()


async def _check(config: Config, gateway: AwsGateway, demo: Any) -> int:
    """The on-call smoke test: who am I, where am I pointing, and is the service there and healthy?"""
    from kojan_tui.core.errors import AwsFailure, FailureKind
    from kojan_tui.core.verdict import service_verdict, task_definition_label

    aws, service = config.aws, config.service
    lines = [
        f"kojan-tui {__version__} check",
        f"  config      {config.source if config.source != '<defaults>' else 'none found: built-in defaults'}",
        f"  region      {aws.region}",
    ]
    if demo is not None:
        lines.append(f"  endpoint    {aws.endpoint_url} (embedded demo AWS, dummy credentials; scenario {demo.scenario})")
    else:
        endpoint = endpoint_label(gateway.endpoint_settings()) or "AWS"
        profile = aws.profile or (
            f"{os.environ['AWS_PROFILE']} (from AWS_PROFILE)" if os.environ.get("AWS_PROFILE") else "default credential chain"
        )
        lines += [f"  endpoint    {endpoint}", f"  profile     {profile}"]
    lines.append(f"  mode        {'READ-ONLY' if config.ui.read_only else 'READ-WRITE'}")
    judged, bad_config, verdict_level = True, False, None
    unreachable = (FailureKind.UNAVAILABLE, FailureKind.TIMEOUT, FailureKind.CREDENTIALS)
    try:
        try:
            identity = await gateway.caller_identity()
            lines += [f"  account     {identity.account}", f"  identity    {identity.arn}"]
        except AwsFailure as failure:
            judged = False
            lines.append(f"  identity    FAILED {failure}")
            if failure.kind in unreachable:  # the next calls would wait the same way: say so now, not in 20 s
                lines.append(f"  service     {service.cluster}/{service.name}: not asked ({failure.kind.value})")
                raise _Unreachable from failure
        try:
            snap = await gateway.describe_service(service.cluster, service.name)
            verdict = service_verdict(snap)  # the same verdict the dashboard shows (S01)
            primary = snap.primary
            lines += [
                f"  service     {snap.cluster}/{snap.name}: {snap.status}",
                f"  tasks       running {snap.running} / desired {snap.desired}, pending {snap.pending}",
                f"  task def    {task_definition_label(snap.task_definition)}",
            ]
            if primary is not None and primary.rollout_state:
                lines.append(f"  rollout     {primary.rollout_state}")
            lines.append(f"  verdict     {verdict.level.marker} {verdict.summary}")
            verdict_level = verdict.level
        except AwsFailure as failure:
            judged = False
            lines.append(f"  service     {service.cluster}/{service.name}: FAILED {failure}")
        if config.audit.log_group:
            try:
                found = await gateway.log_group_exists(config.audit.log_group)
                bad_config = not found
                state = (
                    "found" if found else "FAILED not found (kojan-tui never creates it: create it, or change [audit] log_group)"
                )
            except AwsFailure as failure:
                judged = False
                state = f"FAILED {failure}"
            lines.append(f"  audit copy  {config.audit.log_group}: {state}")
    except _Unreachable:
        pass
    finally:
        await gateway.close()
    code = check_exit_code(verdict_level, judged=judged, bad_config=bad_config)
    lines.append(f"result      {CHECK_RESULT_WORDS[code]} (exit {code})")
    print("\n".join(_safe(line) for line in lines))
    return code


class _Unreachable(Exception):
    """--check stops asking once AWS cannot be reached at all."""
