"""Item analysis: which questions the class found hard, and which ones tell students apart.

Pure functions over plain records, so they are tested without a database:

- facility: the share of students given the question who got it right (0 to 1);
- discrimination: the share right among the top third of students by total score minus
  the share right among the bottom third (-1 to 1; near 0 or negative is a poor question);
- the most chosen wrong answer, as the text the students saw.

What counts, here and in class mastery (quizzes/classes/results.py::class_mastery): an
answer given in a finished attempt (item analysis reads each student's counted attempt,
class mastery every finished one). A question an attempt left unanswered when it was handed
in or timed out was "not reached": it is counted apart here, never as wrong, and is in
neither the facility nor the discrimination; class mastery leaves it out the same way.
Statistics are per question version: after an edit, the answers to each version are read
against what that version said.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from quizzes.bank.kinds import KINDS


@dataclass(frozen=True)
class AnswerRecord:
    student_id: int
    question_id: int
    is_correct: bool
    # What a wrong answer said (an option's text, a typed answer); None when right or unknown.
    answer_text: str | None = None
    version_id: int | None = None
    # False for a question left unanswered when the attempt ended ("not reached").
    reached: bool = True


@dataclass(frozen=True)
class ItemStats:
    question_id: int
    seen: int  # answers given (reached)
    right: int
    facility: float
    discrimination: float | None
    top_wrong_answer: str | None
    top_wrong_count: int
    version_id: int | None = None
    not_reached: int = 0

    @property
    def facility_percent(self) -> int:
        return round(100 * self.facility)


def thirds(*, totals: Mapping[int, float]) -> tuple[set[int], set[int]]:
    """The top and bottom thirds of students by total score (ties broken by id, stable).

    Fewer than three students leave both thirds empty: no discrimination can be measured.
    """
    size = len(totals) // 3
    if size == 0:
        return set(), set()
    ranked = sorted(totals, key=lambda sid: (-totals[sid], sid))
    return set(ranked[:size]), set(ranked[-size:])


def _share(records: list[AnswerRecord]) -> float | None:
    if not records:
        return None
    return sum(1 for r in records if r.is_correct) / len(records)


def analyse_items(
    *, records: Iterable[AnswerRecord], totals: Mapping[int, float]
) -> list[ItemStats]:
    """Statistics per question version, hardest (lowest facility) first; a version only
    ever "not reached" comes last."""
    top, bottom = thirds(totals=totals)
    by_question: dict[tuple, list[AnswerRecord]] = defaultdict(list)
    not_reached: Counter = Counter()
    for record in records:
        key = (record.question_id, record.version_id)
        if record.reached:
            by_question[key].append(record)
        else:
            not_reached[key] += 1
            by_question.setdefault(key, [])
    stats = []
    for (question_id, version_id), answers in by_question.items():
        right = sum(1 for r in answers if r.is_correct)
        top_share = _share([r for r in answers if r.student_id in top])
        bottom_share = _share([r for r in answers if r.student_id in bottom])
        wrong = Counter(
            r.answer_text for r in answers if not r.is_correct and r.answer_text
        ).most_common()
        # Among equally common wrong answers, the alphabetically first: stable output.
        top_wrong = min(
            (text for text, n in wrong if n == wrong[0][1]), default=None, key=str.casefold
        )
        stats.append(
            ItemStats(
                question_id=question_id,
                version_id=version_id,
                not_reached=not_reached[(question_id, version_id)],
                seen=len(answers),
                right=right,
                facility=right / len(answers) if answers else 1.0,
                discrimination=(
                    None if top_share is None or bottom_share is None
                    else round(top_share - bottom_share, 4)
                ),
                top_wrong_answer=top_wrong,
                top_wrong_count=wrong[0][1] if wrong else 0,
            )
        )
    return sorted(
        stats,
        key=lambda s: (not s.seen, s.facility, -s.seen, s.question_id, s.version_id or 0),
    )


def describe_answer(*, kind: str, body: Mapping, answer) -> str | None:
    """The text of what a student answered, for the "most chosen wrong answer" column.

    Each kind says (Kind.describe_answer): choice questions give the chosen option's text,
    typed answers the text folded; matching and ordering answers are arrangements, not one
    answer, so they have no single text.
    """
    question_kind = KINDS.get(kind)
    if answer is None or question_kind is None:
        return None
    return question_kind.describe_answer(body=body or {}, answer=answer)


def rank_hardest_cards(
    *, recall: Mapping[int, list[float]], again_counts: Mapping[int, int]
) -> list[tuple[int, float, int]]:
    """(card_id, mean retrievability, Again count), lowest mean recall first, then most Again."""
    ranked = []
    for card_id, values in recall.items():
        mean = sum(values) / len(values) if values else 0.0
        ranked.append((card_id, round(mean, 4), again_counts.get(card_id, 0)))
    return sorted(ranked, key=lambda row: (row[1], -row[2], row[0]))
