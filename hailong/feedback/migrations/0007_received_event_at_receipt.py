"""The first history event of a case is dated when the case was received, not when it was typed
in (a letter entered days later showed its entry time as its receipt)."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def date_receipt_events(apps, schema_editor):
    Case = apps.get_model("feedback", "Case")
    CaseEvent = apps.get_model("feedback", "CaseEvent")
    received_at = Case.objects.filter(pk=OuterRef("case_id")).values("received_at")[:1]
    first = CaseEvent.objects.filter(kind="status", from_status="", to_status="received")
    first.exclude(at__lte=F("case__received_at")).update(at=Subquery(received_at))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0006_idempotency_fingerprint")]

    operations = [migrations.RunPython(date_receipt_events, migrations.RunPython.noop)]
