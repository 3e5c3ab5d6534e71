"""Worker memory across many tasks: a real Redis, a real Celery worker, the demo models.

    python -m benchmarks.worker_memory [--articles 500] [--json PATH]

Queues N small distinct articles (N translation tasks per language, plus publishing) and reads
the resident memory (RSS) of the worker's pool process after the first tasks and after the last.
A leak per task would show as growth proportional to N.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().split(") ")[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from syndicate import config, lifecycle
    from syndicate.model import Article, JobState, Kind, Paragraph
    from syndicate.stack import start_redis, stop
    from syndicate.store import Store
    from syndicate.translation import demo, packages
    from workers.dispatch import Dispatcher

    data = Path(tempfile.mkdtemp(prefix="syn-mem-", dir="/tmp"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["SYNDICATE_DATA_DIR"] = str(data)
    settings = config.load(env)
    for lang in settings.targets:
        packages.install_file(demo.build_package(lang, data / "build"), settings.packages_dir)
    redis = start_redis(settings)
    log = open(data / "worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "worker", "--loglevel", "WARNING"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    store = Store(settings.database_url)
    dispatcher = Dispatcher(settings)

    def published() -> int:
        return len(store.jobs.in_state([JobState.PUBLISHED]))

    def submit(first: int, count: int) -> None:
        for i in range(first, first + count):
            article = Article(
                f"Harbour report number {i}",
                datetime(2020, 1, 1, tzinfo=UTC) + timedelta(hours=i),
                (
                    Paragraph(Kind.LEAD, f"The harbour council met for the {i}th time on Monday."),
                    Paragraph(Kind.PARAGRAPH, f"Officials said {i * 7} ships used the port this month."),
                ),
            )
            sub = lifecycle.submit(store, article, settings.languages, None)
            dispatcher.send_submitted([(sub.article_id, sub.revision)])

    def wait_for(count: int) -> float:
        start = time.monotonic()
        want = count * len(settings.languages)
        while published() < want:
            if worker.poll() is not None:
                raise SystemExit(f"worker died: see {data / 'worker.log'}")
            time.sleep(0.5)
        return time.monotonic() - start

    try:
        warm = min(20, args.articles)
        submit(0, warm)
        wait_for(warm)
        pool = children(worker.pid)
        before = {pid: rss_kib(pid) for pid in pool}
        main_before = rss_kib(worker.pid)
        # Submit the rest in steps, reading RSS after each: growth that levels off is caches
        # warming up; growth in proportion to the tasks would be a leak.
        steps, done, seconds = [], warm, 0.0
        while done < args.articles:
            step = min(100, args.articles - done)
            submit(done, step)
            done += step
            seconds += wait_for(done)
            steps.append((done, sum(rss_kib(pid) for pid in children(worker.pid))))
            print(f"after {done:5d} articles: pool RSS {steps[-1][1] / 1024:.1f} MiB", flush=True)
        after = {pid: rss_kib(pid) for pid in children(worker.pid)}
        main_after = rss_kib(worker.pid)
    finally:
        worker.terminate()
        worker.wait(60)
        stop(redis)
        store.close()

    same = sorted(set(before) & set(after))
    figures = {
        "articles": args.articles,
        "tasks": args.articles * len(settings.targets),
        "seconds": round(seconds, 1),
        "pool_rss_kib_before": [before[p] for p in same],
        "pool_rss_kib_after": [after[p] for p in same],
        "main_rss_kib_before": main_before,
        "main_rss_kib_after": main_after,
        "pool_processes_replaced": sorted(set(after) - set(before)),
        "pool_rss_kib_by_articles": steps,
    }
    for pid in same:
        growth = after[pid] - before[pid]
        print(
            f"pool process {pid}: {before[pid] / 1024:.1f} MiB after {warm} articles, "
            f"{after[pid] / 1024:.1f} MiB after {args.articles} ({growth / 1024:+.1f} MiB)"
        )
    print(f"worker main process: {main_before / 1024:.1f} -> {main_after / 1024:.1f} MiB")
    print(f"{figures['tasks']} translation tasks in {seconds:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()
