"""Admin registrations, one module per area."""

from quizzes.admin import bank, cards, classes  # noqa: F401
