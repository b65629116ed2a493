"""The quizzes app's URLs, one module per area, under one namespace."""

from quizzes.urls import account, classes, practice, review

app_name = "quizzes"

urlpatterns = [
    *practice.urlpatterns,
    *review.urlpatterns,
    *classes.urlpatterns,
    *account.urlpatterns,
]
