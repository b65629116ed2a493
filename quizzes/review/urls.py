from django.urls import path

from quizzes.review import settings_views as study
from quizzes.review import views as review

urlpatterns = [
    path("review/", review.review, name="review"),
    path("review/grade/", review.grade, name="review_grade"),
    path("review/undo/", review.undo, name="review_undo"),
    path("review/answer/", review.answer, name="review_answer"),
    path("review/override/", review.override, name="review_override"),
    path("review/note/", review.card_note, name="review_note"),
    path("review/settings/", study.study_settings, name="review_settings"),
    path("review/settings/optimize/", study.optimize, name="review_optimize"),
    path("review/export.apkg", study.export_all, name="review_export"),
    path("review/my-cards.apkg", study.export_mine, name="review_export_mine"),
    path("review/export/<slug:slug>.apkg", study.export_lesson, name="review_export_lesson"),
]
