from django.db import migrations


def forwards(apps, schema_editor):
    # Russian akimat names read "Акимат Атырауской области" (a letterhead), not "Акимат: Атырауская область".
    from quota_portal.core.reference import load_reference

    load_reference(apps.get_model("core", "Region"), apps.get_model("core", "Authority"))


class Migration(migrations.Migration):
    dependencies = [("core", "0007_deadline_kind_labels")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
