"""Locust users for bench/run.py; one user class per scenario.

Each simulated user signs in first (as its own bench student, or as the lecture's
instructor) and prepares what it needs; none of that is measured. When every user is
ready, the statistics start: a solo phase (only the first user makes requests, one at a
time: the endpoint's own latency, no queueing), a paced phase (every user waits 0.5–1.5 s
between requests, like people clicking: latency under load), then a saturated phase (no
think time: the most the server can do, the throughput figure), with a short unmeasured
settle between phases. Then the file writes its
own figures (exact percentiles per request name and phase) to the path in --bench-config
and stops locust.

Run by bench/run.py; by hand:
    locust -f bench/locustfile.py HealthzUser --headless --host http://127.0.0.1:8000 \
        -u 50 -r 10 --bench-config bench/data/locust-sqlite-healthz.json
"""

import itertools
import json
import math
import os
import random
import re
import resource
import statistics
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

import gevent
from gevent.event import Event
from locust import FastHttpUser, events, task
from locust.exception import StopUser

CONFIG: dict = {}
PHASE: str | None = None  # "solo", "paced", "saturated" or None (not measured)
# Whether users think between requests. It changes when the settle before a phase starts,
# not with the phase: a settle that ran flat out before the paced phase left every user's
# request queued behind 49 others when the paced clock started (its p95 was that queue).
THINKING = False
PHASE_SECONDS: dict[str, float] = {}
PHASE_CORES: dict[str, dict[str, float]] = {}
PHASE_CONNECTIONS: dict[str, list[int]] = {}
TIMES: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
FAILURES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
ERRORS: dict[str, int] = defaultdict(int)
READY = Event()
USER_NUMBERS = itertools.count()
users_prepared = 0
users_broken = 0
HTMX = {"HX-Request": "true"}
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.init_command_line_parser.add_listener
def _add_arguments(parser):
    parser.add_argument("--bench-config", default="", help="JSON written by bench/run.py")


@events.init.add_listener
def _load_config(environment, **kwargs):
    path = environment.parsed_options and environment.parsed_options.bench_config
    if path:
        with open(path) as handle:
            CONFIG.update(json.load(handle))


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs):
    if PHASE is None:
        return
    TIMES[PHASE][name].append(response_time)
    if exception is not None:
        FAILURES[PHASE][name] += 1
        ERRORS[f"{name}: {str(exception)[:160]}"] += 1


def _summary(times: list[float], failures: int, seconds: float) -> dict:
    ordered = sorted(times)

    def pct(p):
        if not ordered:
            return None
        # Nearest rank: the smallest time with at least p% of the requests at or below it.
        return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 1)

    return {
        "requests": len(ordered),
        "failures": failures,
        "p50": pct(50), "p95": pct(95), "p99": pct(99),
        "max": round(ordered[-1], 1) if ordered else None,
        "mean": round(statistics.fmean(ordered), 1) if ordered else None,
        "rps": round(len(ordered) / seconds, 1) if seconds else None,
    }


def _cpu_seconds() -> dict:
    """CPU time used so far by this locust process and by the app's workers (their pids
    come from bench/run.py): how the cores were shared in each phase."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ticks, app = os.sysconf("SC_CLK_TCK"), 0
    for pid in CONFIG.get("worker_pids", []):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        app += int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks
    return {"locust": own.ru_utime + own.ru_stime, "app": app / ticks}


def _connections_per_worker(port: int) -> list[int]:
    """How many of the clients' connections each app worker holds now, most first.

    A gthread worker keeps each connection it accepted for as long as the client keeps it
    alive, and queues its requests behind its own: a worker holding more of the fifty
    connections than the other has the longer queue, which is where the saturated tail
    comes from (bench/README.md, *Where it falls short*). Read from /proc: each worker's
    socket inodes, matched against the established TCP connections on the app's port."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == "01" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                established.add(fields[9])  # the socket's inode
    counts = []
    for pid in CONFIG.get("worker_pids", []):
        held = 0
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                link = os.readlink(fd)
                held += link.startswith("socket:[") and link[8:-1] in established
        except OSError:
            continue
        counts.append(held)
    return sorted(counts, reverse=True)


