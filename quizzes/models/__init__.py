"""Everything a learner or instructor does with the content, one module per area."""

from quizzes.models.attempts import Attempt, Response
from quizzes.models.bank import Question, QuestionKind
from quizzes.models.cards import Card, CardState, Review, StudyPreference
from quizzes.models.classes import Assignment, Classroom, Enrollment, HiddenQuestion

__all__ = [
    "Assignment",
    "Attempt",
    "Card",
    "CardState",
    "Classroom",
    "Enrollment",
    "HiddenQuestion",
    "Question",
    "QuestionKind",
    "Response",
    "Review",
    "StudyPreference",
]
