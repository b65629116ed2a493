"""The review page's work: the card shown, its grade buttons, a one-time grade token, and
grading from the page."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from fsrs import Rating

from quizzes.common.lookups import one_or_none
from quizzes.review.models import Card, CardNote, CardState, Review
from quizzes.review.scheduling import (
    DEFAULT_NEW_CARDS_PER_DAY,
    GRADE_LABELS,
    LEARN_AHEAD,
    LEARNING_STATES,
    MAX_REVIEW_DURATION_MS,
    TOKEN_SALT,
    CardNotDue,
    CardNotFound,
    InvalidGrade,
    ReviewRefused,
    StaleGrade,
    apply_planned_logged_review,
    describe_interval,
    format_interval,
    parse_rating,
    plan_review,
    preview_intervals,
    undoable_reviews,
)
from quizzes.review.study_queue import (
    QueueCounts,
    StudyPlan,
    new_left_today,
    planned_due_queue,
    planned_queue_counts,
    study_plan,
)
from quizzes.review.typed_cards import TypedVerdict, first_letter, typed_verdict

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
    hint: str = ""  # the answer's first letter, once the learner asked for it
    keyboard_shortcuts: bool = True
    note: CardNote | None = None  # the learner's flag and note on this card

    @property
    def is_new(self) -> bool:
        return self.card is not None and self.state is None


def _version(state: CardState | None) -> str:
    # Changes with every grade (and returns with an undo), so a token is good for one grade.
    if state is None or state.last_review is None:
        return "new"
    return state.last_review.isoformat()


def grade_token(*, user, card, state, shown_at, hinted=False) -> str:
    payload = {
        "u": user.pk, "c": card.pk, "v": _version(state), "t": int(shown_at.timestamp() * 1000)
    }
    if hinted:  # the hint was shown with this card: its grade is Hard at most
        payload["h"] = 1
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def _check_gradable(*, user, card, state, now, plan: StudyPlan) -> None:
    if state is not None:
        ahead = LEARN_AHEAD if state.state in LEARNING_STATES else datetime.timedelta(0)
        if state.due > now + ahead:
            due = timezone.localtime(state.due)
            when = f"{due.day} {due:%B %Y} at {due:%H:%M}"
            raise CardNotDue(f"This card is not due yet: it is next due on {when}.")
        return
    if new_left_today(user=user, now=now, plan=plan) <= 0:
        raise CardNotDue(
            "You have reached today's limit of new cards; this one will come another day."
        )


MAX_ID = 2**63 - 1  # the largest key the database can hold; past it, int() is not enough


def _find_card(*, card_id, plan: StudyPlan, shown=True) -> Card:
    """The card in the learner's study set; with what its page shows (its citation and
    lesson) unless `shown` is False (a grade needs only the card's key)."""
    try:
        pk = int(card_id)
        if not 0 < pk <= MAX_ID:
            raise ValueError(card_id)
        cards = plan.cards()
        cards = cards.select_related("citation__source", "lesson") if shown else cards.only("id")
        return cards.get(pk=pk)
    except (Card.DoesNotExist, TypeError, ValueError):
        raise CardNotFound(
            "That card is not in your study set: it may have been retired, or it belongs to "
            "a lesson you are not studying."
        ) from None


_UNKNOWN = object()


def review_session(*, user, now, card_id=None, shown_at=None, plan=None,
                   hinted=False, undo_review_id=_UNKNOWN) -> ReviewSession:
    """The next card to review (or `card_id`, if it may be graded now), with its counts.
    `shown_at` is when its front was shown (for the review's duration); default now.
    `plan`: the learner's study plan when the caller has just read it (a grade has).
    `hinted`: the learner asked for the first letter of `card_id`'s typed answer.
    `undo_review_id`: the grade the undo button takes back, when the caller has just
    written it (a grade's own Review row is the learner's latest)."""
    plan = plan or study_plan(user=user)
    new_left = new_left_today(user=user, now=now, plan=plan)
    counts = planned_queue_counts(user=user, now=now, plan=plan, new_left=new_left)

    card = None
    if card_id is not None:
        try:
            card = _find_card(card_id=card_id, plan=plan)
            card.learner_state = one_or_none(CardState.objects.filter(user=user, card=card))
            _check_gradable(user=user, card=card, state=card.learner_state, now=now, plan=plan)
        except ReviewRefused:
            card = None
    if card is None:
        queue = planned_due_queue(user=user, now=now, limit=1, plan=plan, new_left=new_left)
        card = queue[0] if queue else None

    session = ReviewSession(
        card=card, state=None, counts=counts, new_cards_per_day=plan.new_cards_per_day,
        new_limit_reached=new_left == 0,
        undo_review_id=(last_undoable_review_id(user=user) if undo_review_id is _UNKNOWN
                        else undo_review_id),
        keyboard_shortcuts=plan.keyboard_shortcuts,
    )
    if card is None:
        session.next_due = plan.states(user).aggregate(next_due=Min("due"))["next_due"]
        return session

    session.state = card.learner_state
    session.note = one_or_none(CardNote.objects.filter(user=user, card=card))
    hinted = hinted and card.typeable and card_id is not None and str(card.pk) == str(card_id)
    session.hint = first_letter(card) if hinted else ""
    intervals = preview_intervals(state=session.state, now=now, user=user)
    session.grades = [
        GradeOption(int(rating), GRADE_LABELS[rating], format_interval(interval),
                    describe_interval(interval))
        for rating, interval in intervals.items()
    ]
    if hinted:  # what the grade buttons would give is capped too
        session.grades = [g for g in session.grades if g.rating <= Rating.Hard]
    session.token = grade_token(
        user=user, card=card, state=session.state, shown_at=shown_at or now, hinted=hinted
    )
    return session


def last_undoable_review_id(*, user) -> int | None:
    return undoable_reviews(user).values_list("pk", flat=True).first()


@dataclass(frozen=True)
class RecordedGrade:
    """A grade from the review page: the card's state after it, and whether this post only
    repeated a grade already recorded (nothing new was written then). For a typed answer,
    its Review row and the verdict the grader gave."""

    state: CardState
    repeated: bool
    plan: StudyPlan | None = None  # the learner's study plan, read for the grade
    review: Review | None = None
    verdict: TypedVerdict | None = None


def grade_from_review_page(*, user, card_id, rating, token, now, typed=None) -> RecordedGrade:
    """Record a grade posted from the review page, or raise ReviewRefused with a sentence
    saying why (nothing is changed then). The token, minted when the card was shown, makes
    each grade count once: after the card is graded it no longer matches the card's state,
    and the same grade sent again gets the recorded one back (`repeated`).

    With `typed` (the learner typed the answer), the grade is the typed-answer grader's
    verdict (quizzes.review.typed_cards) and `rating` is ignored. A card shown with its
    first-letter hint is graded Hard at most."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        token_user, token_card = int(payload["u"]), int(payload["c"])
        version, shown_ms = str(payload["v"]), int(payload["t"])
        hinted = bool(payload.get("h"))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidGrade(
            "This grade form is damaged or out of date. Reload the page and grade again."
        ) from None
    if typed is None:
        rating = parse_rating(rating)
    plan = study_plan(user=user)
    card = _find_card(card_id=card_id, plan=plan, shown=False)
    if token_user != user.pk or token_card != card.pk:
        raise CardNotFound("That grade form belongs to another card or another learner.")
    verdict = None
    if typed is not None:
        if not card.typeable:
            raise InvalidGrade("This card has no answer to type: show the answer and grade it.")
        verdict = typed_verdict(typed=typed, card=card, hinted=hinted)
        rating = verdict.rating
    elif hinted:
        rating = min(rating, Rating.Hard)

    digest = token_digest(token)
    # Everything that reads runs before the write: the state, whether the card may be graded,
    # and fsrs. The transaction (on SQLite the one write lock, from BEGIN IMMEDIATE) holds
    # only the guarded UPDATE (or INSERT) of the state and the Review row.
    state = one_or_none(CardState.objects.filter(user=user, card=card))
    if _version(state) != version:
        return _already_recorded(user=user, card=card, state=state, rating=rating,
                                 digest=digest, plan=plan, verdict=verdict)
    _check_gradable(user=user, card=card, state=state, now=now, plan=plan)
    duration_ms = int(now.timestamp() * 1000) - shown_ms
    duration_ms = min(max(duration_ms, 0), MAX_REVIEW_DURATION_MS)
    planned = plan_review(card=card, state=state, rating=rating, now=now,
                          duration_ms=duration_ms, user=user)
    with transaction.atomic():
        written = apply_planned_logged_review(
            user=user, plan=planned, source=Review.Source.REVIEW, token_digest=digest,
            review_fields={"typed_answer": (typed or "")[:300], "hinted": hinted},
        )
    if written is None:
        # Another request graded the card between the read and the write (the same post
        # sent twice at once, or two tabs): nothing was written here; that grade stands.
        state = one_or_none(CardState.objects.filter(user=user, card=card))
        return _already_recorded(user=user, card=card, state=state, rating=rating,
                                 digest=digest, plan=plan, verdict=verdict)
    state, review = written
    return RecordedGrade(state=state, repeated=False, plan=plan, review=review,
                         verdict=verdict)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _already_recorded(*, user, card, state, rating, digest, plan=None,
                      verdict=None) -> "RecordedGrade":
    """The card has moved since the token was minted. If its latest grade came with this
    very token and rating (the same post sent again after a dropped connection, or a second
    click), that grade is the answer; otherwise the token is stale and refused."""
    latest = Review.objects.counted().filter(user=user, card=card).order_by(
        "-reviewed_at", "-id"
    ).first()
    if (
        state is not None
        and latest is not None
        and latest.token_digest == digest
        and (latest.rating == int(rating) or (verdict is not None and latest.overridden))
    ):
        return RecordedGrade(state=state, repeated=True, plan=plan, review=latest,
                             verdict=verdict)
    raise StaleGrade(
        "This card was already graded (a grade counts once). Here is your next card."
    )
