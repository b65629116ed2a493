from django.urls import path

from quizzes.review import views as review

urlpatterns = [
    path("review/", review.review, name="review"),
    path("review/grade/", review.grade, name="review_grade"),
    path("review/undo/", review.undo, name="review_undo"),
    path("review/settings/", review.study_settings, name="review_settings"),
    path("review/export.apkg", review.export_all, name="review_export"),
    path("review/export/<slug:slug>.apkg", review.export_lesson, name="review_export_lesson"),
]
