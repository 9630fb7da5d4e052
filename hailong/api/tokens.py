"""API keys: issue (shown once), check (hashed lookup, scope, units), revoke."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from hailong.api.models import ApiToken
from hailong.core.audit import audit_record
from hailong.organisation.models import Staff, Unit
from hailong.organisation.scope import Scope, scope_of_units

PREFIX = "hl_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, system: str, scopes: list[str], units: list[Unit], actor: Staff
) -> tuple[ApiToken, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        system=system, scopes=scopes, token_hash=_hash(token), prefix=token[:8], created_by=actor
    )
    record.units.set(units)
    audit_record(
        actor=actor,
        action="api_token.create",
        target=record,
        after={"system": system, "scopes": scopes, "units": [u.pk for u in units]},
    )
    return record, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Staff) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="api_token.revoke", target=token)


def api_token_for(raw: str, *, ip: str | None) -> ApiToken | None:
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.filter(token_hash=_hash(raw), revoked_at__isnull=True).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now(), last_used_ip=ip)
    return token


def token_scope(token: ApiToken) -> Scope:
    """What a key may write about and read: its units and everything below them (the same
    Scope as a person's, computed once per request and kept on the token)."""
    cached = getattr(token, "_hailong_scope", None)
    if cached is None:
        cached = token._hailong_scope = scope_of_units(token.units.all())
    return cached


def token_units(token: ApiToken):
    """The units a key may write about: its units and everything below them."""
    return token_scope(token).units()
