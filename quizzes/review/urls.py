from django.urls import path

from quizzes.review import views as review

urlpatterns = [
    path("review/", review.review, name="review"),
    path("review/grade/", review.grade, name="review_grade"),
    path("review/undo/", review.undo, name="review_undo"),
    path("review/answer/", review.answer, name="review_answer"),
    path("review/override/", review.override, name="review_override"),
    path("review/note/", review.card_note, name="review_note"),
    path("review/settings/", review.study_settings, name="review_settings"),
    path("review/export.apkg", review.export_all, name="review_export"),
    path("review/my-cards.apkg", review.export_mine, name="review_export_mine"),
    path("review/export/<slug:slug>.apkg", review.export_lesson, name="review_export_lesson"),
]
