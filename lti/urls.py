"""The tool's URLs under /lti/."""

from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("launch/", views.launch, name="launch"),
    path("jwks.json", views.jwks, name="jwks"),
    path("setup/", views.setup, name="setup"),
    path("register/<str:token>/", views.register, name="register"),
    path("deep-link/", views.deep_link, name="deep_link"),
    path("deep-link/respond/", views.deep_link_respond, name="deep_link_respond"),
    path("classes/<int:class_id>/roster/sync/", views.roster_sync, name="roster_sync"),
    path("links/<int:link_id>/students/<int:student_id>/resend/", views.resend, name="resend"),
]
