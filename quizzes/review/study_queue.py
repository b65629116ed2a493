"""The learner's queue: what is due now, new cards within the daily limit, and the counts
the pages show."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from fsrs import State

from quizzes.common.lookups import one_or_none
from quizzes.review.models import Card, CardState, Review, StudyPreference
from quizzes.review.scheduling import (
    DEFAULT_NEW_CARDS_PER_DAY,
    LEARN_AHEAD,
    LEARNING_STATES,
    MAX_NEW_CARDS_PER_DAY,
    MIN_NEW_CARDS_PER_DAY,
)

# --- The learner's queue -----------------------------------------------------------------


@dataclass(frozen=True)
class StudyPlan:
    """What the learner chose: how many new cards a day, and which lessons (empty = all)."""

    new_cards_per_day: int
    lesson_ids: tuple[int, ...]
    keyboard_shortcuts: bool = True

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
    preference = one_or_none(StudyPreference.objects.filter(user=user))
    # Kept for the scheduler (scheduling.scheduler_for), so it asks no second time.
    user._fsrs_parameters = preference.fsrs_parameters if preference else None
    if preference is None:
        return StudyPlan(DEFAULT_NEW_CARDS_PER_DAY, ())
    lesson_ids = tuple(preference.lessons.order_by("pk").values_list("pk", flat=True))
    return StudyPlan(preference.new_cards_per_day, lesson_ids, preference.keyboard_shortcuts)


def save_study_preference(
    *, user, new_cards_per_day: int, lessons, keyboard_shortcuts: bool = True
) -> StudyPreference:
    if not MIN_NEW_CARDS_PER_DAY <= new_cards_per_day <= MAX_NEW_CARDS_PER_DAY:
        raise ValueError("new_cards_per_day out of range")
    with transaction.atomic():
        preference, _ = StudyPreference.objects.update_or_create(
            user=user, defaults={"new_cards_per_day": new_cards_per_day,
                                 "keyboard_shortcuts": keyboard_shortcuts}
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


def new_left_today(*, user, now, plan: StudyPlan) -> int:
    return max(0, plan.new_cards_per_day - new_cards_introduced_today(user=user, now=now))


def _unseen_cards(*, user, plan: StudyPlan, now):
    """Cards the learner has never seen that may be introduced now. A reversed term waits
    until its forward card has reached long-term review on an earlier day: the meaning is
    learnt first, and the two are not asked on the same day (as Anki buries siblings)."""
    seen = CardState.objects.filter(user=user, card=OuterRef("pk"))
    forward_known = CardState.objects.filter(
        user=user, state=State.Review, last_review__lt=_start_of_day(now),
        card__kind=Card.Kind.TERM,
        card__retired_at__isnull=True, card__item_type=OuterRef("item_type"),
        card__item_id=OuterRef("item_id"),
    )
    return plan.cards().filter(~Exists(seen)).filter(
        ~Q(kind=Card.Kind.REVERSE) | Exists(forward_known)
    )


def _with_state(state: CardState) -> Card:
    card = state.card
    card.learner_state = state
    return card


def planned_due_queue(*, user, now, limit: int | None, plan: StudyPlan,
                      new_left: int | None = None) -> list[Card]:
    """due_queue with the plan already read (and `new_left`, if the caller has counted it)."""
    def room():
        return None if limit is None else limit - len(queue)

    states = plan.states(user).select_related("card__citation__source", "card__lesson")
    queue = [
        _with_state(state)
        for state in states.filter(due__lte=now).order_by("due", "id")[:limit]
    ]
    if room() != 0:
        if new_left is None:
            new_left = new_left_today(user=user, now=now, plan=plan)
        take = new_left if room() is None else min(new_left, room())
        if take > 0:
            new_cards = (
                _unseen_cards(user=user, plan=plan, now=now)
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
    return planned_due_queue(user=user, now=now, limit=limit, plan=study_plan(user=user))


@dataclass(frozen=True)
class QueueCounts:
    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


def planned_queue_counts(*, user, now, plan: StudyPlan, new_left: int) -> QueueCounts:
    """The counts from two plain reads, the study set's cards and the learner's states,
    worked out here: the same rules as _unseen_cards and the due queue, without the nested
    subqueries whose building cost more than the database's work (every grade asks)."""
    cards = {
        pk: (kind, (item_type_id, item_id))
        for pk, kind, item_type_id, item_id in plan.cards()
        .order_by().values_list("pk", "kind", "item_type_id", "item_id")
    }
    learning = review = 0
    seen, forward_known = set(), set()
    start_of_day = _start_of_day(now)
    for card_id, state, due, last_review in CardState.objects.filter(user=user).values_list(
        "card_id", "state", "due", "last_review"
    ):
        card = cards.get(card_id)
        if card is None:  # retired, or in a lesson the learner is not studying
            continue
        seen.add(card_id)
        if state in LEARNING_STATES and due <= now + LEARN_AHEAD:
            learning += 1
        elif state == State.Review:
            review += due <= now
            # A reversed term may come once its forward card is known from an earlier day.
            if card[0] == Card.Kind.TERM and last_review and last_review < start_of_day:
                forward_known.add(card[1])
    new = 0
    for pk, (kind, item) in cards.items():
        if new >= new_left:
            break
        if pk not in seen and (kind != Card.Kind.REVERSE or item in forward_known):
            new += 1
    return QueueCounts(new=new, learning=learning, review=review)


def queue_counts(*, user, now) -> QueueCounts:
    """How many new, learning and due cards the learner has now (for a "what is due" box)."""
    plan = study_plan(user=user)
    new_left = new_left_today(user=user, now=now, plan=plan)
    return planned_queue_counts(user=user, now=now, plan=plan, new_left=new_left)
