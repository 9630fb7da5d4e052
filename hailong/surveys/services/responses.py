"""The one write path of survey responses.

Every channel (QR web form, invitation, kiosk, paper entry, file import, API, demo data) stores
through `responses_store`, a batch of submissions (a single response is a batch of one), and
every correction or deletion goes through `response_correct` and `responses_delete`. These hold
every rule: the version is published; the campaign is open, in its dates, open to the channel
and covers the response's unit and procedure; contact details need consent; a response is
stored once (idempotency key, paper serial, dossier per campaign and unit, an export's own id); a
dossier code links the registered dossier; the audit log is written.

Whatever else must happen when answers appear, change or disappear (the closed loop to a
follow-up case, the rollups) is a hook: a function listed in `settings.HAILONG_RESPONSE_HOOKS`,
called in the same transaction with the list of changes of the batch. Nothing else writes
Response or Answer rows (a test walks the code to keep it so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record
from hailong.core.moments import moment_refusal
from hailong.core.periods import LOCAL_TZ
from hailong.core.phones import phone_problem
from hailong.core.text import normalize_text
from hailong.organisation.models import Service, ServicePoint, Staff, Unit
from hailong.organisation.selectors import ancestor_ids
from hailong.surveys.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Channel,
    ConsentRecord,
    Dossier,
    QuestionnaireVersion,
    Response,
    VersionStatus,
)
from hailong.surveys.schema import AnswerRow, schema_for, validate_answers

# How far back a response may be dated: paper forms typed in weeks late and last year's results
# imported from another system are well inside; older answers belong to no evaluation period
# still reported on (the yearly SIPAS and TT 01/2018 reports). The future: the clock skew only.
RESPONSE_OLDEST = timedelta(days=3 * 365)

# Responses per bulk INSERT; callers with more (an import) hand over chunks of about this size.
CHUNK = 1000

# Set while one of this module's services writes: the test suite refuses any SQL that writes
# responses or answers while it is not (tests/probe), so a path around the write path fails.
_writing: ContextVar[bool] = ContextVar("hailong_response_write", default=False)


def write_path_active() -> bool:
    return _writing.get()


@contextmanager
def _write_path():
    token = _writing.set(True)
    try:
        yield
    finally:
        _writing.reset(token)


class SubmissionRejected(Exception):
    """The response was not stored. `message` is for the person (active language); `errors`
    maps item codes to messages; `code` says why, for APIs and tests."""

    def __init__(self, code: str, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors or {}


@dataclass
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""
    consent_given: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.phone or self.email)


@dataclass
class Submission:
    version: QuestionnaireVersion
    unit: Unit
    channel: str
    answers: dict
    campaign: Campaign | None = None
    service: Service | None = None
    service_point: ServicePoint | None = None
    dossier_code: str = ""
    paper_serial: str = ""
    idempotency_key: str = ""
    # The SHA-256 of the request the key came with (`hailong.core.json_body.fingerprint`): a
    # replay of the key with another request is refused (`idempotency_key_reused`).
    request_fingerprint: str = ""
    comment: str = ""
    submitted_at: datetime | None = None
    contact: Contact = field(default_factory=Contact)
    # The id of the response this row is an export of (export → import round trip).
    export_of: int | None = None


@dataclass
class Stored:
    response: Response
    created: bool  # False when an idempotent replay returned the response stored before


@dataclass
class Outcome:
    """What became of one submission of a batch: stored, a replay of an earlier response
    (`created` False), or refused."""

    response: Response | None = None
    created: bool = False
    refusal: SubmissionRejected | None = None


@dataclass
class StoreResult:
    outcomes: list[Outcome]

    @property
    def stored_count(self) -> int:
        return sum(1 for o in self.outcomes if o.created)

    @property
    def refused(self) -> list[tuple[int, SubmissionRejected]]:
        return [(i, o.refusal) for i, o in enumerate(self.outcomes) if o.refusal is not None]


# --- hooks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseChange:
    """One response stored, corrected or deleted, with the answer rows it gained and lost.
    Hooks receive the changes of a whole batch at once, inside its transaction."""

    kind: str  # "stored" | "corrected" | "deleted"
    response: Response
    added: tuple[AnswerRow, ...] = ()
    removed: tuple[AnswerRow, ...] = ()


@lru_cache(maxsize=8)
def _hooks(paths: tuple[str, ...]) -> tuple[Callable[[list[ResponseChange]], None], ...]:
    return tuple(import_string(path) for path in paths)


def _run_hooks(changes: list[ResponseChange]) -> None:
    if changes:
        for hook in _hooks(tuple(settings.HAILONG_RESPONSE_HOOKS)):
            hook(changes)


def dossiers_announce(dossier_ids: Iterable[int]) -> None:
    """Tell the dossier hooks (settings.HAILONG_DOSSIER_HOOKS) that these dossiers were written
    to the register or had responses linked to them, inside the caller's transaction: what the
    apps above keep about a dossier (the dashboard's stored facts) follows. Every write of the
    register ends here, through `responses_link_dossiers`."""
    ids = sorted(set(dossier_ids))
    if ids:
        for hook in _hooks(tuple(settings.HAILONG_DOSSIER_HOOKS)):
            hook(ids)


# --- the rules --------------------------------------------------------------------------------


def check_version(version: QuestionnaireVersion) -> None:
    if version.status != VersionStatus.PUBLISHED:
        raise SubmissionRejected(
            "version",
            _("This form is no longer in use. Please ask the staff for the current form."),
        )


def validated_answers(submission: Submission):
    validated = validate_answers(schema_for(submission.version), submission.answers)
    if validated.errors:
        raise SubmissionRejected(
            "answers", _("Some answers need your attention."), validated.errors
        )
    return validated


def campaign_accepts(campaign: Campaign, *, channel: str, on_day) -> str | None:
    """Why a campaign refuses a response now, or None when it accepts it."""
    if campaign.status != CampaignStatus.OPEN:
        return _("This survey campaign is closed. Thank you for your interest.")
    if not (campaign.starts_on <= on_day <= campaign.ends_on):
        return _(
            "This survey campaign does not take answers given on this day (it runs from "
            "%(start)s to %(end)s), so the answers were not recorded."
        ) % {
            "start": campaign.starts_on.strftime("%d/%m/%Y"),
            "end": campaign.ends_on.strftime("%d/%m/%Y"),
        }
    if campaign.channels and channel not in campaign.channels:
        label = Channel(channel).label if channel in Channel.values else channel
        return _(
            "This survey campaign does not take answers through the channel “%(channel)s”."
        ) % {"channel": label}
    return None


@dataclass
class _Coverage:
    """The units (each with its subtree) and procedures a campaign covers."""

    unit_ids: frozenset[int]
    service_ids: frozenset[int]

    def refusal(self, unit: Unit, service: Service | None) -> str | None:
        # By ids on the unit's own path: a unit moved in the tree is covered where it now is.
        if not self.unit_ids.intersection(ancestor_ids(unit)):
            return _("This survey campaign does not cover the unit %(unit)s.") % {"unit": unit.name}
        if service is not None and not self.covers_service(service.pk):
            return _("This survey campaign does not cover the procedure %(service)s.") % {
                "service": service.name
            }
        return None

    def covers_service(self, service_id: int) -> bool:
        """The campaign's procedures, or every procedure when it lists none."""
        return not self.service_ids or service_id in self.service_ids

    def services(self) -> QuerySet[Service]:
        """The procedures a response of the campaign may name, as a queryset (the same rule as
        covers_service): for the screens that offer them, such as paper entry's picker."""
        services = Service.objects.select_related("field")
        return services.filter(pk__in=self.service_ids) if self.service_ids else services


def campaign_coverage(campaign: Campaign) -> _Coverage:
    """What the write path lets a response of this campaign name: its units (with their
    subtrees) and its procedures. A unit's own procedure list does not limit the procedure (a
    district one-stop counter receives the communes' procedures too)."""
    return _coverage(campaign, {})


def _coverage(campaign: Campaign, cache: dict[int, _Coverage]) -> _Coverage:
    """One query for both lists (a UNION), once per campaign per batch."""
    if campaign.pk not in cache:
        units = Campaign.units.through.objects.filter(campaign_id=campaign.pk).values_list(
            Value("u"), "unit_id"
        )
        services = Campaign.services.through.objects.filter(campaign_id=campaign.pk).values_list(
            Value("s"), "service_id"
        )
        pairs = list(units.union(services, all=True))
        cache[campaign.pk] = _Coverage(
            frozenset(pk for kind, pk in pairs if kind == "u"),
            frozenset(pk for kind, pk in pairs if kind == "s"),
        )
    return cache[campaign.pk]


@dataclass
class _Prepared:
    index: int
    submission: Submission
    response: Response
    rows: list[AnswerRow]
    contact: Contact


def _contact(submission: Submission) -> Contact:
    contact = submission.contact
    return Contact(
        name=normalize_text(contact.name)[:150],
        phone=normalize_text(contact.phone)[:30],
        email=normalize_text(contact.email)[:254],
        consent_given=contact.consent_given,
    )


def _prepare(
    index: int,
    submission: Submission,
    *,
    now: datetime,
    actor: Staff | None,
    source,
    coverage: dict[int, _Coverage],
) -> _Prepared:
    """Check one submission against every rule that needs no look at other responses; raise
    SubmissionRejected saying why, all problems with the answers at once."""
    version = submission.version
    submitted_at = submission.submitted_at or now
    if timezone.is_naive(submitted_at):
        raise ValueError("submitted_at must be an aware datetime")  # a caller's bug, not input
    implausible = moment_refusal(submitted_at, oldest=RESPONSE_OLDEST, now=now)
    if implausible:
        raise SubmissionRejected("submitted_at", implausible, {"submitted_at": implausible})
    local_date = submitted_at.astimezone(LOCAL_TZ).date()
    check_version(version)
    campaign = submission.campaign
    if campaign is not None:
        if campaign.version_id != version.pk:
            raise SubmissionRejected("campaign", _("This form does not belong to the campaign."))
        refusal = campaign_accepts(
            campaign, channel=submission.channel, on_day=local_date
        ) or _coverage(campaign, coverage).refusal(submission.unit, submission.service)
        if refusal:
            raise SubmissionRejected("campaign_closed", refusal)
    contact = _contact(submission)
    validated = validate_answers(schema_for(version), submission.answers)
    errors = dict(validated.errors)
    if not contact.is_empty and not contact.consent_given:
        errors["consent"] = _("Tick this box to let us contact you.")
    if phone := phone_problem(contact.phone):
        # Checked here, not only in the form: a number nobody can call would make the closed
        # loop give up on the follow-up case without a word to anyone.
        errors["contact_phone"] = phone
    if errors:
        if set(errors) == {"consent"}:
            raise SubmissionRejected(
                "consent",
                _("To leave your name or phone number, tick the consent box; or leave them empty."),
                errors,
            )
        raise SubmissionRejected("answers", _("Some answers need your attention."), errors)
    values = _defaults()
    values |= {
        "version_id": version.pk,
        "campaign_id": campaign.pk if campaign else None,
        "unit_id": submission.unit.pk,
        "service_id": submission.service.pk if submission.service else None,
        "service_point_id": submission.service_point.pk if submission.service_point else None,
        "channel": submission.channel,
        "submitted_at": submitted_at,
        "local_date": local_date,
        "dossier_code": normalize_text(submission.dossier_code).upper()[:60],
        "source_import_id": source.pk if source is not None else None,
        "paper_serial": normalize_text(submission.paper_serial)[:40],
        "idempotency_key": submission.idempotency_key[:80] or None,
        "idempotency_fingerprint": submission.request_fingerprint[:64]
        if submission.idempotency_key
        else "",
        "comment": normalize_text(submission.comment)[:4000],
        "entered_by_id": actor.pk if actor is not None else None,
        "created_at": now,
    }
    # Positional construction is Django's fast path (from_db uses it); the related objects the
    # caller already holds are cached on the row, so hooks read them without a query.
    response = Response(*(values[name] for name in RESPONSE_FIELDS))
    response._state.fields_cache.update(
        version=version,
        campaign=campaign,
        unit=submission.unit,
        service=submission.service,
        service_point=submission.service_point,
    )
    return _Prepared(index, submission, response, validated.rows, contact)


def _duplicate_serial(serial: str) -> SubmissionRejected:
    return SubmissionRejected(
        "duplicate_serial",
        _("Paper form %(serial)s has already been entered.") % {"serial": serial},
        {"paper_serial": _("Already entered.")},
    )


def _duplicate_dossier(code: str) -> SubmissionRejected:
    return SubmissionRejected(
        "duplicate_dossier",
        _("Dossier %(code)s has already been evaluated in this survey campaign.") % {"code": code},
        {"dossier_code": _("Already evaluated.")},
    )


def _key_reused() -> SubmissionRejected:
    return SubmissionRejected(
        "idempotency_key_reused",
        _(
            "This idempotency key was already used with a different request; nothing was "
            "stored. Send a new key for a new response."
        ),
        {"idempotency_key": _("Already used with a different request.")},
    )


def _replay_of(submission: Submission, earlier: Response) -> Outcome:
    """The earlier response for a replay; a refusal when the key came with another request
    (both fingerprints known and different: as payment APIs do, never the first result as if
    this request had been stored)."""
    stored, sent = earlier.idempotency_fingerprint, submission.request_fingerprint
    if submission.idempotency_key and stored and sent and stored != sent:
        return Outcome(refusal=_key_reused())
    return Outcome(response=earlier)


def _replays(submissions: Sequence[Submission], outcomes: list[Outcome]) -> dict[int, int]:
    """Answer replays first, before any rule (a retry after the campaign closed still gets the
    response it stored): an idempotency key or an export's own id seen before answers with the
    earlier response (or refuses a key reused with another request). Returns {index: index of
    its first copy} for keys repeated in the batch."""
    keys = {s.idempotency_key[:80] for s in submissions if s.idempotency_key}
    earlier_by_key = (
        {r.idempotency_key: r for r in Response.objects.filter(idempotency_key__in=keys)}
        if keys
        else {}
    )
    own_ids = {s.export_of for s in submissions if s.export_of}
    earlier_by_id = Response.objects.in_bulk(own_ids) if own_ids else {}
    copies: dict[int, int] = {}
    first_with_key: dict[str, int] = {}
    for index, submission in enumerate(submissions):
        key = submission.idempotency_key[:80]
        earlier = earlier_by_key.get(key) or earlier_by_id.get(submission.export_of)
        if earlier is not None:
            outcomes[index] = _replay_of(submission, earlier)
        elif key and key in first_with_key:
            first = submissions[first_with_key[key]]
            if first.request_fingerprint != submission.request_fingerprint:
                outcomes[index].refusal = _key_reused()
            else:
                copies[index] = first_with_key[key]
        elif key:
            first_with_key[key] = index
    return copies


def _deduplicate(
    prepared: list[_Prepared], outcomes: list[Outcome], claims: Claims | None = None
) -> list[_Prepared]:
    """Refuse, with two queries per batch, a paper serial already entered for the version and
    a dossier already answered in the campaign (earlier, earlier in the batch, or claimed by an
    earlier batch of the same dry run)."""
    serials = {(p.response.version_id, p.response.paper_serial) for p in prepared}
    serials = {s for s in serials if s[1]}
    taken_serials = (
        set(
            Response.objects.filter(
                version_id__in={s[0] for s in serials}, paper_serial__in={s[1] for s in serials}
            ).values_list("version_id", "paper_serial")
        )
        if serials
        else set()
    )
    # By campaign, unit and code (the database's key): another unit's answers about a code
    # are neither a duplicate nor a hint that the code exists.
    dossiers = {
        (p.response.campaign_id, p.response.unit_id, p.response.dossier_code) for p in prepared
    }
    dossiers = {d for d in dossiers if d[0] and d[2]}
    taken_dossiers = (
        set(
            Response.objects.filter(
                campaign_id__in={d[0] for d in dossiers},
                unit_id__in={d[1] for d in dossiers},
                dossier_code__in={d[2] for d in dossiers},
            ).values_list("campaign_id", "unit_id", "dossier_code")
        )
        if dossiers
        else set()
    )
    if claims is not None:
        taken_serials |= claims.serials
        taken_dossiers |= claims.dossiers
    fresh: list[_Prepared] = []
    for p in prepared:
        response, outcome = p.response, outcomes[p.index]
        serial = (response.version_id, response.paper_serial)
        dossier = (response.campaign_id, response.unit_id, response.dossier_code)
        if serial in taken_serials:
            outcome.refusal = _duplicate_serial(response.paper_serial)
            continue
        if dossier in taken_dossiers:
            outcome.refusal = _duplicate_dossier(response.dossier_code)
            continue
        if response.paper_serial:
            taken_serials.add(serial)
        if dossier[0] and dossier[2]:
            taken_dossiers.add(dossier)
        fresh.append(p)
    return fresh


# --- storing ----------------------------------------------------------------------------------

ANSWER_COLUMNS = ("response_id", "item_id", "option_id", "value", "not_applicable", "text")
RESPONSE_FIELDS = [f.attname for f in Response._meta.concrete_fields]


def _defaults() -> dict:
    """Every field's default, so a field added later with a default is filled as the ORM would."""
    return {f.attname: f.get_default() for f in Response._meta.concrete_fields}


def _insert_responses(responses: list[Response]) -> None:
    """Response rows in a few round trips, their ids set on the objects in order. PostgreSQL:
    the ids drawn from the table's sequence in one query, then COPY (parsing a multi-row
    INSERT of thousands of parameters costs more than the rows). SQLite: multi-row INSERT …
    RETURNING id, as bulk_create does, without building its SQL per object."""
    ops = connection.ops
    columns = [f for f in Response._meta.concrete_fields if f.attname != "id"]
    names = ", ".join(ops.quote_name(f.column) for f in columns)
    table = ops.quote_name(Response._meta.db_table)

    def values(response):
        return [f.get_db_prep_save(getattr(response, f.attname), connection) for f in columns]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Response._meta.db_table, len(responses)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {table} (id, {names}) FROM STDIN") as copy:
                for pk, response in zip(ids, responses, strict=True):
                    copy.write_row([pk, *values(response)])
        else:
            marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
            per_statement = max(1, min(500, connection.features.max_query_params // len(columns)))
            ids = []
            for start in range(0, len(responses), per_statement):
                chunk = responses[start : start + per_statement]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(chunk))}"  # noqa: S608
                    " RETURNING id",
                    [value for response in chunk for value in values(response)],
                )
                ids += [pk for (pk,) in cursor.fetchall()]
    for pk, response in zip(ids, responses, strict=True):
        response.pk = pk
        response._state.adding = False
        response._state.db = connection.alias


