from django.db import migrations


def forwards(apps, schema_editor):
    from quota_portal.core.reference import OCCUPATIONS_FILE, load_countries, read_occupation_rows, save_occupations

    load_countries(apps.get_model("core", "Country"))
    if OCCUPATIONS_FILE.exists():  # the shipped classifier; `manage.py import_occupations` reloads it
        save_occupations(apps.get_model("core", "Occupation"), read_occupation_rows(OCCUPATIONS_FILE))


class Migration(migrations.Migration):
    dependencies = [("core", "0004_country_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
