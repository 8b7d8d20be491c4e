"""`make bench`: the national dataset on PostgreSQL, the app as in production, wrk at concurrency.

    .venv/bin/python bench/run.py [--scale national|province] [--duration 10] [--connections 16]
                                  [--workers N] [--only name,name] [--skip-tasks]

1. Prepares the database `BENCH_DATABASE_URL` (default postgres://postgres@127.0.0.1:5432/ocop_bench):
   migrate, places, criteria, `ocop synth --scale …` (reused when already written), collectstatic,
   and the bench's own accounts (an officer of the home province, a national supervisor, a council
   member with an open scorecard, an API token).
2. For each endpoint, in this process: the SQL queries one request runs (count; lists are asked at
   two page sizes, and the count must not grow), and the **floor** — those same statements executed
   directly on the database (median of repeated runs) plus the trivial endpoint's latency.
3. Starts gunicorn (deploy/gunicorn.conf.py, `OCOP_ENV=production`, `DEBUG=False`) and measures each
   endpoint with wrk: throughput, p50/p95/p99, errors; then reads each worker's peak RSS.
4. Times the longer jobs: a 20,000-row producer/product import, `ocop remind` over the dataset, and
   (when the reporting app provides it) the annual provincial report — each inside a transaction
   that is rolled back, so runs are repeatable.
5. Prints a table with the targets (docs/performance.md) and writes bench/results/<stamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ocop_bench")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "Bench-password-2026"

ENV = {
    "DATABASE_URL": DB_URL,
    "OCOP_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-0123456789abcdefghijklmnopqrstuvwxyz-not-a-real-secret",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "OCOP_VAR_DIR": str(ROOT / "var" / "bench"),
    "OCOP_LOG_LEVEL": "WARNING",
    "OCOP_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
}


@dataclass
class Endpoint:
    name: str
    path: str
    who: str  # anonymous | officer | national | member | api
    method: str = "GET"
    body: str = ""
    p95_ms: float | None = None
    p99_ms: float | None = None
    throughput_share: float | None = None  # of the trivial endpoint's
    page_param: str | None = None  # lists: the page-size parameter whose growth must not add queries
    group: str = ""
    staff: bool = False  # signed-in work: measured at the staff concurrency (--staff-connections)
    vary: bool = False  # a new query string on every request: never served from the public cache


@dataclass
class Measure:
    name: str
    queries: int = 0
    queries_large_page: int | None = None
    sql_ms: float = 0.0
    floor_ms: float = 0.0
    status: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    requests: int = 0
    ratio_to_floor: float = 0.0
    connections: int = 0
    cold_queries: int | None = None  # cached public pages: the page built afresh (a cache miss)
    cold_sql_ms: float | None = None
    checks: dict = field(default_factory=dict)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "national"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument(
        "--connections",
        type=int,
        default=int(os.environ.get("BENCH_CONNECTIONS", "16")),
        help="concurrent clients of the public endpoints",
    )
    parser.add_argument(
        "--staff-connections",
        type=int,
        default=int(os.environ.get("BENCH_STAFF_CONNECTIONS", "4")),
        help="concurrent clients of the signed-in endpoints (officers, council, API)",
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "0")) or None)
    parser.add_argument("--only", default="", help="comma-separated endpoint names")
    parser.add_argument("--skip-tasks", action="store_true", help="do not time import, remind, report")
    args = parser.parse_args()

    os.environ.update(ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    Path(ENV["OCOP_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    _create_database()
    import django

    django.setup()
    started = time.monotonic()
    data = prepare(args.scale)
    fixtures = bench_fixtures()
    endpoints = [e for e in endpoint_list(fixtures) if not args.only or e.name in args.only.split(",")]
    measures = {e.name: Measure(name=e.name) for e in endpoints}
    print(f"Dataset: {data}")
    print("Counting queries and timing the raw SQL of each endpoint …")
    for e in endpoints:
        in_process(e, fixtures, measures[e.name])

    cpu = {"before": cpu_check()}
    workers = args.workers or _default_workers()
    server = start_server(workers)
    try:
        print(
            f"gunicorn: {workers} workers on {BASE}; wrk: {args.connections} connections (public), "
            f"{args.staff_connections} (signed in), {args.duration} s each"
        )
        for e in endpoints:
            load(e, fixtures, measures[e.name], args)
        rss = worker_rss(server)
    finally:
        stop_server(server)

    # Each endpoint's floor: its raw SQL plus the trivial endpoint's p50 at the same concurrency.
    by_name = {e.name: e for e in endpoints}
    for m in measures.values():
        trivial = measures.get("trivial_staff" if by_name[m.name].staff else "trivial")
        m.floor_ms = round(m.sql_ms + (trivial.p50_ms if trivial else 0), 2)
        m.ratio_to_floor = round(m.p50_ms / m.floor_ms, 2) if m.floor_ms else 0.0
    cpu["after"] = cpu_check()
    tasks = {} if args.skip_tasks else timed_tasks(fixtures)
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine() | {"cpu_check_ms": cpu},
        "scale": args.scale,
        "dataset": data,
        "workers": workers,
        "connections": args.connections,
        "staff_connections": args.staff_connections,
        "duration_s": args.duration,
        "endpoints": [asdict(m) for m in measures.values()],
        "worker_rss_mb": rss,
        "tasks": tasks,
        "targets": check_targets(endpoints, measures, rss, tasks),
        "seconds": round(time.monotonic() - started, 1),
    }
    print_table(endpoints, measures, rss, tasks, results["targets"])
    print(
        "CPU check (ms, one core / both at once): before the load {before[one]} / {before[both]}, "
        "after it {after[one]} / {after[both]}".format(**cpu)
    )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    paths = [out / f"{stamp}-{args.scale}.json"]
    if not args.only and not args.skip_tasks:  # a partial run is not the latest full one
        paths.append(out / f"latest-{args.scale}.json")
    for path in paths:
        path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nResults: bench/results/{stamp}-{args.scale}.json")
    missed = [t for t in results["targets"] if not t["met"]]
    print(f"Targets: {len(results['targets']) - len(missed)} met, {len(missed)} missed.")
    return 0


# --- data --------------------------------------------------------------------------------------------


def _create_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def prepare(scale: str) -> dict:
    from django.core.management import call_command

    from ocop.synth import generate

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load-units", verbosity=0)
    call_command("load-criteria", verbosity=0)
    from django.conf import settings

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # slow (brotli): once per checkout
        print("collectstatic …", flush=True)
        call_command("collectstatic", verbosity=0, interactive=False)
    print(f"Synthetic dataset ({scale}) …", flush=True)
    counts = generate(scale, seed=1, progress=lambda m: print("  " + m, flush=True))
    data = asdict(counts)
    # The dashboards read summary rows: build those of every province not built yet (a new
    # dataset; afterwards each audited write rebuilds its province in the background).
    try:
        from ocop.geo.models import AdminUnit
        from ocop.reporting.models import SummaryState
        from ocop.reporting.summaries import rebuild
    except ImportError:
        rebuild = None
    if rebuild is not None:
        built = set(SummaryState.objects.values_list("province_id", flat=True))
        missing = AdminUnit.objects.filter(edition="2025", level=1).exclude(pk__in=built).order_by("path")
        if missing:
            print(f"Dashboard summaries of {len(missing)} provinces …", flush=True)
            started = time.monotonic()
            for province in missing:
                rebuild(province)
            data["summaries_built_s"] = round(time.monotonic() - started, 1)
    _analyze()
    return data


def _analyze() -> None:
    """VACUUM (ANALYZE) the dataset, as autovacuum keeps a production database: a freshly written
    one has no visibility map (index-only scans read the heap), its first readers write the hint
    bits, and each summaries rebuild or rolled-back job leaves dead rows. The bench does not rely
    on the cluster's autovacuum, which may be off (it was on one machine of this kind)."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    print(f"VACUUM (ANALYZE) in {time.monotonic() - started:.1f} s", flush=True)