def _insert_answers(rows: Iterable[tuple]) -> None:
    """Answer rows in one round trip: COPY on PostgreSQL, one prepared INSERT executed for
    every row on SQLite (executemany). An Answer model object per answer would cost more than
    the database's work (issue 9: 240 responses/s through bulk_create)."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = ", ".join(ANSWER_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(ANSWER_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(rows))  # noqa: S608


def _answer_tuples(response_id: int, rows: Iterable[AnswerRow]) -> Iterable[tuple]:
    for row in rows:
        yield (response_id, row.item_id, row.option_id, row.value, row.not_applicable, row.text)


def _insert(fresh: list[_Prepared]) -> None:
    for p in fresh:
        if not p.contact.is_empty:
            version = p.response.version
            p.response.consent = ConsentRecord(
                text=version.consent_vi,
                text_version=f"{version.questionnaire_id}.{version.number}",
                given_at=p.response.submitted_at,
                name=p.contact.name,
                phone=p.contact.phone,
                email=p.contact.email,
            )
    consents = [p.response.consent for p in fresh if p.response.consent is not None]
    ConsentRecord.objects.bulk_create(consents)
    for p in fresh:
        if p.response.consent is not None:
            # Assigned again now that it has its id: sets consent_id and keeps the object
            # cached, so the hooks read it without a query.
            p.response.consent = p.response.consent
    codes = {p.response.dossier_code for p in fresh if p.response.dossier_code}
    dossiers: dict[str, list[tuple[int, int, str]]] = {}
    if codes:
        for code, pk, unit_id, path in Dossier.objects.filter(code__in=codes).values_list(
            "code", "pk", "unit_id", "unit__path"
        ):
            dossiers.setdefault(code, []).append((pk, unit_id, path))
    for p in fresh:
        p.response.dossier_id = _dossier_for(dossiers.get(p.response.dossier_code, ()), p)
    responses = [p.response for p in fresh]
    _insert_responses(responses)
    _insert_answers(row for p in fresh for row in _answer_tuples(p.response.pk, p.rows))


def _dossier_for(candidates, p: _Prepared) -> int | None:
    """The dossier a response names: of those with its code at its unit or below it
    (`dossier_within`), the one at its unit, else the only one; none when several could be
    meant (a code is unique per unit only)."""
    unit = p.submission.unit
    mine = [(pk, unit_id) for pk, unit_id, path in candidates if dossier_within(path, unit)]
    here = next((pk for pk, unit_id in mine if unit_id == unit.pk), None)
    if here is not None:
        return here
    return mine[0][0] if len(mine) == 1 else None


def _announce(fresh: list[_Prepared], *, actor: Staff | None, source) -> None:
    """The hooks and the audit row of what was just inserted, in the same transaction."""
    responses = [p.response for p in fresh]
    _run_hooks([ResponseChange("stored", p.response, added=tuple(p.rows)) for p in fresh])
    if actor is None:
        return
    if len(responses) == 1 and source is None:
        audit_record(
            actor=actor,
            action="response.create",
            target=responses[0],
            after={"channel": responses[0].channel, "serial": responses[0].paper_serial},
        )
    elif responses:
        audit_record(
            actor=actor,
            action="response.create_batch",
            target=source,
            after={"count": len(responses), "ids": [responses[0].pk, responses[-1].pk]},
        )


@dataclass
class Claims:
    """What the earlier batches of one dry run would have stored (`responses_check`): their
    idempotency keys, paper serials and dossiers, so that a later batch's copies of them are
    answered as they will be once the earlier ones are stored."""

    keys: set[str] = field(default_factory=set)
    serials: set[tuple[int, str]] = field(default_factory=set)
    dossiers: set[tuple[int, int, str]] = field(default_factory=set)


def responses_check(
    submissions: Sequence[Submission],
    *,
    actor: Staff | None = None,
    source=None,
    claims: Claims | None = None,
) -> StoreResult:
    """What `responses_store` would do with this batch, writing nothing: every rule, replays
    and duplicates included, so a check shown before confirming (a file import) says exactly
    what storing will do. An Outcome per submission: `created` for one it would store (its
    response unsaved), a replay (`created` False, no refusal: already stored, its response
    None when the copy is of an earlier batch of this dry run), or its refusal. Pass the same
    `claims` to every batch of one file."""
    claims = claims if claims is not None else Claims()
    outcomes: list[Outcome] = []
    for start in range(0, len(submissions), CHUNK):
        chunk = submissions[start : start + CHUNK]
        claimed = {i for i, s in enumerate(chunk) if s.idempotency_key[:80] in claims.keys}
        rest = [s for i, s in enumerate(chunk) if i not in claimed]
        result, copies, fresh = _apply_rules(rest, actor=actor, source=source, claims=claims)
        for p in fresh:
            result[p.index].response, result[p.index].created = p.response, True
            if p.submission.idempotency_key:
                claims.keys.add(p.submission.idempotency_key[:80])
            if p.response.paper_serial:
                claims.serials.add((p.response.version_id, p.response.paper_serial))
            if p.response.campaign_id and p.response.dossier_code:
                claims.dossiers.add(
                    (p.response.campaign_id, p.response.unit_id, p.response.dossier_code)
                )
        for index, first in copies.items():
            result[index] = Outcome(refusal=result[first].refusal)
        mine = iter(result)
        outcomes += [Outcome() if i in claimed else next(mine) for i in range(len(chunk))]
    return StoreResult(outcomes)


def _apply_rules(
    submissions: Sequence[Submission], *, actor, source, claims: Claims | None = None
) -> tuple[list[Outcome], dict[int, int], list[_Prepared]]:
    """Every rule, nothing written: (outcomes so far, in-batch copies, the fresh submissions
    to insert)."""
    now = timezone.now()
    outcomes = [Outcome() for _s in submissions]
    copies = _replays(submissions, outcomes)
    coverage: dict[int, _Coverage] = {}
    prepared: list[_Prepared] = []
    for index, submission in enumerate(submissions):
        if outcomes[index].response is not None or outcomes[index].refusal or index in copies:
            continue
        try:
            prepared.append(
                _prepare(index, submission, now=now, actor=actor, source=source, coverage=coverage)
            )
        except SubmissionRejected as refused:
            outcomes[index].refusal = refused
    return outcomes, copies, _deduplicate(prepared, outcomes, claims)


def responses_store(
    submissions: Sequence[Submission], *, actor: Staff | None = None, source=None
) -> StoreResult:
    """Check and store a batch of submissions; one Outcome per submission, in order. The good
    ones are stored together (one transaction, a few INSERTs) whatever is refused beside them.
    `source` is the ResponseImport a file import stores for (its cancellation deletes them).
    A longer batch is stored CHUNK submissions at a time, each chunk in its own transaction."""
    if len(submissions) > CHUNK:
        outcomes = []
        for start in range(0, len(submissions), CHUNK):
            chunk = submissions[start : start + CHUNK]
            outcomes += responses_store(chunk, actor=actor, source=source).outcomes
        return StoreResult(outcomes)
    outcomes, copies, fresh = _apply_rules(submissions, actor=actor, source=source)
    if fresh:
        raced = False
        with _write_path(), transaction.atomic():
            try:
                # A savepoint around the INSERTs alone: a unique key taken meanwhile by a twin
                # (two copies of one request racing) is told apart from any other failure,
                # which propagates (a hook's error included).
                with transaction.atomic():
                    _insert(fresh)
            except IntegrityError as exc:
                raced, error = True, exc
            else:
                _announce(fresh, actor=actor, source=source)
        if raced and len(fresh) == 1:
            outcomes[fresh[0].index] = _after_race(fresh[0], error)
        elif raced:
            # One at a time: each finds its twin or its refusal, the others are stored.
            for p in fresh:
                one = responses_store([p.submission], actor=actor, source=source).outcomes[0]
                outcomes[p.index] = one
        else:
            for p in fresh:
                outcomes[p.index].response, outcomes[p.index].created = p.response, True
    for index, first in copies.items():
        original = outcomes[first]
        outcomes[index] = Outcome(response=original.response, refusal=original.refusal)
    return StoreResult(outcomes)


def _after_race(p: _Prepared, error: IntegrityError) -> Outcome:
    """A submission that lost a race: its twin (a replay) or its refusal. A unique key taken
    by anything else is not a duplicate: the error propagates."""
    response = p.response
    key = response.idempotency_key
    earlier = Response.objects.filter(idempotency_key=key).first() if key else None
    if earlier is not None:
        return _replay_of(p.submission, earlier)
    if (
        response.paper_serial
        and Response.objects.filter(
            version_id=response.version_id, paper_serial=response.paper_serial
        ).exists()
    ):
        return Outcome(refusal=_duplicate_serial(response.paper_serial))
    if (
        response.campaign_id
        and response.dossier_code
        and Response.objects.filter(
            campaign_id=response.campaign_id,
            unit_id=response.unit_id,
            dossier_code=response.dossier_code,
        ).exists()
    ):
        return Outcome(refusal=_duplicate_dossier(response.dossier_code))
    raise error


def response_submit(submission: Submission, *, actor: Staff | None = None) -> Stored:
    """Store one response (a batch of one), or raise SubmissionRejected saying why. An
    idempotency key seen before returns the earlier response (created=False)."""
    outcome = responses_store([submission], actor=actor).outcomes[0]
    if outcome.refusal is not None:
        raise outcome.refusal
    return Stored(outcome.response, created=outcome.created)


# --- corrections and deletions ----------------------------------------------------------------


def _rows_of(response_ids: Iterable[int]) -> dict[int, list[AnswerRow]]:
    rows: dict[int, list[AnswerRow]] = {}
    for response_id, *values in (
        Answer.objects.filter(response_id__in=list(response_ids))
        .order_by("id")
        .values_list("response_id", "item_id", "value", "option_id", "not_applicable", "text")
    ):
        rows.setdefault(response_id, []).append(AnswerRow(*values))
    return rows


def _snapshot(rows: list[AnswerRow], version) -> list[dict]:
    schema = schema_for(version)
    items = {item.id: item for item in schema.items}
    options = {o.id: o.code for item in schema.items for o in item.options}
    return [
        {
            "item": items[row.item_id].code if row.item_id in items else row.item_id,
            "option": options.get(row.option_id),
            "value": row.value,
            "not_applicable": row.not_applicable,
            "text": row.text,
        }
        for row in rows
    ]


@transaction.atomic
def response_correct(*, response: Response, answers: dict, actor: Staff, reason: str) -> Response:
    """Replace a response's answers with corrected ones (e.g. a paper form mistyped). The first
    correction keeps the original answers in `original`; every correction writes an audit row
    with the answers before and after and the reason."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("version")
        .get(pk=response.pk)
    )
    validated = validate_answers(schema_for(response.version), answers)
    if validated.errors:
        raise SubmissionRejected(
            "answers", _("Some answers need your attention."), validated.errors
        )
    removed = _rows_of([response.pk]).get(response.pk, [])
    before = _snapshot(removed, response.version)
    if response.original is None:
        response.original = before
    with _write_path():
        Answer.objects.filter(response=response).delete()
        _insert_answers(_answer_tuples(response.pk, validated.rows))
        response.corrected_at = timezone.now()
        response.save(update_fields=["original", "corrected_at"])
    _run_hooks([ResponseChange("corrected", response, tuple(validated.rows), tuple(removed))])
    audit_record(
        actor=actor,
        action="response.correct",
        target=response,
        before={"answers": before},
        after={
            "answers": _snapshot(validated.rows, response.version),
            "reason": normalize_text(reason),
        },
    )
    return response


