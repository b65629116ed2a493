"""Learn mode: start a session, see each round's progress, start the next round.

The rounds themselves are attempts, taken on the attempt pages (views/attempts.py). Every
page here is the learner's own (anyone else's session is a 404), sent with no-store.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from quizzes.practice import learn
from quizzes.practice.attempts import NoQuestions
from quizzes.practice.forms import LearnForm
from quizzes.practice.models import LearnSession


@never_cache
@login_required
def start(request):
    status = 200
    if request.method == "POST":
        form = LearnForm(request.POST)
        if form.is_valid():
            try:
                session = learn.start_learning(
                    user=request.user,
                    lesson_ids=[lesson.pk for lesson in form.cleaned_data["lessons"]],
                    size=form.cleaned_data["size"],
                )
            except NoQuestions as refusal:
                form.add_error(None, refusal.message)
            else:
                return redirect("quizzes:attempt", session.rounds.order_by("pk").first().pk)
        status = 400
    else:
        form = LearnForm(initial={"size": learn.ROUND_SIZE})
    context = {
        "form": form,
        "unfinished": learn.unfinished_sessions(user=request.user),
        "round_size": learn.ROUND_SIZE,
        "right_times": learn.RIGHT_TIMES,
    }
    return render(request, "quizzes/practice/learn.html", context, status=status)


def _own_session(request, session_id) -> LearnSession:
    session = get_object_or_404(LearnSession, pk=session_id, user=request.user)
    session.user = request.user
    return session


@never_cache
@login_required
def session_page(request, session_id):
    """Between rounds: how many are known and the next round; at the end, the end page."""
    session = _own_session(request, session_id)
    progress = learn.learn_progress(session=session, labels=True)
    finished = learn.finish_if_done(session=session, progress=progress)
    context = {
        "session": session,
        "progress": progress,
        "finished": finished,
        "right_times": learn.RIGHT_TIMES,
    }
    return render(request, "quizzes/practice/learn_session.html", context)


@never_cache
@login_required
@require_POST
def next_round(request, session_id):
    session = _own_session(request, session_id)
    attempt = learn.start_next_round(session=session)
    if attempt is None:  # nothing left to ask: the end page says how it went
        return redirect("quizzes:learn_session", session.pk)
    return redirect("quizzes:attempt", attempt.pk)
