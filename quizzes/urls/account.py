from django.urls import path

from quizzes.views import account

urlpatterns = [
    path("accounts/my-data/", account.my_data, name="my_data"),
]
