"""The quizzes app's URLs: each area's patterns, under one namespace."""

from quizzes.account import urls as account
from quizzes.bank import urls as bank
from quizzes.classes import urls as classes
from quizzes.practice import urls as practice
from quizzes.progress import urls as progress
from quizzes.review import urls as review

app_name = "quizzes"

urlpatterns = [
    *practice.urlpatterns,
    *review.urlpatterns,
    *progress.urlpatterns,
    *classes.urlpatterns,
    *bank.urlpatterns,
    *account.urlpatterns,
]
