"""
Where each page's time goes: the same pages and people as bench/pages.py, requested in this
process (no gunicorn), each ten times, with the time of every SQL statement taken at the
database cursor. Prints, per page, the median request, how much of it is SQL and how much is
Python (view and template), the number of queries, and the slowest statement.

    make bench-breakdown                 # BENCH_CLIENTS=100000 by default
    make bench-breakdown BENCH_CLIENTS=1000000

It uses the scale database bench/pages.py builds (it builds it first if missing).
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import pages  # sets the environment before Django starts

RUNS = 10


class Timer:
    """A cursor wrapper that times each statement."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - started, sql))


def measure(page, browser) -> dict:
    from django.db import connection

    runs = []
    for run in range(RUNS + 2):
        timer = Timer()
        path = page["path"].format(period=page["choices"][run % len(page["choices"])])
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = browser.get(path)
            total = time.perf_counter() - started
        assert response.status_code == 200, (page["page"], response.status_code)
        if run >= 2:  # the first two settle caches and connections
            runs.append((total, timer.statements))
    total, statements = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    sql = sum(seconds for seconds, _sql in statements)
    slowest = max(statements, default=(0, ""))
    return {"total": total, "sql": sql, "queries": len(statements),
            "slowest": slowest[0], "slowest_sql": " ".join(slowest[1].split())[:160],
            "spread": statistics.pstdev(run[0] for run in runs)}


def profile(page, browser, top=30) -> None:
    """cProfile of one request of the page: the functions that take its time."""
    import cProfile
    import pstats

    path = page["path"].format(period=page["choices"][0])
    browser.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    browser.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(r"/work/main/(?!\.venv)", top)  # the project's own functions
    stats.sort_stats("tottime").print_stats(15)


def main():
    pages.ensure_database()
    measured = pages.sessions_and_pages()
    from django.test import Client as Browser

    print(f"\n{pages.CLIENTS:,} clients: median of {RUNS} requests in one process\n")
    print("| page | total ms | SQL ms | queries | Python ms | slowest statement ms |")
    print("|---|---:|---:|---:|---:|---:|")
    slowest = []
    chosen = [argument.split("=", 1)[1] for argument in sys.argv if argument.startswith(
        "--profile=")]
    for page in measured:
        browser = Browser()
        browser.cookies["sessionid"] = page["cookie"].split("=", 1)[1]
        if chosen:
            if page["page"] in chosen:
                profile(page, browser)
            continue
        row = measure(page, browser)
        print(f"| {page['page']} | {row['total'] * 1000:.0f} | {row['sql'] * 1000:.0f} | "
              f"{row['queries']} | {(row['total'] - row['sql']) * 1000:.0f} | "
              f"{row['slowest'] * 1000:.0f} |", flush=True)
        slowest.append((page["page"], row["slowest"], row["slowest_sql"]))
    if chosen:
        return
    print("\nThe slowest statement of each page:")
    for name, seconds, sql in slowest:
        print(f"  {name} ({seconds * 1000:.0f} ms): {sql}")


if __name__ == "__main__":
    main()
