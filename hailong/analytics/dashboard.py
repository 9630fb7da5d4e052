"""The leaders' dashboard (HD.07 step 3): every figure of the page for one filter, as plain data.

Reads go through the rollup readers (hailong.analytics.selectors) and the case statistics
(hailong.feedback.statistics), never raw answers, with one exception: the latest comments of
unsatisfied respondents, which only raw responses hold (ten rows, newest first, one bounded
query), and the dossier register's TT 01/2018 and QĐ 766 figures (one aggregate query,
hailong/analytics/dossier_figures.py). The figures are the pure functions of
hailong.analytics.indices and hailong.analytics.dossier_indices.

What the questionnaire filter narrows: the SIPAS figures (tiles, trend, units, elements and
criteria, procedures, fields, channels) are those of the chosen questionnaire, over all its
versions (criteria are matched by code, stable across versions; the structure is the latest
published version's). The responses tile counts every questionnaire's responses, and the
3-level rating and the kiosk's reasons are read from whichever questionnaire asks them (the
quick form at the counter), within the other filters.

The page costs a fixed number of queries whatever the data size: each reader is a fixed number
(see selectors.py), and everything else is looked up once per page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hailong.analytics.dossier_figures import DossierFigures, dossier_figures
from hailong.analytics.dossier_indices import Qd766Pakn, qd766_pakn_from_stats
from hailong.analytics.indices import (
    KIOSK_REASONS_ITEM,
    Figure,
    RatingResult,
    SipasResult,
    answer_counts,
    min_sample_setting,
    percent,
    rating3,
    share,
    sipas_indices_many,
    sipas_structure,
    tally,
)
from hailong.analytics.rollups import next_month
from hailong.analytics.selectors import RESPONSES, Slice, item_counts_by, option_counts
from hailong.core.periods import Period, PeriodKind, custom, month
from hailong.feedback.statistics import CaseStats, case_statistics
from hailong.organisation.models import Service, ServiceField, Staff, Unit
from hailong.surveys.models import (
    Answer,
    Channel,
    Item,
    Option,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from hailong.surveys.schema import schema_for
from hailong.surveys.selectors.responses import responses_visible_to

DEFAULT_QUESTIONNAIRE = "sipas"
LATEST_COMMENTS = 10
# The answers that make a respondent "unsatisfied" for the comments panel: the overall 5-point
# question at 1 or 2 (Rất không hài lòng, Không hài lòng), or a 3-level rating at 1 (Chưa hài
# lòng).
UNSATISFIED_OVERALL_MAX = 2
RATING3_UNSATISFIED = 1
# The period's local days, widened by this for the latest comments' bound on submitted_at.
COMMENTS_MARGIN = timedelta(days=1)


# ---- The questionnaire ---------------------------------------------------------------------


def sipas_questionnaires() -> list[Questionnaire]:
    """Questionnaires with SIPAS criteria (5-point items in a section), for the filter."""
    criteria = Item.objects.filter(
        version__questionnaire=OuterRef("pk"),
        kind="scale5",
        section__isnull=False,
        is_profile=False,
        is_overall=False,
    )
    return list(Questionnaire.objects.filter(Exists(criteria)).order_by("name"))


@dataclass(frozen=True)
class Structure:
    """The elements and criteria of a questionnaire, from its latest published version."""

    questionnaire: str
    elements: dict[str, tuple[str, ...]]  # element code: its criterion codes, in order
    element_titles: dict[str, str]
    criterion_texts: dict[str, str]
    version_ids: frozenset[int] = frozenset()  # every version of the questionnaire


def questionnaire_structure(code: str) -> Structure:
    versions = list(QuestionnaireVersion.objects.filter(questionnaire__code=code))
    ids = frozenset(v.pk for v in versions)
    published = [v for v in versions if v.published_at is not None]
    if not published:
        return Structure(code, {}, {}, {}, ids)
    version = max(published, key=lambda v: v.number)
    schema = schema_for(version)
    elements = sipas_structure(schema)
    titles = dict(Section.objects.filter(version=version).values_list("code", "title_vi"))
    texts = {item.code: item.text_vi for item in schema.items}
    return Structure(code, elements, titles, texts, ids)


# ---- Figures of one slice ------------------------------------------------------------------


def sipas_of(structure: Structure, counts: Mapping[str, Mapping]) -> SipasResult:
    return sipas_of_many(structure, {None: counts})[None]


def sipas_of_many(structure: Structure, by: Mapping[object, Mapping[str, Mapping]]) -> dict:
    """{key: SipasResult} of a breakdown's rows, computed together (sipas_indices_many)."""
    codes = [code for codes in structure.elements.values() for code in codes]
    answers = {
        key: {code: answer_counts(counts.get(code, {})) for code in codes}
        for key, counts in by.items()
    }
    return sipas_indices_many(structure.elements, answers)


