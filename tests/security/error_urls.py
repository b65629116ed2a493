"""The project's URLs plus one view that fails, to see what a 500 looks like."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def explode(request):
    raise RuntimeError("a bug we did not foresee")


urlpatterns = [path("explode/", explode), *project_urlpatterns]

handler400 = "config.views.bad_request"
handler403 = "config.views.forbidden"
handler404 = "config.views.not_found"
handler500 = "config.views.server_error"
