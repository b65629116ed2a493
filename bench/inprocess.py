"""The budgeted requests profiled in-process: each endpoint's median time through Django's
whole stack (middleware, view, templates) with the test client, its statements, and how
long its transaction held the write lock (config/timing.py's Server-Timing), with no
server, no network and no load generator beside it.

That is `make bench`'s "alone" column without gunicorn and the loopback (about 0.3 ms more
there), so it is what to look at while changing code, and the one figure worth taking when
other work shares the machine: a median of one request at a time moves little with load,
where the load runs' queueing figures do not.

    .venv/bin/python bench/inprocess.py                      # SQLite, the medium data set
    DATABASE_URL=postgres://… .venv/bin/python bench/inprocess.py
    .venv/bin/python bench/inprocess.py --only lesson,grade --repeats 300
    .venv/bin/python bench/inprocess.py --cprofile answer    # where one endpoint's time goes

The data set is bench/run.py's (built once into bench/data/, reused while its stamp
matches); `--size large` profiles the benchmark's own (slow to build: minutes).
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import run as bench_run  # noqa: E402  (bench/run.py: the data sets and production settings)

ENDPOINTS = ["healthz", "lesson", "answer", "grade", "results"]


def prepare(args) -> str:
    url = os.environ.get("DATABASE_URL")
    if url and url.startswith("postgres"):
        database, _info = bench_run.prepare_postgres(url, rebuild=False, size=args.size)
    else:
        database, _info = bench_run.prepare_sqlite(rebuild=False, size=args.size)
    env = bench_run.base_env(database)
    env["ALLOWED_HOSTS"] += ",testserver"
    bench_run.manage(env, "collectstatic", "--noinput", "-v0")  # the manifest DEBUG=0 reads
    os.environ.clear()
    os.environ.update(env)
    return database["label"]


def timed(call, repeats):
    """(median ms, median CPU ms, median transaction ms or None) of `repeats` requests, each
    made by the callable `call()` returns (preparing one is not timed). The CPU time (this
    thread's) moves less than the wall time when other processes share the cores: the gap
    between them is mostly waiting for a core."""
    took, cpu, held = [], [], []
    for _ in range(repeats):
        request = call()
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = request()
        took.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        assert response.status_code in {200, 302}, (response.status_code, response.content[:300])
        timing = dict(
            part.strip().split(";dur=") for part in response["Server-Timing"].split(",")
        )
        if "db-tx" in timing:
            held.append(float(timing["db-tx"]))
    return (statistics.median(took), statistics.median(cpu),
            statistics.median(held) if held else None)


def _project_frame() -> str:
    """Where in the project a statement comes from: the innermost frame of its own code."""
    import traceback

    for frame in reversed(traceback.extract_stack()[:-2]):
        path = Path(frame.filename)
        if str(path).startswith(str(BENCH.parent)) and ".venv" not in path.parts and (
            path.parent != BENCH
        ):
            return f"{path.relative_to(BENCH.parent)}:{frame.lineno}"
    return "django"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--only", type=lambda s: s.split(","), default=ENDPOINTS)
    parser.add_argument("--cprofile", default=None, choices=ENDPOINTS,
                        help="print where this endpoint's time goes")
    parser.add_argument("--sql", default=None, choices=ENDPOINTS,
                        help="print this endpoint's statements")
    args = parser.parse_args()
    label = prepare(args)

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from quizzes.demo import synthetic
    from quizzes.practice import attempts as engine
    from quizzes.practice.presenting import present_question
    from quizzes.practice.simulation import form_data
    from quizzes.review.session import review_session
    from relations.models import Lesson

    targets = synthetic.showcase()
    htmx = {"HTTP_HX_REQUEST": "true"}
    rng = random.Random(7)
    students = iter(User.objects.filter(username__startswith=synthetic.STUDENT_PREFIX)
                    .order_by("id"))

    def signed_in(user):
        client = Client()
        client.force_login(user)
        return client

    def healthz():
        client = Client()
        return lambda: lambda: client.get("/healthz")

    def lesson():
        client = Client()
        slugs = list(Lesson.objects.values_list("slug", flat=True))
        for slug in slugs:  # warm the cache: the budget is the cached page
            client.get(f"/lessons/{slug}/")
        cycle = iter(slugs * (args.repeats * 3))
        def visit():
            url = f"/lessons/{next(cycle)}/"
            return lambda: client.get(url)
        return visit

    def answer():
        user = next(students)
        client = signed_in(user)
        steps = []
        while len(steps) < args.repeats * 3 + 5:
            attempt = engine.start_practice(user=user, count=10)
            for response in attempt.responses.select_related("question").order_by("position"):
                view = present_question(attempt=attempt, response=response)
                data = form_data(attempt=attempt, response=response, right=rng.random() < 0.65)
                steps.append((view.action, data))
        cycle = iter(steps)

        def post():
            action, data = next(cycle)
            return lambda: client.post(action, data, **htmx)
        return post

    def grade():
        # Learners with cards due, one after another as each runs out.
        state = {"user": None, "client": None}

        def post():
            while True:
                if state["user"] is None:
                    state["user"] = next(students)
                    state["client"] = signed_in(state["user"])
                session = review_session(user=state["user"], now=timezone.now())
                if session.card is not None:
                    break
                state["user"] = None
            client, data = state["client"], {
                "card": session.card.pk, "token": session.token,
                "rating": rng.choices("1234", weights=(10, 15, 60, 15))[0],
            }
            return lambda: client.post("/review/grade/", data, **htmx)
        return post

    def results():
        client = signed_in(User.objects.get(username=targets["instructor"]))
        url = f"/classes/{targets['classroom_id']}/assignments/{targets['assignment_id']}/results/"
        return lambda: lambda: client.get(url)

    makers = dict(healthz=healthz, lesson=lesson, answer=answer, grade=grade, results=results)
    print(f"{label}, {args.size} data set ({targets['classroom_students']} students in the "
          f"lecture, {targets['responses_in_class']} of its responses); "
          f"{os.getloadavg()[0]:.1f} load average")
    print(f"{'endpoint':<10} {'p50 ms':>8} {'CPU p50 ms':>11} {'tx p50 ms':>10} "
          f"{'statements':>11}")
    for name in args.only:
        call = makers[name]()
        repeats = args.repeats if name != "results" else max(10, args.repeats // 10)
        call()()  # warm: templates compiled, connections open
        request = call()
        origins = []

        def note_origin(execute, sql, params, many, context, origins=origins):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                took = (time.perf_counter() - started) * 1000
                origins.append((_project_frame(), took, sql))

        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(
            note_origin
        ):
            request()
        statements = len(queries)  # now: the log is cleared at the next request's start
        if args.sql == name:  # every statement the ORM sent, and where in the project from
            for origin, took, sql in origins:
                print(f"  {origin:<40} {took:6.2f} ms  {sql[:140]}")
        median, cpu, held = timed(call, repeats)
        held_text = f"{held:.2f}" if held is not None else "–"
        print(f"{name:<10} {median:>8.2f} {cpu:>11.2f} {held_text:>10} {statements:>11}")
        if args.cprofile == name:
            profiler = cProfile.Profile()
            profiler.runcall(timed, call, repeats)
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(rf"{BENCH.parent}/(?!\.venv)", 40)
            stats.sort_stats("tottime").print_stats(25)
            if os.environ.get("PROFILE_ALL"):
                stats.sort_stats("cumulative").print_stats(80)
    return 0


if __name__ == "__main__":
    sys.exit(main())
