"""The S01 service verdict (healthy or why not) and the labels the service panel shows.

Healthy means: status ACTIVE, running == desired, and the primary deployment's rollout COMPLETED.
No task running while some are desired, or no healthy target behind the ALB, is an alert whatever the rollout says.
More tasks running than desired (a scale-in draining its extra tasks) is a warning, not an alert.
"""

from __future__ import annotations

from dataclasses import dataclass

from kojan_tui.core.i18n import N_, Phrase, say, tr
from kojan_tui.core.levels import Level
from kojan_tui.core.models import ServiceSnapshot, TaskDefinition
from kojan_tui.core.readings import TargetHealth


@dataclass(frozen=True)
class ServiceVerdict:
    level: Level  # OK healthy · WARNING a rollout (or a scale-in) is under way · ALERT unhealthy
    reasons: tuple[str, ...] = ()
    word: str | None = None  # the summary's word when it is not DEPLOYING / UNHEALTHY (e.g. SCALING IN)

    @property
    def healthy(self) -> bool:
        return self.level is Level.OK

    @property
    def summary(self) -> str:
        return self.summary_in("en")

    def summary_in(self, language: str) -> str:
        """``HEALTHY``, ``DEPLOYING — rollout in progress``…: the verdict's word (a status, as ✓ OK) and its reasons."""
        if self.level is Level.UNKNOWN:
            return tr("NO DATA — no service data yet", language)
        if self.healthy:
            return "HEALTHY"
        word = self.word or ("DEPLOYING" if self.level is Level.WARNING else "UNHEALTHY")
        return f"{word} — " + "; ".join(say(reason, language) for reason in self.reasons)


def service_verdict(service: ServiceSnapshot | None, health: TargetHealth | None = None) -> ServiceVerdict:
    """Why the service is not healthy, in the on-call engineer's words.

    A rollout IN_PROGRESS (with nothing else wrong) is a warning, not an alert. When AWS reports no
    rollout state (deployment controllers other than ECS), a single deployment counts as complete.
    Zero tasks running while some are desired, or zero healthy targets, is an alert even mid-rollout:
    then every request fails.
    """
    no_targets = health is not None and health.none_healthy
    target_text = (
        Phrase(N_("0 healthy targets ({n} unhealthy)"), n=f"{health.unhealthy:.0f}")
        if no_targets and health and health.unhealthy
        else Phrase(N_("0 healthy targets"))
    )
    if service is None:
        return ServiceVerdict(Level.ALERT, (target_text,)) if no_targets else ServiceVerdict(Level.UNKNOWN)
    alerts: list[str] = []
    warnings: list[str] = []
    if service.status != "ACTIVE":
        alerts.append(Phrase(N_("status {status}, not ACTIVE"), status=service.status))
    primary = service.primary
    rolling = False
    if primary is None:
        alerts.append(Phrase(N_("no PRIMARY deployment")))
    elif primary.rollout_state == "FAILED":
        alerts.append(
            Phrase(N_("rollout FAILED{reason}"), reason=f": {primary.rollout_reason}" if primary.rollout_reason else "")
        )
    elif primary.rollout_state == "IN_PROGRESS" or (primary.rollout_state is None and len(service.deployments) > 1):
        rolling = True
        warnings.append(Phrase(N_("rollout in progress")))
    elif primary.rollout_state not in (None, "COMPLETED"):
        alerts.append(Phrase(N_("rollout {state}"), state=primary.rollout_state))
    scaling_in = service.running > service.desired and service.status == "ACTIVE" and not rolling
    if scaling_in:  # the desired count went down: ECS drains the extra tasks (every desired one still runs)
        warnings.append(
            Phrase(
                N_("{running} of {desired} tasks running (the extra ones are draining)"),
                running=service.running,
                desired=service.desired,
            )
        )
    elif service.running != service.desired:
        text = Phrase(N_("{running} of {desired} tasks running"), running=service.running, desired=service.desired)
        (warnings if rolling and service.running > 0 else alerts).append(text)
    if no_targets and service.desired > 0:
        alerts.append(target_text)
    if alerts:
        return ServiceVerdict(Level.ALERT, tuple(alerts + warnings))
    if warnings:
        return ServiceVerdict(Level.WARNING, tuple(warnings), "SCALING IN" if scaling_in else None)
    return ServiceVerdict(Level.OK)


def task_definition_label(arn: str) -> str:
    """``arn:aws:ecs:…:task-definition/family:12`` → ``family:12`` (a bare ``family:12`` stays)."""
    return arn.rsplit("/", 1)[-1] if arn else "?"


def image_tag(task_definition: TaskDefinition | None) -> str:
    """The tag (or short digest) of the first container's image, "?" when unknown."""
    if task_definition is None or not task_definition.containers:
        return "?"
    image = task_definition.containers[0].image
    if "@" in image:
        return image.rsplit("@", 1)[1][:19]  # sha256:0123456789ab
    name = image.rsplit("/", 1)[-1]
    return name.rsplit(":", 1)[1] if ":" in name else "latest"
