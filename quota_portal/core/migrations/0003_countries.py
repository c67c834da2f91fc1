from django.db import migrations


class Migration(migrations.Migration):
    # Countries and occupations are loaded by 0005, after their history triggers exist (0004),
    # so that their first rows are recorded too.
    dependencies = [("core", "0002_reference_data")]
    operations = []
