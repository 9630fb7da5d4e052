from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="LedgerEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("response_id", models.IntegerField(unique=True)),
                ("answers", models.JSONField(default=list)),
            ],
        ),
    ]
