"""The one rule for what is secret: a name that says so (PASSWORD, PASS, SECRET, TOKEN, KEY, ...) or a value
shaped like a credential (a password in a URL, an AWS key, a JWT, a bearer token, a private key).

Everything that shows, stores or exports task definitions, events, check evidence, audit details or incident
frames masks through here, so the rollback diff, S08's evidence and the SQLite file agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "••••••"
_SECRET_WORDS = "PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH|SESSION|COOKIE|SIGNATURE|SALT|DSN|CERT"
_SECRET_NAME = re.compile(_SECRET_WORDS, re.IGNORECASE)
# A setting about a secret, not the secret: its lifetime, length or switch (S20 judges OAUTH_TOKEN_TTL).
_ABOUT_A_SECRET = re.compile(
    r"[_.-](?:TTL|TIMEOUT|SECONDS|MINUTES|HOURS|DAYS|EXPIRY|EXPIRES_IN|LIFETIME|LENGTH|ENABLED)$", re.IGNORECASE
)

# Substrings of free text that are credentials whatever they are called.
# Every pattern starts only where its first token starts (a lookbehind) and bounds its repeats: a long line of
# word characters, dots or dashes costs linear time, never a quadratic backtrack.
_URL_USERINFO = re.compile(
    r"(?P<head>(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://[^/\s:@]{0,256}:)(?P<password>[^/\s@]{1,256})(?P<at>@)",
    re.IGNORECASE,
)
_ASSIGNED = re.compile(  # name=value (env, query strings, logfmt) and "name": "value" (JSON); the name is judged
    r"(?P<head>(?<![\w.-])(?P<name>[\w.-]{1,128})(?:\s{0,8}=\s{0,8}|[\"']\s{0,8}:\s{0,8}))"
    r"(?P<value>\"[^\"]*\"?|'[^']*'?|[^\s\"',;&}(•][^\s\"',;&}]*)",  # "(from Secrets Manager)": a note, not a value
)
_WHOLE = (
    re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b"),  # AWS access key ids
    re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),  # JWTs
    re.compile(r"(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),  # Authorization header values
    re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{10,})"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)"),
)


def is_secret_name(name: str) -> bool:
    """The name of a variable, key or field says it holds a secret."""
    return _SECRET_NAME.search(name) is not None and _ABOUT_A_SECRET.search(name) is None


def looks_like_credential(value: str) -> bool:
    """Some part of ``value`` is shaped like a credential (then ``mask_text`` changes it)."""
    return mask_text(value) != value


def is_secret(name: str, value: str) -> bool:
    return is_secret_name(name) or looks_like_credential(value)


def mask_text(text: str) -> str:
    """``text`` with every credential-shaped part replaced by the mask; the rest left as it is."""
    if not text:
        return text
    masked = _URL_USERINFO.sub(lambda m: m["head"] + MASK + m["at"], text)
    for pattern in _WHOLE:
        masked = pattern.sub(MASK, masked)
    return _ASSIGNED.sub(_mask_assigned, masked)


def _mask_assigned(match: re.Match[str]) -> str:
    if not is_secret_name(match["name"]):
        return match[0]
    quote = match["value"][0] if match["value"][0] in "\"'" else ""
    return match["head"] + quote + MASK + quote


def mask_value(name: str, value: str) -> str:
    """An environment value as it may be shown: all of it masked when the name says secret, else its
    credential-shaped parts (``mysql://admin:••••••@db/x``)."""
    return MASK if is_secret_name(name) else mask_text(value)


def mask_environment(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((name, mask_value(name, value)) for name, value in pairs)
