from django.urls import path

from quizzes.views import review

urlpatterns = [
    path("review/", review.review, name="review"),
    path("progress/", review.progress, name="progress"),
]
