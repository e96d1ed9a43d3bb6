"""Every way an AWS endpoint can be set, and the one rule they all obey: plaintext http:// only to loopback.

botocore honours, after an explicit ``endpoint_url``: ``AWS_ENDPOINT_URL``, ``AWS_ENDPOINT_URL_<SERVICE>``,
and a profile's ``endpoint_url`` (or its ``services`` section) in ~/.aws/config. The gateway lists what is
set (``EndpointSetting``); this module judges it, so the rule ``--endpoint-url`` obeys holds for all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kojan_tui.core.config import ConfigError
from kojan_tui.core.config_rules import endpoint_problem

ENV_ENDPOINT = "AWS_ENDPOINT_URL"
ENV_IGNORE = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"


@dataclass(frozen=True)
class EndpointSetting:
    url: str
    origin: str  # "aws.endpoint_url", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ECS", "profile prod in ~/.aws/config"


def configured_endpoints(
    explicit: str | None,
    environ: Mapping[str, str],
    profile_config: Mapping[str, object] | None = None,
    profile_services: Mapping[str, object] | None = None,
    *,
    profile_label: str = "the AWS profile",
) -> tuple[EndpointSetting, ...]:
    """The endpoints in effect: an explicit one wins over everything; otherwise each the environment and the
    profile set (unless ``AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`` / ``ignore_configured_endpoint_urls``)."""
    if explicit:
        return (EndpointSetting(explicit, "aws.endpoint_url"),)
    profile_config = profile_config or {}
    if _true(environ.get(ENV_IGNORE)) or _true(profile_config.get("ignore_configured_endpoint_urls")):
        return ()
    found = [EndpointSetting(value, name) for name, value in sorted(environ.items()) if _is_endpoint_var(name) and value]
    if isinstance(url := profile_config.get("endpoint_url"), str) and url:
        found.append(EndpointSetting(url, f"endpoint_url of {profile_label}"))
    for service, section in sorted((profile_services or {}).items()):
        if isinstance(section, Mapping) and isinstance(url := section.get("endpoint_url"), str) and url:
            found.append(EndpointSetting(url, f"{service} endpoint_url of {profile_label}"))
    return tuple(found)


def check_endpoints(settings: tuple[EndpointSetting, ...]) -> None:
    """One ``ConfigError`` naming the first endpoint that breaks the rule (plaintext to a non-loopback host)."""
    for setting in settings:
        if problem := endpoint_problem(setting.url):
            raise ConfigError(setting.origin, "", problem)


def endpoint_label(settings: tuple[EndpointSetting, ...]) -> str | None:
    """What the context bar shows: None for AWS's own endpoints, else the URL (and where it was set)."""
    if not settings:
        return None
    first = settings[0]
    more = f" +{len(settings) - 1}" if len(settings) > 1 else ""
    return first.url + ("" if first.origin == "aws.endpoint_url" else f" (from {first.origin})") + more


def _is_endpoint_var(name: str) -> bool:
    return name == ENV_ENDPOINT or (name.startswith(ENV_ENDPOINT + "_") and len(name) > len(ENV_ENDPOINT) + 1)


def _true(value: object) -> bool:
    return str(value).strip().lower() == "true"
