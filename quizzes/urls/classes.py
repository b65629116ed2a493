from django.urls import path

from quizzes.views import classes

urlpatterns = [
    path("classes/", classes.class_list, name="classes"),
]
