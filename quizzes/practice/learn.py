"""Learn mode: practice driven by the memory model, in rounds, until everything is known.

    learnable_items(*, user, lesson_ids=(), now) -> list[ItemMemory]
    rank_items(memories) -> list[ItemMemory]             (the order, without queries)
    pick_items(ranked, *, size) -> list[ItemMemory]      (the choice, without queries)
    start_learning(*, user, lesson_ids=(), size=7, now=None, seed=None) -> LearnSession
    learn_progress(*, session) -> LearnProgress
    start_next_round(*, session, now=None, seed=None) -> Attempt | None

A session holds content items that have both flashcards and questions. They are chosen
from the review area's FSRS state: first the items the learner is least likely to recall
now (retrievability, lowest first, while it is below the scheduler's desired retention),
then items never studied, in course order, then items already well remembered; an item
that asks the same fact as one picked before it is left out. Each round
is an ordinary practice attempt of up to ROUND_SIZE questions, one per item not yet known,
those answered right least often first; each item's question is drawn by the practice
drawing rules (quizzes/practice/drawing.py::choose_one_each: none on another's fact, none
that shows another's answer), preferring one not yet asked in the session and of a kind
not yet asked for the item, so the kinds mix; an item that cannot fit waits a round. Its
answers go through the same path as every quiz answer (attempts.answer_question), so each
one is evidence for the item's cards. An item is known once answered right RIGHT_TIMES
times; the session ends when every item is known, or when nothing is left to ask for the
ones that are not.
"""

import math
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from quizzes.bank.models import Question
from quizzes.practice.attempts import (
    NoQuestions,
    new_seed,
    start_attempt,
    withheld_from_practice,
)
from quizzes.practice.drawing import candidate_rows, choose_one_each
from quizzes.practice.models import Attempt, LearnSession, Response
from quizzes.review.models import Card, CardState
from quizzes.review.scheduling import SCHEDULER, retrievability

ROUND_SIZE = 7
RIGHT_TIMES = 2
SESSION_SIZES = (7, 14, 21)
# Below this chance of recall an item is being forgotten: FSRS schedules a review there.
RECALLED = SCHEDULER.desired_retention


@dataclass(frozen=True)
class ItemMemory:
    """One content item and what the memory model says of it."""

    item_type_id: int
    item_id: int
    recall: float | None  # the lowest retrievability of its cards now; None if never studied
    order: tuple = ()  # course order: lesson order, then its first card
    asks: frozenset = frozenset()  # the facts its questions ask (quizzes/bank/facts.py)
    reveals: frozenset = frozenset()  # the facts every one of its questions shows

    @property
    def key(self) -> tuple[int, int]:
        return (self.item_type_id, self.item_id)

    @property
    def is_new(self) -> bool:
        return self.recall is None


def _priority(memory: ItemMemory) -> tuple:
    if memory.is_new:
        return (1, 0.0, memory.order)
    band = 0 if memory.recall < RECALLED else 2
    return (band, memory.recall, memory.order)


def rank_items(memories) -> list[ItemMemory]:
    """Being forgotten (least likely recalled first), then new (in course order), then
    well remembered (least likely recalled first)."""
    return sorted(memories, key=_priority)


def pick_items(ranked, *, size: int) -> list[ItemMemory]:
    """The first `size` of the ranked items, leaving out any that asks a fact an item
    already picked asks (an event and the fact of its date are one thing to learn), or
    that every question of one shows the other's answer: such items could never share a
    round."""
    picked, asked, shown = [], set(), set()
    for memory in ranked:
        if len(picked) == size:
            break
        if memory.asks & (asked | shown) or memory.reveals & asked:
            continue
        picked.append(memory)
        asked |= memory.asks
        shown |= memory.reveals
    return picked


def _learnable_questions(*, user, lesson_ids=(), now):
    questions = Question.objects.drawable_for(None).filter(item_id__isnull=False)
    if lesson_ids:
        questions = questions.filter(lesson_id__in=list(lesson_ids))
    withheld = withheld_from_practice(user=user, now=now)
    if withheld:
        questions = questions.exclude(pk__in=list(withheld))
    return questions


