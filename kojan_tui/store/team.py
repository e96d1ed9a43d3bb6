"""Team mode: the incident and acknowledgement stores on one shared DynamoDB table (single-table design).

Items (string keys ``pk``/``sk``):

- ``COUNTER`` / ``ER``: ``n``, the last ER number handed out (``ADD n :one``: atomic, so two engineers at
  once never get the same number; a counter behind er.md is moved up only if nobody moved it meanwhile);
- ``INCIDENT`` / ``ER#000004``: one incident's fields (created only if absent);
- ``INCIDENT#000004`` / ``TIMELINE#<iso time>#<uuid>``: one timeline entry, append-only, never overwritten;
- ``INCIDENT#000004`` / ``FRAME#<iso time>#<uuid>``: one recorded dashboard frame (compressed bytes);
- ``ACK`` / ``ACK#<alert key>#<who>``: "I'm on it", with ``expires_at`` (TTL) a day after it ends;
- ``COUNTER`` / ``RUN``, ``RUN`` / ``RUN#000000001`` and its ``STEP#…`` / ``RECORD#…``: checklist and
  runbook walkthroughs (``DynamoProcedureRuns``).

Every failure leaves as an ``AwsFailure`` from the gateway; the caller shows it and keeps what it has.
"""

from __future__ import annotations

import inspect
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kojan_tui.aws.protocol import DynamoDbApi
from kojan_tui.core.acks import Acknowledgement
from kojan_tui.core.config import TeamSettings
from kojan_tui.core.errors import AwsFailure, FailureKind
from kojan_tui.core.incidents import IncidentRecord, TimelineEntry
from kojan_tui.core.secret_rule import mask_text
from kojan_tui.procedures.checks import Verdict
from kojan_tui.procedures.runs import ProcedureRun, StepRecord, StepState
from kojan_tui.store.acks import AckStore, SqliteAckStore
from kojan_tui.store.database import LazyDatabase
from kojan_tui.store.incidents import EDITABLE_FIELDS, IncidentStore, SqliteIncidentStore
from kojan_tui.store.procedure_runs import MAX_EVIDENCE_LINES, ProcedureRunStore, SqliteProcedureRuns, _iso, _time

COUNTER_KEY = {"pk": "COUNTER", "sk": "ER"}
INCIDENTS_PK = "INCIDENT"
ACKS_PK = "ACK"
MAX_ALLOCATION_ATTEMPTS = 20
MAX_FRAME_BYTES = 350_000  # DynamoDB's item limit is 400 KB, keys and names included
ACK_KEPT_AFTER = timedelta(days=1)  # TTL: an ended acknowledgement stays readable a day, then DynamoDB drops it


def _incident_key(number: int) -> dict[str, str]:
    return {"pk": INCIDENTS_PK, "sk": f"ER#{number:06d}"}


def _incident_pk(number: int) -> str:
    return f"{INCIDENTS_PK}#{number:06d}"


def _moment_key(prefix: str, at: datetime) -> str:
    return f"{prefix}#{at.astimezone(UTC).isoformat(timespec='microseconds')}#{uuid.uuid4().hex}"


