"""Figure 2: Annex 2 as XLSX (the Celery task's body, submission_file_write) for a region whose
sent version has 100,000 decided lines, against bare openpyxl write-only writing the same rows
and lines (already in memory) to two sheets; and the peak resident memory of the process that
writes it (a forked child, measured by the kernel: no tracemalloc slowdown).

    .venv/bin/python bench/annex2_xlsx.py --year 2031

Needs a campaign seeded with `seed_scale --regions 1 --stage sent` (make bench: 10,000
organizations x 10 lines = 100,000 lines in one region). bench/annex2.py is the older, stand-alone
version of this measurement (it seeds its own region with bulk_create).
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

from common import report, setup


def bare(rows: list[list], lines: list[list]) -> float:
    return bare_times(rows, lines)[0]


def bare_times(rows: list[list], lines: list[list]) -> tuple[float, float]:
    """Wall and CPU seconds of bare openpyxl write-only writing the rows and lines."""
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        wb = Workbook(write_only=True)
        for title, data in (("Annex 2", rows), ("Lines", lines)):
            ws = wb.create_sheet(title)
            for row in data:
                ws.append(row)
        wb.save(os.path.join(tmp, "bare.xlsx"))
        return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--year", type=int, required=True)
    args = p.parse_args()
    setup()
    from django.db.models import Count
    from django.utils import translation

    from allocation.models import Annex2Line, Annex2Row, SubmissionFile, SubmissionVersion
    from allocation.submission_writer import submission_file_write
    from quota_portal.core.scoping import system_scope

    with system_scope():
        version = (SubmissionVersion.objects.filter(campaign__year=args.year).annotate(n=Count("annex2_rows"))
                   .order_by("-n", "-number").first())
        # The same cells as the portal's two sheets, in the same columns (the legal form's: a column per
        # category, the count of a line in its own), from memory.
        rows = [[position, f"{name}\n{address}", *numbers, justification]
                for position, name, address, *numbers, justification in Annex2Row.objects.filter(version=version)
                .order_by("position").values_list("position", "organization_name", "legal_address",
                                                  "current_year_count", "cat1", "cat2", "cat3", "cat4", "seasonal",
                                                  "justification")]
        categories = ["1", "2", "3", "4", "S"]
        lines = [[position, organization, code, name, specialty,
                  *(count if c == category else None for c in categories)]
                 for position, organization, code, name, specialty, category, count in Annex2Line.objects.filter(
                     version=version).order_by("row__position", "category", "occupation_code", "pk").values_list(
                     "row__position", "row__organization_name", "occupation_code", "occupation_name_ru", "specialty",
                     "category", "count")]
        bares = [bare_times(rows, lines) for _ in range(2)]
        baseline, baseline_cpu = min(t for t, _c in bares), min(c for _t, c in bares)

        def write(language: str) -> SubmissionFile:
            # One file per version, annex, format and language: the bench's earlier one goes first.
            SubmissionFile.objects.filter(version=version, annex="2", format="xlsx", language=language).delete()
            file = SubmissionFile.objects.create(version=version, region=version.region, annex="2", format="xlsx",
                                                 language=language)
            with translation.override(language):
                return submission_file_write(file_id=file.pk)

        # The task runs in a child process (fork): its peak resident memory is the whole process's,
        # Django included, as a Celery worker would use it, without tracemalloc's slowdown.
        from django.db import connections

        connections.close_all()
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: write the file, send its time and status, leave
            os.close(reader)
            try:
                t0 = time.perf_counter()
                done = write("ru")
                message = f"{time.perf_counter() - t0} {done.status} {done.size}"
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the figure
                message = f"nan failed:{exc!r} 0"
            os.write(writer, message.encode())
            os._exit(0)
        os.close(writer)
        _pid, _status, usage = os.wait4(pid, 0)
        seconds, status, size = os.read(reader, 4096).decode().split(" ", 2)
        peak_mb = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime  # the child's own CPU: steadier than wall time on a loaded machine
    assert status == SubmissionFile.Status.DONE, status
    times = [float(seconds)]
    value = min(times)
    report("2_annex2_xlsx", title="Annex 2 XLSX", value=value, unit="s", baseline=baseline,
           goal="ratio <= 1.5 and peak <= 300 MB", met=value / baseline <= 1.5 and peak_mb <= 300,
           detail={"rows": len(rows), "lines": len(lines), "file MB": round(int(size) / 1e6, 1),
                   "peak resident memory of the writing process MB": round(peak_mb, 1),
                   "CPU s portal / bare": f"{cpu:.1f} / {baseline_cpu:.1f}",
                   "CPU ratio (steadier on a loaded machine)": round(cpu / baseline_cpu, 3),
                   "baseline": "bare openpyxl write-only, the same cells in the same columns from memory, two sheets"})


if __name__ == "__main__":
    main()
