"""Query counts of list pages, pinned in zulip's shape: the page runs exactly as many queries with
ten rows as with one (zulip `zerver/lib/test_classes.py` `assert_database_query_count`).

A ceiling at one data size (`django_assert_max_num_queries(25)` with five rows) lets an N+1 hide
under the ceiling and lets it grow with the data; comparing N=1 with N=10 exactly does neither.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

SIZES = (1, 10)


def capture(fetch: Callable[[], object]) -> tuple[object, list[str]]:
    """Run `fetch()` and return its result with the SQL of every query it ran."""
    with CaptureQueriesContext(connection) as ctx:
        result = fetch()
    return result, [q["sql"] for q in ctx.captured_queries]


def assert_same_query_count(
    add_row: Callable[[int], str], fetch: Callable[[], object], *, label: str
) -> tuple[int, int]:
    """Fill the page to one row, then to ten, and assert the page runs the same number of queries.

    `add_row(i)` makes the page's i-th row (i = 0, 1, ...) and returns a text that must then be on
    the page (a registration number, a name), so that the rows are proven to be listed and not
    filtered away. `fetch()` requests the page and returns the response. Each size is fetched once
    before it is measured, so that one-off work (a session save, a cache fill) is not counted.
    Returns (queries at N=1, queries at N=10); `-s` prints them under "query count".
    """
    counts, queries, texts = {}, {}, []
    for size in SIZES:
        while len(texts) < size:
            texts.append(add_row(len(texts)))
        fetch()
        response, queries[size] = capture(fetch)
        assert response.status_code == 200, (label, response.status_code)
        body = response.content.decode()
        missing = [t for t in texts if t not in body]
        assert not missing, f"{label}: rows not on the page at N={size}: {missing}"
        counts[size] = len(queries[size])
    small, large = SIZES
    print(f"query count {label}: N={small} -> {counts[small]}, N={large} -> {counts[large]}")  # noqa: T201 - shown with -s
    assert counts[small] == counts[large], (
        f"{label}: {counts[small]} queries with {small} row(s) but {counts[large]} with "
        f"{large}: an N+1 (select_related/prefetch_related/annotate in the selector). "
        f"Queries at N={large}:\n"
        + "\n".join(queries[large])
    )
    return counts[small], counts[large]
