"""FSRS scheduling: each learner's card states and review log, built on the `fsrs` package.

Contract used by the quiz engine (implemented by the review work):

    record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int

counts a quiz answer as a review (wrong as Again, right as Good, at answered_at) of every
active card made from the same content item as the question, and returns how many cards
it moved. A question with no content item moves nothing.

Everything else here serves the review page: the due queue, what each grade would give,
grading with a one-time token, undo, and the learner's study preference. The scheduling
itself is the `fsrs` package's; this module only stores and loads its Card.
"""

import datetime
from dataclasses import dataclass, field

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizzes.common.refusals import Refusal
from quizzes.review.models import Card, CardState, Review, StudyPreference

# Default FSRS parameters (desired retention 0.9, learning steps 1m and 10m, relearning 10m).
# Fuzzing is off: with it, fsrs spreads review intervals at random, so the interval shown on
# a grade button could differ from the one the grade then gives, and tests could not pin
# schedules. One learner with one small course gains little from load spreading.
SCHEDULER = Scheduler(enable_fuzzing=False)

# As in Anki: when nothing else is left, a learning card due within this window is shown
# now rather than making the learner wait a few minutes for it.
LEARN_AHEAD = datetime.timedelta(minutes=20)

# Longer than this, a review's duration is not thinking time (the learner walked away).
MAX_REVIEW_DURATION_MS = 60_000

DEFAULT_NEW_CARDS_PER_DAY = 20
MIN_NEW_CARDS_PER_DAY = 1
MAX_NEW_CARDS_PER_DAY = 200

GRADE_LABELS = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}

LEARNING_STATES = (State.Learning, State.Relearning)
TOKEN_SALT = "quizzes.review.grade"


# --- Errors the review page turns into a clear 4xx --------------------------------------


class ReviewRefused(Refusal):
    """A grade that cannot be recorded; nothing was changed. `status` is the HTTP answer."""


class InvalidGrade(ReviewRefused):
    status = 400


class CardNotFound(ReviewRefused):
    status = 404


class CardNotDue(ReviewRefused):
    status = 409


class StaleGrade(ReviewRefused):
    status = 409


# --- Between the database and fsrs -------------------------------------------------------


def _utc(moment: datetime.datetime) -> datetime.datetime:
    # fsrs insists on tzinfo == datetime.timezone.utc; a database may hand back another UTC.
    return moment.astimezone(datetime.UTC)


def to_fsrs(state: CardState | None, *, card_id: int, now: datetime.datetime) -> FsrsCard:
    """The learner's state as an fsrs Card; a card never seen is a new fsrs Card due now."""
    if state is None:
        return FsrsCard(card_id=card_id, due=_utc(now))
    return FsrsCard(
        card_id=card_id,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=_utc(state.last_review) if state.last_review else None,
    )


def _copy_from_fsrs(state: CardState, fsrs_card: FsrsCard) -> None:
    state.state = int(fsrs_card.state)
    state.step = fsrs_card.step
    state.stability = fsrs_card.stability
    state.difficulty = fsrs_card.difficulty
    state.due = fsrs_card.due
    state.last_review = fsrs_card.last_review


def snapshot(state: CardState | None) -> dict | None:
    """The state as JSON, kept on the Review so the grade can be undone."""
    if state is None:
        return None
    return {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due.isoformat(),
        "last_review": state.last_review.isoformat() if state.last_review else None,
    }


def _restore(state: CardState, saved: dict) -> None:
    state.state = saved["state"]
    state.step = saved["step"]
    state.stability = saved["stability"]
    state.difficulty = saved["difficulty"]
    state.due = datetime.datetime.fromisoformat(saved["due"])
    state.last_review = (
        datetime.datetime.fromisoformat(saved["last_review"]) if saved["last_review"] else None
    )


def _rating(value) -> Rating:
    try:
        return Rating(int(value))
    except (TypeError, ValueError):
        raise InvalidGrade(
            "Choose a grade from 1 (Again) to 4 (Easy)."
        ) from None


# --- What the scheduler says -------------------------------------------------------------


def preview_intervals(*, state: CardState | None, now) -> dict[Rating, datetime.timedelta]:
    """What each grade would give, as the time until the card is due again."""
    fsrs_card = to_fsrs(state, card_id=state.card_id if state else 0, now=now)
    return {
        rating: SCHEDULER.review_card(fsrs_card, rating, _utc(now))[0].due - _utc(now)
        for rating in Rating
    }


def retrievability(*, state: CardState | None, now) -> float:
    """FSRS's predicted chance that the learner recalls the card at `now` (0 if never seen)."""
    if state is None:
        return 0.0
    fsrs_card = to_fsrs(state, card_id=state.card_id, now=now)
    return float(SCHEDULER.get_card_retrievability(fsrs_card, _utc(now)))


