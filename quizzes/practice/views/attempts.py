"""Taking an attempt (practice or assignment): one question at a time, feedback, results.

Every page here is the learner's own (anyone else's attempt is a 404) and is sent with
Cache-Control: no-store. The answer post works as a plain form (redirect, then the page
shows the feedback) and with htmx (the feedback partial replaces the question card).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from quizzes.bank.kinds import UNSCORED_KINDS
from quizzes.common.refusals import Refusal
from quizzes.common.saved_work import note_saved
from quizzes.practice import attempts as engine
from quizzes.practice.handing_in import hand_in_review
from quizzes.practice.models import Attempt, Response
from quizzes.practice.presenting import present_feedback, present_question, present_results
from quizzes.practice.self_rating import rate_written_answer

TEMPLATE = "quizzes/practice/attempt.html"


def _own_attempt(request, attempt_id, *, attempt=None) -> Attempt:
    """The learner's attempt (anyone else's is a 404), handed in if its time ran out while
    they were away. `attempt`: already read with what the view needs (engine.own_response)."""
    if attempt is None:
        attempt = get_object_or_404(
            Attempt.objects.select_related("assignment"), pk=attempt_id, user=request.user
        )
        attempt.user = request.user  # the same person: saves a query wherever it is read
    if attempt.finished_at is None and attempt.deadline and timezone.now() > attempt.deadline:
        engine.finish_attempt(attempt=attempt)  # time ran out while away: hand it in
    return attempt


def _title(attempt) -> str:
    if attempt.learn_session_id:
        return f"Learn · round {(attempt.recipe or {}).get('learn_round', 1)}"
    return attempt.assignment.title if attempt.assignment_id else "Practice quiz"


def _after(attempt):
    """Where a finished attempt goes: its results, or for a Learn round, its session."""
    if attempt.learn_session_id:
        return redirect("quizzes:learn_session", attempt.learn_session_id)
    return redirect("quizzes:results", attempt.pk)


def _time_left(attempt) -> dict:
    """The server's count of what is left before the deadline, which the countdown starts
    from (so the browser's clock, right or wrong, never matters)."""
    if attempt.deadline is None or attempt.finished_at is not None:
        return {}
    left = max(0, int((attempt.deadline - timezone.now()).total_seconds()))
    hours, rest = divmod(left, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    return {"seconds_left": left, "time_left": clock}


def _page(request, attempt, status=200, **context):
    context = {"attempt": attempt, "title": _title(attempt), **_time_left(attempt), **context}
    if request.htmx and not request.htmx.boosted:
        fragment = "feedback" if "feedback" in context else "question"
        if "problem" in context:
            fragment = "problem"
        if "review" in context:
            return render(request, TEMPLATE, context, status=status)
        return render(request, f"{TEMPLATE}#{fragment}", context, status=status)
    return render(request, TEMPLATE, context, status=status)


def _current(attempt):
    return (
        Response.objects.select_related("question")
        .filter(attempt=attempt, answered_at__isnull=True)
        .order_by("position")
        .first()
    )


@never_cache
@login_required
def attempt_page(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    shown = request.GET.get("feedback", "")
    if shown.isdigit() and len(shown) < 6:
        try:
            response = engine.response_at(attempt=attempt, position=int(shown))
        except engine.UnknownPosition:
            response = None
        if response is not None and response.answered_at is not None:
            return _page(
                request, attempt, feedback=present_feedback(attempt=attempt, response=response)
            )
    if attempt.finished_at is not None:
        return _after(attempt)
    response = _asked_for(attempt, request.GET.get("question", "")) or _current(attempt)
    if response is None:
        if attempt.assignment_id:  # every question answered: look back, then hand in
            return redirect("quizzes:hand_in", attempt.pk)
        engine.finish_attempt(attempt=attempt)  # a practice quiz: hand it in, show results
        return _after(attempt)
    return _page(request, attempt, question=present_question(attempt=attempt, response=response))


def _asked_for(attempt, position: str):
    """An unanswered question picked from the review before handing in (?question=N)."""
    if not (position.isdigit() and len(position) < 6):
        return None
    try:
        response = engine.response_at(attempt=attempt, position=int(position))
    except engine.UnknownPosition:
        return None
    return response if response.answered_at is None else None


@never_cache
@login_required
def hand_in(request, attempt_id):
    """The review before handing in: answered and unanswered questions, links back to each,
    and the "Hand in" button (a POST to finish)."""
    attempt = _own_attempt(request, attempt_id)
    if attempt.finished_at is not None:
        return redirect("quizzes:results", attempt.pk)
    return _page(request, attempt, review=hand_in_review(attempt=attempt))


TIME_UP = "Time is up for this attempt: it has been handed in as it was."


def _problem(attempt, refusal) -> dict:
    finished = attempt.finished_at is not None
    # The deadline may have handed the attempt in just before this post was read.
    timed_out = isinstance(refusal, engine.DeadlinePassed) or (
        finished and attempt.deadline is not None and attempt.finished_at >= attempt.deadline
    )
    return {
        "title": "Time is up" if timed_out else "Not saved",
        "message": TIME_UP if timed_out else refusal.message,
        "next_url": reverse(
            "quizzes:results" if finished else "quizzes:attempt", args=[attempt.pk]
        ),
        "next_label": "See results" if finished else "Back to the quiz",
    }


@never_cache
@login_required
@require_POST
def answer(request, attempt_id, position):
    # One read for the attempt and the question answered; without it, the attempt alone
    # (a 404 if it is not theirs), and the engine says what is wrong with the position.
    own = engine.own_response(user=request.user, attempt_id=attempt_id, position=position)
    attempt = _own_attempt(request, attempt_id, attempt=own.attempt if own else None)
    try:
        # An assignment is handed in from the review that follows its last answer.
        response = engine.answer_question(
            attempt=attempt, position=position, data=request.POST,
            hand_in_when_done=attempt.assignment_id is None, response=own,
        )
    except engine.InvalidAnswer as refusal:
        # A fixable slip (nothing chosen, a garbled value): the same question again, with why.
        try:
            unanswered = engine.response_at(attempt=attempt, position=position)
        except engine.UnknownPosition:
            unanswered = None
        if unanswered is not None and unanswered.answered_at is None:
            question = present_question(attempt=attempt, response=unanswered)
            return _page(
                request, attempt, status=refusal.status, question=question, error=refusal.message
            )
        return _page(request, attempt, status=refusal.status, problem=_problem(attempt, refusal))
    except Refusal as refusal:  # the engine's, or one from review inside it (nothing saved)
        return _page(request, attempt, status=refusal.status, problem=_problem(attempt, refusal))
    note_saved(request, "Your answer was saved.")
    if response.question.kind in UNSCORED_KINDS:  # a description read: on to what is next
        return redirect("quizzes:attempt", attempt.pk)
    if request.htmx:
        return _page(
            request, attempt, feedback=present_feedback(attempt=attempt, response=response)
        )
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return HttpResponseRedirect(f"{url}?feedback={response.position}")


@never_cache
@login_required
@require_POST
def rate_written(request, attempt_id, position):
    """A learner's rating of their own written answer, after reading the model answer."""
    attempt = _own_attempt(request, attempt_id)
    try:
        response = rate_written_answer(
            attempt=attempt, position=position, rating=request.POST.get("rating")
        )
    except Refusal as refusal:
        return _page(request, attempt, status=refusal.status, problem=_problem(attempt, refusal))
    note_saved(request, "Your rating was saved.")
    if request.htmx:
        return _page(
            request, attempt, feedback=present_feedback(attempt=attempt, response=response)
        )
    url = reverse("quizzes:attempt", args=[attempt.pk])
    return HttpResponseRedirect(f"{url}?feedback={response.position}")


@never_cache
@login_required
def results(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.finished_at is None:
        return redirect("quizzes:attempt", attempt.pk)
    responses = Response.objects.filter(attempt=attempt).select_related(
        "question__lesson",
        "question__section__lesson",
        "question__editor_note",
        "question__citation__source",  # the record beside a course-context citation
        "version__citation__source",  # what the question said when it was answered
        "version__editor_note",
    )
    view = present_results(attempt=attempt, responses=responses)
    return render(
        request,
        "quizzes/practice/results.html",
        {"attempt": attempt, "title": _title(attempt), "results": view},
    )


@never_cache
@login_required
@require_POST
def retry(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.assignment_id or attempt.finished_at is None:
        return _page(
            request,
            attempt,
            status=409,
            problem={
                "title": "Not available",
                "message": "Only a finished practice quiz can be retried.",
                "next_url": reverse("quizzes:attempt", args=[attempt.pk]),
                "next_label": "Back to the quiz",
            },
        )
    try:
        new_attempt = engine.retry_missed(attempt=attempt)
    except engine.NoQuestions as refusal:
        return _page(
            request,
            attempt,
            status=409,
            problem={
                "title": "Nothing to retry",
                "message": refusal.message,
                "next_url": reverse("quizzes:practice"),
                "next_label": "Start another quiz",
            },
        )
    return redirect("quizzes:attempt", new_attempt.pk)


@never_cache
@login_required
@require_POST
def finish(request, attempt_id):
    """Hand in now, leaving the unanswered questions unanswered."""
    attempt = _own_attempt(request, attempt_id)
    engine.finish_attempt(attempt=attempt)
    return _after(attempt)
