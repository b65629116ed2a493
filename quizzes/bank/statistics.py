"""Item statistics fed back to the bank: a question most learners answer is no test, and
one that strong learners miss more often than weak ones is probably flawed.

    review_flags(*, question_ids=None) -> {question id: reason}

Computed from the responses through the Question's own reverse relation, so the bank
needs nothing from the areas above it. Discrimination is the share right among the
responses from the top third of attempts (by score) minus that among the bottom third.
"""

from collections import defaultdict

from quizzes.bank.models import Question

MIN_RESPONSES = 30
EASY_FACILITY = 0.95


def _discrimination(rows) -> float | None:
    """rows: (is_correct, attempt share) for one question."""
    ranked = sorted(rows, key=lambda row: row[1])
    third = len(ranked) // 3
    if third == 0:
        return None
    bottom, top = ranked[:third], ranked[-third:]
    return sum(r[0] for r in top) / third - sum(r[0] for r in bottom) / third


def review_flags(*, question_ids=None) -> dict[int, str]:
    """Questions with enough answers whose statistics ask for a teacher's look."""
    questions = Question.objects.filter(responses__answered_at__isnull=False)
    if question_ids is not None:
        questions = questions.filter(pk__in=list(question_ids))
    rows = questions.values_list(
        "pk",
        "responses__is_correct",
        "responses__attempt__score",
        "responses__attempt__question_count",
    )
    by_question = defaultdict(list)
    for pk, is_correct, score, count in rows.iterator():
        share = (score or 0.0) / count if count else 0.0
        by_question[pk].append((bool(is_correct), share))
    flags = {}
    for pk, answers in by_question.items():
        if len(answers) < MIN_RESPONSES:
            continue
        facility = sum(a[0] for a in answers) / len(answers)
        discrimination = _discrimination(answers)
        if discrimination is not None and discrimination < 0:
            flags[pk] = (
                f"negative discrimination ({discrimination:+.2f} over {len(answers)} answers)"
            )
        elif facility >= EASY_FACILITY:
            flags[pk] = f"almost everyone right ({facility:.0%} of {len(answers)} answers)"
    return flags
