from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    """Cases stored before the column existed: the same text `Case.save` keeps."""
    from hailong.core.text import fold_for_search

    Case = apps.get_model("feedback", "Case")
    for case in Case.objects.all().iterator():
        parts = [case.title]
        if case.kind != "denunciation":
            digits = "".join(ch for ch in case.contact_phone if ch.isdigit())
            parts += [case.contact_name, digits, case.contact_email]
        case.search_text = fold_for_search(" | ".join(p for p in parts if p))
        case.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_default_deadline_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
