"""What every bench script shares: Django set-up, the figure line it prints and the JSON it leaves
for bench/run_all.py (`make bench`), which gathers them into bench/results.json and RESULTS.md.

Every figure is a ratio to a baseline measured in the same run (the machine is shared, absolute
times are noisy): value / baseline, compared with the goal."""
from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "out"))
sys.path.insert(0, str(ROOT))


def setup(settings_module: str = "quota_portal.settings.local") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # WeasyPrint logs every page at INFO
    import django

    django.setup()


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] if ordered else float("nan")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(figure: str, *, value, unit: str, baseline, goal: str, met: bool | None, detail: dict | None = None,
           title: str = "") -> dict:
    """Print the figure's line and leave bench/out/<figure>.json. `goal` says it in words (e.g.
    "ratio <= 1.5 and <= 300 MB"); `met` None means not measured (e.g. the page does not exist)."""
    ratio = (value / baseline) if isinstance(value, int | float) and isinstance(baseline, int | float) and baseline \
        else None
    result = {"title": title, "value": value, "unit": unit, "baseline": baseline,
              "ratio": round(ratio, 3) if ratio is not None else None, "goal": goal, "met": met,
              "detail": detail or {}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{figure}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    base = f"{baseline:.3f}" if isinstance(baseline, float) else str(baseline)
    print(f"[{figure}] value {shown} {unit} | baseline {base} {unit} | ratio "
          f"{'-' if ratio is None else f'{ratio:.2f}'} | goal {goal} | met {met}")
    for key, val in (detail or {}).items():
        print(f"    {key}: {val}")
    return result
