"""Figure 4: the Commission protocol PDF of a signed session with --decisions decisions
(commissions.pdf.protocol_pdf: data gathering, template, WeasyPrint) against bare WeasyPrint
rendering the same HTML, already rendered. The public decision PDF is measured the same way once
it exists (allocation's publishing, another issue): reported as not available until then.

    .venv/bin/python bench/pdfs.py --year 2034   (a campaign seeded with --organizations 50 --regions 1)
"""
from __future__ import annotations

import argparse
import time

from common import report, setup


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args()
    setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation
    from weasyprint import HTML

    from commissions import pdf
    from commissions.models import Session
    from quota_portal.core.scoping import system_scope

    with system_scope(), translation.override("ru"):
        session = (Session.objects.filter(campaign__year=args.year, chair_signed_at__isnull=False)
                   .annotate(n=Count("items")).order_by("-n").first())
        with CaptureQueriesContext(connection) as ctx:
            html = render_to_string("commissions/pdf/protocol.html", pdf.protocol_context(session))
        baseline = best(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(), args.repeat)
        value = best(lambda: pdf.protocol_pdf(session), args.repeat)
        gather = best(lambda: pdf.protocol_context(session), args.repeat)
    report("4_protocol_pdf", title="Commission protocol PDF", value=value, unit="s", baseline=baseline,
           goal="ratio <= 1.5", met=value / baseline <= 1.5,
           detail={"decisions": session.n, "queries": len(ctx.captured_queries), "data gathering s": round(gather, 3),
                   "baseline": "bare WeasyPrint HTML(string=the same html).write_pdf()"})
    report("4b_public_decision_pdf", title="Public decision PDF", value="not available", unit="s",
           baseline=None, goal="ratio <= 1.5", met=None,
           detail={"why": "the public decision PDF is being written in another branch (publishing)"})


if __name__ == "__main__":
    main()