def responses_of(counts: Mapping[str, Mapping]) -> int:
    return counts.get(RESPONSES, {}).get((0, 0), 0)


def _add(target: dict, counts: Mapping[str, Mapping]) -> None:
    for code, states in counts.items():
        bucket = target.setdefault(code, defaultdict(int))
        for key, n in states.items():
            bucket[key] += n


@dataclass
class Headline:
    """The tiles' figures for one period."""

    period: Period
    sipas: SipasResult
    sipas_responses: int
    responses: int
    rating: RatingResult
    cases: CaseStats

    @property
    def pakn_on_time(self) -> Figure:
        return share(self.cases.pakn_on_time, self.cases.pakn_decided, code="pakn_on_time")


def _rating3_codes(version_ids) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = defaultdict(set)
    for version_id, code in Item.objects.filter(
        version_id__in=sorted(version_ids), kind="rating3"
    ).values_list("version_id", "code"):
        codes[version_id].add(code)
    return codes


def _case_filters(slice_: Slice) -> dict:
    filters: dict = {}
    if slice_.unit is not None:
        filters["unit__path__startswith"] = slice_.unit.path
    if slice_.service_ids is not None:
        filters["service_id__in"] = sorted(slice_.service_ids)
    if slice_.field is not None:
        filters["service__field"] = slice_.field
    return filters


def headline(
    slice_: Slice, structure: Structure, *, staff: Staff, today: date
) -> tuple[Headline, dict]:
    """The tiles of `slice_` (its questionnaire's SIPAS, all responses, the 3-level rating,
    PAKN on time) and the questionnaire's counts {item code: {(state, value): n}}."""
    every = replace(slice_, questionnaire=None)
    by_version = item_counts_by(every, "version")
    rating_codes = _rating3_codes(by_version)
    counts: dict = {}
    ratings: dict[int | None, int] = defaultdict(int)
    responses = 0
    for version_id, items in by_version.items():
        responses += responses_of(items)
        if version_id in structure.version_ids:
            _add(counts, items)
        for code in rating_codes.get(version_id, ()):
            for value, n in answer_counts(items.get(code, {})).items():
                if value is not None:
                    ratings[value] += n
    _rows, cases = case_statistics(
        staff, period=slice_.period, grouping="kind", today=today, filters=_case_filters(slice_)
    )
    return (
        Headline(
            period=slice_.period,
            sipas=sipas_of(structure, counts),
            sipas_responses=responses_of(counts),
            responses=responses,
            rating=rating3(ratings),
            cases=cases,
        ),
        counts,
    )


@dataclass(frozen=True)
class Change:
    """A figure's change from an earlier period: percentage points, or a count."""

    points: Decimal | None  # None when either side has no figure
    count: int | None = None


def change_of(now: Figure, before: Figure) -> Change:
    if now.index is None or before.index is None:
        return Change(None)
    return Change(percent(now.index) - percent(before.index))


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    figure: Figure | None  # None for a count (responses)
    count: int | None
    previous: Change
    year_before: Change
    note: str = ""


def tiles(now: Headline, previous: Headline, year_ago: Headline) -> list[Tile]:
    def share_tile(key, label, pick, note=""):
        figure = pick(now)
        return Tile(
            key,
            label,
            figure,
            None,
            change_of(figure, pick(previous)),
            change_of(figure, pick(year_ago)),
            note,
        )

    return [
        share_tile(
            "sipas",
            _("SIPAS index"),
            lambda h: h.sipas.overall,
        ),
        share_tile("rating3", _("3-level satisfaction"), lambda h: h.rating.satisfaction),
        Tile(
            "responses",
            _("Responses"),
            None,
            now.responses,
            Change(None, now.responses - previous.responses),
            Change(None, now.responses - year_ago.responses),
            _("every questionnaire"),
        ),
        share_tile("pakn", _("PAKN handled on time"), lambda h: h.pakn_on_time),
    ]


