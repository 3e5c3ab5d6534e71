"""Publishing cost as the store grows, and conditional-GET throughput of the feed servers.

    python -m benchmarks.feeds [--sizes 10,1000,10000] [--seconds 5] [--json PATH]

1. With 10, 1,000 and 10,000 stored (and published) articles, the time to publish one new
   article into its three languages' feeds (render + atomic writes, best of 3).
2. `syndicate serve` and nginx (deploy/nginx.conf, as in compose.yaml) serving the same files on
   127.0.0.1: requests/s of conditional GETs answered 304, measured with wrk.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syndicate import config, lifecycle
from syndicate.model import Article, Kind, Paragraph, Provenance, Translation
from syndicate.store import JobKey, Store

LANGS = ("en", "ru", "ja")


def article(i: int) -> Article:
    return Article(
        f"Harbour report number {i}",
        datetime(2015, 1, 1, tzinfo=UTC) + timedelta(hours=i),
        (
            Paragraph(
                Kind.LEAD, f"The harbour council met for the {i}th time on Monday to discuss the ferry."
            ),
            Paragraph(Kind.HEADING, "What happens next"),
            Paragraph(Kind.PARAGRAPH, f"Officials said {i * 7} ships used the port this month, a record."),
        ),
    )


def translation(lang: str, i: int) -> Translation:
    word = {"ru": "Отчёт", "ja": "報告"}[lang]
    paragraphs = (
        Paragraph(Kind.LEAD, f"{word} {i}: " + ("текст " if lang == "ru" else "本文") * 12),
        Paragraph(Kind.HEADING, word),
        Paragraph(Kind.PARAGRAPH, f"{i * 7} " + ("судов " if lang == "ru" else "隻") * 10),
    )
    return Translation(lang, f"{word} {i}", paragraphs, Provenance("benchmark", "1"))


def add(store: Store, settings, i: int) -> None:
    """Store an article and its translations through the job lifecycle, as a worker does."""
    sub = lifecycle.submit(store, article(i), settings.languages, None)
    for lang in settings.targets:
        key = JobKey(sub.article_id, 1, lang)
        assert lifecycle.claim(store, store.jobs.get(key), "benchmark")
        lifecycle.finish(store, key, translation(lang, i), [], "benchmark")


def publish_all(store: Store, settings) -> None:
    from feeds.publish import publish_language

    for lang in LANGS:
        result = publish_language(store, settings, lang)
        lifecycle.mark_published(store, lang, result.article_ids)


def publish_cost(size: int, work: Path, feed_size: int) -> float:
    data = work / f"store-{size}-{feed_size}"
    settings = config.load({"SYNDICATE_DATA_DIR": str(data), "SYNDICATE_FEED_SIZE": str(feed_size)})
    store = Store(settings.database_url)
    for i in range(size):
        add(store, settings, i)
    publish_all(store, settings)  # the existing archive, written once
    times = []
    for extra in range(3):
        add(store, settings, size + extra)
        start = time.perf_counter()
        publish_all(store, settings)
        times.append(time.perf_counter() - start)
    store.close()
    return min(times)


def wrk(url: str, etag: str, seconds: int) -> float:
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", "32", "-d", f"{seconds}s", "-H", f"If-None-Match: {etag}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    codes = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if codes:
        raise RuntimeError(f"{url}: {codes.group(1)} error responses")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def serve_throughput(public: Path, seconds: int, work: Path) -> dict:
    from benchmarks.nginx import nginx_binary, start_nginx
    from syndicate.stack import stop, wait_for_port
    from tests.integration.conftest import free_port

    if not shutil.which("wrk") or nginx_binary() is None:
        return {"skipped": "needs wrk and nginx (Debian packages)"}
    ours, theirs = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "serve", "--port", str(ours)],
        env={"SYNDICATE_DATA_DIR": str(public.parent), "PATH": "/usr/bin:/bin"},
        stderr=subprocess.DEVNULL,
    )
    nginx = start_nginx(public, theirs, work / "nginx")
    try:
        wait_for_port("127.0.0.1", ours, proc=server)
        wait_for_port("127.0.0.1", theirs, proc=nginx)
        results = {}
        for name, port in (("syndicate_serve", ours), ("nginx", theirs)):
            url = f"http://127.0.0.1:{port}/feeds/en/atom.xml"
            with urllib.request.urlopen(url) as response:
                etag = response.headers["ETag"]
            results[name] = wrk(url, etag, seconds)
        results["ratio"] = results["syndicate_serve"] / results["nginx"]
        return results
    finally:
        stop(server, grace=5)
        stop(nginx, grace=5)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,1000,10000")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--feed-sizes",
        default="50,10",
        help="entries per main feed: the default 50, and 10 so that every store size publishes "
        "a feed of the same length and only the history differs",
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="syn-feeds-", dir="/tmp"))
    figures: dict = {"publish_seconds": {}, "publish_ratio_largest_over_smallest": {}}
    sizes = [int(s) for s in args.sizes.split(",")]
    feed_sizes = [int(s) for s in args.feed_sizes.split(",")]
    for feed_size in feed_sizes:
        times = figures["publish_seconds"][f"feed_size_{feed_size}"] = {}
        for size in sizes:
            seconds = publish_cost(size, work, feed_size)
            times[size] = round(seconds, 4)
            print(
                f"feed size {feed_size:>3}: publish one new article into 3 languages, {size:>6} stored: "
                f"{seconds * 1000:6.1f} ms",
                flush=True,
            )
        ratio = times[sizes[-1]] / times[sizes[0]]
        figures["publish_ratio_largest_over_smallest"][f"feed_size_{feed_size}"] = round(ratio, 3)
        print(f"  {sizes[-1]} / {sizes[0]}: {ratio:.2f}x")
    serving = serve_throughput(work / f"store-{sizes[-1]}-{feed_sizes[0]}" / "public", args.seconds, work)
    figures["conditional_get_requests_per_s"] = serving
    if "ratio" in serving:
        print(
            f"conditional GET (304) req/s: syndicate serve {serving['syndicate_serve']:.0f}, "
            f"nginx {serving['nginx']:.0f}, ratio {serving['ratio']:.3f}"
        )
    else:
        print(f"conditional GET: {serving['skipped']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()
