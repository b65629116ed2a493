"""FSRS scheduling: each learner's card states and review log, built on the `fsrs` package.

Contract used by the quiz engine (implemented by the review work):

    record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int

counts a quiz answer as a review (wrong as Again, right as Good, at answered_at) of every
active card made from the same content item as the question (a reversed term's card only
once the learner has studied it), and returns how many cards it moved. A question with no
content item moves nothing.

Everything else here serves the review page: the due queue, what each grade would give,
grading with a one-time token, undo, and the learner's study preference. The scheduling
itself is the `fsrs` package's; this module only stores and loads its Card.
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from quizzes.common.inserts import insert_unless_present
from quizzes.common.lookups import one_or_none
from quizzes.common.refusals import Refusal
from quizzes.review.models import Card, CardState, Review

# Default FSRS parameters (desired retention 0.9, learning steps 1m and 10m, relearning 10m).
# Fuzzing is off: with it, fsrs spreads review intervals at random, so the interval shown on
# a grade button could differ from the one the grade then gives, and tests could not pin
# schedules. One learner with one small course gains little from load spreading.
SCHEDULER = Scheduler(enable_fuzzing=False)


@functools.lru_cache(maxsize=256)
def _scheduler_with(parameters: tuple[float, ...]) -> Scheduler:
    return Scheduler(parameters=parameters, enable_fuzzing=False)


def scheduler_for(user) -> Scheduler:
    """The learner's scheduler: their own optimized FSRS parameters once they have them
    (quizzes/review/optimizing.py), the defaults until then. The parameters are read once
    per request and kept on the user object (study_plan() reads them with the preference)."""
    if user is None:
        return SCHEDULER
    if not hasattr(user, "_fsrs_parameters"):
        from quizzes.review.models import StudyPreference

        user._fsrs_parameters = one_or_none(
            StudyPreference.objects.filter(user=user).values_list("fsrs_parameters", flat=True)
        )
    parameters = user._fsrs_parameters
    if not parameters:
        return SCHEDULER
    return _scheduler_with(tuple(float(value) for value in parameters))

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


class StateCreatedMeanwhile(StaleGrade):
    """Another request created this learner's state for the card while this one ran."""


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


def parse_rating(value) -> Rating:
    try:
        return Rating(int(value))
    except (TypeError, ValueError):
        raise InvalidGrade(
            "Choose a grade from 1 (Again) to 4 (Easy)."
        ) from None


# --- What the scheduler says -------------------------------------------------------------