def format_interval(interval: datetime.timedelta) -> str:
    """Short, as Anki shows it on its buttons: 1m, 10m, 1d, 4d, 2.5mo, 1.2y."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".removesuffix(".0") + "mo"
    return f"{days / 365:.1f}".removesuffix(".0") + "y"


def describe_interval(interval: datetime.timedelta) -> str:
    """Long, for screen readers: "10 minutes", "4 days"."""
    seconds = interval.total_seconds()
    units = [(365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"), (3600, "hour"),
             (60, "minute")]
    for size, name in units:
        if seconds >= size:
            count = round(seconds / size, 1 if size >= 30 * 86400 else None)
            count_text = f"{count:g}"
            return f"{count_text} {name}{'' if count == 1 else 's'}"
    return "less than a minute"


# --- Recording reviews -------------------------------------------------------------------


def _locked_state(*, user, card) -> CardState | None:
    return CardState.objects.select_for_update().filter(user=user, card=card).first()


def _review(*, user, card, state, rating, now, duration_ms, source, response) -> CardState:
    """Apply one grade to a state already locked by the caller, and log it."""
    before = snapshot(state)
    review_time = now
    if state is not None and state.last_review and now < state.last_review:
        # Keep the log in time order (the optimizer replays it): an answer that arrives late
        # counts as given right after the previous review.
        review_time = state.last_review
    fsrs_card, _log = SCHEDULER.review_card(
        to_fsrs(state, card_id=card.pk, now=review_time), rating, _utc(review_time),
        duration_ms,
    )
    if state is None:
        state = CardState(user=user, card=card)
    _copy_from_fsrs(state, fsrs_card)
    try:
        with transaction.atomic():
            state.save()
    except IntegrityError:
        # Another request created this learner's state for the card a moment ago.
        raise StaleGrade("This card was graded a moment ago; that grade stands.") from None
    Review.objects.create(
        user=user, card=card, rating=int(rating), reviewed_at=review_time,
        duration_ms=duration_ms, source=source, response=response, state_before=before,
    )
    return state


def review_card(
    *, user, card, rating, now, duration_ms=None, source=Review.Source.REVIEW, response=None
) -> CardState:
    """Grade one card for one learner at `now`: saves the new CardState and a Review row
    holding the state before (for undo). The schedule is fsrs's."""
    rating = _rating(rating)
    with transaction.atomic():
        state = _locked_state(user=user, card=card)
        return _review(
            user=user, card=card, state=state, rating=rating, now=now,
            duration_ms=duration_ms, source=source, response=response,
        )


def record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int:
    """A quiz answer is a review of every active card made from the question's item."""
    if question.item_type_id is None or question.item_id is None:
        return 0
    cards = list(
        Card.objects.active().filter(item_type_id=question.item_type_id, item_id=question.item_id)
    )
    rating = Rating.Good if is_correct else Rating.Again
    with transaction.atomic():
        for card in cards:
            review_card(
                user=user, card=card, rating=rating, now=answered_at,
                source=Review.Source.QUIZ, response=response,
            )
    return len(cards)


def _undoable(user):
    return (
        Review.objects.counted()
        .filter(user=user, source=Review.Source.REVIEW)
        .order_by("-reviewed_at", "-id")
    )


def undo_last_review(*, user, now, review_id=None) -> Review | None:
    """Take back the learner's latest grade from the review page: the card's state goes back
    to what it was and the Review is marked undone. None when there is nothing to undo, or
    when a quiz answer has moved that card since (undoing would wipe the quiz's evidence).

    With `review_id` (what the undo button was showing), only that review is undone: an undo
    posted twice takes back one grade, not two."""
    with transaction.atomic():
        review = _undoable(user).select_for_update().select_related("card").first()
        if review is None or (review_id is not None and review.pk != review_id):
            return None
        later = Review.objects.counted().filter(user=user, card_id=review.card_id).filter(
            Q(reviewed_at__gt=review.reviewed_at)
            | Q(reviewed_at=review.reviewed_at, id__gt=review.id)
        )
        if later.exists():
            return None
        state = _locked_state(user=user, card=review.card)
        if review.state_before is None:
            if state is not None:
                state.delete()
        elif state is not None:
            _restore(state, review.state_before)
            state.save()
        review.undone_at = now
        review.save(update_fields=["undone_at"])
    return review


# --- The learner's queue -----------------------------------------------------------------


@dataclass(frozen=True)
class StudyPlan:
    """What the learner chose: how many new cards a day, and which lessons (empty = all)."""

    new_cards_per_day: int
    lesson_ids: tuple[int, ...]

    def cards(self):
        cards = Card.objects.active()
        if self.lesson_ids:
            cards = cards.filter(lesson_id__in=self.lesson_ids)
        return cards

    def states(self, user):
        states = CardState.objects.filter(user=user, card__retired_at__isnull=True)
        if self.lesson_ids:
            states = states.filter(card__lesson_id__in=self.lesson_ids)
        return states


