"""The instructor's question bank, under /classes/bank/ (instructors only)."""

from django.urls import path

from quizzes.bank import export_views
from quizzes.bank import views as bank_editor

urlpatterns = [
    path("classes/bank/", bank_editor.bank, name="class_bank"),
    path("classes/bank/new/", bank_editor.bank_new, name="class_bank_new"),
    path("classes/bank/new/<str:kind>/", bank_editor.bank_new_kind, name="class_bank_new_kind"),
    path("classes/bank/export.gift", export_views.bank_export, name="class_bank_export"),
    path("classes/bank/import/", bank_editor.bank_import, name="class_bank_import"),
    path("classes/bank/import/confirm/", bank_editor.bank_import_confirm,
         name="class_bank_import_confirm"),
    path("classes/bank/<int:question_id>/", bank_editor.bank_question,
         name="class_bank_question"),
    path("classes/bank/<int:question_id>/edit/", bank_editor.bank_edit, name="class_bank_edit"),
    path("classes/bank/<int:question_id>/hide/", bank_editor.bank_hide, name="class_bank_hide"),
    path("classes/bank/<int:question_id>/unhide/", bank_editor.bank_unhide,
         name="class_bank_unhide"),
]
