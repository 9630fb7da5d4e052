"""API keys: issue (shown once), check (hashed lookup, scope, units), revoke."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hailong.api.models import ApiToken
from hailong.core.audit import audit_record
from hailong.organisation.models import Staff, Unit

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


def token_units(token: ApiToken):
    """The units a key may write about: its units and everything below them."""
    query = Q(pk__in=[])
    for path in token.units.values_list("path", flat=True):
        query |= Q(path__startswith=path)
    return Unit.objects.filter(query)