class DynamoIncidentStore:
    """``IncidentStore`` on the team table."""

    def __init__(self, api: DynamoDbApi, table: str) -> None:
        self.api = api
        self.table = table

    async def open_incident(self, number: int, opened_at: datetime, title: str = "") -> IncidentRecord:
        title = mask_text(title)
        item = {**_incident_key(number), "number": number, "opened_at": opened_at.isoformat(), "title": title}
        if not await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)"):
            raise AwsFailure(
                FailureKind.INVALID_REQUEST, f"ER-{number:03d} already exists in the team table", operation="PutItem"
            )
        return IncidentRecord(number=number, opened_at=opened_at, title=title)

    async def open_next(self, opened_at: datetime, title: str = "", *, at_least: int = 1) -> IncidentRecord:
        title = mask_text(title)
        for _ in range(MAX_ALLOCATION_ATTEMPTS):
            number = await self._allocate(at_least)
            item = {**_incident_key(number), "number": number, "opened_at": opened_at.isoformat(), "title": title}
            if await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)"):
                return IncidentRecord(number=number, opened_at=opened_at, title=title)
            # the number's record exists (made by open_incident): the counter moves past it on the next turn
        raise AwsFailure(
            FailureKind.THROTTLED, "no free ER number after many attempts (too many at once)", operation="UpdateItem"
        )

    async def _allocate(self, at_least: int) -> int:
        for _ in range(MAX_ALLOCATION_ATTEMPTS):
            counter = await self.api.dynamodb_update_item(self.table, COUNTER_KEY, "ADD n :one", values={":one": 1})
            number = int((counter or {}).get("n", 0))
            if number >= at_least:
                return number
            moved = await self.api.dynamodb_update_item(
                self.table, COUNTER_KEY, "SET n = :floor", condition="n = :seen", values={":floor": at_least, ":seen": number}
            )
            if moved is not None:
                return at_least
        raise AwsFailure(FailureKind.THROTTLED, "the ER counter kept moving (too many at once)", operation="UpdateItem")

    async def open_number(self) -> int | None:
        open_ones = [i["number"] for i in await self._records() if not i.get("closed_at")]
        return max(open_ones) if open_ones else None

    async def numbers(self) -> list[int]:
        return sorted(i["number"] for i in await self._records())

    async def _records(self) -> list[dict[str, Any]]:
        return await self.api.dynamodb_query(self.table, INCIDENTS_PK, sk_prefix="ER#")

    async def get(self, number: int) -> IncidentRecord | None:
        item = await self.api.dynamodb_get_item(self.table, _incident_key(number))
        if item is None:
            return None
        entries = await self.api.dynamodb_query(self.table, _incident_pk(number), sk_prefix="TIMELINE#")
        return IncidentRecord(
            number=number,
            opened_at=datetime.fromisoformat(item["opened_at"]),
            closed_at=datetime.fromisoformat(item["closed_at"]) if item.get("closed_at") else None,
            timeline=tuple(TimelineEntry(datetime.fromisoformat(e["at"]), e["kind"], e["text"]) for e in entries),
            **{name: str(item.get(name, "")) for name in EDITABLE_FIELDS},
        )

    async def add_entry(self, number: int, entry: TimelineEntry) -> None:
        item = {
            "pk": _incident_pk(number),
            "sk": _moment_key("TIMELINE", entry.at),
            "at": entry.at.isoformat(),
            "kind": entry.kind,
            "text": mask_text(entry.text),
        }
        # a fresh uuid in the key: the condition fails only when a retried request had already landed it
        await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)")

    async def update(self, number: int, **changes: str) -> None:
        unknown = set(changes) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"not an incident field: {', '.join(sorted(unknown))}")
        if not changes:
            return
        names = {f"#f{i}": name for i, name in enumerate(changes)}
        values = {f":v{i}": mask_text(value) for i, value in enumerate(changes.values())}
        assignments = ", ".join(f"#f{i} = :v{i}" for i in range(len(changes)))
        await self._set_if_exists(number, f"SET {assignments}", values, names)

    async def close_incident(self, number: int, at: datetime) -> None:
        await self._set_if_exists(number, "SET closed_at = :at", {":at": at.isoformat()}, {}, first_only="closed_at")

    async def mark_exported(self, number: int, at: datetime) -> None:
        await self._set_if_exists(number, "SET exported_at = :at", {":at": at.isoformat()}, {})

    async def _set_if_exists(
        self, number: int, update: str, values: dict[str, Any], names: dict[str, str], first_only: str = ""
    ) -> None:
        """The record's fields change only if it exists (never a record made of one field); ``first_only``:
        the attribute is set once (a colleague's earlier close stands)."""
        condition = "attribute_exists(pk)" + (f" AND attribute_not_exists({first_only})" if first_only else "")
        await self.api.dynamodb_update_item(
            self.table, _incident_key(number), update, condition=condition, values=values, names=names or None
        )

    async def add_frame(self, number: int, at: datetime, payload: bytes) -> None:
        if len(payload) > MAX_FRAME_BYTES:
            raise AwsFailure(
                FailureKind.INVALID_REQUEST, f"a frame of {len(payload)} bytes does not fit an item", operation="PutItem"
            )
        item = {"pk": _incident_pk(number), "sk": _moment_key("FRAME", at), "at": at.isoformat(), "payload": payload}
        await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)")

    async def frames(self, number: int) -> list[tuple[datetime, bytes]]:
        items = await self.api.dynamodb_query(self.table, _incident_pk(number), sk_prefix="FRAME#")
        return [(datetime.fromisoformat(i["at"]), bytes(i["payload"])) for i in items]

    async def frame_bytes(self, number: int) -> int:
        return sum(len(payload) for _, payload in await self.frames(number))


