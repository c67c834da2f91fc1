import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from quota_portal.core.models import Campaign, Membership, Occupation, Organization, Role, User
from quota_portal.core.reference import OCCUPATIONS_FILE

ROOT = Path(__file__).resolve().parent.parent.parent
DEMO_LOGINS = ["employer@demo.kz", "employer2@demo.kz", "akimat.astana@demo.kz", "secretary.astana@demo.kz",
               "akimat.atyrau@demo.kz", "central@demo.kz", "ministry@demo.kz", "approver@demo.kz"]


def test_seed_demo_refuses_to_run_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email__endswith="@demo.kz").exists()


def test_seed_demo_creates_the_demo_and_is_idempotent(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = [User.objects.count(), Membership.objects.count(), Organization.objects.count(), Campaign.objects.count()]
    call_command("seed_demo", stdout=StringIO())
    assert [User.objects.count(), Membership.objects.count(), Organization.objects.count(),
            Campaign.objects.count()] == counts
    for email in DEMO_LOGINS + ["admin@demo.kz"]:
        assert User.objects.get(email=email).check_password("demo-pass-2026"), email
        assert email in out.getvalue()
    assert User.objects.get(email="admin@demo.kz").is_superuser
    assert set(Campaign.objects.values_list("year", flat=True)) >= {2027, 2028}
    owner = Membership.objects.get(user__email="employer@demo.kz", role=Role.EMPLOYER_OWNER)
    assert owner.organization.region.name_en == "Astana"
    assert Membership.objects.get(user__email="secretary.astana@demo.kz").role == Role.COMMISSION_SECRETARY
    assert Membership.objects.get(user__email="central@demo.kz").authority.name_en.startswith("Ministry of Energy")
    assert {m.role for m in Membership.objects.filter(user__email__in=["ministry@demo.kz", "approver@demo.kz"])} == {
        Role.MINISTRY_ANALYST, Role.MINISTRY_APPROVER}
    if OCCUPATIONS_FILE.exists():
        assert Occupation.objects.count() > 400
    # The printed list is read from the memberships: every demo login with a password is in it,
    # including those other apps' demos add (the Commission chairs and the Atyrau secretary).
    logins = {u.email for u in User.objects.filter(email__endswith="@demo.kz", memberships__isnull=False)
              if u.has_usable_password()}
    assert {"chair.astana@demo.kz", "secretary.atyrau@demo.kz", "chair.atyrau@demo.kz"} <= logins
    printed = out.getvalue()[out.getvalue().index("Demo logins"):]
    for email in logins:
        assert email in printed, email
    assert "@employers.demo.kz" not in printed  # their owners have no password


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["code,name_en,name_ru,name_kk", *rows]) + "\n", encoding="utf-8")
    return path


def test_import_occupations_loads_a_csv_and_updates_on_a_second_run(db, tmp_path):
    path = write_csv(tmp_path / "isco.csv", ["2142,Civil engineers,Инженеры-строители,Құрылыс инженерлері",
                                             "7212,Welders,Сварщики,Дәнекерлеушілер"])
    Occupation.objects.filter(code__in=["2142", "7212"]).delete()
    out = StringIO()
    call_command("import_occupations", str(path), stdout=out)
    assert "2 occupations (2 new, 0 updated)" in out.getvalue()
    write_csv(path, ["2142,Civil engineers,Инженеры по гражданскому строительству,Құрылыс инженерлері"])
    call_command("import_occupations", str(path), stdout=StringIO())
    assert Occupation.objects.get(code="2142").name_ru == "Инженеры по гражданскому строительству"
    assert Occupation.objects.get(code="7212").name_kk == "Дәнекерлеушілер"


def test_import_occupations_reads_xlsx(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "name_en", "name_ru", "name_kk"])
    ws.append([110, "Officers", "Офицеры", "Офицерлер"])
    ws.append([9211, "Crop farm labourers", "Подсобные рабочие в растениеводстве", "Көмекші жұмысшылар"])
    wb.save(tmp_path / "isco.xlsx")
    call_command("import_occupations", str(tmp_path / "isco.xlsx"), stdout=StringIO())
    assert Occupation.objects.get(code="9211").name_en == "Crop farm labourers"
    assert Occupation.objects.get(code="0110").name_kk == "Офицерлер"