def learnable_items(*, user, lesson_ids=(), now) -> list[ItemMemory]:
    """Every item with an active card and a question the learner may be asked, with its
    recall now (three queries, and what withholding asks)."""
    facts: dict[tuple[int, int], set] = {}
    shows: dict[tuple[int, int], set] = {}
    questions = _learnable_questions(user=user, lesson_ids=lesson_ids, now=now)
    for item_type_id, item_id, asks, reveals in questions.values_list(
        "item_type_id", "item_id", "asks", "reveals"
    ):
        key = (item_type_id, item_id)
        facts.setdefault(key, {f"item:{item_type_id}:{item_id}"}).update(asks or ())
        shows[key] = set(reveals or ()) & shows[key] if key in shows else set(reveals or ())
    asked = set(facts)
    if not asked:
        return []
    cards: dict[tuple[int, int], list[int]] = {}
    orders: dict[tuple[int, int], tuple] = {}
    rows = (
        Card.objects.active()
        .filter(item_type_id__in={t for t, _ in asked}, item_id__in={i for _, i in asked})
        .values_list("pk", "item_type_id", "item_id", "lesson__order")
        .order_by("pk")
    )
    for pk, item_type_id, item_id, lesson_order in rows:
        key = (item_type_id, item_id)
        if key in asked:
            cards.setdefault(key, []).append(pk)
            orders.setdefault(key, (lesson_order if lesson_order is not None else 9999, pk))
    card_item = {pk: key for key, pks in cards.items() for pk in pks}
    recall: dict[tuple[int, int], float] = {}
    states = CardState.objects.filter(user=user, card_id__in=list(card_item))
    for state in states:
        key = card_item[state.card_id]
        chance = retrievability(state=state, now=now)
        recall[key] = min(chance, recall.get(key, math.inf))
    return [
        ItemMemory(
            key[0], key[1], recall.get(key), orders[key], frozenset(facts[key]),
            frozenset(shows[key]),
        )
        for key in sorted(cards)
    ]


def start_learning(*, user, lesson_ids=(), size: int = ROUND_SIZE, now=None, seed=None):
    """Choose the session's items and start its first round. Raises NoQuestions when the
    lessons chosen have nothing to learn."""
    now = now or timezone.now()
    lesson_ids = sorted(lesson_ids or [])
    ranked = rank_items(learnable_items(user=user, lesson_ids=lesson_ids, now=now))
    chosen = pick_items(ranked, size=size)
    if not chosen:
        raise NoQuestions("There is nothing to learn in that choice of lessons yet.")
    with transaction.atomic():
        session = LearnSession.objects.create(
            user=user,
            items=[list(memory.key) for memory in chosen],
            recipe={"lessons": lesson_ids, "size": size},
            started_at=now,
        )
        start_next_round(session=session, now=now, seed=seed)
    return session


# --- progress ------------------------------------------------------------------------------


@dataclass
class ItemProgress:
    key: tuple[int, int]
    right: int = 0
    asked: int = 0
    label: str = ""

    @property
    def known(self) -> bool:
        return self.right >= RIGHT_TIMES