class DynamoAckStore:
    """``AckStore`` on the team table: every console sees every acknowledgement."""

    def __init__(self, api: DynamoDbApi, table: str) -> None:
        self.api = api
        self.table = table

    async def acknowledge(self, ack: Acknowledgement) -> None:
        item = {
            "pk": ACKS_PK,
            "sk": f"ACK#{ack.alert_key}#{mask_text(ack.who)}",
            "alert_key": ack.alert_key,
            "who": mask_text(ack.who),
            "at": ack.at.isoformat(),
            "until": ack.until.isoformat(),
            "expires_at": int((ack.until + ACK_KEPT_AFTER).timestamp()),
        }
        await self.api.dynamodb_put_item(self.table, item)  # one per alert and person: a renewal replaces it

    async def acknowledgements(self, now: datetime) -> list[Acknowledgement]:
        items = await self.api.dynamodb_query(self.table, ACKS_PK, sk_prefix="ACK#")
        acks = [
            Acknowledgement(i["alert_key"], i["who"], datetime.fromisoformat(i["at"]), datetime.fromisoformat(i["until"]))
            for i in items
        ]
        return sorted((a for a in acks if a.active(now)), key=lambda a: a.until)  # TTL deletion is lazy: filter


class TeamHealth:
    """How the team table answered each kind of call last: a failure stays until that same call succeeds
    (a denied write is not hidden by the reads that still work); ``failure`` is the newest one standing."""

    def __init__(self, table: str, region: str) -> None:
        self.table = table
        self.region = region
        self._failures: dict[str, tuple[AwsFailure, datetime]] = {}

    def failed(self, call: str, failure: AwsFailure, at: datetime) -> None:
        self._failures[call] = (failure, at)

    def succeeded(self, call: str) -> None:
        self._failures.pop(call, None)

    @property
    def failure(self) -> AwsFailure | None:
        newest = self._newest()
        return newest[0] if newest else None

    @property
    def failed_at(self) -> datetime | None:
        newest = self._newest()
        return newest[1] if newest else None

    def _newest(self) -> tuple[AwsFailure, datetime] | None:
        return max(self._failures.values(), key=lambda pair: pair[1], default=None)


class Reported:
    """A store whose every coroutine reports to ``health``: an ``AwsFailure`` is recorded, then raised on."""

    def __init__(self, inner: Any, health: TeamHealth, clock: Any) -> None:
        self._inner, self._health, self._clock = inner, health, clock

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not inspect.iscoroutinefunction(attribute):
            return attribute

        async def reported(*args: Any, **kwargs: Any) -> Any:
            try:
                result = await attribute(*args, **kwargs)
            except AwsFailure as failure:
                self._health.failed(name, failure, self._clock())
                raise
            self._health.succeeded(name)
            return result

        return reported


@dataclass(frozen=True)
class Stores:
    """What the console keeps its incidents and acknowledgements in: SQLite, or the team table (``team``)."""

    incidents: IncidentStore
    acks: AckStore
    runs: ProcedureRunStore
    team: TeamHealth | None = None  # None: one person's SQLite


def stores_for(team: TeamSettings, aws_region: str, api: DynamoDbApi, database: LazyDatabase, clock: Any) -> Stores:
    """The team table's stores when ``[team] table`` names one, else SQLite's."""
    if not team.table:
        return Stores(SqliteIncidentStore(database), SqliteAckStore(database), SqliteProcedureRuns(database))  # type: ignore[arg-type]
    health = TeamHealth(team.table, team.region or aws_region)
    return Stores(
        Reported(DynamoIncidentStore(api, team.table), health, clock),  # type: ignore[arg-type]
        Reported(DynamoAckStore(api, team.table), health, clock),  # type: ignore[arg-type]
        Reported(DynamoProcedureRuns(api, team.table), health, clock),  # type: ignore[arg-type]
        health,
    )


