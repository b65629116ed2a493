"""Review assignments: each student's share of a lesson's cards at the target recall, and the
cards a class finds hardest."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from quizzes.classes.item_analysis import (
    rank_hardest_cards,
)
from quizzes.classes.models import Assignment
from quizzes.review.models import Card, CardState, Review
from quizzes.review.scheduling import retrievability

# --- review assignments ----------------------------------------------------------------------


def review_shares(*, assignments, student_ids, now) -> dict[int, dict[int, tuple[int, int]]]:
    """For each review assignment: {student_id: (cards, cards at or above the target)}.

    Three queries whatever the number of assignments, students or cards.
    """
    lessons_of = {a.pk: {lesson.pk for lesson in a.lessons.all()} for a in assignments}
    all_lessons = set().union(*lessons_of.values()) if lessons_of else set()
    cards_by_lesson = defaultdict(list)
    for card_id, lesson_id in Card.objects.filter(
        lesson_id__in=all_lessons, retired_at__isnull=True
    ).values_list("id", "lesson_id"):
        cards_by_lesson[lesson_id].append(card_id)
    card_ids = [cid for ids in cards_by_lesson.values() for cid in ids]
    recall: dict[tuple[int, int], float] = {}
    for state in CardState.objects.filter(user_id__in=student_ids, card_id__in=card_ids):
        recall[(state.user_id, state.card_id)] = retrievability(state=state, now=now)
    result: dict[int, dict[int, tuple[int, int]]] = {}
    for assignment in assignments:
        cards = [cid for lid in lessons_of[assignment.pk] for cid in cards_by_lesson[lid]]
        target = assignment.target_retrievability
        result[assignment.pk] = {
            sid: (len(cards), sum(1 for cid in cards if recall.get((sid, cid), 0.0) >= target))
            for sid in student_ids
        }
    return result


@dataclass
class CardDifficulty:
    card: Card
    mean_retrievability: float
    again_count: int


def review_card_difficulty(*, assignment: Assignment, student_ids, now) -> list[CardDifficulty]:
    """The assignment's cards, hardest first: lowest mean recall, then most Again ratings."""
    lesson_ids = [lesson.pk for lesson in assignment.lessons.all()]
    cards = {
        c.pk: c for c in Card.objects.filter(lesson_id__in=lesson_ids, retired_at__isnull=True)
    }
    recall = defaultdict(dict)
    for state in CardState.objects.filter(user_id__in=student_ids, card_id__in=cards):
        recall[state.card_id][state.user_id] = retrievability(state=state, now=now)
    agains = dict(
        Review.objects.filter(
            card_id__in=cards, user_id__in=student_ids, rating=1, undone_at__isnull=True,
            reviewed_at__gte=assignment.opens_at,
        )
        .values_list("card_id")
        .annotate(n=Count("id"))
        .values_list("card_id", "n")
    )
    ranked = rank_hardest_cards(
        recall={
            card_id: [recall[card_id].get(sid, 0.0) for sid in student_ids] for card_id in cards
        },
        again_counts=agains,
    )
    return [
        CardDifficulty(card=cards[card_id], mean_retrievability=mean, again_count=again)
        for card_id, mean, again in ranked
    ]
