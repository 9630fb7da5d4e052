# Issue 9, section 4: imports that stream. The uploaded file moves to a table of its own
# (core.UploadedContent), the problems found are kept bounded, and "cancelling" is a status.

import django.db.models.deletion
from django.db import migrations, models


def move_files_out(apps, schema_editor):
    """Each upload's bytes into core.UploadedContent, one upload at a time."""
    ResponseImport = apps.get_model("surveys", "ResponseImport")
    UploadedContent = apps.get_model("core", "UploadedContent")
    for pk in ResponseImport.objects.values_list("pk", flat=True):
        data = ResponseImport.objects.filter(pk=pk).values_list("content", flat=True).get()
        stored = UploadedContent.objects.create(data=bytes(data or b""))
        ResponseImport.objects.filter(pk=pk).update(content_file=stored)


def move_files_back(apps, schema_editor):
    ResponseImport = apps.get_model("surveys", "ResponseImport")
    for upload in ResponseImport.objects.exclude(content_file=None).select_related("content_file"):
        upload.content = upload.content_file.data
        upload.save(update_fields=["content"])


def bound_old_error_lists(apps, schema_editor):
    """Imports checked before kept one entry per bad row (105 MB for one hostile file): keep
    the first 200, as new checks do, and the count of all of them."""
    ResponseImport = apps.get_model("surveys", "ResponseImport")
    for pk in ResponseImport.objects.values_list("pk", flat=True):
        errors = ResponseImport.objects.filter(pk=pk).values_list("errors", flat=True).get()
        ResponseImport.objects.filter(pk=pk).update(
            errors=(errors or [])[:200], error_count=len(errors or [])
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_file_import'),
        ('surveys', '0010_export_file'),
    ]

    operations = [
        # Nullable first, so that the migration can also be undone.
        migrations.AlterField(
            model_name='responseimport',
            name='content',
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name='responseimport',
            name='content_file',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.uploadedcontent'),
        ),
        migrations.RunPython(move_files_out, move_files_back),
        migrations.RemoveField(
            model_name='responseimport',
            name='content',
        ),
        migrations.RenameField(
            model_name='responseimport',
            old_name='content_file',
            new_name='content',
        ),
        migrations.AddField(
            model_name='responseimport',
            name='error_count',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='responseimport',
            name='error_reasons',
            field=models.JSONField(default=list),
        ),
        migrations.AlterField(
            model_name='responseimport',
            name='status',
            field=models.CharField(choices=[('checking', 'Checking the file'), ('checked', 'Checked: waiting for confirmation'), ('importing', 'Importing'), ('cancelling', 'Cancelling…'), ('done', 'Imported'), ('cancelled', 'Cancelled'), ('failed', 'Failed')], default='checking', max_length=12),
        ),
        migrations.RunPython(bound_old_error_lists, migrations.RunPython.noop),
    ]
