"""What practice must ask before it shows an answer: the one thing decided above it.

Practice sits below classes (ARCHITECTURE.md), yet what a learner may see depends on their
assignments: a question on an assignment they still have open, with its feedback held
back, must not be drawn or answered in practice, and "after the due date" feedback is out
only when its class says so. Classes decides both (quizzes/classes/held_back.py) and
quizzes/apps.py hands its functions to `provide` when the app starts. Until then every
question asks refuses, rather than guessing that nothing is held back.
"""

from django.core.exceptions import ImproperlyConfigured

_provided: dict = {}


def provide(*, withheld_question_ids, question_withheld, released_assignment_ids) -> None:
    _provided.update(
        withheld_question_ids=withheld_question_ids,
        question_withheld=question_withheld,
        released_assignment_ids=released_assignment_ids,
    )


def _ask(name):
    try:
        return _provided[name]
    except KeyError:
        raise ImproperlyConfigured(
            "Nothing provides what assignments hold back: quizzes/apps.py must call "
            "quizzes.practice.withholding.provide()."
        ) from None


def withheld_question_ids(*, user, now) -> frozenset[int]:
    """Questions the learner may not see answered in practice now."""
    return _ask("withheld_question_ids")(student=user, now=now)


def question_withheld(*, user, question, now) -> bool:
    """Whether that one question is among `withheld_question_ids` (cheaper: one question's
    facts are compared, not the whole bank's)."""
    return _ask("question_withheld")(student=user, question=question, now=now)


def released_assignment_ids(*, assignments, now) -> set[int]:
    """Of these assignments, those whose feedback no class-wide rule holds back now."""
    return _ask("released_assignment_ids")(assignments=assignments, now=now)
