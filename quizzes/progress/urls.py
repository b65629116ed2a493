from django.urls import path

from quizzes.progress import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
]
