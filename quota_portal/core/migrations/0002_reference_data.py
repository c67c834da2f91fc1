from django.db import migrations


def forwards(apps, schema_editor):
    from quota_portal.core.reference import load_reference

    load_reference(apps.get_model("core", "Region"), apps.get_model("core", "Authority"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