def _measure(environment):
    """Both phases, then the figures, then stop."""
    global PHASE, THINKING
    phases = [p for p in ("solo", "paced", "saturated") if CONFIG.get(f"{p}_seconds", 30)]
    THINKING = phases[:1] == ["paced"]
    for phase, following in zip(phases, [*phases[1:], None], strict=True):
        PHASE = phase
        started, cpu_before = time.perf_counter(), _cpu_seconds()
        gevent.sleep(CONFIG.get(f"{phase}_seconds", 30))
        PHASE = None
        PHASE_SECONDS[phase] = time.perf_counter() - started
        PHASE_CORES[phase] = {
            who: round((used - cpu_before[who]) / PHASE_SECONDS[phase], 2)
            for who, used in _cpu_seconds().items()
        }
        PHASE_CONNECTIONS[phase] = _connections_per_worker(
            urllib.parse.urlsplit(environment.host).port or 80
        )
        THINKING = following == "paced"
        gevent.sleep(2)  # unmeasured: the last phase's requests finish, at the next one's pace
    report = {
        "users_ready": users_prepared,
        "users_broken": users_broken,
        "phase_seconds": {k: round(v, 1) for k, v in PHASE_SECONDS.items()},
        "phase_cores_used": PHASE_CORES,
        "phase_connections_per_worker": PHASE_CONNECTIONS,
        "phases": {
            phase: {
                name: _summary(TIMES[phase][name], FAILURES[phase][name], PHASE_SECONDS[phase])
                for name in TIMES[phase]
            }
            for phase in PHASE_SECONDS
        },
        "errors": dict(sorted(ERRORS.items(), key=lambda item: -item[1])[:20]),
    }
    with open(CONFIG["out"], "w") as handle:
        json.dump(report, handle, indent=2)
    environment.runner.quit()


def _user_ready(user, broken=False):
    """Count users that finished preparing; the last one starts the clock."""
    global users_prepared, users_broken
    users_prepared += 1
    users_broken += broken
    if users_prepared == user.environment.parsed_options.num_users and not READY.is_set():
        READY.set()
        gevent.spawn(_measure, user.environment)


def _cookie(name: str, value: str, host: str):
    from http.cookiejar import Cookie

    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None,
                  False, None, None, {})


class BenchUser(FastHttpUser):
    abstract = True
    network_timeout = 300.0
    connection_timeout = 30.0

    def wait_time(self):
        if THINKING:
            low, high = CONFIG.get("think_seconds", (0.5, 1.5))
            return random.uniform(low, high)
        return 0

    def gate(self):
        """In the solo phase only the first user makes requests: one at a time, no queue."""
        held = False
        while PHASE == "solo" and self.number != 0:
            held = True
            gevent.sleep(0.1)
        if held:
            # Released all at once when the solo phase ends: start out of step, one think
            # time apart, not 49 requests in the same 100 ms (that burst was the paced p99).
            gevent.sleep(self.wait_time())

    def on_start(self):
        self.number = next(USER_NUMBERS)
        try:
            self.prepare()
        except Exception as error:  # a user that cannot start must not hold the others
            ERRORS[f"prepare: {str(error)[:160]}"] += 1
            _user_ready(self, broken=True)
            raise StopUser() from error
        _user_ready(self)
        READY.wait()
        gevent.sleep(self.first_wait())

    def first_wait(self) -> float:
        # Start out of step, as people do, rather than all fifty in the same millisecond.
        return random.uniform(0, 1.5)

    def prepare(self):
        pass

    # -- helpers --

    def csrf_token(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def sign_in(self, username: str):
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = CSRF_FIELD.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/", name="sign in", allow_redirects=False,
            data={"username": username, "password": CONFIG["password"],
                  "csrfmiddlewaretoken": token},
        )
        if response.status_code != 302:
            raise RuntimeError(f"sign-in as {username} answered {response.status_code}")

    def use_session(self, session_key: str):
        """Signed in already: bench/run.py made this learner's session in the database, so
        300 students need not hash 300 passwords before the class starts (not measured)."""
        host = self.host.split("//", 1)[1].split(":")[0]
        token = "b" * 32  # a CSRF secret of the length Django accepts in the header too
        for name, value in (("sessionid", session_key), ("csrftoken", token)):
            self.client.cookiejar.set_cookie(_cookie(name, value, host))

    def student_name(self) -> str:
        return f"{CONFIG['student_prefix']}{CONFIG['student_offset'] + self.number}"

    def post(self, url, *, name, data, htmx=True, **kwargs):
        headers = {"X-CSRFToken": self.csrf_token(), "Referer": self.host + url}
        if htmx:
            headers.update(HTMX)
        if isinstance(data, dict):
            # Encoded here, as a browser does: FastHttpUser's client sends a list value (the
            # ticked boxes of a multiple-answer question) as its Python text, one field.
            data = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = self.client.post(url, name=name, data=data, headers=headers, **kwargs)
        record_server_timing(name, response)
        return response


