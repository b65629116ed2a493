"""Flashcard review: the card, grading, typed answers and "I was right", undo, and the
learner's flag and note (study settings and the downloads are in settings_views.py).

Each view parses the request, calls one function from quizzes.review (session, typed_cards,
scheduling, card_notes), and renders. With htmx, the review actions answer with the card partial
of the same page ("quizzes/review/review.html#card"); without it, they redirect (POST → GET).
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from quizzes.common.saved_work import note_saved
from quizzes.review.card_notes import save_card_note
from quizzes.review.models import CardNote
from quizzes.review.scheduling import ReviewRefused, undo_last_review
from quizzes.review.session import grade_from_review_page, review_session
from quizzes.review.typed_cards import override_typed_answer, typed_result

GRADE_MESSAGE = "Choose a grade from 1 (Again) to 4 (Easy)."


class GradeForm(forms.Form):
    card = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": "The grade form did not say which card it was for.",
            "invalid": "The grade form named a card that does not exist.",
            "min_value": "The grade form named a card that does not exist.",
            "max_value": "The grade form named a card that does not exist.",
        },
    )
    rating = forms.IntegerField(
        min_value=1, max_value=4,
        error_messages={key: GRADE_MESSAGE for key in ("required", "invalid", "min_value",
                                                       "max_value")},
    )
    token = forms.CharField(
        max_length=500,
        error_messages={
            "required": "The grade form is missing its token. Reload the page and grade again.",
            "max_length": "The grade form is damaged. Reload the page and grade again.",
        },
    )

    def first_error(self) -> str:
        for field in ("rating", "card", "token"):
            if field in self.errors:
                return self.errors[field][0]
        return GRADE_MESSAGE


def _shown_at(request, now):
    """When the card's front was shown (carried by the Show answer link), for the review's
    duration; anything odd falls back to now."""
    try:
        shown_ms = int(request.GET.get("t", ""))
    except ValueError:
        return now
    try:
        shown = datetime.datetime.fromtimestamp(shown_ms / 1000, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return now
    if not now - datetime.timedelta(hours=1) <= shown <= now:
        return now
    return shown


def _render_review(request, *, session, show_answer=False, error="", notice="", status=200,
                   result=None):
    template = "quizzes/review/review.html#card" if request.htmx else "quizzes/review/review.html"
    context = {
        "session": session,
        "show_answer": show_answer and session.card is not None,
        "result": result,  # a typed answer's verdict, shown instead of the next card
        "error": error,
        "notice": notice,
        "now_ms": int(timezone.now().timestamp() * 1000),
        "note_max_length": CardNote.NOTE_MAX_LENGTH,
    }
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # a fragment or the page, by that header
    return response


@login_required
@require_GET
def review(request):
    now = timezone.now()
    card_id = request.GET.get("card")
    result = None
    if "result" in request.GET:  # after a typed answer without JavaScript
        result = typed_result(user=request.user, review_id=request.GET["result"])
    session = review_session(
        user=request.user, now=now, card_id=card_id, shown_at=_shown_at(request, now),
        hinted=request.GET.get("hint") == "1",
    )
    # The answer is shown only for the card that was asked for; if that card cannot be
    # graded now, the page falls back to the next card's front.
    show_answer = (
        request.GET.get("answer") == "1"
        and session.card is not None
        and str(session.card.pk) == card_id
    )
    return _render_review(request, session=session, show_answer=show_answer, result=result)


def _just_graded(recorded) -> dict:
    """What the next card's session need not ask again after a new grade: that grade is the
    one the undo button takes back. A repeated grade wrote nothing, so it asks."""
    if recorded.repeated or recorded.review is None:
        return {}
    return {"undo_review_id": recorded.review.pk}


@login_required
@require_POST
def grade(request):
    now = timezone.now()
    form = GradeForm(request.POST)
    if not form.is_valid():
        return _refuse(request, now=now, message=form.first_error(), status=400)
    try:
        recorded = grade_from_review_page(
            user=request.user, card_id=form.cleaned_data["card"],
            rating=form.cleaned_data["rating"], token=form.cleaned_data["token"], now=now,
        )
    except ReviewRefused as refusal:
        return _refuse(request, now=now, message=refusal.message, status=refusal.status)
    when = _when(recorded.state.due, now)
    # A repeat is this grade sent again (a retry, a second click): it was saved the first time.
    saved = "Your grade was already saved" if recorded.repeated else "Graded"
    notice = f"{saved}. You will see that card again {when}."
    note_saved(request, f"Your grade was saved. You will see that card again {when}.")
    if request.htmx:
        session = review_session(user=request.user, now=now, plan=recorded.plan,
                                 **_just_graded(recorded))
        return _render_review(request, session=session, notice=notice)
    messages.success(request, notice)
    return redirect("quizzes:review")


class TypedAnswerForm(forms.Form):
    card = GradeForm.base_fields["card"]
    token = GradeForm.base_fields["token"]
    typed = forms.CharField(
        max_length=300, strip=True,
        error_messages={
            "required": "Type an answer first, or choose Show answer to grade yourself.",
            "max_length": "That answer is longer than any card's; type a shorter one.",
        },
    )

    def first_error(self) -> str:
        for field in ("typed", "card", "token"):
            if field in self.errors:
                return self.errors[field][0]
        return GRADE_MESSAGE


@login_required
@require_POST
def answer(request):
    """A typed answer: graded by the typed-answer grader, its verdict shown with the back."""
    now = timezone.now()
    form = TypedAnswerForm(request.POST)
    if not form.is_valid():
        return _refuse(request, now=now, message=form.first_error(), status=400)
    try:
        recorded = grade_from_review_page(
            user=request.user, card_id=form.cleaned_data["card"], rating=None,
            token=form.cleaned_data["token"], now=now, typed=form.cleaned_data["typed"],
        )
    except ReviewRefused as refusal:
        return _refuse(request, now=now, message=refusal.message, status=refusal.status)
    note_saved(request, "Your answer was saved.")
    if request.htmx:
        session = review_session(user=request.user, now=now, plan=recorded.plan,
                                 **_just_graded(recorded))
        result = typed_result(user=request.user, review_id=recorded.review.pk)
        # Focus goes to Next card; the status region reads the verdict out.
        return _render_review(request, session=session, result=result,
                              notice=result.verdict.sentence)
    return redirect(f"{reverse('quizzes:review')}?result={recorded.review.pk}")


class OverrideForm(forms.Form):
    review = forms.IntegerField(
        min_value=1, max_value=2**63 - 1,
        error_messages={key: "The form did not say which answer was right. Reload the page."
                        for key in ("required", "invalid", "min_value", "max_value")},
    )


@login_required
@require_POST
def override(request):
    """"I was right": a typed answer the grader refused counts as Good after all."""
    now = timezone.now()
    form = OverrideForm(request.POST)
    if not form.is_valid():
        return _refuse(request, now=now, message=form.errors["review"][0], status=400)
    try:
        state = override_typed_answer(user=request.user, review_id=form.cleaned_data["review"])
    except ReviewRefused as refusal:
        return _refuse(request, now=now, message=refusal.message, status=refusal.status)
    when = _when(state.due, now)
    notice = f"Counted as right. You will see that card again {when}."
    note_saved(request, notice)
    if request.htmx:
        session = review_session(user=request.user, now=now)
        return _render_review(request, session=session, notice=notice)
    messages.success(request, notice)
    return redirect("quizzes:review")


class CardNoteForm(forms.Form):
    card = GradeForm.base_fields["card"]
    flagged = forms.BooleanField(required=False)
    note = forms.CharField(
        required=False, max_length=CardNote.NOTE_MAX_LENGTH, widget=forms.Textarea,
        error_messages={
            "max_length": f"Keep the note to {CardNote.NOTE_MAX_LENGTH} characters; "
                          "it was not saved.",
        },
    )
    # Where to come back to without JavaScript: the card's back if it was showing.
    answer = forms.BooleanField(required=False)


@login_required
@require_POST
def card_note(request):
    """Flag a card and keep a note of one's own on it."""
    now = timezone.now()
    form = CardNoteForm(request.POST)
    if not form.is_valid():
        message = next(iter(form.errors.values()))[0]
        return _refuse(request, now=now, message=message, status=400)
    data = form.cleaned_data
    try:
        save_card_note(user=request.user, card_id=data["card"], flagged=data["flagged"],
                       note=data["note"])
    except ReviewRefused as refusal:
        return _refuse(request, now=now, message=refusal.message, status=refusal.status)
    notice = "Card flagged; your note is saved." if data["flagged"] else "Your note is saved."
    back = f"{reverse('quizzes:review')}?card={data['card']}" + ("&answer=1" if data["answer"]
                                                               else "")
    if request.htmx:
        session = review_session(user=request.user, now=now, card_id=data["card"])
        show = data["answer"] and session.card is not None and session.card.pk == data["card"]
        return _render_review(request, session=session, notice=notice, show_answer=show)
    messages.success(request, notice)
    return redirect(back)


