"""Drawing a quiz from the bank.

    draw_questions(*, lesson_ids=None, kinds=None, count, seed, exclude_ids=(),
                   hidden_for=None, alongside=()) -> list[Question]

Balanced across kinds and lessons, the same for the same seed, and fair as a test: no two
questions on one fact, no question whose prompt, options or feedback shows another's
answer (the fact keys each Question stores; see quizzes/bank/facts.py), and true/false
keys kept even, so always answering "True" scores half. A draw of any kind holds only
questions marked at once; written answers (and descriptions) come when their kind is asked
for.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field

from quizzes.bank.kinds import MARKED_KINDS, UNSCORED_KINDS
from quizzes.bank.models import HiddenQuestion, Question

TRUE_TEXT = "True"
# How far apart the True and False keys of one quiz's true/false questions may drift.
TRUE_FALSE_SLACK = 1


@dataclass
class _Candidate:
    pk: int
    kind: str
    lesson_id: int | None
    asks: frozenset
    reveals: frozenset
    is_true: bool | None  # for true/false: whether its key is "True"


def _is_true(kind, body, answer) -> bool | None:
    if kind != "tf":
        return None
    texts = {o.get("key"): o.get("text") for o in (body or {}).get("options", [])}
    return texts.get((answer or {}).get("key")) == TRUE_TEXT


def _candidate(pk, kind, lesson_id, item_type_id, item_id, asks, reveals, body, answer):
    # A question without stored keys still stands for its own item, or for itself.
    own = f"item:{item_type_id}:{item_id}" if item_id is not None else f"question:{pk}"
    return _Candidate(
        pk=pk,
        kind=kind,
        lesson_id=lesson_id,
        asks=frozenset([own, *(asks or ())]),
        reveals=frozenset(reveals or ()),
        is_true=_is_true(kind, body, answer),
    )


_FIELDS = ("pk", "kind", "lesson_id", "item_type_id", "item_id", "asks", "reveals", "body",
           "answer")


@dataclass
class _Quiz:
    asks: set = field(default_factory=set)
    reveals: set = field(default_factory=set)
    true_false: list = field(default_factory=lambda: [0, 0])  # [True keys, False keys]
    chosen: list = field(default_factory=list)

    def fits(self, candidate, *, balance: bool) -> bool:
        if candidate.asks & self.asks or candidate.asks & self.reveals:
            return False
        if candidate.reveals & self.asks:
            return False
        if balance and candidate.is_true is not None:
            trues, falses = self.true_false
            trues, falses = trues + candidate.is_true, falses + (not candidate.is_true)
            if abs(trues - falses) > TRUE_FALSE_SLACK:
                return False
        return True

    def add(self, candidate, *, chosen=True) -> None:
        self.asks |= candidate.asks
        self.reveals |= candidate.reveals
        if candidate.is_true is not None:
            self.true_false[0 if candidate.is_true else 1] += 1
        if chosen:
            self.chosen.append(candidate.pk)


def _kind_queues(candidates, rng) -> list[list]:
    """One queue per kind, round-robin over its lessons, the kinds in a shuffled order."""
    by_kind: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for candidate in candidates:
        by_kind[candidate.kind][candidate.lesson_id].append(candidate)
    queues = []
    for kind in sorted(by_kind):
        lessons = sorted(by_kind[kind], key=lambda lesson_id: (lesson_id is None, lesson_id))
        rng.shuffle(lessons)
        for lesson_id in lessons:
            rng.shuffle(by_kind[kind][lesson_id])
        queue, lists = [], [by_kind[kind][lesson_id] for lesson_id in lessons]
        for i in range(max((len(lst) for lst in lists), default=0)):
            queue.extend(lst[i] for lst in lists if i < len(lst))
        queues.append(queue)
    rng.shuffle(queues)
    return queues


def _fill(quiz, queues, *, count: int, balance: bool) -> None:
    cursors = [0] * len(queues)
    while len(quiz.chosen) < count and any(
        c < len(q) for c, q in zip(cursors, queues, strict=True)
    ):
        for index, queue in enumerate(queues):
            while cursors[index] < len(queue):
                candidate = queue[cursors[index]]
                cursors[index] += 1
                if candidate.pk not in quiz.chosen and quiz.fits(candidate, balance=balance):
                    quiz.add(candidate)
                    break
            if len(quiz.chosen) >= count:
                break


def draw_questions(
    *,
    lesson_ids=None,
    kinds=None,
    count: int,
    seed: int,
    exclude_ids=(),
    hidden_for=None,
    alongside=(),
) -> list[Question]:
    """Active questions for one quiz (see the module docstring).

    `hidden_for` is the instructor whose assignment this is: their hidden questions are
    left out and their own questions come in; otherwise only generated questions do.
    `alongside` are questions the quiz already holds (an assignment draws kind by kind):
    nothing drawn may clash with them either.
    """
    candidates = Question.objects.drawable_for(hidden_for)
    if lesson_ids:
        candidates = candidates.filter(lesson_id__in=list(lesson_ids))
    if kinds:
        candidates = candidates.filter(kind__in=list(kinds))
    else:  # any kind that is marked at once: written answers come when asked for by kind
        candidates = candidates.exclude(kind__in=sorted(MARKED_KINDS | UNSCORED_KINDS))
    if exclude_ids:
        candidates = candidates.exclude(pk__in=list(exclude_ids))
    if hidden_for is not None:
        hidden = HiddenQuestion.objects.filter(instructor=hidden_for).values("question_id")
        candidates = candidates.exclude(pk__in=hidden)
    rows = candidates.values_list(*_FIELDS)
    alongside_rows = [tuple(getattr(q, f) for f in _FIELDS) for q in alongside]
    chosen = choose(rows=rows, count=count, seed=seed, alongside=alongside_rows)
    by_pk = Question.objects.in_bulk(chosen)
    return [by_pk[pk] for pk in chosen]


def candidate_rows(queryset) -> list[tuple]:
    """What choose() reads of each candidate question."""
    return list(queryset.values_list(*_FIELDS))


def choose(*, rows, count: int, seed: int, alongside=()) -> list[int]:
    """The pks of one quiz, drawn from candidate rows (see candidate_rows), in quiz order:
    the whole draw but the queries, so it is also tested a thousand times over."""
    quiz = _Quiz()
    for row in alongside:
        quiz.add(_candidate(*row), chosen=False)
    rng = random.Random(f"draw:{seed}")
    queues = _kind_queues([_candidate(*row) for row in sorted(rows)], rng)
    _fill(quiz, queues, count=count, balance=True)
    if len(quiz.chosen) < count:  # too few to keep True and False even: fill up anyway
        _fill(quiz, queues, count=count, balance=False)
    chosen = list(quiz.chosen)
    rng.shuffle(chosen)
    return chosen


def choose_one_each(*, groups, alongside=()) -> list[int]:
    """One question for each group of candidate rows (see candidate_rows), the groups in
    order of need and each group's rows in order of preference, as far as the rules above
    allow: a group whose every question asks a fact already asked, or shows another's answer
    (or has its own answer shown), gets none. Learn mode asks each item of a round so
    (quizzes/practice/learn.py). Returns the pks in group order."""
    quiz = _Quiz()
    for row in alongside:
        quiz.add(_candidate(*row), chosen=False)
    for rows in groups:
        for row in rows:
            candidate = _candidate(*row)
            if quiz.fits(candidate, balance=False):
                quiz.add(candidate)
                break
    return list(quiz.chosen)
