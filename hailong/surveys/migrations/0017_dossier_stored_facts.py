"""The dashboard's per-dossier facts stored on the dossier (hailong.analytics.dossier_facts):
returned_on, time_points, has_pakn, unsatisfied_responses, filled for the existing register by
a few set-based UPDATEs, then the index the dashboard's read uses.

The SQL is this migration's own, frozen as the definitions were when it was written (not the
app's code, which may change later): the dossier figures' docstring
(hailong/analytics/dossier_figures.py) gives them."""

from django.db import migrations, models

# Asia/Ho_Chi_Minh: UTC+7 all year (no daylight saving since 1975).
LOCAL_DAY = {
    "sqlite": "date({}, '+7 hours')",
    "postgresql": "({} AT TIME ZONE 'Asia/Ho_Chi_Minh')::date",
}

# A response "rated unsatisfied": the overall 5-point answer at most 2, or a 3-level rating 1.
RATED_UNSATISFIED = (
    "FROM surveys_response r "
    "JOIN surveys_answer a ON a.response_id = r.id "
    "JOIN surveys_item i ON i.id = a.item_id "
    "WHERE ((i.is_overall AND i.kind = 'scale5' AND a.value <= 2) "
    "OR (i.kind = 'rating3' AND a.value = 1))"
)


def fill(apps, schema_editor):
    connection = schema_editor.connection
    day = LOCAL_DAY.get(connection.vendor)
    if day is None:  # pragma: no cover
        raise RuntimeError(
            f"This migration computes local dates on SQLite and PostgreSQL only, not on "
            f"{connection.vendor}."
        )
    returned, due = day.format("returned_at"), day.format("due_at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE surveys_dossier SET returned_on = {returned}, "  # noqa: S608
            "time_points = CASE WHEN returned_at IS NULL OR due_at IS NULL THEN NULL "
            f"WHEN {returned} < {due} THEN 2 WHEN {returned} = {due} THEN 1 ELSE 0 END "
            "WHERE returned_at IS NOT NULL"
        )
        # A PAKN case about the dossier's unit naming its code (in upper case); the codes
        # first, through the register's code index.
        cursor.execute(
            "UPDATE surveys_dossier SET has_pakn = %s WHERE code IN ("
            "SELECT UPPER(dossier_code) FROM feedback_case "
            "WHERE kind = 'pakn' AND dossier_code <> '') "
            "AND EXISTS (SELECT 1 FROM feedback_case c WHERE c.kind = 'pakn' "
            "AND c.dossier_code <> '' AND c.unit_id = surveys_dossier.unit_id "
            "AND UPPER(c.dossier_code) = surveys_dossier.code)",
            [True],
        )
        # The linked responses rated unsatisfied, counted once each: the dossiers that have
        # any found first (one pass over those answers), then counted one by one.
        cursor.execute(
            "UPDATE surveys_dossier SET unsatisfied_responses = ("  # noqa: S608
            f"SELECT COUNT(DISTINCT r.id) {RATED_UNSATISFIED} "
            "AND r.dossier_id = surveys_dossier.id) "
            f"WHERE id IN (SELECT r.dossier_id {RATED_UNSATISFIED} AND r.dossier_id IS NOT NULL)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0004_unit_place_name"),
        ("surveys", "0016_canonical_consent_phones"),
        # has_pakn reads the cases.
        ("feedback", "0009_canonical_phones"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="returned_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="returned on"
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="time_points",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dossier",
            name="has_pakn",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="dossier",
            name="unsatisfied_responses",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        # Columns dropped on the way back: nothing to undo.
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=[
                    "returned_on",
                    "unit",
                    "service",
                    "time_points",
                    "has_pakn",
                    "unsatisfied_responses",
                ],
                name="dossier_facts",
            ),
        ),
    ]
