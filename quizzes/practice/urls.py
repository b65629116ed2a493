from django.urls import path

from quizzes.practice.views import attempts, learn, practice

urlpatterns = [
    path("practice/", practice.start, name="practice"),
    path("learn/", learn.start, name="learn"),
    path("learn/<int:session_id>/", learn.session_page, name="learn_session"),
    path("learn/<int:session_id>/next/", learn.next_round, name="learn_next"),
    path("attempts/<int:attempt_id>/", attempts.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/answer/<int:position>/", attempts.answer, name="answer"),
    path("attempts/<int:attempt_id>/rate/<int:position>/", attempts.rate_written,
         name="rate_written"),
    path("attempts/<int:attempt_id>/results/", attempts.results, name="results"),
    path("attempts/<int:attempt_id>/retry/", attempts.retry, name="retry"),
    path("attempts/<int:attempt_id>/hand-in/", attempts.hand_in, name="hand_in"),
    path("attempts/<int:attempt_id>/finish/", attempts.finish, name="finish_attempt"),
]
