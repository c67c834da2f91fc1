"""Rules p.8 names the body "Комиссия по формированию квоты на привлечение иностранной рабочей
силы": Commissions still carrying the earlier generated name ("по вопросам привлечения ...") get
the name of the Rules; a name an akimat typed itself is left alone."""
from django.db import migrations

OLD_RU = "Комиссия по вопросам привлечения иностранной рабочей силы"
OLD_KK = "шетелдік жұмыс күшін тарту мәселелері жөніндегі комиссия"
OLD_EN = "Commission on attracting foreign labour"


def rename(apps, schema_editor):
    from commissions.names import COMMISSION_NAME_EN, COMMISSION_NAME_KK, COMMISSION_NAME_RU

    Commission = apps.get_model("commissions", "Commission")
    for c in Commission.objects.all():
        fields = []
        if c.name.startswith(OLD_RU):
            c.name = COMMISSION_NAME_RU + c.name[len(OLD_RU):]
            fields.append("name")
        if OLD_KK in c.name_kk:
            c.name_kk = c.name_kk.replace(OLD_KK, COMMISSION_NAME_KK)
            fields.append("name_kk")
        if c.name_en.startswith(OLD_EN):
            c.name_en = COMMISSION_NAME_EN + c.name_en[len(OLD_EN):]
            fields.append("name_en")
        if fields:
            c.save(update_fields=fields)


class Migration(migrations.Migration):

    dependencies = [
        ("commissions", "0005_commission_names_by_language"),
    ]

    operations = [
        migrations.RunPython(rename, migrations.RunPython.noop),
    ]
