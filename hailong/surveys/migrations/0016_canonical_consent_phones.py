from django.db import migrations


def canonical_phones(apps, schema_editor):
    """Consent records stored before phones were kept in their national form: those that pass
    the check take it ("+84 912.345.678" -> "0912345678"), the others stay as typed."""
    from hailong.core.phones import canonical_phone, is_vietnamese_phone

    ConsentRecord = apps.get_model("surveys", "ConsentRecord")
    for record in ConsentRecord.objects.exclude(phone="").iterator():
        if not is_vietnamese_phone(record.phone):
            continue
        phone = canonical_phone(record.phone)
        if phone != record.phone:
            record.phone = phone
            record.save(update_fields=["phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0015_campaign_takes_over"),
    ]

    operations = [
        migrations.RunPython(canonical_phones, migrations.RunPython.noop),
    ]
