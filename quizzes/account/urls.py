from django.urls import path

from quizzes.account import views as account

urlpatterns = [
    path("accounts/my-data/", account.my_data, name="my_data"),
    path("accounts/my-data/export.json", account.export, name="my_data_export"),
    path("accounts/my-data/delete/", account.delete, name="delete_account"),
]
