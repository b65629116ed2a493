"""Regrading past answers to a question against a new version of it.

    regrade_question(*, question, to_version, by, now=None) -> RegradeReport

Every answered response to the question on another version is marked again by its kind's
grader against `to_version` (which the question says now), moves to that version (so its
review shows the key it is marked by; the Regrade row keeps which version it replaced),
and every finished attempt holding one is scored again. The review evidence its answer gave
(FSRS) stays as it was recorded. One transaction, the attempts' rows locked first (as an
answer locks them, quizzes/practice/attempts.py), so a regrade and an answer or a hand-in
go one after the other. After it commits, `scores_changed` is sent per assignment.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from quizzes.bank.grading import grade
from quizzes.common.signals import scores_changed
from quizzes.practice.attempts import _score_subquery
from quizzes.practice.models import Attempt, Regrade, Response


@dataclass(frozen=True)
class RegradeReport:
    record: Regrade | None
    responses_regraded: int
    responses_changed: int
    attempts_changed: int

    @property
    def sentence(self) -> str:
        if not self.responses_regraded:
            return "No past answer needed regrading."
        answers = "answer" if self.responses_regraded == 1 else "answers"
        changed = self.responses_changed
        attempts = self.attempts_changed
        return (
            f"{self.responses_regraded} past {answers} regraded against version "
            f"{self.record.to_version.number}: {changed} changed mark, "
            f"{attempts} attempt{'' if attempts == 1 else 's'} changed score."
        )


def regrade_question(*, question, to_version, by, now=None) -> RegradeReport:
    now = now or timezone.now()
    with transaction.atomic():
        attempt_ids = list(
            Response.objects.filter(question=question, answered_at__isnull=False)
            .exclude(version=to_version)
            .values_list("attempt_id", flat=True)
            .distinct()
        )
        if not attempt_ids:
            return RegradeReport(None, 0, 0, 0)
        attempts = {
            attempt.pk: attempt
            for attempt in Attempt.objects.select_for_update()
            .filter(pk__in=attempt_ids)
            .order_by("pk")
        }
        responses = list(
            Response.objects.filter(question=question, answered_at__isnull=False)
            .exclude(version=to_version)
            .select_related("version")
            .order_by("pk")
        )
        from_version = min((r.version for r in responses if r.version_id), key=lambda v: v.number,
                           default=to_version)
        changed = []
        for response in responses:
            result = grade(question=question, submitted=response.answer or {})
            if (response.credit, response.is_correct) != (result.credit, result.is_correct):
                changed.append(response.attempt_id)
            response.credit, response.is_correct = result.credit, result.is_correct
            response.close_match, response.version = result.close_match, to_version
        Response.objects.bulk_update(
            responses, ["credit", "is_correct", "close_match", "version"], batch_size=500
        )
        finished = [pk for pk, attempt in attempts.items() if attempt.finished_at is not None]
        Attempt.objects.filter(pk__in=finished).update(score=_score_subquery())
        rescored = Attempt.objects.filter(pk__in=finished).values_list("pk", "score")
        moved = [pk for pk, score in rescored if score != attempts[pk].score]
        record = Regrade.objects.create(
            question=question, from_version=from_version, to_version=to_version,
            regraded_by=by, regraded_at=now, responses_regraded=len(responses),
            responses_changed=len(changed), attempts_changed=len(moved),
        )
        students = defaultdict(set)
        for pk in set(changed) | set(moved):
            attempt = attempts[pk]
            if attempt.assignment_id:
                students[attempt.assignment_id].add(attempt.user_id)
        transaction.on_commit(lambda: _announce(students), robust=True)
    return RegradeReport(record, len(responses), len(changed), len(moved))


def _announce(students) -> None:
    for assignment_id, student_ids in sorted(students.items()):
        scores_changed.send(
            sender=Regrade, assignment_id=assignment_id, student_ids=sorted(student_ids)
        )
