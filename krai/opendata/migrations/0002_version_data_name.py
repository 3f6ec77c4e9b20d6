"""Each version keeps its name in the Russian layout, unique within its dataset (two versions published the
same day used to share ``data-YYYYMMDD-structure-YYYYMMDD``); existing versions are named in order."""

from django.db import migrations, models


def version_data_name(created, structure_created, taken) -> str:
    """A copy of ``krai.opendata.models.version_data_name`` as it was when this migration was written."""
    from django.utils import timezone

    local = timezone.localtime(created)
    structure = f"structure-{structure_created:%Y%m%d}"
    for name in (f"data-{local:%Y%m%d}-{structure}", f"data-{local:%Y%m%dT%H%M}-{structure}"):
        if name not in taken:
            return name
    n = 2
    while f"data-{local:%Y%m%dT%H%M}-{n}-{structure}" in taken:
        n += 1
    return f"data-{local:%Y%m%dT%H%M}-{n}-{structure}"


def name_versions(apps, schema_editor):
    DatasetVersion = apps.get_model("opendata", "DatasetVersion")
    taken: dict[int, set[str]] = {}
    for version in DatasetVersion.objects.order_by("dataset_id", "number").iterator():
        names = taken.setdefault(version.dataset_id, set())
        version.data_name = version_data_name(version.created, version.structure_created, names)
        names.add(version.data_name)
        version.save(update_fields=["data_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="datasetversion",
            name="data_name",
            field=models.CharField(default="", help_text="data-YYYYMMDD-structure-YYYYMMDD; unique within the dataset",
                                   max_length=80, verbose_name="name in the Russian layout"),
            preserve_default=False,
        ),
        migrations.RunPython(name_versions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="datasetversion",
            constraint=models.UniqueConstraint(fields=("dataset", "data_name"), name="opendata_version_data_name_unique"),
        ),
    ]
