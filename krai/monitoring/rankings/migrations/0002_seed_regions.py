"""The 89 federal subjects with their official codes; re-running adds only what is missing."""

from django.db import migrations

from krai.monitoring.rankings.regions import REGIONS  # a fixed list: the subjects change by federal law only


def seed(apps, schema_editor) -> None:
    region = apps.get_model("rankings", "RussianRegion")
    have = set(region.objects.values_list("code", flat=True))
    region.objects.bulk_create([region(code=code, name=name, name_en=name_en)
                                for code, name, name_en, _short in REGIONS if code not in have])


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