def responses_delete(
    *, responses: QuerySet[Response], actor: Staff | None, reason: str, target=None
) -> int:
    """Delete responses with their answers and consent records, CHUNK at a time, the hooks
    told of each; one audit row. Used by an import's cancellation (and, later, disposal)."""
    deleted, last = 0, 0
    with _write_path(), transaction.atomic():
        while True:
            # A chunk at a time by id, locked, so a correction racing it is seen whole and
            # memory stays flat however many forms are disposed of.
            doomed = list(
                responses.filter(pk__gt=last)
                .order_by("pk")
                .select_for_update(of=("self",))
                .select_related("version")[:CHUNK]
            )
            if not doomed:
                break
            last = doomed[-1].pk
            chunk = [r.pk for r in doomed]
            rows = _rows_of(chunk)
            _run_hooks(
                [ResponseChange("deleted", r, removed=tuple(rows.get(r.pk, ()))) for r in doomed]
            )
            consent_ids = [r.consent_id for r in doomed if r.consent_id]
            Answer.objects.filter(response_id__in=chunk).delete()
            Response.objects.filter(pk__in=chunk).delete()
            ConsentRecord.objects.filter(pk__in=consent_ids).delete()
            deleted += len(doomed)
        if deleted and actor is not None:
            audit_record(
                actor=actor,
                action="response.delete",
                target=target,
                after={"count": deleted, "reason": normalize_text(reason)},
            )
    return deleted


