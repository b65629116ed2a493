from django.urls import path

from quizzes.views import practice

urlpatterns = [
    path("practice/", practice.start, name="practice"),
]
