from django.urls import path

from quizzes.practice.views import attempts, practice

urlpatterns = [
    path("practice/", practice.start, name="practice"),
    path("attempts/<int:attempt_id>/", attempts.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answer/<int:position>/", attempts.answer, name="answer"),
    path("attempts/<int:attempt_id>/results/", attempts.results, name="results"),
    path("attempts/<int:attempt_id>/retry/", attempts.retry, name="retry"),
    path("attempts/<int:attempt_id>/hand-in/", attempts.hand_in, name="hand_in"),
    path("attempts/<int:attempt_id>/finish/", attempts.finish, name="finish_attempt"),
]
