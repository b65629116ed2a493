"""Admin registrations: each area registers its own models."""

from quizzes.bank import admin as bank_admin  # noqa: F401
from quizzes.classes import admin as classes_admin  # noqa: F401
from quizzes.review import admin as review_admin  # noqa: F401