def preview_intervals(
    *, state: CardState | None, now, user=None
) -> dict[Rating, datetime.timedelta]:
    """What each grade would give, as the time until the card is due again."""
    fsrs_card = to_fsrs(state, card_id=state.card_id if state else 0, now=now)
    scheduler = scheduler_for(user)
    return {
        rating: scheduler.review_card(fsrs_card, rating, _utc(now))[0].due - _utc(now)
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


def locked_state(*, user, card) -> CardState | None:
    return one_or_none(CardState.objects.select_for_update().filter(user=user, card=card))


def write_review(
    *, user, card, state, rating, now, duration_ms, source, response, token_digest=""
) -> CardState:
    """Apply one grade to a state already locked by the caller, and log it."""
    state, _review = write_logged_review(
        user=user, card=card, state=state, rating=rating, now=now, duration_ms=duration_ms,
        source=source, response=response, token_digest=token_digest,
    )
    return state


def write_logged_review(
    *, user, card, state, rating, now, duration_ms, source, response, token_digest="",
    review_fields=None,
) -> tuple[CardState, Review]:
    """write_review, also handing back the Review row (with `review_fields` on it: what was
    typed, whether a hint was shown)."""
    before = snapshot(state)
    review_time = now
    if state is not None and state.last_review and now < state.last_review:
        # Keep the log in time order (the optimizer replays it): an answer that arrives late
        # counts as given right after the previous review.
        review_time = state.last_review
    fsrs_card, _log = scheduler_for(user).review_card(
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
        raise StateCreatedMeanwhile(
            "This card was graded a moment ago; that grade stands."
        ) from None
    review = Review.objects.create(
        user=user, card=card, rating=int(rating), reviewed_at=review_time,
        duration_ms=duration_ms, source=source, response=response, state_before=before,
        token_digest=token_digest, **(review_fields or {}),
    )
    return state, review


def regrade_review(*, user, review: Review, rating: Rating) -> CardState:
    """Give a logged review another rating, as if it had been graded so in the first place:
    the card's state is recomputed from the state before it (the caller holds the lock and
    has checked that no later review of the card stands)."""
    state = locked_state(user=user, card=review.card)
    before = CardState(user=user, card=review.card)
    if review.state_before is not None:
        _restore(before, review.state_before)
    fsrs_card, _log = scheduler_for(user).review_card(
        to_fsrs(before if review.state_before is not None else None, card_id=review.card_id,
                now=review.reviewed_at),
        rating, _utc(review.reviewed_at), review.duration_ms,
    )
    if state is None:  # cannot happen while the review stands; kept whole regardless
        state = CardState(user=user, card=review.card)
    _copy_from_fsrs(state, fsrs_card)
    state.save()
    review.rating = int(rating)
    return state


def review_card(
    *, user, card, rating, now, duration_ms=None, source=Review.Source.REVIEW, response=None
) -> CardState:
    """Grade one card for one learner at `now`: saves the new CardState and a Review row
    holding the state before (for undo). The schedule is fsrs's."""
    rating = parse_rating(rating)
    with transaction.atomic():
        state = locked_state(user=user, card=card)
        try:
            return write_review(
                user=user, card=card, state=state, rating=rating, now=now,
                duration_ms=duration_ms, source=source, response=response,
            )
        except StateCreatedMeanwhile:
            # Evidence, not a page's grade: it counts on top of the other request's review.
            # The state it created is committed now (the insert waited for it), so lock that.
            state = locked_state(user=user, card=card)
            return write_review(
                user=user, card=card, state=state, rating=rating, now=now,
                duration_ms=duration_ms, source=source, response=response,
            )


# --- Planned outside the lock, written inside it -----------------------------------------
#
# On SQLite a write transaction holds the database's one write lock from BEGIN to COMMIT,
# and every other writer waits for it. So an answer or a grade reads the cards and states
# and runs fsrs first, then writes only the rows that change, each guarded so that a card
# another request moved in between is graded again under a lock instead (rare).


@dataclass(frozen=True)
class PlannedReview:
    card: Card
    seen: CardState | None  # the state fsrs started from; None for a card never seen
    after: dict  # the CardState fields fsrs computed
    rating: Rating
    reviewed_at: datetime.datetime
    duration_ms: int | None = None


def plan_review(*, card, state, rating, now, duration_ms=None, user=None) -> PlannedReview:
    """What grading `card` from `state` at `now` will write (no database access)."""
    review_time = now
    if state is not None and state.last_review and now < state.last_review:
        # Keep the log in time order (the optimizer replays it): an answer that arrives late
        # counts as given right after the previous review.
        review_time = state.last_review
    fsrs_card, _log = scheduler_for(user).review_card(
        to_fsrs(state, card_id=card.pk, now=review_time), rating, _utc(review_time),
        duration_ms,
    )
    scratch = CardState()
    _copy_from_fsrs(scratch, fsrs_card)
    after = {name: getattr(scratch, name) for name in STATE_FIELDS}
    return PlannedReview(card=card, seen=state, after=after, rating=rating,
                         reviewed_at=review_time, duration_ms=duration_ms)


STATE_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review")


def apply_planned_review(*, user, plan: PlannedReview, source, response=None,
                         token_digest="", log=True) -> CardState | None:
    """Write the planned state if the card is as it was when planned; None when another
    request moved it meanwhile (nothing written then). With `log`, the Review row too."""
    written = apply_planned_logged_review(user=user, plan=plan, source=source,
                                          response=response, token_digest=token_digest,
                                          log=log)
    return None if written is None else written[0]


def apply_planned_logged_review(*, user, plan: PlannedReview, source, response=None,
                                token_digest="", log=True, review_fields=None
                                ) -> tuple[CardState, Review | None] | None:
    """apply_planned_review, also handing back the Review row (with `review_fields` on it:
    what was typed, whether a hint was shown)."""
    if plan.seen is None:
        state = CardState(user=user, card=plan.card, **plan.after)
        if not insert_unless_present(state):  # another request saw this card first
            return None
    else:
        seen = plan.seen
        moved = not CardState.objects.filter(
            pk=seen.pk, last_review=seen.last_review, due=seen.due, stability=seen.stability
        ).update(**plan.after)
        if moved:
            return None
        state = seen
        for name, value in plan.after.items():
            setattr(state, name, value)
    review = None
    if log:
        review = Review.objects.create(
            **review_row(user=user, plan=plan, source=source, response=response,
                         token_digest=token_digest),
            **(review_fields or {}),
        )
    return state, review


def review_row(*, user, plan: PlannedReview, source, response=None, token_digest="") -> dict:
    return dict(
        user=user, card=plan.card, rating=int(plan.rating), reviewed_at=plan.reviewed_at,
        duration_ms=plan.duration_ms, source=source, response=response,
        state_before=snapshot(plan.seen), token_digest=token_digest,
    )


def plan_quiz_evidence(
    *, user, question, is_correct, answered_at, rating=None
) -> list[PlannedReview]:
    """A quiz answer is a review of every active card made from the question's item: read
    those cards and the learner's states and run fsrs, before any lock is taken.

    Right is Good and wrong is Again, unless the learner rated the answer themselves
    (`rating`, 1–4: a written answer read beside its model answer)."""
    if question.item_type_id is None or question.item_id is None:
        return []
    cards = list(
        Card.objects.active()
        .filter(item_type_id=question.item_type_id, item_id=question.item_id)
        .order_by("pk")  # every request writes a learner's states in one order: no deadlock
    )
    if not cards:
        return []
    states = {s.card_id: s for s in CardState.objects.filter(user=user, card__in=cards)}
    # A quiz asks a term one way round: its reversed card counts the answer only once the
    # learner has begun to study that card (it is introduced on the review page).
    cards = [c for c in cards if c.kind != Card.Kind.REVERSE or c.pk in states]
    if rating is not None:
        rating = parse_rating(rating)
    else:
        rating = Rating.Good if is_correct else Rating.Again
    return [
        plan_review(card=card, state=states.get(card.pk), rating=rating, now=answered_at,
                    user=user)
        for card in cards
    ]


def apply_quiz_evidence(*, user, plans: list[PlannedReview], response=None) -> int:
    """Inside the answer's transaction: each planned state written once, the Review rows in
    one INSERT; a card that moved since it was planned is graded again under a lock."""
    reviews = []
    for plan in plans:
        if apply_planned_review(user=user, plan=plan, source=Review.Source.QUIZ,
                                response=response, log=False) is None:
            review_card(user=user, card=plan.card, rating=plan.rating, now=plan.reviewed_at,
                        source=Review.Source.QUIZ, response=response)
            continue
        reviews.append(Review(**review_row(user=user, plan=plan, source=Review.Source.QUIZ,
                                           response=response)))
    Review.objects.bulk_create(reviews)
    return len(plans)


def record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int:
    """Plan and write the evidence of one quiz answer in one go (the answer post plans
    before its transaction and applies inside it)."""
    plans = plan_quiz_evidence(user=user, question=question, is_correct=is_correct,
                               answered_at=answered_at)
    with transaction.atomic():
        return apply_quiz_evidence(user=user, plans=plans, response=response)


def undoable_reviews(user):
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
        review = undoable_reviews(user).select_for_update().select_related("card").first()
        if review is None or (review_id is not None and review.pk != review_id):
            return None
        later = Review.objects.counted().filter(user=user, card_id=review.card_id).filter(
            Q(reviewed_at__gt=review.reviewed_at)
            | Q(reviewed_at=review.reviewed_at, id__gt=review.id)
        )
        if later.exists():
            return None
        state = locked_state(user=user, card=review.card)
        if review.state_before is None:
            if state is not None:
                state.delete()
        elif state is not None:
            _restore(state, review.state_before)
            state.save()
        review.undone_at = now
        review.save(update_fields=["undone_at"])
    return review