def dossier_within(dossier_unit_path: str, unit: Unit) -> bool:
    """Whether a response given at `unit` may name a dossier of the unit at this path: the
    dossier's unit is the response's or lies below it. Whoever may write about the response's
    unit may write about that dossier's, and nobody links a response to another unit's
    dossier (its response rate and time index are that unit's), whatever code they know."""
    return bool(dossier_unit_path) and dossier_unit_path.startswith(unit.path)


def responses_link_dossiers(*, codes: Iterable[str]) -> int:
    """Link the responses given with these dossier codes before their dossiers were
    registered (the one-stop-shop software may send a dossier after its survey): those given
    at the dossier's unit or above it (`dossier_within`). One UPDATE per unit of the dossiers,
    then the dossier hooks are told of every dossier with these codes (`dossiers_announce`):
    the register's writes call this with the codes they wrote."""
    codes = set(codes)
    if not codes:
        return 0
    by_unit: dict[int, list[str]] = {}
    paths: dict[int, str] = {}
    dossier_ids: list[int] = []
    for pk, code, unit_id, path in Dossier.objects.filter(code__in=codes).values_list(
        "pk", "code", "unit_id", "unit__path"
    ):
        by_unit.setdefault(unit_id, []).append(code)
        paths[unit_id] = path
        dossier_ids.append(pk)
    linked = 0
    with _write_path():
        # Shallow units first: a response given at a unit goes to the dossier registered at
        # that very unit before one below it, as when it is stored (_dossier_for).
        for unit_id, unit_codes in sorted(
            by_unit.items(), key=lambda item: paths[item[0]].count("/")
        ):
            above = ancestor_ids(Unit(pk=unit_id, path=paths[unit_id]))
            linked += Response.objects.filter(
                dossier_code__in=unit_codes, dossier__isnull=True, unit_id__in=above
            ).update(
                dossier=Subquery(
                    Dossier.objects.filter(code=OuterRef("dossier_code"), unit_id=unit_id).values(
                        "pk"
                    )[:1]
                )
            )
    # These UPDATEs run no response hook (no answer changed), but what is kept about the
    # dossiers does change (their responses rated unsatisfied), and the register's writes,
    # which all end here with the codes they wrote, changed the dossiers themselves.
    dossiers_announce(dossier_ids)
    return linked
