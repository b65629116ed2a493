"""A learner's own data: what we hold about them, as a download, and deleting it all.

`export_user_data` gathers everything tied to one account in a fixed number of queries,
whatever the history's size. It never includes another person's data (no classmates, no
instructor's name) and never an answer key: it lists only the questions the learner has
answered, each with their own answer in words, and its result only once the learner may see
it (never a question still to come in an attempt in progress).

`delete_account` removes the user and everything that is theirs in one transaction.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, ProtectedError, RestrictedError
from django.utils import timezone

from accounts.roles import is_instructor
from accounts.time_zones import stored_zone
from quizzes.bank.models import HiddenQuestion, Question
from quizzes.bank.versions import as_version
from quizzes.classes.held_back import released_assignment_ids, withheld_question_ids
from quizzes.classes.models import Assignment, Classroom, Enrollment
from quizzes.practice.attempts import feedback_visible
from quizzes.practice.models import Attempt, LearnSession, Response
from quizzes.review.models import CardNote, CardState, Review, StudyPreference

EXPORT_FORMAT_VERSION = 1


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _options_by_key(question: Question, field: str) -> dict[str, str]:
    items = (question.body or {}).get(field) or []
    return {
        str(item.get("key")): str(item.get("text", ""))
        for item in items
        if isinstance(item, dict)
    }


def describe_answer(*, question: Question, answer) -> object:
    """The learner's stored answer in words (option keys turned into the text they chose).

    Defensive about shapes: whatever was stored, something readable comes out, and nothing
    but what the learner submitted.
    """
    if answer is None:
        return None
    if not isinstance(answer, dict):
        return answer
    if "key" in answer:
        options = _options_by_key(question, "options")
        return options.get(str(answer["key"]), answer["key"])
    if "pairs" in answer and isinstance(answer["pairs"], dict):
        left = _options_by_key(question, "left")
        right = _options_by_key(question, "right")
        return {
            left.get(str(lk), str(lk)): right.get(str(rk), rk)
            for lk, rk in answer["pairs"].items()
        }
    if "order" in answer and isinstance(answer["order"], list):
        items = _options_by_key(question, "items")
        return [items.get(str(key), key) for key in answer["order"]]
    if "text" in answer:
        return answer["text"]
    return answer


def _response_data(response: Response, *, show_results: bool) -> dict:
    # The question as it was answered: its version, not what it says since an edit.
    question = as_version(response.question, response.version if response.version_id else None)
    data = {
        "position": response.position + 1,
        "question_kind": question.get_kind_display(),
        "question": question.prompt,
        "question_version": question.version_number,
        "answered_at": _when(response.answered_at),
        "your_answer": describe_answer(question=question, answer=response.answer),
    }
    if show_results and response.answered_at is not None:
        data["correct"] = response.is_correct
        data["credit"] = response.credit
        data["close_spelling_accepted"] = response.close_match
    return data


def _attempt_data(attempt: Attempt, *, now, released_ids, withheld) -> dict:
    # The export never reveals what the quiz itself would not show yet.
    answered = [response for response in attempt.responses.all() if response.answered_at]
    show_results = feedback_visible(attempt=attempt, now=now, released_ids=released_ids)
    if attempt.assignment_id is None and any(r.question_id in withheld for r in answered):
        show_results = False  # a practice answer an open assignment holds back
    assignment = attempt.assignment
    return {
        "id": attempt.pk,
        "kind": "assignment" if assignment else "practice",
        "assignment": assignment.title if assignment else None,
        "class": assignment.classroom.name if assignment else None,
        "number": attempt.number,
        "started_at": _when(attempt.started_at),
        "finished_at": _when(attempt.finished_at),
        "ended": attempt.get_ended_display() if attempt.ended else None,
        "question_count": attempt.question_count,
        "score": attempt.score if show_results else None,
        "responses": [
            _response_data(response, show_results=show_results) for response in answered
        ],
    }


def _profile(user) -> dict:
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "is_instructor": is_instructor(user),
        "time_zone": stored_zone(user_id=user.pk) or None,
    }


def _study_preference(user) -> dict | None:
    preference = (
        StudyPreference.objects.filter(user=user).prefetch_related("lessons").first()
    )
    if preference is None:
        return None
    return {
        "new_cards_per_day": preference.new_cards_per_day,
        "lessons": [lesson.title for lesson in preference.lessons.all()],
        "keyboard_shortcuts": preference.keyboard_shortcuts,
        "fsrs_parameters": preference.fsrs_parameters,
        "fsrs_reviews_used": preference.fsrs_reviews_used,
        "fsrs_optimized_at": _when(preference.fsrs_optimized_at),
    }


def _sign_ins(user) -> list[dict]:
    # django-axes keeps a record of each sign-in (time, address, browser) for security.
    from axes.models import AccessLog

    logs = AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")
    return [
        {
            "at": _when(log.attempt_time),
            "signed_out_at": _when(log.logout_time),
            "ip_address": log.ip_address,
            "browser": log.user_agent,
        }
        for log in logs[:500]
    ]


def export_user_data(*, user, now=None) -> dict:
    """Everything tied to `user`, as plain JSON-ready data."""
    now = now or timezone.now()
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("assignment__classroom")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("question", "version").order_by(
                    "position"
                ),
            )
        )
        .order_by("started_at", "id")
    )
    card_states = (
        CardState.objects.filter(user=user).select_related("card__lesson").order_by("card_id")
    )
    reviews = Review.objects.filter(user=user).select_related("card").order_by("reviewed_at", "id")
    enrollments = (
        Enrollment.objects.filter(student=user)
        .select_related("classroom")
        .order_by("joined_at", "id")
    )
    classroom_ids = [enrollment.classroom_id for enrollment in enrollments]
    assignments = (
        Assignment.objects.filter(classroom_id__in=classroom_ids)
        .select_related("classroom")
        .order_by("due_at", "id")
    )
    taught = (
        Classroom.objects.filter(instructor=user)
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("due_at", "id"))
        )
        .order_by("created_at", "id")
    )
    authored = Question.objects.filter(author=user).order_by("id")
    hidden = HiddenQuestion.objects.filter(instructor=user).order_by("question_id")
    attempts = list(attempts)
    released_ids = released_assignment_ids(
        assignments={a.assignment for a in attempts if a.assignment_id}, now=now
    )
    withheld = withheld_question_ids(student=user, now=now)

    return {
        "format": "uneasy-allies-my-data",
        "version": EXPORT_FORMAT_VERSION,
        "exported_at": _when(now),
        "profile": _profile(user),
        "study_preferences": _study_preference(user),
        "attempts": [
            _attempt_data(attempt, now=now, released_ids=released_ids, withheld=withheld)
            for attempt in attempts
        ],
        "learn_sessions": [
            {
                "started_at": _when(session.started_at),
                "finished_at": _when(session.finished_at),
                "items": len(session.items),
                "rounds": session.round_count,
            }
            for session in LearnSession.objects.filter(user=user).order_by("started_at", "pk")
        ],
        "card_states": [
            {
                "card": state.card.front,
                "card_kind": state.card.get_kind_display(),
                "lesson": state.card.lesson.title if state.card.lesson else None,
                "state": state.state,
                "step": state.step,
                "stability": state.stability,
                "difficulty": state.difficulty,
                "due": _when(state.due),
                "last_review": _when(state.last_review),
            }
            for state in card_states
        ],
        "reviews": [
            {
                "card": review.card.front,
                "rating": review.rating,
                "reviewed_at": _when(review.reviewed_at),
                "duration_ms": review.duration_ms,
                "source": review.get_source_display(),
                "typed_answer": review.typed_answer,
                "hint_shown": review.hinted,
                "i_was_right": review.overridden,
                "undone_at": _when(review.undone_at),
            }
            for review in reviews
        ],
        "card_notes": [
            {
                "card": mark.card.front,
                "flagged": mark.flagged,
                "note": mark.note,
                "updated_at": _when(mark.updated_at),
            }
            for mark in CardNote.objects.filter(user=user).select_related("card")
            .order_by("card_id")
        ],
        "classes_joined": [
            {
                "class": enrollment.classroom.name,
                "joined_at": _when(enrollment.joined_at),
                "removed_at": _when(enrollment.removed_at),
            }
            for enrollment in enrollments
        ],
        "assignments": [
            {
                "class": assignment.classroom.name,
                "title": assignment.title,
                "kind": assignment.get_kind_display(),
                "opens_at": _when(assignment.opens_at),
                "due_at": _when(assignment.due_at),
            }
            for assignment in assignments
        ],
        "classes_taught": [
            {
                "class": classroom.name,
                "join_code": classroom.join_code,
                "created_at": _when(classroom.created_at),
                "archived_at": _when(classroom.archived_at),
                "assignments": [
                    {
                        "title": assignment.title,
                        "kind": assignment.get_kind_display(),
                        "opens_at": _when(assignment.opens_at),
                        "due_at": _when(assignment.due_at),
                        "time_limit_minutes": assignment.time_limit_minutes,
                        "attempts_allowed": assignment.attempts_allowed,
                    }
                    for assignment in classroom.assignments.all()
                ],
            }
            for classroom in taught
        ],
        # Questions this person wrote are their own work, answer keys included.
        "questions_written": [
            {
                "kind": question.get_kind_display(),
                "question": question.prompt,
                "body": question.body,
                "answer": question.answer,
                "explanation": question.explanation,
                "created_at": _when(question.created_at),
            }
            for question in authored
        ],
        "hidden_question_ids": [row.question_id for row in hidden],
        "sign_ins": _sign_ins(user),
    }


def what_deletion_removes(*, user) -> dict:
    """Counts for the confirmation: what deleting this account takes with it."""
    taught = Classroom.objects.filter(instructor=user)
    return {
        "attempts": Attempt.objects.filter(user=user).count(),
        "reviews": Review.objects.filter(user=user).count(),
        "classes_taught": taught.count(),
        "students_taught": Enrollment.objects.filter(classroom__in=taught)
        .values("student_id")
        .distinct()
        .count(),
    }


@transaction.atomic
def delete_account(*, user) -> None:
    """Delete the user and all their own data; nothing is left half-deleted.

    Attempts, responses, card states, reviews, enrolments, preferences and classes taught
    go with the user (the foreign keys cascade). Questions they wrote are deleted too,
    unless a response still points at one, in which case it is retired so past attempts
    by others still display. Sign-in records under their name go as well.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = user.get_username()
    authored_ids = list(Question.objects.filter(author=user).values_list("id", flat=True))
    get_user_model().objects.filter(pk=user.pk).delete()

    still_used = set(
        Response.objects.filter(question_id__in=authored_ids).values_list("question_id", flat=True)
    )
    unused = set(authored_ids) - still_used
    try:
        with transaction.atomic():  # a savepoint: a protected row must not spoil the rest
            Question.objects.filter(id__in=unused).delete()
    except (ProtectedError, RestrictedError):
        still_used |= unused
    Question.objects.filter(id__in=still_used, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    for model in (AccessLog, AccessAttempt, AccessFailureLog):
        model.objects.filter(username=username).delete()
