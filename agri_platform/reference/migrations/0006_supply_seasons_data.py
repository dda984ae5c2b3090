"""Seed the northern supply seasons from data/supply_seasons.csv (also loaded by
`manage.py load_reference_data`; rows staff have edited are left alone)."""

from django.db import migrations


def seed(apps, schema_editor):
    from agri_platform.reference.loading import load_supply_seasons

    load_supply_seasons(apps.get_model("reference", "SupplySeason"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0005_supply_seasons")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
