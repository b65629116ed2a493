"""Every model of the quizzes app, re-exported from the area that owns it.

Django finds the app's models here; code inside an area imports from the area's own
`models` module (or a lower area's), so the layers in ARCHITECTURE.md stay visible.
"""

from quizzes.bank.models import HiddenQuestion, Question, QuestionKind, QuestionVersion
from quizzes.classes.models import (
    Assignment,
    AttemptChange,
    Classroom,
    ClassroomInstructor,
    Enrollment,
    GradebookExport,
    StudentOverride,
)
from quizzes.practice.models import Attempt, LearnSession, Regrade, Response
from quizzes.review.models import Card, CardNote, CardState, Review, StudyPreference

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptChange",
    "Card",
    "CardNote",
    "CardState",
    "Classroom",
    "ClassroomInstructor",
    "Enrollment",
    "GradebookExport",
    "HiddenQuestion",
    "LearnSession",
    "Question",
    "QuestionKind",
    "QuestionVersion",
    "Regrade",
    "Response",
    "Review",
    "StudentOverride",
    "StudyPreference",
]