SERVER_TIMING_TX = re.compile(r"db-tx;dur=([0-9.]+)")
SERVER_TIMING_APP = re.compile(r"app;dur=([0-9.]+)")


def record_server_timing(name: str, response) -> None:
    """The server's own figures for this write, from the Server-Timing header bench/run.py
    turns on: how long it held its transaction (the SQLite write lock), and how long
    Django's middleware and view took ("<name>: in the app"). The time locust sees minus
    the latter is gunicorn, the loopback and the wait for a core."""
    header = response.headers.get("Server-Timing", "") if response is not None else ""
    if PHASE is None or not header:
        return
    for pattern, series in ((SERVER_TIMING_TX, "transaction held"),
                            (SERVER_TIMING_APP, "in the app")):
        match = pattern.search(header)
        if match:
            TIMES[PHASE][f"{name}: {series}"].append(float(match.group(1)))


class HealthzUser(BenchUser):
    @task
    def healthz(self):
        self.gate()
        self.client.get("/healthz", name="/healthz")


class LessonUser(BenchUser):
    """Anonymous readers: lesson pages need no account."""

    def prepare(self):
        self.slugs = itertools.cycle(CONFIG["lesson_slugs"][self.number % 3:]
                                     + CONFIG["lesson_slugs"][:self.number % 3])

    @task
    def lesson(self):
        self.gate()
        self.client.get(f"/lessons/{next(self.slugs)}/", name="lesson page")


class InstructorUser(BenchUser):
    abstract = True

    def prepare(self):
        self.sign_in(CONFIG["instructor"])


class ResultsUser(InstructorUser):
    @task
    def results(self):
        self.gate()
        self.client.get(CONFIG["results_url"], name="assignment results (300 students)")


class GradebookUser(InstructorUser):
    @task
    def gradebook(self):
        self.gate()
        self.client.get(CONFIG["gradebook_url"], name="gradebook CSV")


ACTION = re.compile(r'<form method="post" action="(/attempts/\d+/answer/\d+/)"')
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]+)"')
SELECT = re.compile(r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="([^"]+)"')
TEXT_INPUT = re.compile(r'<input type="text" id="answer-text" name="([^"]+)"')
CHECKBOX = re.compile(r'<input type="checkbox" name="([^"]+)" value="([^"]+)"')
NUMBER_INPUT = re.compile(r'<input type="text" id="answer-number" name="([^"]+)"')
WRITTEN = re.compile(r'<textarea id="answer-written" name="([^"]+)"')


def answer_from_page(html: str):
    """(action, form data) for the question on an attempt page, answered at random the way
    a learner would pick: one option, a match per row, a distinct place per event, a word."""
    action = ACTION.search(html)
    if not action:
        return None
    data = {}
    radios = RADIO.findall(html)
    if radios:
        name, value = random.choice(radios)
        data[name] = value
    selects = SELECT.findall(html)
    if selects and selects[0][0].startswith("rank-"):
        places = list(range(1, len(selects) + 1))
        random.shuffle(places)
        data.update({name: str(place) for (name, _), place in zip(selects, places, strict=True)})
    else:
        for name, options in selects:
            data[name] = random.choice(OPTION_VALUE.findall(options))
    text = TEXT_INPUT.search(html)
    if text:
        data[text.group(1)] = random.choice(["Pyongyang", "Beijing", "1961", "Kim Il Sung"])
    boxes = CHECKBOX.findall(html)
    if boxes:  # multiple answer: one or two of the options ticked
        chosen = random.sample(boxes, min(len(boxes), random.choice([1, 2])))
        data[chosen[0][0]] = [value for _, value in chosen]
    number = NUMBER_INPUT.search(html)
    if number:
        data[number.group(1)] = random.choice(["1950", "1961", "2003", "1992"])
    written = WRITTEN.search(html)
    if written:
        data[written.group(1)] = "Beijing wanted a buffer state and feared a collapse there."
    # A description has no field: the post with nothing in it is "I have read it".
    return action.group(1), data


