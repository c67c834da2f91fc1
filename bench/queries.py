"""Figure 6: the SQL queries of the main list pages at 1x and 10x the data. Seeds --orgs
organizations (10 lines each, sent to the Ministry) in campaign --year, counts each page's queries
with Django's test client, adds 9x more with `seed_scale --append`, and counts again. The figure is
the number of pages whose count changed (goal 0); the baseline is the number of pages.

    .venv/bin/python bench/queries.py --year 2027 [--orgs 100]

--year must be the working campaign (filing closed, the newest such): the akimat pages show it.
The public quota page reads no application: its data is a published distribution (100 cells) and
its versions, so it is counted on the published quota (bench/published.py) at its first version
and again after 9 redistributions (Rules p.21) have published versions 2-10: 10x its history.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("ALLOWED_HOSTS", "testserver")
from common import report, setup  # noqa: E402
from published import ensure_published  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--orgs", type=int, default=100)
    args = p.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from commissions.models import Session
    from quota_portal.core.models import Authority, Membership, Role, User
    from quota_portal.core.scoping import system_scope

    def seed(n: int, append: bool) -> None:
        call_command("seed_scale", organizations=n, lines=n * 10, year=args.year, stage="sent", employers=0,
                     append=append, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    def pages() -> dict[str, tuple[str, User]]:
        with system_scope():
            first_app = User.objects.get(email__startswith="bench.akimat.", email__endswith="@bench.kz",
                                         memberships__authority__region__code="100000000")
            session = Session.objects.filter(campaign__year=args.year, region__code="100000000").order_by("-pk").first()
            analyst, _ = User.objects.get_or_create(email="bench.ministry@bench.kz", defaults={"full_name": "Бенч"})
            Membership.objects.get_or_create(user=analyst, role=Role.MINISTRY_ANALYST,
                                             authority=Authority.objects.get(kind="ministry"))
            employer = employer_of_first(args.year)
            published = ensure_published()
        return {
            "employer dashboard": ("/dashboard/", employer),
            "employer applications": ("/applications/", employer),
            "akimat inbox": ("/commissions/", first_app),
            "akimat dashboard": ("/dashboard/", first_app),
            "Commission agenda (newest session)": (f"/commissions/sessions/{session.pk}/", first_app),
            "Ministry national view": (f"/ministry/national/{args.year}/", analyst),
            "Ministry employers": (f"/ministry/national/{args.year}/employers/", analyst),
            f"public quota page ({published})": (f"/public/quota/{published}/", None),
        }

    def count() -> dict[str, int | str]:
        from django.core.cache import cache

        out = {}
        for name, (url, user) in pages().items():
            client = Client()
            if user is not None:
                client.force_login(user)
            client.get(url)  # the first request fills per-process caches (translations, templates)
            cache.clear()  # counted as the first reader of the page would be (the public page is cached)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            out[name] = len(ctx.captured_queries) if response.status_code == 200 else f"HTTP {response.status_code}"
        return out

    seed(args.orgs, append=False)
    small = count()
    seed(args.orgs * 9, append=True)
    redistribute(9)
    large = count()
    measured = [k for k in small if isinstance(small[k], int) and isinstance(large[k], int)]
    grew = [k for k in measured if small[k] != large[k]]
    detail = {k: f"{small[k]} -> {large[k]}" for k in small}
    detail["data"] = (f"{args.orgs} -> {args.orgs * 10} organizations, 10 lines each, campaign {args.year}; the "
                      f"public page's quota: version 1 -> 10 (9 redistributions)")
    report("6_query_counts", title="Query counts of the main list pages, 1x vs 10x", value=len(grew), unit="pages",
           baseline=len(measured), goal="0 pages whose count grows", met=not grew, detail=detail)


def redistribute(times: int) -> None:
    """`times` redistributions of one permit each on the published quota, asked by the receiving
    akimat, endorsed by the analyst, approved by the approver: each publishes the next version."""
    from allocation import publication_demo
    from allocation import redistribution_services as services
    from allocation.quota_models import Distribution, DistributionStatus
    from quota_portal.core.models import Membership, Region, Role, User
    from quota_portal.core.scoping import system_scope

    with system_scope():
        year = ensure_published()
        distribution = Distribution.objects.filter(campaign__year=year, status=DistributionStatus.PUBLISHED).latest(
            "number")
        campaign = distribution.campaign
        cells = services.permits_cells(distribution)
        (source_id, category), _n = max(cells.items(), key=lambda kv: kv[1])
        source = Region.objects.get(pk=source_id)
        target = Region.objects.exclude(pk=source_id).select_related("akimat").order_by("code").first()
        asker, _ = User.objects.get_or_create(email=f"bench.akimat.{target.code}@bench.kz",
                                              defaults={"full_name": f"Бенч {target.code}"})
        Membership.objects.get_or_create(user=asker, role=Role.AKIMAT_OFFICER, authority=target.akimat)
        analyst = User.objects.get(email=publication_demo.ANALYST_EMAILS[0])
        approver = User.objects.get(email=publication_demo.APPROVER_EMAIL)
        for i in range(times):
            asked = services.redistribution_request(actor=asker, authority=target.akimat, campaign=campaign,
                                                    from_region=source, to_region=target, category=category, count=1,
                                                    reason=f"bench/queries.py: the page's history, step {i + 1}")
            asked = services.redistribution_endorse(actor=analyst, redistribution=asked)
            services.redistribution_approve(actor=approver, redistribution=asked)


def employer_of_first(year: int):
    """An employer login owning the campaign's first seeded organization (made once)."""
    from applications.models import Application
    from quota_portal.core.models import Membership, Role, User

    app = Application.objects.filter(campaign__year=year, registration_number__contains="-S").order_by("pk").first()
    user, _ = User.objects.get_or_create(email=f"bench.owner.{year}@bench.kz", defaults={"full_name": "Бенч"})
    Membership.objects.get_or_create(user=user, role=Role.EMPLOYER_OWNER, organization=app.organization)
    return user


if __name__ == "__main__":
    main()
