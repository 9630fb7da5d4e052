"""Whatever happens to the answers, the rollups equal a recount from scratch: a randomised
sequence (hypothesis) of batches of submissions over several channels, units, procedures,
campaigns and both questionnaires (không áp dụng, multiple choice, free text, refusals and
duplicates among them), corrections, deletions, file imports and cancelled imports, all
through the real services. After every step, both the command's check (`rollup_differences`,
what `rollups_rebuild --check` runs) and an independent recount in Python agree with the
tables."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from unittest.mock import patch

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from hailong.analytics.rollups import data_range, rollup_differences
from hailong.analytics.tests.recount import python_recount, stored_rollups
from hailong.core.jobs import JobCancelled
from hailong.core.periods import LOCAL_TZ
from hailong.surveys.file_import import import_run
from hailong.surveys.models import Response, ResponseImport
from hailong.surveys.services.responses import (
    Submission,
    response_correct,
    responses_delete,
    responses_store,
)

ELEMENTS = (("TC", 4), ("TT", 4), ("CC", 5), ("KQ", 3), ("PA", 3))
CRITERIA = [f"{e}{n}" for e, k in ELEMENTS for n in range(1, k + 1)]
SCORE = st.sampled_from(["1", "2", "3", "4", "5", "0"])  # "0": không áp dụng


@st.composite
def sipas_answers(draw) -> dict:
    scores = {e: draw(SCORE) for e, _k in ELEMENTS}
    answers = {f"{e}{n}": scores[e] for e, k in ELEMENTS for n in range(1, k + 1)}
    answers["HL"] = draw(st.sampled_from(["1", "2", "3", "4", "5"]))
    chosen = draw(
        st.lists(st.sampled_from(["TC", "TT", "CC", "KQ", "PA"]), max_size=2, unique=True)
    )
    if chosen:
        answers["MM"] = chosen
    if draw(st.booleans()):
        answers["YK"] = draw(st.sampled_from(["Tốt", "Chờ lâu", "Cán bộ nhiệt tình."]))
    if draw(st.booleans()):
        answers["TUOI"] = draw(st.sampled_from(["1", "2", "3"]))
    return answers


@st.composite
def nhanh_answers(draw) -> dict:
    face = draw(st.sampled_from(["1", "2", "3"]))
    answers = {"DG": face}
    reasons = draw(st.lists(st.sampled_from(["CHO", "THAIDO", "KHAC"]), max_size=2, unique=True))
    if face == "1" and reasons:
        answers["LD"] = reasons
    if draw(st.booleans()):
        answers["YK"] = "Ý kiến"
    return answers


SUBMISSION = st.fixed_dictionaries(
    {
        "quick": st.booleans(),
        "unit": st.integers(0, 3),
        "service": st.integers(0, 2),  # 2: none
        "channel": st.sampled_from(["web", "kiosk", "paper", "api"]),
        "campaign": st.booleans(),
        "days_back": st.integers(1, 70),
        "hour": st.sampled_from([0, 10, 23]),  # both ends of the local day
        "serial": st.sampled_from(["", "", "", "P-1", "P-2"]),  # repeated: refused
        "sipas": sipas_answers(),
        "nhanh": nhanh_answers(),
    }
)
IMPORT_ROW = st.tuples(
    st.sampled_from(["UA", "UA1", "UB", "ROOT"]),
    SCORE,
    st.sampled_from(["1.001193", "1.012783", ""]),
    st.integers(1, 60),
)


class World:
    """The fixtures the machine works with (set by the test)."""

    org = sipas = nhanh = campaign = quick_campaign = secretary = None


class RollupsStayExact(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run in a savepoint rolled back at its end: the runs do not see each other.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.imports = 0

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _submission(self, spec) -> Submission:
        w = World
        org = w.org
        units = (org.unit_a, org.unit_a1, org.unit_b, org.root)
        services = (org.service_a, org.service_b, None)
        day = timezone.localdate() - timedelta(days=spec["days_back"])
        quick = spec["quick"]
        return Submission(
            version=w.nhanh if quick else w.sipas,
            unit=units[spec["unit"]],
            service=services[spec["service"]],
            channel=spec["channel"],
            campaign=(w.quick_campaign if quick else w.campaign) if spec["campaign"] else None,
            answers=spec["nhanh"] if quick else spec["sipas"],
            paper_serial=spec["serial"] if spec["channel"] == "paper" else "",
            submitted_at=datetime.combine(day, time(spec["hour"], 30), tzinfo=LOCAL_TZ),
        )

    @rule(batch=st.lists(SUBMISSION, min_size=1, max_size=4))
    def submit(self, batch):
        responses_store([self._submission(spec) for spec in batch])

    @rule(pick=st.integers(0, 1000), spec=SUBMISSION)
    def correct(self, pick, spec):
        ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return
        response = Response.objects.select_related("version").get(pk=ids[pick % len(ids)])
        quick = response.version.questionnaire.code == "nhanh"
        response_correct(
            response=response,
            answers=spec["nhanh"] if quick else spec["sipas"],
            actor=World.secretary,
            reason="gõ nhầm",
        )

    @rule(picks=st.lists(st.integers(0, 1000), min_size=1, max_size=3))
    def delete(self, picks):
        ids = list(Response.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return
        doomed = {ids[p % len(ids)] for p in picks}
        responses_delete(
            responses=Response.objects.filter(pk__in=doomed),
            actor=World.secretary,
            reason="thử nghiệm",
        )

    @rule(
        rows=st.lists(IMPORT_ROW, min_size=1, max_size=4),
        background=st.booleans(),
        cancel=st.booleans(),
    )
    def import_file(self, rows, background, cancel):
        self.imports += 1
        header = ["submitted_at", "unit", "service", "channel", "dossier_code", *CRITERIA, "HL"]
        lines = [",".join(header)]
        for unit, score, service, days_back in rows:
            day = timezone.localdate() - timedelta(days=days_back)
            hl = score if score != "0" else "3"
            lines.append(
                ",".join([f"{day:%d/%m/%Y} 23:45", unit, service, "", "", *([score] * 19), hl])
            )
        data = ("\n".join(lines) + "\n").encode()
        filename = f"dot-{self.imports}.csv"
        upload = (
            ResponseImport.objects.create(
                version=World.sipas, filename=filename, sha256="x", created_by=World.secretary
            )
            if background
            else None
        )
        stored_before = Response.objects.count()

        def cancel_after_first_chunk():
            if Response.objects.count() > stored_before:
                raise JobCancelled

        options = {"chunk": 1, "upload": upload}
        if cancel:
            options["check_cancelled"] = cancel_after_first_chunk
        try:
            with patch("hailong.core.imports._Ticker.every", 0):
                import_run(
                    data=data,
                    filename=filename,
                    version=World.sipas,
                    campaign=None,
                    actor=World.secretary,
                    **options,
                )
        except JobCancelled:
            assert Response.objects.count() == stored_before

    @invariant()
    def rollups_equal_a_recount(self):
        found = data_range()
        if found is not None:
            assert list(rollup_differences(*found)) == []
        assert stored_rollups() == python_recount()


def test_rollups_equal_a_recount_after_any_sequence_of_changes(
    org, sipas, nhanh, campaign, quick_campaign, secretary
):
    World.org, World.sipas, World.nhanh = org, sipas, nhanh
    World.campaign, World.quick_campaign, World.secretary = campaign, quick_campaign, secretary
    run_state_machine_as_test(
        RollupsStayExact,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )


@pytest.fixture(autouse=True)
def _forget_world():
    yield
    World.org = World.sipas = World.nhanh = World.campaign = None
    World.quick_campaign = World.secretary = None