def study_plan(*, user) -> StudyPlan:
    preference = StudyPreference.objects.filter(user=user).first()
    if preference is None:
        return StudyPlan(DEFAULT_NEW_CARDS_PER_DAY, ())
    lesson_ids = tuple(preference.lessons.order_by("pk").values_list("pk", flat=True))
    return StudyPlan(preference.new_cards_per_day, lesson_ids)


def save_study_preference(*, user, new_cards_per_day: int, lessons) -> StudyPreference:
    if not MIN_NEW_CARDS_PER_DAY <= new_cards_per_day <= MAX_NEW_CARDS_PER_DAY:
        raise ValueError("new_cards_per_day out of range")
    with transaction.atomic():
        preference, _ = StudyPreference.objects.update_or_create(
            user=user, defaults={"new_cards_per_day": new_cards_per_day}
        )
        preference.lessons.set(lessons)
    return preference


def _start_of_day(now) -> datetime.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def new_cards_introduced_today(*, user, now) -> int:
    """New cards first graded on the review page today (an undone grade gives it back)."""
    return (
        Review.objects.counted()
        .filter(
            user=user, source=Review.Source.REVIEW, state_before__isnull=True,
            reviewed_at__gte=_start_of_day(now),
        )
        .count()
    )


def _new_left_today(*, user, now, plan: StudyPlan) -> int:
    return max(0, plan.new_cards_per_day - new_cards_introduced_today(user=user, now=now))


def _unseen_cards(*, user, plan: StudyPlan):
    seen = CardState.objects.filter(user=user, card=OuterRef("pk"))
    return plan.cards().filter(~Exists(seen))


def _with_state(state: CardState) -> Card:
    card = state.card
    card.learner_state = state
    return card


def _due_queue(*, user, now, limit: int | None, plan: StudyPlan) -> list[Card]:
    def room():
        return None if limit is None else limit - len(queue)

    states = plan.states(user).select_related("card__citation__source", "card__lesson")
    queue = [
        _with_state(state)
        for state in states.filter(due__lte=now).order_by("due", "id")[:limit]
    ]
    if room() != 0:
        new_left = _new_left_today(user=user, now=now, plan=plan)
        take = new_left if room() is None else min(new_left, room())
        if take > 0:
            new_cards = (
                _unseen_cards(user=user, plan=plan)
                .select_related("citation__source", "lesson")
                .order_by("lesson__order", "lesson_id", "id")[:take]
            )
            for card in new_cards:
                card.learner_state = None
                queue.append(card)
    if room() != 0:
        ahead = states.filter(
            due__gt=now, due__lte=now + LEARN_AHEAD, state__in=LEARNING_STATES
        ).order_by("due", "id")
        queue.extend(_with_state(state) for state in ahead[: room()])
    return queue


def due_queue(*, user, now, limit: int | None = None) -> list[Card]:
    """Cards to review now, in order: due cards (earliest first), then new cards up to the
    learner's daily limit less those already introduced today, then learning cards due in
    the next few minutes (as Anki learns ahead). Only the lessons the learner chose (none
    chosen = all). Each card carries `learner_state` (None for a new card)."""
    return _due_queue(user=user, now=now, limit=limit, plan=study_plan(user=user))


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def _queue_counts(*, user, now, plan: StudyPlan, new_left: int) -> QueueCounts:
    counts = plan.states(user).aggregate(
        learning=Count(
            "id", filter=Q(state__in=LEARNING_STATES, due__lte=now + LEARN_AHEAD)
        ),
        review=Count("id", filter=Q(state=State.Review, due__lte=now)),
    )
    new = 0
    if new_left:
        new = min(new_left, _unseen_cards(user=user, plan=plan).count())
    return QueueCounts(new=new, learning=counts["learning"], review=counts["review"])


def queue_counts(*, user, now) -> QueueCounts:
    """How many new, learning and due cards the learner has now (for a "what is due" box)."""
    plan = study_plan(user=user)
    new_left = _new_left_today(user=user, now=now, plan=plan)
    return _queue_counts(user=user, now=now, plan=plan, new_left=new_left)


# --- The review page ---------------------------------------------------------------------


@dataclass(frozen=True)
class GradeOption:
    rating: int
    label: str
    interval: str
    interval_long: str


@dataclass
class ReviewSession:
    """Everything the review page shows: the next card (or none), what each grade would
    give, the one-time token its grade forms carry, the counts, and when more is due."""

    card: Card | None
    state: CardState | None
    counts: QueueCounts
    grades: list[GradeOption] = field(default_factory=list)
    token: str = ""
    next_due: datetime.datetime | None = None
    new_cards_per_day: int = DEFAULT_NEW_CARDS_PER_DAY
    new_limit_reached: bool = False
    undo_review_id: int | None = None  # the grade the undo button would take back

    @property
    def is_new(self) -> bool:
        return self.card is not None and self.state is None


