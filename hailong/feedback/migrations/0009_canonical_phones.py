from django.db import migrations


def canonical_phones(apps, schema_editor):
    """Cases stored before phones were kept in their national form ("+84 912.345.678" ->
    "0912345678"): those that pass the check take it, with the search text `Case.save` keeps;
    the others stay as they were typed."""
    from hailong.core.phones import canonical_phone, is_vietnamese_phone
    from hailong.core.text import fold_for_search

    Case = apps.get_model("feedback", "Case")
    for case in Case.objects.exclude(contact_phone="").iterator():
        if not is_vietnamese_phone(case.contact_phone):
            continue
        phone = canonical_phone(case.contact_phone)
        if phone == case.contact_phone:
            continue
        case.contact_phone = phone
        parts = [case.title]
        if case.kind != "denunciation":
            parts += [case.contact_name, phone, case.contact_email]
        case.search_text = fold_for_search(" | ".join(p for p in parts if p))
        case.save(update_fields=["contact_phone", "search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0008_complaint_instance"),
    ]

    operations = [
        migrations.RunPython(canonical_phones, migrations.RunPython.noop),
    ]
