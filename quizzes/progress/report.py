"""A learner's progress: mastery per lesson, the week ahead, the review calendar, the streak
and quiz history. Plain functions; every count is aggregated in the database, so the number
of queries does not grow with the learner's history.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.utils import timezone
from fsrs import State

from quizzes.classes.held_back import released_assignment_ids
from quizzes.practice.attempts import feedback_visible
from quizzes.practice.models import Attempt
from quizzes.review.models import Card, CardState, Review
from quizzes.review.scheduling import SCHEDULER, to_fsrs
from quizzes.review.study_queue import study_plan
from relations.models import Lesson

# A card is mastered when FSRS predicts at least this chance of recalling it now. It is the
# scheduler's own desired retention: a card above it is not yet due for review.
MASTERY_THRESHOLD = SCHEDULER.desired_retention
HEATMAP_WEEKS = 26
FORECAST_DAYS = 7
QUIZ_HISTORY_LIMIT = 20

MASTERY_EXPLANATION = (
    "A card counts as mastered when you have finished learning it (it is in long-term "
    "review, not relearning after a lapse) and the FSRS memory model predicts at least a "
    f"{round(MASTERY_THRESHOLD * 100)}% chance that you would recall it right now. "
    "Mastery is the share of the lesson's cards that are mastered; it falls as time passes "
    "without review and rises when you review or answer quiz questions about them."
)


def is_mastered(*, state: CardState, now, threshold: float = MASTERY_THRESHOLD) -> bool:
    if state.state != State.Review or state.last_review is None:
        return False
    fsrs_card = to_fsrs(state, card_id=state.card_id, now=now)
    return SCHEDULER.get_card_retrievability(fsrs_card, now.astimezone(datetime.UTC)) >= threshold


@dataclass
class LessonMastery:
    lesson: Lesson
    cards: int
    studied: int = 0
    mastered: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.mastered / self.cards) if self.cards else 0


def lesson_mastery(*, user, now, threshold: float = MASTERY_THRESHOLD) -> list[LessonMastery]:
    """Per lesson with cards: how many cards, how many studied, how many mastered.
    Three queries, whatever the history."""
    card_counts = dict(
        Card.objects.active()
        .filter(lesson__isnull=False)
        .values("lesson_id")
        .annotate(n=Count("id"))
        .values_list("lesson_id", "n")
    )
    rows = {
        lesson.pk: LessonMastery(lesson=lesson, cards=card_counts[lesson.pk])
        for lesson in Lesson.objects.filter(pk__in=card_counts).order_by("order", "title")
    }
    states = CardState.objects.filter(
        user=user, card__retired_at__isnull=True, card__lesson__isnull=False
    ).only("card_id", "state", "step", "stability", "difficulty", "due", "last_review")
    for state in states.annotate(lesson_id=F("card__lesson_id")):
        row = rows.get(state.lesson_id)
        if row is None:
            continue
        row.studied += 1
        if is_mastered(state=state, now=now, threshold=threshold):
            row.mastered += 1
    return list(rows.values())


@dataclass(frozen=True)
class DueDay:
    date: datetime.date
    count: int
    percent: int = 0  # of the busiest day in the forecast, for the bar


def due_forecast(*, user, now, days: int = FORECAST_DAYS) -> list[DueDay]:
    """Cards due on each of the next `days` days (today includes anything overdue), from the
    lessons the learner studies. One aggregate query (plus the study plan's)."""
    today = timezone.localdate(now)
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time.min)
    )
    by_day = dict(
        study_plan(user=user)
        .states(user)
        .filter(due__lt=end)
        .annotate(day=TruncDate("due"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    forecast = []
    overdue = sum(n for day, n in by_day.items() if day < today)
    for offset in range(days):
        day = today + datetime.timedelta(days=offset)
        count = by_day.get(day, 0) + (overdue if offset == 0 else 0)
        forecast.append(DueDay(day, count))
    busiest = max((day.count for day in forecast), default=0)
    return [
        DueDay(day.date, day.count, round(100 * day.count / busiest) if busiest else 0)
        for day in forecast
    ]


def reviews_by_day(*, user) -> dict[datetime.date, int]:
    """Reviews that stand (undone ones do not count), counted per day, in one query."""
    return dict(
        Review.objects.counted()
        .filter(user=user)
        .annotate(day=TruncDate("reviewed_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )


def current_streak(*, day_counts: dict[datetime.date, int], today: datetime.date) -> int:
    """Consecutive days with at least one review, ending today, or yesterday when today has
    none yet (the streak is not lost until the day is over)."""
    day = today if day_counts.get(today) else today - datetime.timedelta(days=1)
    streak = 0
    while day_counts.get(day):
        streak += 1
        day -= datetime.timedelta(days=1)
    return streak


# The heatmap's geometry in SVG user units: a square per day, a week per column.
HEAT_CELL = 11
HEAT_STEP = 14
HEAT_LEFT = 30  # room for the weekday labels
HEAT_TOP = 16  # room for the month labels


@dataclass(frozen=True)
class HeatCell:
    date: datetime.date
    count: int
    level: int
    column: int
    row: int

    @property
    def x(self) -> int:
        return HEAT_LEFT + self.column * HEAT_STEP

    @property
    def y(self) -> int:
        return HEAT_TOP + self.row * HEAT_STEP


@dataclass(frozen=True)
class Heatmap:
    weeks: list[list[HeatCell]]  # each week Monday first; the last week may be short
    months: list[tuple[int, str]]  # (x, month name) where a month starts
    total: int
    active_days: int
    cell: int = HEAT_CELL

    @property
    def width(self) -> int:
        return HEAT_LEFT + len(self.weeks) * HEAT_STEP

    @property
    def height(self) -> int:
        return HEAT_TOP + 7 * HEAT_STEP

    @property
    def table_rows(self) -> list[dict]:
        """The same numbers as a table, newest week first; days still to come are None."""
        rows = []
        for week in reversed(self.weeks):
            counts = [cell.count for cell in week] + [None] * (7 - len(week))
            rows.append({"start": week[0].date, "counts": counts,
                         "total": sum(cell.count for cell in week)})
        return rows

    @property
    def weekday_labels(self) -> list[tuple[int, str]]:
        # Label every other row, as GitHub does, so the labels stay legible.
        return [(HEAT_TOP + row * HEAT_STEP + HEAT_CELL - 1, name)
                for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun"))]


def heat_level(count: int) -> int:
    """0 for none, then 1–4 by how many reviews, so a busy day stands out."""
    for level, ceiling in enumerate((0, 5, 15, 30), start=0):
        if count <= ceiling:
            return level
    return 4


def heatmap(
    *, day_counts: dict[datetime.date, int], today: datetime.date, weeks: int = HEATMAP_WEEKS
) -> Heatmap:
    """The last `weeks` weeks as columns of seven days (Monday at the top), ending today."""
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    columns: list[list[HeatCell]] = []
    months: list[tuple[int, str]] = []
    total = active = 0
    day = first
    while day <= today:
        column = (day - first).days // 7
        if day.weekday() == 0:
            columns.append([])
            if column == 0 or day.day <= 7:  # the first week, or the first Monday of a month
                months.append((HEAT_LEFT + column * HEAT_STEP, f"{day:%b}"))
        count = day_counts.get(day, 0)
        total += count
        active += bool(count)
        columns[-1].append(HeatCell(day, count, heat_level(count), column, day.weekday()))
        day += datetime.timedelta(days=1)
    # A month label on the first column and again within a week would overlap; keep one.
    if len(months) > 1 and months[1][0] - months[0][0] < 3 * HEAT_STEP:
        months.pop(0)
    return Heatmap(columns, months, total, active)


def quiz_history(*, user, limit: int = QUIZ_HISTORY_LIMIT, now=None) -> list[Attempt]:
    """Finished attempts, newest first; each says whether its score may be shown yet."""
    attempts = list(
        Attempt.objects.filter(user=user, finished_at__isnull=False)
        .select_related("assignment")
        .order_by("-finished_at", "-id")[:limit]
    )
    released = released_assignment_ids(
        assignments={a.assignment for a in attempts if a.assignment_id}, now=now
    )
    for attempt in attempts:
        attempt.score_visible = feedback_visible(attempt=attempt, now=now, released_ids=released)
    return attempts


@dataclass
class ProgressReport:
    mastery: list[LessonMastery]
    forecast: list[DueDay]
    heatmap: Heatmap
    streak: int
    quizzes: list[Attempt]
    mastery_threshold: float = MASTERY_THRESHOLD
    mastery_explanation: str = MASTERY_EXPLANATION

    @property
    def forecast_max(self) -> int:
        return max((day.count for day in self.forecast), default=0)

    @property
    def cards_studied(self) -> int:
        return sum(row.studied for row in self.mastery)


def progress_report(*, user, now) -> ProgressReport:
    today = timezone.localdate(now)
    day_counts = reviews_by_day(user=user)
    return ProgressReport(
        mastery=lesson_mastery(user=user, now=now),
        forecast=due_forecast(user=user, now=now),
        heatmap=heatmap(day_counts=day_counts, today=today),
        streak=current_streak(day_counts=day_counts, today=today),
        quizzes=quiz_history(user=user, now=now),
    )
