"""The load and scale benchmark behind `make bench`. Standard library only (plus locust,
which it runs in a second process, and psycopg, the app's own driver, for PostgreSQL).

1. Builds (once, then reuses while its version stamp matches) a SQLite database in
   bench/data/ with the course and the LARGE synthetic data set, and copies it for the run
   so every run starts from the same rows.
2. Collects static files and starts gunicorn with production settings (DEBUG off) on
   127.0.0.1 (one gthread worker of one thread per core unless told otherwise).
3. For each scenario, runs locust headless from a second process on loopback: every
   simulated user signs in first (not measured), then a solo phase (one user, one request
   at a time: the endpoint's own latency), a paced phase (think time between requests:
   latency under load) and a saturated phase (no think time: the throughput figure,
   compared with /healthz in the same run).
4. Streams the 300-student lecture's gradebook CSV once more on its own and measures how
   far the gunicorn worker's peak resident memory grows.
5. Counts "database is locked" in gunicorn's log, prints the table, writes
   bench/results.json and puts the table into bench/README.md.
6. When DATABASE_URL is set, does the same against PostgreSQL (database <name>_bench).

    .venv/bin/python bench/run.py [--users 50] [--solo 10] [--paced 40] [--saturated 20]
                                  [--think 0.5-1.5] [--workers N] [--worker-class sync]
                                  [--only healthz,lesson] [--rebuild] [--no-readme]
"""

import argparse
import datetime
import hashlib
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
# Bump to force a rebuild of the cached database when the recipe changes.
DATA_VERSION = "1"
SECRET_KEY = "bench-only-secret-key-not-for-production-" + "x" * 20

# What goes into the cached database; a change to any of these rebuilds it.
STAMP_GLOBS = [
    "quizzes/demo/synthetic.py",
    "quizzes/bank/sync.py",
    "quizzes/review/cards.py",
    "quizzes/bank/generators/**/*.py",
    "quizzes/models.py",
    "quizzes/*/models.py",
    "relations/models.py",
    "*/migrations/*.py",
    "fixtures/*.json",
]

# name, locust user class, what is measured (the request name in the locustfile), users.
SCENARIOS = [
    ("healthz", "HealthzUser", "/healthz", None),
    ("lesson", "LessonUser", "lesson page", None),
    ("answer", "PracticeUser", "answer post (HTMX)", None),
    ("grade", "ReviewUser", "grade post (HTMX)", None),
    # Instructors watching one class's results: ten is already a crowd.
    ("results", "ResultsUser", "assignment results (300 students)", 10),
    # A big export: a handful of instructors at once is the realistic load.
    ("csv", "GradebookUser", "gradebook CSV", 5),
    # A 300-student lecture in class: each student answers a question every 10-20 s.
    ("class", "ClassroomUser", "answer post (HTMX)", 300),
]
# The class scenario is paced only: no one alone, no one flat out.
CLASS_THINK = (10.0, 20.0)

# Per-request budgets, in ms unless named otherwise (issue: speed). "alone" is the p50 of one
# request at a time; the saturated figures are 50 users without think time.
BUDGETS = {
    "alone_p50_ms": {"healthz": 1.5, "lesson": 3, "answer": 8, "grade": 10, "results": 100},
    "answer_lock_p50_ms": 1.5,
    "answer_saturated_p99_ms": 250,
    "class_p99_ms": 100,
    "results_scaling": 0.20,  # large vs small data set, same 300-student class
    "csv_growth_mb": 50,
}
TARGETS = BUDGETS  # results.json keeps its old key


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the database -----------------------------------------------------------------------


