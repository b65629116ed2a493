"""Answering questions in tests the way a page would: with the opaque posted values."""

from quizzes.practice.simulation import form_data


def post_data(attempt, response, *, right=True) -> dict:
    """The form fields a learner's page posts for a right (or a wrong) answer."""
    return form_data(attempt=attempt, response=response, right=right)
