"""Figure 4: the Commission protocol PDF of a signed session with --decisions decisions
(commissions.pdf.protocol_pdf: data gathering, template, WeasyPrint) against bare WeasyPrint
rendering the same HTML, already rendered; and figure 4b, the public decision PDF of a published
quota (bench/published.py publishes the demo's 2026 quota when none is), measured the same way,
its signature timed separately.

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
    p.add_argument("--only", choices=["4", "4b"])
    args = p.parse_args()
    setup()
    if args.only == "4b":
        decision_pdf(args.repeat)
        return
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
    decision_pdf(args.repeat)


def decision_pdf(repeat: int) -> None:
    """Figure 4b: the public decision PDF of a published distribution (decision_pdf_bytes without
    its signature: data, template, WeasyPrint) against bare WeasyPrint on the same HTML; the
    signature (a PAdES signature over the finished PDF) is timed on its own."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation
    from published import ensure_published
    from weasyprint import HTML

    from allocation.publication_content import published_content
    from allocation.publication_selectors import decision_context
    from allocation.quota_models import Distribution, DistributionStatus
    from quota_portal.core.pdf import render_pdf
    from quota_portal.core.scoping import system_scope
    from quota_portal.core.signing import sign_pdf

    template = "allocation/publication/decision_pdf.html"
    with system_scope(), translation.override("ru"):
        year = ensure_published()
        distribution = Distribution.objects.filter(campaign__year=year, status=DistributionStatus.PUBLISHED).latest(
            "number")

        def unsigned() -> bytes:
            return render_pdf(template, decision_context(distribution, published_content(distribution)))

        html = render_to_string(template, decision_context(distribution, published_content(distribution)))
        baseline = best(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(), repeat)
        value = best(unsigned, repeat)
        pdf = unsigned()
        signing = best(lambda: sign_pdf(pdf, reason="bench"), repeat)
    report("4b_public_decision_pdf", title="Public decision PDF", value=value, unit="s", baseline=baseline,
           goal="ratio <= 1.5", met=value / baseline <= 1.5,
           detail={"year": year, "version": distribution.number, "pages KB": round(len(pdf) / 1024),
                   "signing s (separately, not in the ratio)": round(signing, 3),
                   "baseline": "bare WeasyPrint HTML(string=the same html).write_pdf()"})


if __name__ == "__main__":
    main()
