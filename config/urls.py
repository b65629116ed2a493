from django.contrib import admin
from django.urls import include, path

from config import views
from quizzes.progress.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("lti/", include("lti.urls")),
    path("", include("quizzes.urls")),
    path("", include("relations.urls")),
]

handler404 = "config.views.not_found"
handler403 = "config.views.forbidden"
handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"