@dataclass
class LearnProgress:
    session: LearnSession
    items: list[ItemProgress]
    current: Attempt | None = None  # the round under way, if one is
    # What the session has asked: (question id, its kind, its item) for each answer.
    asked: set = field(default_factory=set)

    @property
    def known(self) -> int:
        return sum(item.known for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def is_done(self) -> bool:
        return self.known == self.total

    @property
    def answers(self) -> int:
        return sum(item.asked for item in self.items)

    @property
    def right(self) -> int:
        return sum(item.right for item in self.items)


def learn_progress(*, session, labels: bool = False) -> LearnProgress:
    """How far the session has come: each item's right answers and askings, and the round
    under way (two queries; a third for the items' labels)."""
    items = {tuple(key): ItemProgress(tuple(key)) for key in session.items}
    answered = Response.objects.filter(
        attempt__learn_session=session, answered_at__isnull=False
    ).values_list(
        "question_id", "question__kind", "question__item_type_id", "question__item_id",
        "is_correct",
    )
    asked = set()
    for question_id, kind, item_type_id, item_id, is_correct in answered:
        asked.add((question_id, kind, (item_type_id, item_id)))
        item = items.get((item_type_id, item_id))
        if item is not None:
            item.asked += 1
            item.right += bool(is_correct)
    current = (
        Attempt.objects.filter(learn_session=session, finished_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if labels:
        _label(items)
    return LearnProgress(session, list(items.values()), current, asked)


def _of_items(keys) -> Q:
    """Rows (questions, cards) made from any of these content items."""
    by_type: dict[int, list[int]] = {}
    for item_type_id, item_id in keys:
        by_type.setdefault(item_type_id, []).append(item_id)
    wanted = Q(pk__in=[])
    for item_type_id, ids in sorted(by_type.items()):
        wanted |= Q(item_type_id=item_type_id, item_id__in=sorted(ids))
    return wanted


def _label(items: dict) -> None:
    """Each item's name as its first card shows it (one query)."""
    cards = Card.objects.active().filter(_of_items(items)).order_by("pk")
    for item_type_id, item_id, front in cards.values_list("item_type_id", "item_id", "front"):
        item = items.get((item_type_id, item_id))
        if item is not None and not item.label:
            item.label = front


def round_items(progress: LearnProgress, *, size: int = ROUND_SIZE) -> list[tuple[int, int]]:
    """The next round's items: those not yet known, answered right least often first, then
    asked least often, then in the session's order (most in need first)."""
    order = {tuple(key): index for index, key in enumerate(progress.session.items)}
    waiting = [item for item in progress.items if not item.known]
    waiting.sort(key=lambda item: (item.right, item.asked, order[item.key]))
    return [item.key for item in waiting[:size]]


# --- rounds --------------------------------------------------------------------------------


def _finish(session, now) -> None:
    LearnSession.objects.filter(pk=session.pk, finished_at__isnull=True).update(finished_at=now)
    session.finished_at = session.finished_at or now


def finish_if_done(*, session, progress: LearnProgress, now=None) -> bool:
    """Mark the session finished once every item is known; True if it is finished."""
    if session.finished_at is None and progress.is_done and progress.current is None:
        _finish(session, now or timezone.now())
    return session.finished_at is not None


def _round_questions(*, user, items, asked, seed, now) -> list[int]:
    """One question per item where the drawing rules allow, the items in order of need.
    For each item: a question not yet asked in the session first, then one of a kind the
    item has not been asked in yet, then one that shows the fewest other answers."""
    rows = candidate_rows(_learnable_questions(user=user, now=now).filter(_of_items(items)))
    rows.sort(key=lambda row: row[0])
    rng = random.Random(f"learn:{seed}")
    rng.shuffle(rows)
    by_item: dict[tuple[int, int], list[tuple]] = {}
    for row in rows:
        by_item.setdefault((row[3], row[4]), []).append(row)
    asked_kinds: dict[tuple[int, int], set] = {}
    for _question_id, kind, key in asked:
        asked_kinds.setdefault(key, set()).add(kind)
    asked_ids = {question_id for question_id, _kind, _key in asked}

    def preference(row):
        kinds = asked_kinds.get((row[3], row[4]), set())
        return (row[0] in asked_ids, row[1] in kinds, len(row[6] or ()))

    groups = [sorted(by_item.get(key, []), key=preference) for key in items]
    chosen = choose_one_each(groups=groups)
    rng.shuffle(chosen)
    return chosen


def start_next_round(*, session, now=None, seed=None) -> Attempt | None:
    """The round under way, or a new one; None once the session is finished (every item
    known, or nothing left to ask). The session's row is locked, so two clicks at once
    start one round."""
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            LearnSession.objects.select_for_update(of=("self",)).select_related("user")
            .get(pk=session.pk)
        )
        progress = learn_progress(session=session)
        if progress.current is not None:
            return progress.current
        if finish_if_done(session=session, progress=progress, now=now):
            return None
        items = round_items(progress)
        seed = new_seed() if seed is None else seed
        chosen = _round_questions(
            user=session.user, items=items, asked=progress.asked,
            seed=seed, now=now,
        )
        if not chosen:  # the questions left the bank meanwhile, or an assignment holds them
            _finish(session, now)
            return None
        number = session.round_count + 1
        attempt = start_attempt(
            user=session.user, questions=chosen, seed=seed, now=now, learn_session=session,
            recipe={"learn_round": number, "known": progress.known, "items": progress.total,
                    "count": len(chosen)},
        )
        LearnSession.objects.filter(pk=session.pk).update(round_count=number)
    return attempt


def unfinished_sessions(*, user, limit: int = 5) -> list[LearnSession]:
    return list(LearnSession.objects.filter(user=user, finished_at__isnull=True)[:limit])
