"""Install the built-in questionnaires (sipas, nhanh, tt01), version 1 published.

They are data from then on: the quality secretary edits them by making new versions."""

from django.db import migrations
from django.utils import timezone


def install(apps, schema_editor):
    from hailong.surveys.files.questionnaire_json import ModelSet, install_builtin

    models = ModelSet(
        Questionnaire=apps.get_model("surveys", "Questionnaire"),
        QuestionnaireVersion=apps.get_model("surveys", "QuestionnaireVersion"),
        Section=apps.get_model("surveys", "Section"),
        Item=apps.get_model("surveys", "Item"),
        Option=apps.get_model("surveys", "Option"),
    )
    install_builtin(models, published_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