def bench_fixtures() -> dict:
    """The bench's accounts and the records each endpoint reads (created once, then reused)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from ocop.accounts.models import ApiToken, Role, RoleAssignment, User
    from ocop.certification.models import Certificate, CertificateState
    from ocop.evaluation.choices import EntryState, EvaluationKind, ScorecardState, SessionMode, SessionState
    from ocop.evaluation.models import CouncilMember, EvaluationSession, Scorecard, SessionProduct
    from ocop.geo.selectors import home_area
    from ocop.registry.models import Product
    from ocop.synth.generator import USER_PREFIX

    home = home_area()
    fx: dict = {"home": home}
    with transaction.atomic():
        for username, role, area in (
            ("bench.officer", "province_officer", home),
            ("bench.national", "supervisor", None),
        ):
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"full_name": f"Bench {username}", "email": f"{username}@example.invalid"},
            )
            if created:
                user.set_password(PASSWORD)
                user.save()
                RoleAssignment.objects.create(user=user, role=Role.objects.get(code=role), area=area)
            fx[username.split(".")[1]] = user
        # A council member of the home province's synthetic council, with a scorecard still open.
        member = (
            CouncilMember.objects.filter(
                council__area=home, user__username__startswith=USER_PREFIX, scores=True
            )
            .select_related("council", "user")
            .order_by("sort_order")
            .first()
        )
        if member is None:
            raise SystemExit(
                "The synthetic dataset has no council in the home province: run ocop synth first"
            )
        session = EvaluationSession.objects.filter(
            council=member.council, name="Phiên thử tải (bench)"
        ).first()
        if session is None:
            closed = EvaluationSession.objects.filter(council=member.council).order_by("-date").first()
            session = EvaluationSession.objects.create(
                council=member.council,
                name="Phiên thử tải (bench)",
                date=closed.date,
                mode=SessionMode.MEETING,
                rule_version=closed.rule_version,
                state=SessionState.OPEN,
                is_illustrative=True,
            )
            done = SessionProduct.objects.filter(session=closed).select_related("product", "sheet").first()
            entry = SessionProduct.objects.create(
                session=session,
                product=done.product,
                kind=EvaluationKind.REEVALUATION,
                sheet=done.sheet,
                number=1,
                state=EntryState.SCORING,
            )
            Scorecard.objects.create(entry=entry, member=member, sheet=done.sheet, state=ScorecardState.DRAFT)
        card = Scorecard.objects.filter(entry__session=session, member=member).select_related("sheet").get()
        member.user.set_password(PASSWORD)
        member.user.save(update_fields=["password"])
        fx["member"] = member.user
        fx["scorecard"] = card
        criterion = card.sheet.criteria.filter(is_scorable=True).order_by("sort_order").first()
        fx["answer"] = (criterion.pk, list(criterion.options.order_by("points").values_list("pk", flat=True)))
        token = ApiToken.objects.filter(user=fx["officer"], name="bench").first()
        if token is not None:
            token.delete()
        raw, prefix, digest = ApiToken.generate()
        ApiToken.objects.create(user=fx["officer"], name="bench", key_prefix=prefix, digest=digest)
        fx["token"] = raw
        today = dt.date.today()
        cert = (
            Certificate.objects.filter(
                state=CertificateState.VALID,
                issued_on__lte=today,
                valid_until__gte=today,
                product__commune__current_path__startswith=home.path,
                product__published=True,
            )
            .select_related("product")
            .order_by("pk")
            .first()
        )
        fx["certificate"] = cert
        fx["product"] = cert.product
        fx["any_product"] = (
            Product.objects.filter(commune__current_path__startswith=home.path).order_by("pk").first()
        )
    # Signed-in sessions for wrk (the cookie and a CSRF token for the POST).
    for who in ("officer", "national", "member"):
        store = SessionStore()
        user = fx[who]
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        fx[f"{who}_session"] = store.session_key
    secret = _get_new_csrf_string()
    fx["csrf_cookie"] = secret
    fx["csrf_token"] = _mask_cipher_secret(secret)
    return fx


def endpoint_list(fx) -> list[Endpoint]:
    from django.urls import NoReverseMatch, reverse

    criterion, options = fx["answer"]
    card = fx["scorecard"].pk
    items = [
        Endpoint("trivial", "/healthz", "anonymous", group="floor"),
        Endpoint("trivial_staff", "/healthz", "anonymous", group="floor", staff=True),
        Endpoint(
            "verify",
            f"/verify/{fx['certificate'].public_id}/",
            "anonymous",
            p99_ms=50,
            throughput_share=0.6,
            group="public",
        ),
        Endpoint("catalogue_search", "/catalogue/?q=san+pham", "anonymous", p95_ms=80, group="public"),
        # The same search with a new query string each time: always built afresh (no target: it
        # tells what a search nobody asked for in the last five minutes costs).
        Endpoint("catalogue_search_cold", "/catalogue/?q=san+pham", "anonymous", group="public", vary=True),
        Endpoint(
            "catalogue_product",
            f"/catalogue/products/{fx['product'].pk}/",
            "anonymous",
            p95_ms=80,
            group="public",
        ),
        Endpoint(
            "registry_list",
            "/registry/products/?q=san+pham&stars=3",
            "officer",
            p95_ms=150,
            page_param="per_page",
            group="officer",
            staff=True,
        ),
        Endpoint(
            "registry_product",
            f"/registry/products/{fx['any_product'].pk}/",
            "officer",
            group="officer",
            staff=True,
        ),
        Endpoint("scorecard_load", f"/evaluation/scorecards/{card}/", "member", group="council", staff=True),
        Endpoint(
            "scorecard_save",
            f"/evaluation/scorecards/{card}/answer/",
            "member",
            method="POST",
            body=f"criterion={criterion}&option={options[-1]}&comment=&evidence_url=",
            p95_ms=50,
            group="council",
            staff=True,
        ),
        Endpoint(
            "api_products",
            "/api/v1/registry/products?page_size=50",
            "api",
            page_param="page_size",
            group="api",
            staff=True,
        ),
    ]
    # Dashboards (the reporting app): the province's and the whole country's.
    for name, who, target, url_name in (
        ("province_dashboard", "officer", 150, "reporting:dashboard"),
        ("national_dashboard", "national", 300, "reporting:dashboard"),
    ):
        try:
            path = reverse(url_name)
        except NoReverseMatch:
            continue
        if name == "province_dashboard" and fx["home"] is not None:
            path += f"?area={fx['home'].pk}"
        if name == "national_dashboard":
            path += "?area=all"  # the whole country: every province added up
        items.insert(8, Endpoint(name, path, who, p95_ms=target, group="officer", staff=True))
    return items


def _headers(e: Endpoint, fx) -> dict[str, str]:
    headers = {}
    if e.who in ("officer", "national", "member"):
        headers["Cookie"] = f"sessionid={fx[e.who + '_session']}; csrftoken={fx['csrf_cookie']}"
    if e.who == "api":
        headers["Authorization"] = f"Bearer {fx['token']}"
    if e.method == "POST":
        headers["X-CSRFToken"] = fx["csrf_token"]
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["HX-Request"] = "true"
    return headers


# --- in process: queries and the raw-SQL floor --------------------------------------------------------


def in_process(e: Endpoint, fx, m: Measure) -> None:
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=False)
    if e.who in ("officer", "national", "member"):
        client.force_login(fx[e.who])
    extra = {"HTTP_AUTHORIZATION": f"Bearer {fx['token']}"} if e.who == "api" else {}

    def call(path):
        if e.method == "POST":
            return client.post(path, data=e.body, content_type="application/x-www-form-urlencoded", **extra)
        return client.get(path, **extra)

    call(e.path)  # warm caches (sessions, scopes) as a running server has them
    with transaction.atomic():
        with CaptureQueriesContext(connection) as ctx:
            response = call(e.path)
        transaction.set_rollback(True)
    m.status = response.status_code
    statements = [q["sql"] for q in ctx.captured_queries]
    m.queries = len(statements)
    if e.page_param:
        sep = "&" if "?" in e.path else "?"
        big = (
            _with_param(e.path, e.page_param, 200)
            if e.page_param in e.path
            else f"{e.path}{sep}{e.page_param}=200"
        )
        with CaptureQueriesContext(connection) as ctx_big:
            call(big)
        m.queries_large_page = len(ctx_big.captured_queries)
    m.sql_ms = _time_sql(statements)
    if e.who == "anonymous" and e.name not in ("trivial", "trivial_staff"):
        from django.test.utils import override_settings

        with override_settings(OCOP_DATA_CACHE_SECONDS=0), transaction.atomic():
            with CaptureQueriesContext(connection) as cold:
                call(e.path)
            transaction.set_rollback(True)
        m.cold_queries = len(cold.captured_queries)
        m.cold_sql_ms = _time_sql([q["sql"] for q in cold.captured_queries])
        if e.vary:  # every request of this endpoint is a cold one: so is its floor
            m.queries, m.sql_ms = m.cold_queries, m.cold_sql_ms


def _with_param(path: str, name: str, value) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query))
    query[name] = str(value)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _time_sql(statements: list[str], repeat: int = 15) -> float:
    """The median time of running the request's statements directly (in a rolled-back transaction)."""
    from django.db import connection, transaction

    runnable = [s for s in statements if not s.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    times = []
    for _ in range(repeat):
        with transaction.atomic():
            with connection.cursor() as cursor:
                start = time.perf_counter()
                for sql in runnable:
                    cursor.execute(sql.replace("%", "%%"))
                    if cursor.description:
                        cursor.fetchall()
                times.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    return round(statistics.median(times) * 1000, 2)


# --- the server and wrk -------------------------------------------------------------------------------


def _default_workers() -> int:
    """The production rule, read from deploy/gunicorn.conf.py (GUNICORN_WORKERS unset)."""
    import runpy

    saved = os.environ.pop("GUNICORN_WORKERS", None)
    try:
        return int(runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["workers"])
    finally:
        if saved is not None:
            os.environ["GUNICORN_WORKERS"] = saved


def start_server(workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_CONTROL_SOCKET": str(Path(ENV["OCOP_VAR_DIR"]) / "gunicorn.ctl"),
    }
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "ocop.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def load(e: Endpoint, fx, m: Measure, args) -> None:
    headers = _headers(e, fx)
    m.connections = args.staff_connections if e.staff else args.connections
    env = {
        **os.environ,
        "BENCH_VARY": "1" if e.vary else "",
        "BENCH_METHOD": e.method,
        "BENCH_BODY": e.body,
        "BENCH_HEADERS": "\n".join(f"{k}: {v}" for k, v in headers.items()),
    }
    script = str(ROOT / "bench" / "wrk.lua")
    url = BASE + e.path
    subprocess.run(
        ["wrk", "-t2", f"-c{m.connections}", "-d2s", "-s", script, url], env=env, capture_output=True
    )
    out = subprocess.run(
        ["wrk", "-t2", f"-c{m.connections}", f"-d{args.duration}s", "--timeout", "10s", "-s", script, url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in reversed(out.splitlines()) if x.startswith("{"))
    r = json.loads(line)
    m.requests = r["requests"]
    m.rps = round(r["requests"] / (r["duration_us"] / 1e6), 1)
    m.p50_ms = round(r["p50"] / 1000, 2)
    m.p95_ms = round(r["p95"] / 1000, 2)
    m.p99_ms = round(r["p99"] / 1000, 2)
    m.errors = (
        r["errors_status"] + r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
    )
    print(
        f"  {e.name:<22} c={m.connections:<3} {m.rps:>8.1f} req/s  p50 {m.p50_ms:>7.2f}  "
        f"p95 {m.p95_ms:>7.2f}  p99 {m.p99_ms:>7.2f} ms  errors {m.errors}",
        flush=True,
    )


def worker_rss(server: subprocess.Popen) -> dict:
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(round(int(line.split()[1]) / 1024, 1))
    return {"max": max(peaks) if peaks else None, "workers": peaks}


# --- longer jobs ---------------------------------------------------------------------------------------


def timed_tasks(fx) -> dict:
    from django.db import transaction

    tasks = {}
    tasks["import_20000_rows_s"] = _timed_rollback(lambda: _import(fx, 10_000))
    tasks["remind_s"] = _timed_rollback(_remind)
    summaries = _summaries_job(fx)
    if summaries is not None:
        tasks["province_summaries_rebuild_s"] = _timed_rollback(summaries)
    report = _report_job(fx)
    if report is not None:
        tasks["annual_report_s"] = _timed_rollback(report)
    transaction.get_connection().close()
    return tasks


def _timed_rollback(fn) -> float:
    from django.db import transaction

    with transaction.atomic():
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return round(elapsed, 2)


def _import(fx, rows: int) -> None:
    """A workbook of `rows` producers and `rows` products (20,000 rows in all), validated and written."""
    import io

    from openpyxl import Workbook

    from ocop.geo.models import AdminUnit
    from ocop.registry import importer

    home = fx["home"]
    communes = list(AdminUnit.objects.filter(path__startswith=home.path, level=3).order_by("path")[:40])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Chủ thể")
    ws.append(["Tên chủ thể", "Loại hình", "Xã/phường", "Tỉnh"])
    for i in range(rows):
        ws.append([f"HTX Thử tải {i:05d}", "HTX", communes[i % len(communes)].name, home.name])
    ws = wb.create_sheet("Sản phẩm")
    ws.append(["Tên sản phẩm", "Chủ thể", "Bộ sản phẩm", "Hạng sao"])
    for i in range(rows):
        ws.append([f"Sản phẩm thử tải {i:05d}", f"HTX Thử tải {i:05d}", "7", ""])
    out = io.BytesIO()
    wb.save(out)
    admin = _province_admin(home)
    result = importer.validate(importer.parse_file(out.getvalue()), admin)
    errors = result.counts()["errors"]
    if errors:
        raise SystemExit(f"the bench workbook has {errors} errors")
    importer.write(result, admin)


def _province_admin(home):
    from ocop.accounts.models import Role, RoleAssignment, User

    user, created = User.objects.get_or_create(
        username="bench.admin", defaults={"full_name": "Bench admin", "email": "bench.admin@example.invalid"}
    )
    if created:
        RoleAssignment.objects.create(user=user, role=Role.objects.get(code="province_admin"), area=home)
    return user


def _remind() -> None:
    import io

    from django.core.management import call_command

    call_command("remind", stdout=io.StringIO())


def _summaries_job(fx):
    """What every audited write of the home province triggers in the background: its summaries."""
    try:
        from ocop.reporting.summaries import rebuild
    except ImportError:
        return None
    return lambda: rebuild(fx["home"])


def _report_job(fx):
    """The annual report of the home province for last year: figures gathered, .docx, .xlsx and PDF."""
    try:
        from ocop.reporting import reports
    except ImportError:
        return None
    year = dt.date.today().year - 1

    def build():
        data = reports.gather("annual", fx["home"], dt.date(year, 1, 1), dt.date(year, 12, 31))
        reports.build_all(data, dt.datetime.now(dt.UTC))

    return build


# --- output ---------------------------------------------------------------------------------------------


def check_targets(endpoints, measures, rss, tasks) -> list[dict]:
    targets = []
    trivial = measures.get("trivial")

    def add(what, value, limit, met):
        targets.append({"target": what, "value": value, "limit": limit, "met": bool(met)})

    for e in endpoints:
        m = measures[e.name]
        if not m.requests:  # nothing completed within the run: every latency target is missed
            add(f"{e.name} completes requests within the run", 0, 1, False)
            continue
        if e.p95_ms is not None:
            add(f"{e.name} p95 ≤ {e.p95_ms} ms", m.p95_ms, e.p95_ms, m.p95_ms <= e.p95_ms)
        if e.p99_ms is not None:
            add(f"{e.name} p99 ≤ {e.p99_ms} ms", m.p99_ms, e.p99_ms, m.p99_ms <= e.p99_ms)
        if e.throughput_share is not None and trivial:
            share = round(m.rps / trivial.rps, 2) if trivial.rps else 0
            add(
                f"{e.name} throughput ≥ {e.throughput_share:.0%} of trivial",
                share,
                e.throughput_share,
                share >= e.throughput_share,
            )
        if e.group != "floor":
            add(f"{e.name} within 3× its floor", m.ratio_to_floor, 3, m.ratio_to_floor <= 3)
            add(f"{e.name} answers without errors", m.errors, 0, m.errors == 0 and m.status < 400)
        if m.queries_large_page is not None:
            add(
                f"{e.name} queries do not grow with page size",
                m.queries_large_page,
                m.queries,
                m.queries_large_page <= m.queries,
            )
    if rss.get("max") is not None:
        add("worker RSS ≤ 250 MB", rss["max"], 250, rss["max"] <= 250)
    if "import_20000_rows_s" in tasks:
        add(
            "import of 20,000 rows ≤ 60 s",
            tasks["import_20000_rows_s"],
            60,
            tasks["import_20000_rows_s"] <= 60,
        )
    if "annual_report_s" in tasks:
        add("annual report ≤ 5 s", tasks["annual_report_s"], 5, tasks["annual_report_s"] <= 5)
    return targets


def print_table(endpoints, measures, rss, tasks, targets) -> None:
    print()
    head = (
        f"{'endpoint':<22} {'conn':>4} {'req/s':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'err':>5} "
        f"{'SQL':>7} {'SQL ms':>7} {'floor':>7} {'×floor':>7} {'cold SQL':>13}"
    )
    print(head)
    print("-" * len(head))
    for e in endpoints:
        m = measures[e.name]
        q = f"{m.queries}" + (f"/{m.queries_large_page}" if m.queries_large_page is not None else "")
        cold = f"{m.cold_queries} / {m.cold_sql_ms:.1f}" if m.cold_queries is not None else ""
        print(
            f"{e.name:<22} {m.connections:>4} {m.rps:>8.1f} {m.p50_ms:>8.2f} {m.p95_ms:>8.2f} "
            f"{m.p99_ms:>8.2f} {m.errors:>5} {q:>7} {m.sql_ms:>7.2f} {m.floor_ms:>7.2f} "
            f"{m.ratio_to_floor:>7.2f} {cold:>13}"
        )
    print(
        "(latencies in ms; conn: concurrent clients; SQL: queries per request, and at a large page "
        "size for lists; floor = raw SQL + trivial p50 at the same concurrency; cold SQL: a public "
        "page built afresh, queries / ms)"
    )
    print(f"\nWorker peak RSS (MB): {rss}")
    for name, value in tasks.items():
        print(f"{name}: {value}")
    print()
    for t in targets:
        print(f"  [{'ok' if t['met'] else 'MISSED'}] {t['target']}: {t['value']}")


def _spin(_=None) -> float:
    """A fixed piece of pure-Python work (sorting and summing), in ms: the best of five."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(300_000):
            total += i * i % 7
        sorted(range(200_000, 0, -1))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def cpu_check() -> dict:
    """How fast this machine's cores are right now: the same work on one core, then on both at
    once. The machines of one kind differ and a shared host's cores slow down under neighbours'
    load, which moves every figure of a run; this says how much, so runs can be compared."""
    import multiprocessing

    one = _spin()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        both = max(pool.map(_spin, range(2)))
    return {"one": round(one, 1), "both": round(both, 1)}


def machine() -> dict:
    mem = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        None,
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    pg = subprocess.run(
        ["psql", DB_URL, "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory_mb": mem,
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


if __name__ == "__main__":
    sys.exit(main())
