"""FSRS scheduling: each learner's card states and review log, built on the `fsrs` package.

Contract used by the quiz engine (implemented by the review work):

    record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int

counts a quiz answer as a review (wrong as Again, right as Good, at answered_at) of every
active card made from the same content item as the question, and returns how many cards
it moved. A question with no content item moves nothing.
"""


def record_quiz_evidence(*, user, question, is_correct, answered_at, response=None) -> int:
    return 0  # Replaced by the FSRS implementation.