def version_stamp() -> str:
    digest = hashlib.sha256(DATA_VERSION.encode())
    for pattern in STAMP_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if "/.venv/" in str(path):
                continue
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def base_env(database: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: no redirect to https, cookies without the Secure flag.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        # Sign-in lockouts would count the bench's fifty sign-ins from one address.
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Every response says how long it held a transaction (config/timing.py).
        "SERVER_TIMING": "1",
    })
    if database["vendor"] == "sqlite":
        env["SQLITE_PATH"] = str(database["path"])
    else:
        env["DATABASE_URL"] = database["url"]
    return env


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [*MANAGE, *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def migrations_are_current(env: dict) -> bool:
    result = subprocess.run(
        [*MANAGE, "makemigrations", "--check", "--dry-run"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return result.returncode == 0


def build_database(env: dict, size: str = "large") -> dict:
    """Migrate, load the course, build a synthetic data set; return the timings."""
    timings = {}
    started = time.perf_counter()
    if migrations_are_current(env):
        manage(env, "migrate", "--noinput", "-v0")
    else:
        # The models moved ahead of the committed migrations (they are regenerated by the
        # lead): build the tables from the models instead, as the tests do.
        log("migrations lag the models: creating the tables from the models (syncdb)")
        manage(env, "shell", "-v", "0", "-c", SYNCDB_SNIPPET)
    timings["migrate"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    if (ROOT / "fixtures" / "course.json").exists():
        manage(env, "load_course")
    else:
        log("fixtures/course.json is missing: the synthetic data brings a placeholder bank")
    timings["load_course"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    manage(env, "make_synthetic_data", "--size", size, "--reset", "-v2")
    timings["synthetic_data"] = round(time.perf_counter() - started, 1)
    return timings


# Runs inside `manage.py shell` when migrations lag: create every table from the models.
SYNCDB_SNIPPET = """
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    existing = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in existing and model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
            existing.add(model._meta.db_table)
"""


def prepare_sqlite(rebuild: bool, size: str = "large") -> tuple[dict, dict]:
    """A pristine cached database and a fresh copy of it for this run."""
    DATA.mkdir(parents=True, exist_ok=True)
    pristine = DATA / f"bench-{size}.sqlite3"
    stamp_file = DATA / f"bench-{size}.stamp"
    stamp = version_stamp()
    info = {"stamp": stamp, "cached": True, "build_seconds": None}
    if rebuild or not pristine.exists() or not stamp_file.exists() \
            or stamp_file.read_text().strip() != stamp:
        for leftover in DATA.glob(f"bench-{size}.sqlite3*"):
            leftover.unlink()
        stamp_file.unlink(missing_ok=True)
        log(f"building the {size} data set in {pristine} (stamp {stamp}); this takes minutes")
        started = time.perf_counter()
        info["build_timings"] = build_database(
            base_env({"vendor": "sqlite", "path": pristine}), size
        )
        info["build_seconds"] = round(time.perf_counter() - started, 1)
        info["cached"] = False
        # Fold the WAL into the main file so a plain copy carries everything.
        with sqlite3.connect(pristine) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stamp_file.write_text(stamp + "\n")
        log(f"built in {info['build_seconds']} s")
    else:
        log(f"reusing {pristine} (stamp {stamp})")
    run_copy = DATA / f"run-{size}.sqlite3"
    for leftover in DATA.glob(f"run-{size}.sqlite3*"):
        leftover.unlink()
    shutil.copyfile(pristine, run_copy)
    return {"vendor": "sqlite", "path": run_copy, "label": "SQLite"}, info


def prepare_postgres(url: str, rebuild: bool, size: str = "large") -> tuple[dict, dict]:
    """<name>_bench_pristine built once (stamped by a comment on the database), then copied
    with CREATE DATABASE … TEMPLATE for each run."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    base_name = parts.path.lstrip("/") or "postgres"
    suffix = "" if size == "large" else f"_{size}"
    pristine, run_name = f"{base_name}_bench{suffix}_pristine", f"{base_name}_bench{suffix}"

    def url_for(name):
        return urllib.parse.urlunsplit(parts._replace(path="/" + name))

    admin_url = url_for("postgres")
    stamp = version_stamp()
    info = {"stamp": stamp, "cached": True, "build_seconds": None}
    with psycopg.connect(admin_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [pristine],
        ).fetchone()
        if rebuild or row is None or row[0] != stamp:
            connection.execute(f'DROP DATABASE IF EXISTS "{pristine}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{pristine}"')
            log(f"building the {size} data set in PostgreSQL database {pristine}")
            started = time.perf_counter()
            info["build_timings"] = build_database(
                base_env({"vendor": "postgresql", "url": url_for(pristine)}), size
            )
            info["build_seconds"] = round(time.perf_counter() - started, 1)
            info["cached"] = False
            connection.execute(f"COMMENT ON DATABASE \"{pristine}\" IS '{stamp}'")
        connection.execute(f'DROP DATABASE IF EXISTS "{run_name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{run_name}" TEMPLATE "{pristine}"')
    return {"vendor": "postgresql", "url": url_for(run_name), "label": "PostgreSQL"}, info


def lookup_targets(env: dict) -> dict:
    """Ids and names the locust users need, read from the database once."""
    output = manage(env, "shell", "-v", "0", "-c", TARGETS_SNIPPET, capture=True)
    return json.loads(output.strip().splitlines()[-1])


TARGETS_SNIPPET = """
import json
from django.urls import NoReverseMatch, reverse
from quizzes.demo import synthetic
from relations.models import Lesson
targets = synthetic.showcase()
targets["lesson_slugs"] = list(Lesson.objects.values_list("slug", flat=True))
targets["student_prefix"] = synthetic.STUDENT_PREFIX
for key, name, args in [
    ("results_url", "quizzes:assignment_results",
     [targets["classroom_id"], targets["assignment_id"]]),
    ("gradebook_url", "quizzes:class_gradebook", [targets["classroom_id"]]),
]:
    try:
        targets[key] = reverse(name, args=args)
    except NoReverseMatch:
        targets[key] = None
print(json.dumps(targets))
"""

# Starts practice attempts for the answer scenario's students through the quiz engine (as
# POST /practice/ does) and writes, for each question in order, the form the attempt page
# would show: its action and the option values, one answer picked at random.
PRACTICE_PLANS_SNIPPET = """
import json, os, random
from django.contrib.auth.models import User
from quizzes.practice import attempts as engine
from quizzes.practice.presenting import present_question
from quizzes.practice.simulation import form_data
from quizzes.demo.synthetic import STUDENT_PREFIX
rng = random.Random(7)
offset, users = int(os.environ["BENCH_OFFSET"]), int(os.environ["BENCH_USERS"])
per_user, count = int(os.environ["BENCH_ATTEMPTS"]), int(os.environ["BENCH_COUNT"])
plans, sessions = {}, {}
make_sessions = os.environ.get("BENCH_SESSIONS") == "1"
for number in range(offset, offset + users):
    user = User.objects.get(username=f"{STUDENT_PREFIX}{number}")
    steps = []
    for _ in range(per_user):
        attempt = engine.start_practice(user=user, count=count)
        for response in attempt.responses.select_related("question").order_by("position"):
            view = present_question(attempt=attempt, response=response)
            # What the page would post, right about two times in three, for every kind.
            data = form_data(attempt=attempt, response=response, right=rng.random() < 0.65)
            steps.append([view.action, data])
    plans[user.username] = steps
    if make_sessions:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[user.username] = store.session_key
with open(os.environ["BENCH_OUT"], "w") as handle:
    json.dump({"plans": plans, "sessions": sessions}, handle)
"""


def prepare_practice_plans(
    env: dict, *, offset: int, users: int, path: Path, attempts: int = 8, sessions=False
) -> dict:
    manage({**env, "BENCH_OFFSET": str(offset), "BENCH_USERS": str(users),
            "BENCH_ATTEMPTS": str(attempts), "BENCH_COUNT": "20", "BENCH_OUT": str(path),
            "BENCH_SESSIONS": "1" if sessions else "0"},
           "shell", "-v", "0", "-c", PRACTICE_PLANS_SNIPPET)
    return json.loads(path.read_text())


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with production settings on loopback; its log goes to a file."""

    def __init__(self, env: dict, workers: int, log_path: Path, worker_class: str, threads: int):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.concurrency = workers * (threads if worker_class == "gthread" else 1)
        command = [
            str(Path(PYTHON).parent / "gunicorn"), "config.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--timeout", "120",
            "--backlog", "2048",
            "--error-logfile", "-",
            "--log-level", "warning",
        ]
        if worker_class == "gthread":
            command += ["--threads", str(threads)]
        self.log_file = open(log_path, "w")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log_path}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log_path}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log_file.close()

    def count_in_log(self, needle: str) -> int:
        return self.log_path.read_text(errors="replace").count(needle)


def proc_status_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


# --- a signed-in HTTP client for the one-off measurements -------------------------------


def signed_in_opener(base_url: str, username: str, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/accounts/login/") as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base_url + "/accounts/login/", data=body,
        headers={"Referer": base_url + "/accounts/login/"},
    )
    with opener.open(request) as response:
        response.read()
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise RuntimeError(f"could not sign in as {username}")
    return opener


def time_results_alone(server: Server, targets: dict, repeats: int = 30) -> dict:
    """The results page of the 300-student lecture, one request at a time: p50 in ms."""
    opener = signed_in_opener(server.url, targets["instructor"], targets["password"])
    url = server.url + targets["results_url"]
    # Warm every thread's database connection and every worker's templates first: each
    # request is a new connection that any thread may take, and a fresh server's first
    # request on a thread pays for connecting (on SQLite, reading the schema and filling the
    # page cache), which once made the small data set look slower than the large one. On
    # PostgreSQL a connection prepares a statement on its fifth run and settles on a plan a
    # few runs later: with three warm-up requests a thread, a third of the timed ones ran
    # before that. Fifteen a thread, since the kernel, not the bench, picks the worker that
    # accepts each new connection.
    for _ in range(15 * server.concurrency):
        with opener.open(url) as response:
            response.read()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with opener.open(url) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": round(times[len(times) // 2], 1), "requests": repeats,
            "responses_in_class": targets["responses_in_class"]}


# A page's p50 moves by a quarter from one server start to the next (which worker a
# connection lands on, when a connection settles on its plans), more than the ±20 % the
# comparison allows: each data set is timed on this many starts, alternately, and the
# median of their p50s compared.
SCALING_STARTS = 3


def small_data_set(database_label: str, args) -> tuple[dict, dict] | None:
    """The environment and targets of the small data set (medium size: 3 assignments of
    the lecture instead of 100, 10 classes instead of 100), for the same 300-student page."""
    if database_label == "SQLite":
        database, _info = prepare_sqlite(args.rebuild, size="medium")
    else:
        database, _info = prepare_postgres(os.environ["DATABASE_URL"], args.rebuild, "medium")
    env = base_env(database)
    targets = lookup_targets(env)
    return (env, targets) if targets.get("results_url") else None


def measure_results_scaling(*, label: str, args, large: tuple, small: tuple, logs: list):
    """The results page of the 300-student class on the large and the small data set, each
    timed on SCALING_STARTS fresh servers in turn: {"large": …, "small": …, "ratio": …}."""
    timed = {"large": [], "small": []}
    for start in range(SCALING_STARTS):
        for size, (env, targets) in (("large", large), ("small", small)):
            server = Server(env, args.workers, DATA / f"gunicorn-{label}-{size}-{start}.log",
                            args.worker_class, args.threads)
            try:
                timed[size].append(time_results_alone(server, targets))
            finally:
                server.stop()
                logs.append(server)
    scaling = {}
    for size, runs in timed.items():
        p50s = sorted(run["p50"] for run in runs)
        scaling[size] = {**runs[0], "p50": p50s[len(p50s) // 2], "p50_per_start": p50s}
    scaling["ratio"] = round(scaling["large"]["p50"] / scaling["small"]["p50"], 2)
    return scaling


def measure_csv_memory(server: Server, targets: dict, csv_url: str, repeats: int = 2) -> dict:
    """Stream the gradebook once per repeat; report the worker's peak RSS growth.

    Before each download every worker's peak (VmHWM) is reset to its current RSS by writing
    5 to /proc/<pid>/clear_refs, so the peak afterwards minus the RSS before is the growth
    that download caused. Where clear_refs is not allowed, the VmHWM difference is used
    (which can only under-report growth below an earlier peak).
    """
    opener = signed_in_opener(server.url, targets["instructor"], targets["password"])
    # Warm every worker up (imports, templates, a database connection) with other pages, so
    # the growth measured is the download's, not the first request's.
    for _ in range(6 * len(server.worker_pids())):
        for url in ("/healthz", targets.get("results_url") or "/"):
            with opener.open(server.url + url, timeout=120) as response:
                response.read()
    runs = []
    for _ in range(repeats):
        before = {}
        for pid in server.worker_pids():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
                before[pid] = proc_status_kb(pid, "VmRSS")
            except OSError:
                before[pid] = proc_status_kb(pid, "VmHWM")
        started = time.perf_counter()
        first_byte = None
        size = lines = 0
        with opener.open(server.url + csv_url, timeout=300) as response:
            status = response.status
            # read1: whatever has arrived (read() would wait for a full 64 KB).
            while chunk := response.read1(65536):
                if first_byte is None:
                    first_byte = time.perf_counter() - started
                size += len(chunk)
                lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
        growth = {
            pid: (proc_status_kb(pid, "VmHWM") or 0) - (rss or 0) for pid, rss in before.items()
        }
        runs.append({
            "status": status,
            "bytes": size,
            "lines": lines,
            "seconds": round(elapsed, 2),
            "first_byte_ms": round((first_byte or elapsed) * 1000, 1),
            "peak_rss_growth_mb": round(max(growth.values(), default=0) / 1024, 1),
            "worker_rss_mb": round(
                max((proc_status_kb(p, "VmRSS") or 0) for p in before) / 1024, 1
            ) if before else None,
        })
    return {"url": csv_url, "runs": runs,
            "peak_rss_growth_mb": max(run["peak_rss_growth_mb"] for run in runs)}


# --- locust ---------------------------------------------------------------------------


def run_scenario(
    *, server: Server, name: str, user_class: str, users: int, solo: int, paced: int,
    saturated: int, think: tuple, targets: dict, student_offset: int, label: str,
    extra: dict | None = None,
) -> dict:
    config_path = DATA / f"locust-{label}-{name}.json"
    out_path = DATA / f"locust-{label}-{name}-out.json"
    out_path.unlink(missing_ok=True)
    config_path.write_text(json.dumps({
        **targets,
        **(extra or {}),
        "student_offset": student_offset,
        "users_total": users,
        "solo_seconds": solo,
        "paced_seconds": paced,
        "saturated_seconds": saturated,
        "think_seconds": think,
        "worker_pids": server.worker_pids(),
        "out": str(out_path),
    }))
    command = [
        PYTHON, "-m", "locust", "-f", str(BENCH / "locustfile.py"), user_class,
        "--headless", "--host", server.url,
        "--users", str(users), "--spawn-rate", str(max(1, users // 5)),
        # A ceiling only: the locustfile stops itself after signing in and both phases.
        "--run-time", f"{solo + paced + saturated + 240 + users}s",
        "--only-summary", "--loglevel", "WARNING",
        "--bench-config", str(config_path),
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    wall = time.perf_counter() - started
    (DATA / f"locust-{label}-{name}.log").write_text(result.stdout)
    if not out_path.exists():
        tail = "\n".join(result.stdout.splitlines()[-30:])
        raise RuntimeError(f"locust scenario {name} wrote no results:\n{tail}")
    report = json.loads(out_path.read_text())
    report["wall_seconds"] = round(wall, 1)
    report["users"] = users
    return report


# --- the whole run ----------------------------------------------------------------------


def python_speed_ms(repeats: int = 7) -> float:
    """The median time of one fixed piece of pure Python (a million additions in a loop).

    The same code measured on two days differs with the machine it ran on: this figure
    says how fast that machine ran Python, so runs can be compared (the request's time is
    mostly Python)."""
    def work():
        total = 0
        for number in range(1_000_000):
            total += number
        return total

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    django_version = subprocess.run(
        [PYTHON, "-c", "import django; print(django.get_version())"],
        text=True, stdout=subprocess.PIPE, check=False,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "django": django_version,
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python_loop_ms": python_speed_ms(),
    }


def run_database(database: dict, data_info: dict, args) -> dict:
    label = database["vendor"]
    env = base_env(database)
    log(f"{database['label']}: collectstatic, then gunicorn with {args.workers} "
        f"{args.worker_class} workers")
    manage(env, "collectstatic", "--noinput", "-v0")
    targets = lookup_targets(env)
    log(f"targets: class {targets['classroom_id']} with {targets['classroom_students']} "
        f"students, assignment {targets['assignment_id']}, "
        f"{targets['responses_in_class']} responses in the class")
    log_path = DATA / f"gunicorn-{label}.log"
    server = Server(env, args.workers, log_path, args.worker_class, args.threads)
    scenarios, csv_memory, extra_logs = {}, None, []
    try:
        selected = [s for s in SCENARIOS if not args.only or s[0] in args.only]
        for index, (name, user_class, measured, users) in enumerate(selected):
            users = users if name == "class" else min(users or args.users, args.users)
            # Each scenario signs in its own students, so no state carries over.
            offset = 100 + index * 300
            extra = {}
            if name in ("answer", "class"):
                prepared = prepare_practice_plans(
                    env, offset=offset, users=users, attempts=8 if name == "answer" else 1,
                    path=DATA / f"practice-plans-{label}-{name}.json", sessions=name == "class",
                )
                extra["practice_plans"] = prepared["plans"]
                extra["sessions"] = prepared["sessions"]
            needs_url = {"results": "results_url", "csv": "gradebook_url"}.get(name)
            if needs_url and not targets.get(needs_url):
                log(f"  skipped: no URL for {name} yet")
                continue
            phases = dict(solo=args.solo, paced=args.paced, saturated=args.saturated,
                          think=args.think)
            if name == "class":
                phases = dict(solo=0, paced=args.class_seconds, saturated=0, think=CLASS_THINK)
            load_before = round(os.getloadavg()[0], 1)
            log(f"{database['label']}: {name} ({users} users; {phases['solo']} s solo, "
                f"{phases['paced']} s paced, {phases['saturated']} s saturated) · load "
                f"average {load_before}")
            report = run_scenario(
                server=server, name=name, user_class=user_class, users=users, **phases,
                targets=targets, student_offset=offset, label=label, extra=extra,
            )
            report["load_average_before"] = load_before
            report["load_average_after"] = round(os.getloadavg()[0], 1)
            report["measured"] = measured
            scenarios[name] = report
            summary = report["phases"].get("saturated", {}).get(measured, {})
            log(f"  {measured}: {summary.get('rps', 0)} req/s saturated, "
                f"p99 paced {report['phases'].get('paced', {}).get(measured, {}).get('p99')} ms"
                f"; {cpu_line(report, measured)}")
        csv_url = targets.get("gradebook_url")
        if csv_url and (not args.only or "csv" in args.only):
            # A fresh server: memory a worker kept from the CSV scenario's downloads would
            # hide the growth of this one.
            server.stop()
            fresh = Server(env, args.workers, DATA / f"gunicorn-{label}-memory.log",
                           args.worker_class, args.threads)
            try:
                log(f"{database['label']}: streaming {csv_url} alone (fresh workers) to "
                    "measure memory")
                csv_memory = measure_csv_memory(fresh, targets, csv_url)
            finally:
                fresh.stop()
                extra_logs.append(fresh)
    finally:
        server.stop()
    scaling = None
    if not args.no_scaling and "results" in scenarios:
        log(f"{database['label']}: the results page on the large and the small data set, "
            f"{SCALING_STARTS} server starts each")
        small = small_data_set(database["label"], args)
        if small:
            scaling = measure_results_scaling(
                label=label, args=args, large=(env, targets), small=small, logs=extra_logs
            )
    return {
        "database": database["label"],
        "results_scaling": scaling,
        "data": data_info,
        "targets": targets,
        "workers": args.workers,
        "worker_class": args.worker_class,
        "scenarios": scenarios,
        "csv_memory": csv_memory,
        "database_is_locked": sum(
            s.count_in_log("database is locked") for s in [server, *extra_logs]
        ),
        "server_errors_logged": sum(s.count_in_log("Traceback") for s in [server, *extra_logs]),
    }


def cpu_line(report: dict, measured: str) -> str:
    """How the cores were shared while the scenario ran flat out (or paced, for the class)."""
    phase = "saturated" if "saturated" in report.get("phase_cores_used", {}) else "paced"
    cores = report.get("phase_cores_used", {}).get(phase)
    summary = report["phases"].get(phase, {}).get(measured, {})
    if not cores or not summary.get("rps"):
        return "cores used: not measured"
    line = (f"{phase}: the app's workers used {cores['app']} cores "
            f"({round(cores['app'] / summary['rps'] * 1000, 1)} ms of CPU per {measured}), "
            f"locust {cores['locust']}")
    split = report.get("phase_connections_per_worker", {}).get(phase)
    if split:
        line += f"; the clients' connections per worker: {'/'.join(map(str, split))}"
    return line


def summarize(run: dict) -> list[dict]:
    rows = []
    healthz_rps = (
        run["scenarios"].get("healthz", {}).get("phases", {}).get("saturated", {})
        .get("/healthz", {}).get("rps")
    )
    for name, report in run["scenarios"].items():
        measured = report["measured"]
        phases = report["phases"]
        solo = phases.get("solo", {}).get(measured, {})
        paced = phases.get("paced", {}).get(measured, {})
        saturated = phases.get("saturated", {}).get(measured, {})
        held = f"{measured}: transaction held"
        rps = saturated.get("rps")
        rows.append({
            "scenario": name,
            "endpoint": measured if name != "class" else f"{measured}, class of 300",
            "users": report["users"],
            "requests": sum(p.get("requests", 0) for p in (solo, paced, saturated)),
            "failures": sum(p.get("failures", 0) for p in (solo, paced, saturated)),
            "solo_p50": solo.get("p50"),
            "solo_p95": solo.get("p95"),
            "lock_p50": phases.get("solo", {}).get(held, {}).get("p50"),
            "lock_p50_saturated": phases.get("saturated", {}).get(held, {}).get("p50"),
            "lock_p50_paced": phases.get("paced", {}).get(held, {}).get("p50"),
            "p50": paced.get("p50"),
            "p95": paced.get("p95"),
            "p99": paced.get("p99"),
            "rps": rps,
            "ratio": round(rps / healthz_rps, 2) if rps and healthz_rps else None,
            "saturated_p99": saturated.get("p99"),
        })
    return rows


def format_table(rows: list[dict]) -> str:
    header = ("| endpoint | users | requests | failures | **alone p50 ms** | transaction held "
              "p50 ms (alone) | paced p50 ms | paced p99 ms | req/s saturated | ÷ /healthz | "
              "p99 ms saturated |")
    lines = [header, "|" + "---|" * 11]

    def cell(value):
        return "–" if value is None else str(value)

    for row in rows:
        lines.append("| " + " | ".join(cell(v) for v in (
            row["endpoint"], row["users"], row["requests"], row["failures"],
            f"**{row['solo_p50']}**" if row["solo_p50"] is not None else None,
            row["lock_p50"] if row["lock_p50"] is not None else row["lock_p50_paced"],
            row["p50"], row["p99"], row["rps"], row["ratio"], row["saturated_p99"],
        )) + " |")
    return "\n".join(lines)


def _verdict(ok: bool, text: str) -> str:
    return f"{'MET   ' if ok else 'MISSED'} {text}"


def verdicts(run: dict, rows: list[dict]) -> list[str]:
    """Each budget of BUDGETS, MET or MISSED, with the figure it was judged on."""
    by_name = {row["scenario"]: row for row in rows}
    out = []
    for name, budget in BUDGETS["alone_p50_ms"].items():
        row = by_name.get(name)
        if row and row["solo_p50"] is not None:
            out.append(_verdict(row["solo_p50"] <= budget,
                                f"{row['endpoint']} alone p50 {row['solo_p50']} ms "
                                f"(budget ≤ {budget} ms)"))
    answer = by_name.get("answer")
    if answer and answer["lock_p50"] is not None:
        budget = BUDGETS["answer_lock_p50_ms"]
        out.append(_verdict(answer["lock_p50"] <= budget,
                            f"answer post holds its transaction (the SQLite write lock) p50 "
                            f"{answer['lock_p50']} ms alone, {answer['lock_p50_saturated']} ms "
                            f"saturated (budget ≤ {budget} ms)"))
    if answer and answer["saturated_p99"] is not None:
        budget = BUDGETS["answer_saturated_p99_ms"]
        out.append(_verdict(answer["saturated_p99"] <= budget,
                            f"answer post p99 with {answer['users']} users and no think time "
                            f"{answer['saturated_p99']} ms (budget ≤ {budget} ms)"))
    lecture = by_name.get("class")
    if lecture and lecture["p99"] is not None:
        budget = BUDGETS["class_p99_ms"]
        out.append(_verdict(lecture["p99"] <= budget,
                            f"a class of {lecture['users']} answering every "
                            f"{CLASS_THINK[0]:.0f}–{CLASS_THINK[1]:.0f} s: answer post p99 "
                            f"{lecture['p99']} ms, p50 {lecture['p50']} ms, "
                            f"{lecture['requests']} answers (budget p99 ≤ {budget} ms)"))
    # Every request of every scenario counts here, not only the measured ones.
    entries = [
        entry
        for report in run["scenarios"].values()
        for phase in report["phases"].values()
        for name, entry in phase.items()
        if not name.endswith((": transaction held", ": in the app"))  # figures, not requests
    ]
    failures = sum(entry["failures"] for entry in entries)
    requests = sum(entry["requests"] for entry in entries)
    errors = {e: n for report in run["scenarios"].values() for e, n in report["errors"].items()}
    out.append(_verdict(not failures, f"failures: {failures} of {requests} requests"
                        + (f" ({'; '.join(list(errors)[:3])})" if errors else "")))
    tracebacks = run["server_errors_logged"]
    out.append(_verdict(not tracebacks, f"server errors (tracebacks) in gunicorn's log: "
                        f"{tracebacks}"))
    if run["database"] == "SQLite":
        locked = run["database_is_locked"]
        out.append(_verdict(not locked, f"'database is locked' in gunicorn's log: {locked}"))
    scaling = run.get("results_scaling")
    if scaling:
        change = scaling["ratio"] - 1
        out.append(_verdict(abs(change) <= BUDGETS["results_scaling"],
                            f"results page of the 300-student class alone: p50 "
                            f"{scaling['large']['p50']} ms on the large data set "
                            f"({scaling['large']['responses_in_class']} responses in the class) "
                            f"against {scaling['small']['p50']} ms on the small one "
                            f"({scaling['small']['responses_in_class']}): {change:+.0%}, "
                            f"medians of {SCALING_STARTS} server starts "
                            f"(budget within ±{BUDGETS['results_scaling']:.0%})"))
    if run.get("csv_memory"):
        growth = run["csv_memory"]["peak_rss_growth_mb"]
        first = run["csv_memory"]["runs"][0]
        out.append(_verdict(growth < BUDGETS["csv_growth_mb"],
                            f"gradebook CSV ({first['lines']} lines, {first['bytes'] / 1e6:.1f} "
                            f"MB, {run['targets']['responses_in_class']} responses) streamed "
                            f"with peak RSS growth {growth} MB (budget < "
                            f"{BUDGETS['csv_growth_mb']} MB), first byte after "
                            f"{first['first_byte_ms']} ms, whole file in {first['seconds']} s"))
    return out


def capacity(run: dict, cores: int) -> list[str]:
    """How many students answering in class one core serves, from this run's figures: the
    measured part (saturated answer posts a second, the class scenario's tail) and the
    estimate drawn from it, labelled as such."""
    rows = {row["scenario"]: row for row in run.get("rows", [])}
    answer, lecture = rows.get("answer"), rows.get("class")
    if not answer or not answer.get("rps"):
        return []
    per_core = answer["rps"] / cores
    think = sum(CLASS_THINK) / 2
    lines = [
        f"Capacity on {run['database']}: measured, {answer['rps']} answer posts a second with "
        f"{cores} cores saturated (locust on the same cores), {per_core:.0f} a core."
    ]
    if lecture and lecture.get("p99") is not None:
        lines[0] += (f" Measured, 300 students answering every {CLASS_THINK[0]:.0f}–"
                     f"{CLASS_THINK[1]:.0f} s: p99 {lecture['p99']} ms.")
    lines[0] += (f" Estimated from the first figure: a student in class answers about once "
                 f"every {think:.0f} s, so one core keeps up with about "
                 f"{per_core * think:.0f} students answering at once, before queueing "
                 f"grows; half that leaves headroom for page views between answers.")
    return [lines[0], ""]


def update_readme(results: dict) -> None:
    readme = BENCH / "README.md"
    text = readme.read_text() if readme.exists() else ""
    start, end = "<!-- latest-results:start -->", "<!-- latest-results:end -->"
    m = results["machine"]
    settings = results["settings"]
    server = f"{settings['workers']} {settings['worker_class']} workers"
    if settings.get("threads"):  # gthread only
        server += f" of {settings['threads']} thread{'s' if settings['threads'] != 1 else ''}"
    block = [start, "",
             f"Run on {m['date']}: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, "
             f"Python {m['python']}, Django {m['django']}, SQLite {m['sqlite']}; "
             f"gunicorn {server}; {results['settings']['users']} users; per scenario "
             f"{results['settings']['solo']} s alone, {results['settings']['paced']} s paced "
             f"(think time {results['settings']['think'][0]}–{results['settings']['think'][1]} s)"
             f", {results['settings']['saturated']} s saturated; locust on the same machine; "
             f"load average before the scenarios: {results['load_average_start']}; this "
             f"machine's Python speed: {m.get('python_loop_ms', '–')} ms for a million "
             "additions in a loop (`python_speed_ms`; lower is faster).", ""]
    for run in results["runs"]:
        block += [f"### {run['database']}", "", run["table"], ""]
        block += [f"- {line}" for line in run["verdicts"]]
        block.append("")
        block += [f"- {name}, {cpu_line(report, report['measured'])}"
                  for name, report in run.get("scenarios", {}).items()]
        block.append("")
        block += capacity(run, m["nproc"])
    block.append(end)
    replacement = "\n".join(block)
    if start in text and end in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: replacement, text,
                      flags=re.S)
    else:
        text += "\n## Latest results\n\n" + replacement + "\n"
    readme.write_text(text)


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--solo", type=int, default=10, help="seconds of one user alone")
    parser.add_argument("--paced", type=int, default=40, help="seconds with think time")
    parser.add_argument("--think", type=lambda s: tuple(float(x) for x in s.split("-")),
                        default=(0.5, 1.5), help="paced think time range, e.g. 0.5-1.5")
    parser.add_argument("--saturated", type=int, default=20, help="seconds without")
    parser.add_argument("--class-seconds", type=int, default=60,
                        help="seconds of the 300-student class scenario")
    parser.add_argument("--no-scaling", action="store_true",
                        help="skip the results page on the small data set")
    # One gthread worker of one thread per core measured best here (bench/README.md,
    # "Workers"): threads share one GIL and cost the answer post a third of its throughput;
    # gthread keeps connections alive, which sync workers do not.
    parser.add_argument("--workers", type=int, default=cores)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker, for gthread")
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=None,
                        help="comma-separated scenarios: " + ",".join(s[0] for s in SCENARIOS))
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data")
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--results", default=str(BENCH / "results.json"))
    args = parser.parse_args()

    started = time.perf_counter()
    databases = [prepare_sqlite(args.rebuild)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(prepare_postgres(os.environ["DATABASE_URL"], args.rebuild))

    results = {
        "load_average_start": round(os.getloadavg()[0], 1),
        "machine": machine(),
        "settings": {"users": args.users, "solo": args.solo, "paced": args.paced,
                     "think": args.think, "saturated": args.saturated,
                     "workers": args.workers, "worker_class": args.worker_class,
                     "threads": args.threads if args.worker_class == "gthread" else None},
        "targets": TARGETS,
        "runs": [],
    }
    for database, data_info in databases:
        run = run_database(database, data_info, args)
        rows = summarize(run)
        run["rows"] = rows
        run["table"] = format_table(rows)
        run["verdicts"] = verdicts(run, rows)
        results["runs"].append(run)
        print()
        print(f"{database['label']} — {args.workers} {args.worker_class} workers, "
              f"{args.users} users")
        print(run["table"])
        for line in run["verdicts"]:
            print("  " + line)
        print()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    Path(args.results).write_text(json.dumps(results, indent=2, default=str) + "\n")
    log(f"wrote {args.results}")
    if not args.no_readme:
        update_readme(results)
        log("updated bench/README.md")
    log(f"total {results['total_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
