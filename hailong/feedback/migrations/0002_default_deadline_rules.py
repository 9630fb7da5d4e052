from django.db import migrations


def install(apps, schema_editor):
    from hailong.feedback.deadlines import install_default_rules

    install_default_rules(apps.get_model("feedback", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