# ---- Breakdowns ----------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a breakdown: a unit, procedure, field, channel or month, with its SIPAS."""

    key: object
    label: str
    responses: int
    figure: Figure
    rank: int | None = None
    extra: dict = field(default_factory=dict)


def _rows(structure: Structure, by: Mapping, labels: Mapping) -> list[Row]:
    results = sipas_of_many(structure, by)
    return [
        Row(
            key=key,
            label=labels.get(key, ""),
            responses=responses_of(items),
            figure=results[key].overall,
        )
        for key, items in by.items()
    ]


def _index_key(row: Row):
    return row.figure.index if row.figure.index is not None else -1


def ranked(rows: list[Row], *, worst_first: bool = False, apart=frozenset()) -> list[Row]:
    """Sufficient rows by their index (best first, or worst first), ranked 1, 2, …; the
    insufficient ones after them, not ranked, by their number of answers; the rows whose key
    is in `apart` last, never ranked (the responses that name no procedure or field are no
    procedure to compare: ranked, they stood first among "the worst")."""
    compared = [r for r in rows if r.key not in apart]
    sufficient = sorted(
        (r for r in compared if r.figure.sufficient),
        key=lambda r: (_index_key(r) if worst_first else -_index_key(r), r.label),
    )
    for position, row in enumerate(sufficient, 1):
        row.rank = position
    rest = sorted(
        (r for r in compared if not r.figure.sufficient), key=lambda r: (-r.responses, r.label)
    )
    return sufficient + rest + [r for r in rows if r.key in apart]