def _when(due, now) -> str:
    delta = due - now
    if delta.total_seconds() < 3600:
        return f"in about {max(1, round(delta.total_seconds() / 60))} minutes"
    if delta.days < 1:
        return f"in about {round(delta.total_seconds() / 3600)} hours"
    return f"in {delta.days} day{'s' if delta.days != 1 else ''}"


def _refuse(request, *, now, message, status):
    """Say what was wrong, with the learner's current card beneath; nothing was changed."""
    session = review_session(user=request.user, now=now)
    return _render_review(request, session=session, error=message, status=status)


class UndoForm(forms.Form):
    # Which grade the button was showing; without it, the latest grade is undone.
    review = forms.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False,
        error_messages={key: "The undo form is damaged. Reload the page and try again."
                        for key in ("invalid", "min_value", "max_value")},
    )


@login_required
@require_POST
def undo(request):
    now = timezone.now()
    form = UndoForm(request.POST)
    if not form.is_valid():
        return _refuse(request, now=now, message=form.errors["review"][0], status=400)
    undone = undo_last_review(
        user=request.user, now=now, review_id=form.cleaned_data["review"]
    )
    if undone is None:
        return _refuse(
            request, now=now, status=409,
            message=(
                "There is no grade to undo: it was undone already, or a quiz answer has "
                "moved that card since."
            ),
        )
    notice = "Last grade undone. Here is that card again."
    note_saved(request, "Your last grade was undone.")
    if request.htmx:
        session = review_session(user=request.user, now=now, card_id=undone.card_id)
        return _render_review(request, session=session, notice=notice)
    messages.success(request, notice)
    return redirect(f"{reverse('quizzes:review')}?card={undone.card_id}")
