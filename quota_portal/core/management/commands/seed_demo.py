"""Demo data for trying the portal: `python manage.py seed_demo` (run by `make run`).

Core's own records first, then every demo step the apps registered (quota_portal.core.registry),
in order. Idempotent: running it again changes nothing that is already there (passwords are reset
to the demo password). Refuses to run with DEBUG off, so that it never touches a production
database.
"""
import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quota_portal.core import registry
from quota_portal.core.audit import audited
from quota_portal.core.models import (
    Authority,
    Campaign,
    Country,
    Membership,
    Occupation,
    Organization,
    Region,
    Role,
    User,
)
from quota_portal.core.reference import (
    OCCUPATIONS_FILE,
    load_countries,
    load_reference,
    read_occupation_rows,
    save_occupations,
)
from quota_portal.core.scoping import system_scope
from quota_portal.core.validators import make_bin_iin

PASSWORD = "demo-pass-2026"


@functools.cache
def password_hash() -> str:
    """The demo password hashed once: the apps' demos give it to the many logins they add (one hash
    costs a fifth of a second of a core and more on a loaded machine; a shared salt is no harm here)."""
    return make_password(PASSWORD)

ASTANA, ATYRAU = "710000000", "230000000"

ORGANIZATIONS = [
    # (11 digits, name, legal address, region code)
    ("18054000321", "ТОО «Астана Құрылыс Инвест»", "г. Астана, район Есиль, пр. Мангилик Ел, 55/20", ASTANA),
    ("19114000457", "ТОО «Сарыарқа Медикал Сервис»", "г. Астана, район Алматы, ул. Тауелсиздик, 34", ASTANA),
]

# (email, full name, role, tenant: organization index or authority key, language)
USERS = [
    ("employer@demo.kz", "Айгерим Садыкова", Role.EMPLOYER_OWNER, 0, "ru"),
    ("employer2@demo.kz", "Ерлан Жумабеков", Role.EMPLOYER_OWNER, 1, "ru"),
    ("akimat.astana@demo.kz", "Динара Нурланова", Role.AKIMAT_OFFICER, ASTANA, "ru"),
    ("secretary.astana@demo.kz", "Марат Ахметов", Role.COMMISSION_SECRETARY, ASTANA, "ru"),
    ("akimat.atyrau@demo.kz", "Гульнар Утегенова", Role.AKIMAT_OFFICER, ATYRAU, "ru"),
    ("central@demo.kz", "Асхат Бекболатов", Role.CENTRAL_OFFICER, "energy", "ru"),
    ("ministry@demo.kz", "Жанар Касымова", Role.MINISTRY_ANALYST, "ministry", "ru"),
    ("approver@demo.kz", "Серик Абдрахманов", Role.MINISTRY_APPROVER, "ministry", "ru"),
]


class Command(BaseCommand):
    help = "Create the demo campaigns, organizations and logins (password demo-pass-2026). DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates known passwords and refuses to run with DEBUG off.")
        with system_scope():
            with transaction.atomic(), audited(None, "seed_demo"):
                self.seed_core()
            for step in registry.demo_steps():
                self.stdout.write(f"Demo data: {step.name}")
                step.run(stdout=self.stdout)
        self.print_logins()

    def seed_core(self) -> None:
        load_reference(Region, Authority)
        self.stdout.write(f"Regions: {Region.objects.count()}, authorities: {Authority.objects.count()}")
        self.stdout.write(f"Countries: {load_countries(Country)}")
        if OCCUPATIONS_FILE.exists():
            created, updated = save_occupations(Occupation, read_occupation_rows(OCCUPATIONS_FILE))
            self.stdout.write(f"Occupations: {Occupation.objects.count()} ({created} new)")
        else:
            self.stdout.write(self.style.WARNING(f"No {OCCUPATIONS_FILE.name}: occupations not loaded"))
        for year in (2027, 2028):
            if not Campaign.objects.filter(year=year).exists():
                Campaign.for_year(year).save()
        regions = {r.code: r for r in Region.objects.filter(code__in=[ASTANA, ATYRAU])}
        orgs = []
        for digits, name, address, region_code in ORGANIZATIONS:
            org, _ = Organization.objects.get_or_create(
                bin_iin=make_bin_iin(digits),
                defaults={"name": name, "legal_address": address, "region": regions[region_code],
                          "email": "office@"
                          + ("astana-qurylys" if digits.startswith("18") else "saryarqa-med") + ".kz",
                          "phone": "+7 7172 55 00 00"},
            )
            orgs.append(org)
        authorities = {
            ASTANA: regions[ASTANA].akimat, ATYRAU: regions[ATYRAU].akimat,
            "ministry": Authority.objects.get(kind=Authority.Kind.MINISTRY),
            "energy": Authority.objects.get(kind=Authority.Kind.CENTRAL, name_en__startswith="Ministry of Energy"),
        }
        for email, full_name, role, tenant, language in USERS:
            user = self.user(email, full_name, language)
            tenant_kw = ({"organization": orgs[tenant]} if isinstance(tenant, int)
                         else {"authority": authorities[tenant]})
            Membership.objects.get_or_create(user=user, role=role, **tenant_kw)
        admin = self.user("admin@demo.kz", "Администратор портала", "ru")
        if not admin.is_superuser:
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])

    def user(self, email: str, full_name: str, language: str) -> User:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, "language": language})
        if created or not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def print_logins(self) -> None:
        """Every demo login, read from the memberships that exist (other apps' demos add theirs)."""
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password {PASSWORD}):"))
        order = {email: i for i, (email, *_rest) in enumerate(USERS)}
        with system_scope():
            memberships = (Membership.objects.filter(user__email__endswith="@demo.kz")
                           .select_related("user", "organization", "authority"))
            by_user: dict[User, list[str]] = {}
            for m in memberships:
                if m.user.has_usable_password():
                    by_user.setdefault(m.user, []).append(f"{m.get_role_display()} · {m.tenant_name}")
        for user in sorted(by_user, key=lambda u: (order.get(u.email, len(order)), u.email)):
            self.stdout.write(f"  {user.email:<28} {'; '.join(sorted(by_user[user]))}")
        for user in User.objects.filter(is_superuser=True, email__endswith="@demo.kz").order_by("email"):
            self.stdout.write(f"  {user.email:<28} superuser (/admin/)")