def test_a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row(db, tmp_path):
    Occupation.objects.filter(code__in=["2142", "3112"]).delete()
    path = write_csv(tmp_path / "bad.csv", ["2142,Civil engineers,Инженеры,Инженерлер",
                                            "72A2,Welders,Сварщики,",
                                            "2142,Dup,Дубль,",
                                            "3112,Technicians,,"])
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("import_occupations", str(path), stdout=StringIO())
    message = str(info.value)
    assert "Row 3" in message and "Row 4" in message and "Row 5" in message and "Row 2" not in message
    assert not Occupation.objects.filter(code__in=["2142", "3112"]).exists()


def test_a_file_with_wrong_columns_is_refused(db, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("code,title\n2142,Engineers\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="name_ru"):
        call_command("import_occupations", str(path), stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("import_occupations", str(tmp_path / "missing.csv"), stdout=StringIO())


def _manage(env: dict, *args) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixtures in this same process.
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    base = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("QP_SIGNING")}
    # Production requires the PDF signing key (qp.E001): the test settings' one.
    signing = {"QP_SIGNING_KEY": django_settings.QP_SIGNING_KEY,
               "QP_SIGNING_CERT": django_settings.QP_SIGNING_CERT,
               "QP_SIGNING_CA_CERTS": ",".join(django_settings.QP_SIGNING_CA_CERTS)}
    full = {**base, "DJANGO_SETTINGS_MODULE": "quota_portal.settings.production",
            "REDIS_URL": "redis://127.0.0.1:6379/0", **signing, **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={k: v for k, v in full.items() if v is not None})


def test_production_settings_refuse_to_start_without_secret_key_or_allowed_hosts():
    missing_key = _manage({"ALLOWED_HOSTS": "quota.example.kz"}, "check")
    assert missing_key.returncode != 0 and "SECRET_KEY must be set" in missing_key.stderr
    missing_hosts = _manage({"SECRET_KEY": secrets.token_urlsafe(60)}, "check")
    assert missing_hosts.returncode != 0 and "ALLOWED_HOSTS must be set" in missing_hosts.stderr
    weak = _manage({"SECRET_KEY": "short", "ALLOWED_HOSTS": "quota.example.kz"}, "check")
    assert weak.returncode != 0 and "50" in weak.stderr


def test_production_settings_refuse_to_start_without_redis_url():
    no_redis = _manage({"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz",
                        "REDIS_URL": None}, "check")
    assert no_redis.returncode != 0 and "REDIS_URL must be set" in no_redis.stderr


def test_production_caches_in_redis_and_marks_cookies_secure():
    env = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz",
           "REDIS_URL": "redis://cache.internal:6380/2"}
    code = ("from django.conf import settings as s; c = s.CACHES['default']; "
            "print(c['BACKEND'], c['LOCATION'], s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "redis://cache.internal:6380/2",
                                     "True", "True"], result.stderr


def test_a_database_password_with_url_special_characters_is_taken_as_is():
    env = {"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz",
           "DATABASE_URL": "postgres://quota@db:5432/quota_portal", "DATABASE_PASSWORD": "p@ss:w/rd?#%"}
    code = "from django.conf import settings as s; d = s.DATABASES['default']; print(d['USER'], d['PASSWORD'])"
    result = _manage(env, "shell", "-v", "0", "-c", code)
    assert result.stdout.split() == ["quota", "p@ss:w/rd?#%"], result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _manage({"SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "quota.example.kz"},
                     "check", "--deploy")
    assert result.returncode == 0, result.stderr
    # axes.W006 (a lock without the IP) is silenced on purpose: see AXES_LOCKOUT_PARAMETERS.
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


def test_every_model_change_has_its_migration(db):
    """A field, option or constraint changed without its migration would reach production as a
    database that does not match the code: makemigrations must find nothing to write."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        raise AssertionError(f"models changed without a migration:\n{out.getvalue()}") from missing
