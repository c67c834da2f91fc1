"""The published quotas of 2020-2026 (allocation/fixtures/quotas_history.json, from
../shared/data/quotas_history.csv with its sources): reference data every database needs, so it is
loaded by a migration rather than by hand."""
import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "quotas_history.json"


def load(apps, schema_editor):
    QuotaHistory = apps.get_model("allocation", "QuotaHistory")
    for item in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = dict(item["fields"])
        QuotaHistory.objects.update_or_create(period=fields.pop("period"), defaults=fields)


def unload(apps, schema_editor):
    apps.get_model("allocation", "QuotaHistory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("allocation", "0003_ministry_quota")]
    operations = [migrations.RunPython(load, unload)]
