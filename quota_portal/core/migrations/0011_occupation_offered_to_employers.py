from django.db import migrations, models

# A copy of reference.NOT_OFFERED_TO_EMPLOYERS as it was when this migration was written.
NOT_OFFERED = ["0110", "0210", "0310", "1111", "1112", "1113", "3351", "3352", "3353", "3354", "3355", "3359",
               "5412", "5413"]


def not_offered(apps, schema_editor):
    """ISCO major group 0 (armed forces) and posts only citizens hold are no longer offered to employers;
    lines already filed keep their occupation."""
    Occupation = apps.get_model("core", "Occupation")
    Occupation.objects.filter(models.Q(code__startswith="0") | models.Q(code__in=NOT_OFFERED)).update(
        offered_to_employers=False)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_campaign_p15_distributed_on_country_treaty"),
    ]

    operations = [
        migrations.AddField(
            model_name="occupation",
            name="offered_to_employers",
            field=models.BooleanField(default=True, verbose_name="offered to employers"),
        ),
        migrations.RunPython(not_offered, migrations.RunPython.noop),
    ]
