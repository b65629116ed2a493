from django.urls import path

from relations import views

app_name = "relations"

urlpatterns = [
    path("lessons/", views.lesson_list, name="lessons"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson"),
    path("timeline/", views.timeline, name="timeline"),
    path("people/", views.people, name="people"),
    path("glossary/", views.glossary, name="glossary"),
    path("sources/", views.sources, name="sources"),
    path("search/", views.search, name="search"),
]
