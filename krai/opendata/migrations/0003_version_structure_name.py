"""Each version keeps the name of its structure in the Russian layout: two structures adopted the same day
used to share ``structure-YYYYMMDD``; the later one now carries the time (``structure-YYYYMMDDTHHMM``)."""

from django.db import migrations, models


def name_structures(apps, schema_editor):
    from django.utils import timezone

    DatasetVersion = apps.get_model("opendata", "DatasetVersion")
    previous, taken = None, set()
    for version in DatasetVersion.objects.order_by("dataset_id", "number").iterator():
        if previous is not None and previous.dataset_id != version.dataset_id:
            previous, taken = None, set()
        if (previous is not None and previous.structure == version.structure
                and previous.structure_created == version.structure_created):
            name = previous.structure_name
        else:
            name = f"structure-{version.structure_created:%Y%m%d}"
            if name in taken:
                stamp = f"structure-{timezone.localtime(version.created):%Y%m%dT%H%M}"
                name, n = stamp, 2
                while name in taken:
                    name, n = f"{stamp}-{n}", n + 1
            taken.add(name)
        version.structure_name = name
        head, sep, _old = version.data_name.rpartition("-structure-")
        version.data_name = f"{head}-{name}" if sep else version.data_name
        version.save(update_fields=["structure_name", "data_name"])
        previous = version


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0002_version_data_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="datasetversion",
            name="structure_name",
            field=models.CharField(default="", help_text="structure-YYYYMMDD; versions that share a structure share it",
                                   max_length=40, verbose_name="structure name in the Russian layout"),
            preserve_default=False,
        ),
        migrations.RunPython(name_structures, migrations.RunPython.noop),
    ]