class PracticeUser(BenchUser):
    """A learner answering a practice quiz in order, with htmx.

    bench/run.py starts this user's practice attempts before the clock (through the quiz
    engine, as POST /practice/ does) and hands over, for each question in order, the form
    a learner would post: the option values the attempt page shows. So the saturated phase
    is answer posts alone, comparable with /healthz. When the prepared answers run out the
    user carries on through the pages themselves (start a quiz, read the question, answer).
    """

    def prepare(self):
        sessions = CONFIG.get("sessions") or {}
        if self.student_name() in sessions:
            self.use_session(sessions[self.student_name()])
        else:
            self.sign_in(self.student_name())
        plans = CONFIG.get("practice_plans") or {}
        self.queue = [tuple(step) for step in plans.get(self.student_name(), [])]
        self.queue.reverse()  # pop() from the end = in order
        self.page_answer = None

    @task
    def answer(self):
        self.gate()
        if self.queue:
            url, data = self.queue.pop()
        else:
            if self.page_answer is None:
                self.page_answer = self.start_from_pages()
            url, data = self.page_answer
        response = self.post(url, name="answer post (HTMX)", data=data)
        if not self.queue and self.page_answer is not None:
            # Walking the pages: follow "Next" to the following question (or a new quiz).
            self.page_answer = self.next_from_pages(url) if response.status_code == 200 else None

    def start_from_pages(self):
        page = self.client.get("/practice/", name="practice page")
        token = CSRF_FIELD.search(page.text).group(1)
        started = self.client.post(
            "/practice/", name="practice start", data={"count": "20",
                                                       "csrfmiddlewaretoken": token},
        )
        return answer_from_page(started.text)

    def next_from_pages(self, answered_url):
        attempt_url = answered_url.split("answer/")[0]
        page = self.client.get(attempt_url, name="attempt page (next question)")
        return answer_from_page(page.text)


class ClassroomUser(PracticeUser):
    """One of a lecture's students in class: reads the question, thinks, answers, about one
    answer every 10–20 s (bench/run.py sets that think time for this scenario)."""

    def wait_time(self):
        low, high = CONFIG.get("think_seconds", (10, 20))
        return random.uniform(low, high) if PHASE is not None else random.uniform(0, high)

    def first_wait(self) -> float:
        # A class does not answer in the same second: each student is somewhere in reading
        # their question when the clock starts, so first answers spread over a think time
        # (300 in 1.5 s would be a 200-a-second burst no class makes).
        return random.uniform(0, CONFIG.get("think_seconds", (10, 20))[1])


CARD_FIELD = re.compile(r'name="card" value="(\d+)"')
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
FLIP_LINK = re.compile(r'hx-get="(/review/\?card=\d+&amp;answer=1&amp;t=\d+)"')


class ReviewUser(BenchUser):
    """A learner reviewing due flashcards with htmx: flip (GET), grade (POST), repeat."""

    def prepare(self):
        self.sign_in(self.student_name())
        page = self.client.get("/review/", name="review page")
        self.flip = self._flip_url(page.text)

    @staticmethod
    def _flip_url(html):
        match = FLIP_LINK.search(html)
        return match.group(1).replace("&amp;", "&") if match else None

    @task
    def review(self):
        self.gate()
        if self.flip is None:  # nothing due: this learner is done, move on to another
            self.number += CONFIG.get("users_total", 50)
            self.client.cookiejar.clear()
            self.prepare()
            if self.flip is None:
                return
        back = self.client.get(self.flip, name="flip card (HTMX)", headers=HTMX)
        card, token = CARD_FIELD.search(back.text), TOKEN_FIELD.search(back.text)
        if not (card and token):
            self.flip = None
            return
        graded = self.post(
            "/review/grade/", name="grade post (HTMX)",
            data={"card": card.group(1), "token": token.group(1),
                  "rating": random.choices("1234", weights=(10, 15, 60, 15))[0]},
        )
        self.flip = self._flip_url(graded.text)