class DynamoProcedureRuns:
    """``ProcedureRunStore`` on the team table: a run's walkthrough shared by every console.

    Items: ``COUNTER``/``RUN`` (the run ids, ``ADD``); ``RUN``/``RUN#000000001`` (the run); per run
    ``STEP#<step id>`` (its state: each write one atomic ``UpdateItem`` of that step only, so two people
    ticking two steps at once both stand, and one ticking what another ticked agrees) and
    ``RECORD#<time>#<uuid>`` (every check result, action and mark: append-only, never overwritten)."""

    def __init__(self, api: DynamoDbApi, table: str) -> None:
        self.api = api
        self.table = table

    async def start(self, run: ProcedureRun) -> ProcedureRun:
        counter = await self.api.dynamodb_update_item(self.table, RUN_COUNTER_KEY, "ADD n :one", values={":one": 1})
        run_id = int((counter or {})["n"])
        item = {
            **_run_key(run_id),
            "id": run_id,
            "procedure_id": run.procedure_id,
            "kind": run.kind,
            "language": run.language,
            "title": run.title,
            "started_at": _iso(run.started_at),
            "started_by": run.started_by,
            "current_step": run.current_step,
        }
        if not await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)"):
            raise AwsFailure(FailureKind.INVALID_REQUEST, f"run {run_id} already exists in the team table", operation="PutItem")
        return ProcedureRun(
            run_id, run.procedure_id, run.kind, run.language, run.title, run.started_at, run.started_by, run.current_step
        )

    async def open_run(self, procedure_id: str) -> ProcedureRun | None:
        open_ones = [i for i in await self._run_items() if i["procedure_id"] == procedure_id and not i.get("finished_at")]
        return await self.load(max(i["id"] for i in open_ones)) if open_ones else None

    async def load(self, run_id: int) -> ProcedureRun | None:
        item = await self.api.dynamodb_get_item(self.table, _run_key(run_id))
        if item is None:
            return None
        parts = await self.api.dynamodb_query(self.table, _run_pk(run_id))
        steps = {
            p["sk"].removeprefix("STEP#"): StepState(bool(p.get("done")), _time(p.get("done_at")), str(p.get("note", "")))
            for p in parts
            if p["sk"].startswith("STEP#")
        }
        records = tuple(
            StepRecord(
                step_id=p["step_id"],
                type=p["type"],
                summary=p["summary"],
                at=_time(p["at"]) or datetime.now(UTC),
                verdict=Verdict(p["verdict"]) if p.get("verdict") else None,
                evidence=tuple(p.get("evidence") or ()),
                done=None if p.get("done") is None else bool(p["done"]),
            )
            for p in parts
            if p["sk"].startswith("RECORD#")
        )
        return ProcedureRun(
            id=run_id,
            procedure_id=item["procedure_id"],
            kind=item["kind"],
            language=item["language"],
            title=item["title"],
            started_at=_time(item["started_at"]) or datetime.now(UTC),
            started_by=item.get("started_by"),
            current_step=item.get("current_step"),
            finished_at=_time(item.get("finished_at")),
            steps=steps,
            records=records,
        )

    async def set_current(self, run_id: int, step_id: str) -> None:
        await self.api.dynamodb_update_item(
            self.table, _run_key(run_id), "SET current_step = :s", condition="attribute_exists(pk)", values={":s": step_id}
        )

    async def set_step(self, run_id: int, step_id: str, state: StepState) -> None:
        values = {":d": state.done, ":t": _iso(state.done_at), ":n": mask_text(state.note)}
        await self.api.dynamodb_update_item(
            self.table, {"pk": _run_pk(run_id), "sk": f"STEP#{step_id}"}, "SET done = :d, done_at = :t, note = :n", values=values
        )

    async def add_record(self, run_id: int, record: StepRecord) -> None:
        item = {
            "pk": _run_pk(run_id),
            "sk": _moment_key("RECORD", record.at),
            "step_id": record.step_id,
            "type": record.type,
            "summary": mask_text(record.summary),
            "at": _iso(record.at),
            "verdict": record.verdict.value if record.verdict else None,
            "evidence": [mask_text(line) for line in record.evidence[:MAX_EVIDENCE_LINES]],
            "done": record.done,
        }
        await self.api.dynamodb_put_item(self.table, item, condition="attribute_not_exists(pk)")

    async def finish(self, run_id: int, at: datetime) -> None:
        await self.api.dynamodb_update_item(  # the first to finish it stands
            self.table,
            _run_key(run_id),
            "SET finished_at = :at",
            condition="attribute_exists(pk) AND attribute_not_exists(finished_at)",
            values={":at": _iso(at)},
        )

    async def runs(self, kind: str | None = None, limit: int = 50) -> list[ProcedureRun]:
        ids = sorted((i["id"] for i in await self._run_items() if kind is None or i["kind"] == kind), reverse=True)[:limit]
        return [run for run_id in ids if (run := await self.load(run_id)) is not None]

    async def _run_items(self) -> list[dict[str, Any]]:
        return await self.api.dynamodb_query(self.table, RUNS_PK, sk_prefix="RUN#")


RUNS_PK = "RUN"
RUN_COUNTER_KEY = {"pk": "COUNTER", "sk": "RUN"}


def _run_key(run_id: int) -> dict[str, str]:
    return {"pk": RUNS_PK, "sk": f"RUN#{run_id:09d}"}


def _run_pk(run_id: int) -> str:
    return f"{RUNS_PK}#{run_id:09d}"