def trend_period(period: Period) -> Period:
    """The months the trend shows: the period's own, or for a month the 12 months to it."""
    if period.kind != PeriodKind.MONTH:
        return period
    first = period.first_day
    index = first.year * 12 + first.month - 1 - 11
    return custom(date(index // 12, index % 12 + 1, 1), period.last_day)


def trend(slice_: Slice, structure: Structure) -> list[Row]:
    period = trend_period(slice_.period)
    by_month = item_counts_by(replace(slice_, period=period), "month")
    months = []
    cursor = period.first_day.replace(day=1)
    while cursor < period.end_day:
        months.append(cursor)
        cursor = next_month(cursor)
    results = sipas_of_many(structure, {m: by_month.get(m, {}) for m in months})
    return [
        Row(
            key=m,
            label=month(m.year, m.month).label,
            responses=responses_of(by_month.get(m, {})),
            figure=results[m].overall,
        )
        for m in months
    ]


def unit_rows(slice_: Slice, structure: Structure) -> list[Row]:
    by = item_counts_by(slice_, "unit")
    names = dict(Unit.objects.filter(pk__in=sorted(by)).values_list("pk", "name"))
    return ranked(_rows(structure, by, names))


def service_and_field_rows(slice_: Slice, structure: Structure) -> tuple[list[Row], list[Row]]:
    """The procedures and the fields, the worst first, from one read of the procedures' counts
    (a field's are its procedures' summed: the largest read of the page, made once)."""
    by = item_counts_by(slice_, "service")
    labels, field_of = {}, {}
    for pk, code, name, field_id in Service.objects.filter(pk__in=sorted(by)).values_list(
        "pk", "code", "name", "field_id"
    ):
        labels[pk] = f"{code} {name}"
        field_of[pk] = field_id or 0
    labels[0] = _("(no procedure named)")
    by_field: dict = defaultdict(dict)
    for service_id, items in by.items():
        _add(by_field[field_of.get(service_id, 0)], items)
    field_labels = dict(
        ServiceField.objects.filter(pk__in=sorted(by_field)).values_list("pk", "name")
    )
    field_labels[0] = _("(no field)")
    return (
        ranked(_rows(structure, by, labels), worst_first=True, apart={0}),
        ranked(_rows(structure, by_field, field_labels), worst_first=True, apart={0}),
    )


def channel_rows(slice_: Slice, structure: Structure) -> list[Row]:
    by = item_counts_by(slice_, "channel")
    labels = {value: str(label) for value, label in Channel.choices}
    rows = _rows(structure, by, labels)
    order = {value: position for position, (value, _label) in enumerate(Channel.choices)}
    return sorted(rows, key=lambda r: order.get(r.key, len(order)))


@dataclass(frozen=True)
class ElementRow:
    figure: Figure
    title: str
    is_element: bool


def element_rows(structure: Structure, result: SipasResult) -> list[ElementRow]:
    rows = []
    for element, codes in structure.elements.items():
        rows.append(
            ElementRow(result.elements[element], structure.element_titles.get(element, ""), True)
        )
        for code in codes:
            rows.append(
                ElementRow(result.criteria[code], structure.criterion_texts.get(code, ""), False)
            )
    return rows


@dataclass(frozen=True)
class Comment:
    submitted_at: object
    unit: str
    service: str
    channel: str
    text: str


def latest_comments(slice_: Slice, *, limit: int = LATEST_COMMENTS) -> list[Comment]:
    """The newest comments of unsatisfied respondents in the slice (the one raw read of the
    page, bounded): a comment (the response's own, or a free-text answer) and the overall
    5-point answer at most 2 or a 3-level rating of 1."""
    period = slice_.period
    # local_date is the submitted_at's local day, so the period's responses are also those
    # submitted between its local midnights: that bound (a day wider on each side, in case a
    # row's day was computed elsewhere) lets the walk below start at the period's end on the
    # submitted_at index instead of at today. The local_date filter stays the rule.
    responses = responses_visible_to(slice_.scope).filter(
        local_date__gte=period.first_day,
        local_date__lt=period.end_day,
        submitted_at__gte=period.start - COMMENTS_MARGIN,
        submitted_at__lt=period.end + COMMENTS_MARGIN,
    )
    if slice_.unit is not None:
        # By the units' ids, read first, not a join (nor a subquery, which PostgreSQL turns
        # into one): a join's test comes after the answers' for every response walked.
        responses = responses.filter(
            unit_id__in=list(
                Unit.objects.filter(path__startswith=slice_.unit.path).values_list("pk", flat=True)
            )
        )
    if slice_.service_ids is not None:
        responses = responses.filter(service_id__in=sorted(slice_.service_ids))
    if slice_.field is not None:
        responses = responses.filter(service__field=slice_.field)
    if slice_.channel:
        responses = responses.filter(channel=slice_.channel)
    if slice_.campaign is not None:
        responses = responses.filter(campaign=slice_.campaign)
    # "Has such an answer" as a scalar subquery (the first one's id, or NULL), not EXISTS:
    # PostgreSQL may turn an EXISTS under the OR into a hash of every free-text answer of all
    # time (0.7 s at 8.8 M answers) while a scalar subquery is always asked per response, by
    # the answers' response index, so the walk newest first stops at the limit.
    answers = Answer.objects.filter(response=OuterRef("pk"))
    unsatisfied = answers.filter(
        Q(item__is_overall=True, item__kind="scale5", value__lte=UNSATISFIED_OVERALL_MAX)
        | Q(item__kind="rating3", value=RATING3_UNSATISFIED)
    )
    texts = answers.filter(item__kind="text").exclude(text="")
    chosen = list(
        responses.alias(
            unsatisfied=Subquery(unsatisfied.values("pk")[:1]),
            written=Subquery(texts.values("pk")[:1]),
        )
        .filter(unsatisfied__isnull=False)
        .filter(~Q(comment="") | Q(written__isnull=False))
        .select_related("unit", "service")
        .order_by("-submitted_at", "-pk")[:limit]
    )
    written: dict[int, list[str]] = defaultdict(list)
    for response_id, text in (
        Answer.objects.filter(response__in=[r.pk for r in chosen], item__kind="text")
        .exclude(text="")
        .order_by("item__order", "pk")
        .values_list("response_id", "text")
    ):
        written[response_id].append(text)
    labels = dict(Channel.choices)
    return [
        Comment(
            submitted_at=r.submitted_at,
            unit=r.unit.name,
            service=r.service.name if r.service else "",
            channel=str(labels.get(r.channel, r.channel)),
            text="\n".join([t for t in [r.comment, *written[r.pk]] if t]),
        )
        for r in chosen
    ]


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    figure: Figure


def kiosk_reasons(slice_: Slice, unsatisfied_ratings: int) -> list[Reason]:
    """The quick form's reasons ("Điều gì làm Ông/Bà chưa hài lòng?") as a tally of the
    "Chưa hài lòng" ratings."""
    counts = option_counts(replace(slice_, questionnaire=None)).get(KIOSK_REASONS_ITEM, {})
    labels: dict[str, str] = {}
    for code, label in (
        Option.objects.filter(item__code=KIOSK_REASONS_ITEM, item__kind="multi")
        .order_by("-item__version__number", "order", "pk")
        .values_list("code", "label_vi")
    ):
        labels.setdefault(code, label)
    order = list(labels) + sorted(set(counts) - set(labels))
    base = max(unsatisfied_ratings, max(counts.values(), default=0))
    figures = tally(counts, base=base, order=order) if base else []
    return [Reason(f.code, labels.get(f.code, f.code), f) for f in figures]


# ---- The whole page ------------------------------------------------------------------------


@dataclass
class Dashboard:
    slice: Slice
    structure: Structure
    min_sample: int
    now: Headline
    previous: Headline
    year_ago: Headline
    tiles: list[Tile]
    trend: list[Row]
    units: list[Row]
    elements: list[ElementRow]
    services: list[Row]
    fields: list[Row]
    channels: list[Row]
    comments: list[Comment]
    reasons: list[Reason]
    dossiers: DossierFigures

    @property
    def pakn766(self) -> Qd766Pakn:
        return qd766_pakn_from_stats(self.cases, min_sample=self.min_sample)

    @property
    def tt01_index1(self):
        return self.dossiers.tt01.indices.get(1)

    @property
    def tt01_figures(self) -> list:
        """The TT 01 indices the data allow, by number."""
        return [self.dossiers.tt01.indices[n] for n in sorted(self.dossiers.tt01.indices)]

    @property
    def tt01_unranked_reason(self) -> str:
        """Why the unit is not ranked, in words: the indices missing or below the minimum."""
        result = self.dossiers.tt01
        parts = []
        if result.missing:
            parts.append(_("missing indices %(numbers)s") % {"numbers": _numbers(result.missing)})
        if result.insufficient:
            parts.append(
                _("indices below %(n)s dossiers: %(numbers)s")
                % {"n": self.min_sample, "numbers": _numbers(result.insufficient)}
            )
        return "; ".join(parts)

    @property
    def cases(self) -> CaseStats:
        return self.now.cases

    @property
    def case_satisfaction(self) -> Figure:
        return share(self.cases.rated_satisfied, self.cases.rated, code="cases_satisfied")

    @property
    def case_on_time(self) -> Figure:
        return share(self.cases.on_time, self.cases.decided, code="cases_on_time")


def _numbers(numbers) -> str:
    return ", ".join(str(n) for n in numbers)


def headlines(slice_: Slice, structure: Structure, *, staff: Staff, today: date):
    """The tiles of the slice with its previous period and the same period a year earlier."""
    now, counts = headline(slice_, structure, staff=staff, today=today)
    previous, _c = headline(slice_.previous(), structure, staff=staff, today=today)
    if slice_.year_before().period == slice_.previous().period:  # a year: both are the last
        return now, previous, previous, counts
    year_ago, _c = headline(slice_.year_before(), structure, staff=staff, today=today)
    return now, previous, year_ago, counts


def headline_tiles(slice_: Slice, *, staff: Staff, today: date) -> list[Tile]:
    """The dashboard's tiles alone (a leader's home page)."""
    structure = questionnaire_structure(slice_.questionnaire or DEFAULT_QUESTIONNAIRE)
    slice_ = replace(slice_, questionnaire=structure.questionnaire)
    now, previous, year_ago, _counts = headlines(slice_, structure, staff=staff, today=today)
    return tiles(now, previous, year_ago)


def dashboard(slice_: Slice, *, staff: Staff, today: date) -> Dashboard:
    structure = questionnaire_structure(slice_.questionnaire or DEFAULT_QUESTIONNAIRE)
    slice_ = replace(slice_, questionnaire=structure.questionnaire)
    now, previous, year_ago, _counts = headlines(slice_, structure, staff=staff, today=today)
    services, fields = service_and_field_rows(slice_, structure)
    return Dashboard(
        slice=slice_,
        structure=structure,
        min_sample=min_sample_setting(),
        now=now,
        previous=previous,
        year_ago=year_ago,
        tiles=tiles(now, previous, year_ago),
        trend=trend(slice_, structure),
        units=unit_rows(slice_, structure),
        elements=element_rows(structure, now.sipas),
        services=services,
        fields=fields,
        channels=channel_rows(slice_, structure),
        comments=latest_comments(slice_),
        reasons=kiosk_reasons(slice_, now.rating.levels[RATING3_UNSATISFIED].k or 0),
        dossiers=dossier_figures(slice_),
    )


# ---- Tables for downloads ------------------------------------------------------------------


TABLES = {
    "tiles": gettext_lazy("Headline figures"),
    "trend": gettext_lazy("Monthly trend"),
    "units": gettext_lazy("Units"),
    "elements": gettext_lazy("Elements and criteria"),
    "services": gettext_lazy("Procedures"),
    "fields": gettext_lazy("Fields"),
    "channels": gettext_lazy("Channels"),
    "cases": gettext_lazy("Feedback and complaints"),
    "comments": gettext_lazy("Comments of unsatisfied respondents"),
    "reasons": gettext_lazy("Kiosk reasons"),
    "dossiers": gettext_lazy("TT 01/2018 and QĐ 766 indices"),
}


def _number(value: Decimal | None):
    return None if value is None else float(value)


def _figure_cells(figure: Figure) -> list:
    return [
        figure.n,
        _number(percent(figure.index)),
        _number(percent(figure.ci_low)),
        _number(percent(figure.ci_high)),
        _("yes") if figure.sufficient else _("not enough answers"),
    ]


def _figure_heads() -> list[str]:
    return [
        _("Answers (n)"),
        _("Index (%)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Enough answers"),
    ]


def _row_table(rows: list[Row], first: str, *, ranked_rows: bool = True) -> tuple[list, list]:
    heads = ([_("Rank")] if ranked_rows else []) + [first, _("Responses"), *_figure_heads()]
    body = [
        ([row.rank] if ranked_rows else []) + [row.label, row.responses, *_figure_cells(row.figure)]
        for row in rows
    ]
    return heads, body


def table(board: Dashboard, name: str) -> tuple[list[str], list[list]]:
    """(column names, rows) of one of the page's tables, with the figures the page shows
    (percent with 2 decimals as numbers)."""
    if name == "tiles":
        heads = [
            _("Figure"),
            *_figure_heads(),
            _("Count"),
            _("Change from previous period"),
            _("Change from a year earlier"),
        ]
        body = []
        for tile in board.tiles:
            if tile.figure is not None:
                body.append(
                    [
                        tile.label,
                        *_figure_cells(tile.figure),
                        None,
                        _number(tile.previous.points),
                        _number(tile.year_before.points),
                    ]
                )
            else:
                body.append(
                    [
                        tile.label,
                        None,
                        None,
                        None,
                        None,
                        None,
                        tile.count,
                        tile.previous.count,
                        tile.year_before.count,
                    ]
                )
        return heads, body
    if name == "trend":
        return _row_table(board.trend, _("Month"), ranked_rows=False)
    if name == "units":
        return _row_table(board.units, _("Unit"))
    if name == "services":
        return _row_table(board.services, _("Procedure"))
    if name == "fields":
        return _row_table(board.fields, _("Field"))
    if name == "channels":
        return _row_table(board.channels, _("Channel"), ranked_rows=False)
    if name == "elements":
        heads = [_("Code"), _("Element or criterion"), *_figure_heads(), _("Mean answer (1–5)")]
        body = [
            [
                row.figure.code,
                row.title,
                *_figure_cells(row.figure),
                None if row.figure.mean is None else float(round(row.figure.mean, 2)),
            ]
            for row in board.elements
        ]
        return heads, body
    if name == "cases":
        c = board.cases
        heads = [_("Figure"), _("Count"), _("Of"), _("Share (%)")]
        body = [
            [_("Received"), c.received, None, None],
            [
                _("Answered on time"),
                c.on_time,
                c.decided,
                _number(percent(board.case_on_time.index)),
            ],
            [_("Overdue now"), c.overdue_now, c.open_now, None],
            [
                _("PAKN on time (QĐ 766)"),
                c.pakn_on_time,
                c.pakn_decided,
                _number(percent(board.now.pakn_on_time.index)),
            ],
            [
                _("Satisfied with handling"),
                c.rated_satisfied,
                c.rated,
                _number(percent(board.case_satisfaction.index)),
            ],
        ]
        return heads, body
    if name == "comments":
        heads = [_("Submitted at"), _("Unit"), _("Procedure"), _("Channel"), _("Comment")]
        body = [
            [
                timezone.localtime(c.submitted_at).replace(tzinfo=None),
                c.unit,
                c.service,
                c.channel,
                c.text,
            ]
            for c in board.comments
        ]
        return heads, body
    if name == "reasons":
        heads = [
            _("Code"),
            _("Reason"),
            _("Times chosen"),
            _("Of “not satisfied” ratings"),
            _("Share (%)"),
        ]
        body = [
            [r.code, r.label, r.figure.k, r.figure.n, _number(percent(r.figure.index))]
            for r in board.reasons
        ]
        return heads, body
    if name == "dossiers":
        return _dossier_table(board)
    raise KeyError(name)


def _dossier_table(board: Dashboard) -> tuple[list[str], list[list]]:
    counts = board.dossiers.counts
    index1 = board.tt01_index1
    tthc = board.dossiers.tthc
    pakn = board.pakn766
    heads = [_("Figure"), _("Count"), _("Of"), _("Value"), _("95% CI low"), _("95% CI high")]

    def count_row(label, k, n):
        return [label, k, n, None, None, None]

    def share_row(label, figure, k):
        return [
            label,
            k,
            figure.n,
            _number(percent(figure.index)),
            _number(percent(figure.ci_low)),
            _number(percent(figure.ci_high)),
        ]

    result = board.dossiers.tt01
    body = [
        [_("Dossiers returned"), counts.returned, None, None, None, None],
        count_row(_("Returned before the due day (2 points)"), counts.score_2, counts.scored),
        count_row(_("Returned on the due day (1 point)"), counts.score_1, counts.scored),
        count_row(_("Returned after the due day (0 points)"), counts.score_0, counts.scored),
        [
            _("TT 01 index 1: total time (points per dossier, 0–2)"),
            None if index1 is None else index1.points,
            None if index1 is None else index1.n,
            None if index1 is None or index1.shown is None else float(index1.shown),
            None,
            None,
        ],
        *(
            [
                _("TT 01 index %(number)d (TT 01 evaluation forms, points per dossier, 0–2)")
                % {"number": figure.number},
                figure.points,
                figure.n,
                None if figure.shown is None else float(figure.shown),
                None,
                None,
            ]
            for figure in board.tt01_figures
            if figure.number != 1 or figure.source != "register"
        ),
        [
            _("TT 01 rank"),
            None,
            None,
            result.rank.label
            if result.rank is not None
            else _("not ranked: %(reason)s") % {"reason": board.tt01_unranked_reason},
            None,
            None,
        ],
        [_("Overdue"), counts.overdue, counts.returned, None, None, None],
        [_("With a PAKN (not overdue)"), counts.with_pakn, counts.returned, None, None, None],
        [
            _("Rated unsatisfied (neither of the above)"),
            counts.unsatisfied,
            counts.returned,
            None,
            None,
            None,
        ],
        share_row(_("TTHC satisfaction (QĐ 766, %)"), tthc, tthc.k),
        share_row(_("PAKN on time (QĐ 766, %)"), pakn.on_time, pakn.on_time.k),
        share_row(_("PAKN satisfaction (QĐ 766, %)"), pakn.satisfaction, pakn.satisfaction.k),
    ]
    return heads, body
