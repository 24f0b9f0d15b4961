"""Serving speed of the demo site group under gunicorn, as ``make run`` serves it.

Builds a fresh demo database in a temporary directory, starts gunicorn with the
project's ``gunicorn.conf.py`` (scheduler off) on one port, then measures each page
with ``wrk`` (Debian package ``wrk``) if present, or a small threaded client
otherwise, and prints requests/s, latency and SQL queries per page, rendered dynamically and then
through the anonymous page cache, in one run.

    .venv/bin/python benchmarks/serve_pages.py [--articles 320] [--seconds 10]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def query_counts(env, port):
    """SQL queries per page, measured in-process with Django's test client."""
    code = f"""
import django, os
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from govportal.content.models import ArticlePage, ChannelPage
c = Client(HTTP_HOST="127.0.0.1:{port}")
ch = ChannelPage.objects.filter(show_on_home=True, url_path__startswith="/city/").first()
art = ArticlePage.objects.live().filter(url_path__startswith="/city/").first()
for name, path in [("home", "/"), ("channel", ch.url_path[5:]), ("article", art.url_path[5:])]:
    c.get(path)
    with CaptureQueriesContext(connection) as ctx:
        c.get(path)
    print(name, path, len(ctx.captured_queries))
"""
    out = subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return [line.split() for line in out.strip().splitlines()]


def with_wrk(url, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return f"{rps:9.1f} req/s  p50 {p50:>8}  p99 {p99:>8}"


def with_threads(url, seconds, connections):
    latencies = []
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            t = time.perf_counter()
            with urllib.request.urlopen(url) as r:  # noqa: S310 — loopback only
                r.read()
            latencies.append(time.perf_counter() - t)

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        for _ in range(connections):
            pool.submit(worker)
    elapsed = time.monotonic() - started
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    return f"{len(latencies) / elapsed:9.1f} req/s  p50 {p50:6.1f}ms  p95 {p95:6.1f}ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=320)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="govportal-bench-")
    env = dict(os.environ, GOVPORTAL_VAR_DIR=var, DJANGO_SETTINGS_MODULE="govportal.settings.dev")
    print(f"building demo ({args.articles} articles) in {var} …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo_data", f"--articles={args.articles}", f"--base-port={args.port}")
    counts = query_counts(dict(env, GOVPORTAL_PAGE_CACHE_SECONDS="0"), args.port)

    run = with_wrk if shutil.which("wrk") else with_threads
    tool = "wrk" if run is with_wrk else "threaded urllib client"
    print(f"gunicorn 2 workers × 4 threads, SQLite, {args.connections} connections, "
          f"{args.seconds}s each, {tool}")  # fmt: skip
    results = {}
    for mode, cache_seconds in (("dynamic", "0"), ("page cache", "300")):
        results[mode] = serve_and_measure(env, args, counts, run, cache_seconds)
        for name, _path, queries in counts:
            print(f"{mode:10} {name:8} {queries:>3} SQL  {results[mode][name]}")
    shutil.rmtree(var, ignore_errors=True)


def serve_and_measure(env, args, counts, run, cache_seconds):
    server_env = dict(
        env,
        GOVPORTAL_PORTS=str(args.port),
        GOVPORTAL_SCHEDULER="0",
        GUNICORN_ACCESSLOG="",
        GOVPORTAL_PAGE_CACHE_SECONDS=cache_seconds,
    )
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out = {}
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/").read()  # noqa: S310 — loopback only
                break
            except OSError:
                time.sleep(0.2)
        for name, path, _queries in counts:
            url = base + path
            urllib.request.urlopen(url).read()  # noqa: S310 — warm up
            out[name] = run(url, args.seconds, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


if __name__ == "__main__":
    main()