def _version(state: CardState | None) -> str:
    # Changes with every grade (and returns with an undo), so a token is good for one grade.
    if state is None or state.last_review is None:
        return "new"
    return state.last_review.isoformat()


def grade_token(*, user, card, state, shown_at) -> str:
    payload = {
        "u": user.pk, "c": card.pk, "v": _version(state), "t": int(shown_at.timestamp() * 1000)
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _check_gradable(*, user, card, state, now, plan: StudyPlan) -> None:
    if state is not None:
        ahead = LEARN_AHEAD if state.state in LEARNING_STATES else datetime.timedelta(0)
        if state.due > now + ahead:
            due = timezone.localtime(state.due)
            when = f"{due.day} {due:%B %Y} at {due:%H:%M}"
            raise CardNotDue(f"This card is not due yet: it is next due on {when}.")
        return
    if _new_left_today(user=user, now=now, plan=plan) <= 0:
        raise CardNotDue(
            "You have reached today's limit of new cards; this one will come another day."
        )


MAX_ID = 2**63 - 1  # the largest key the database can hold; past it, int() is not enough


def _find_card(*, card_id, plan: StudyPlan) -> Card:
    try:
        pk = int(card_id)
        if not 0 < pk <= MAX_ID:
            raise ValueError(card_id)
        return plan.cards().select_related("citation__source", "lesson").get(pk=pk)
    except (Card.DoesNotExist, TypeError, ValueError):
        raise CardNotFound(
            "That card is not in your study set: it may have been retired, or it belongs to "
            "a lesson you are not studying."
        ) from None


def review_session(*, user, now, card_id=None, shown_at=None) -> ReviewSession:
    """The next card to review (or `card_id`, if it may be graded now), with its counts.
    `shown_at` is when its front was shown (for the review's duration); default now."""
    plan = study_plan(user=user)
    new_left = _new_left_today(user=user, now=now, plan=plan)
    counts = _queue_counts(user=user, now=now, plan=plan, new_left=new_left)

    card = None
    if card_id is not None:
        try:
            card = _find_card(card_id=card_id, plan=plan)
            card.learner_state = CardState.objects.filter(user=user, card=card).first()
            _check_gradable(user=user, card=card, state=card.learner_state, now=now, plan=plan)
        except ReviewRefused:
            card = None
    if card is None:
        queue = _due_queue(user=user, now=now, limit=1, plan=plan)
        card = queue[0] if queue else None

    session = ReviewSession(
        card=card, state=None, counts=counts, new_cards_per_day=plan.new_cards_per_day,
        new_limit_reached=new_left == 0, undo_review_id=last_undoable_review_id(user=user),
    )
    if card is None:
        session.next_due = plan.states(user).aggregate(next_due=Min("due"))["next_due"]
        return session

    session.state = card.learner_state
    intervals = preview_intervals(state=session.state, now=now)
    session.grades = [
        GradeOption(int(rating), GRADE_LABELS[rating], format_interval(interval),
                    describe_interval(interval))
        for rating, interval in intervals.items()
    ]
    session.token = grade_token(
        user=user, card=card, state=session.state, shown_at=shown_at or now
    )
    return session


def last_undoable_review_id(*, user) -> int | None:
    return _undoable(user).values_list("pk", flat=True).first()


def grade_from_review_page(*, user, card_id, rating, token, now) -> CardState:
    """Record a grade posted from the review page, or raise ReviewRefused with a sentence
    saying why (nothing is changed then). The token, minted when the card was shown, makes
    each grade count once: after the card is graded it no longer matches the card's state."""
    rating = _rating(rating)
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        token_user, token_card = int(payload["u"]), int(payload["c"])
        version, shown_ms = str(payload["v"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidGrade(
            "This grade form is damaged or out of date. Reload the page and grade again."
        ) from None
    plan = study_plan(user=user)
    card = _find_card(card_id=card_id, plan=plan)
    if token_user != user.pk or token_card != card.pk:
        raise CardNotFound("That grade form belongs to another card or another learner.")

    with transaction.atomic():
        state = _locked_state(user=user, card=card)
        if _version(state) != version:
            raise StaleGrade(
                "This card was already graded (a grade counts once). Here is your next card."
            )
        _check_gradable(user=user, card=card, state=state, now=now, plan=plan)
        duration_ms = int(now.timestamp() * 1000) - shown_ms
        duration_ms = min(max(duration_ms, 0), MAX_REVIEW_DURATION_MS)
        return _review(
            user=user, card=card, state=state, rating=rating, now=now,
            duration_ms=duration_ms, source=Review.Source.REVIEW, response=None,
        )
