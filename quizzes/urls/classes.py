"""Classes, assignments and the instructor's question bank, all under /classes/."""

from django.urls import path

from quizzes.views import assignments, bank_editor, classes

urlpatterns = [
    path("classes/", classes.class_list, name="classes"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/join/", classes.class_join, name="class_join"),
    path("classes/join/<str:code>/", classes.class_join_code, name="class_join_code"),
    path("classes/<int:class_id>/", classes.class_detail, name="class_detail"),
    path("classes/<int:class_id>/rename/", classes.class_rename, name="class_rename"),
    path("classes/<int:class_id>/archive/", classes.class_archive, name="class_archive"),
    path("classes/<int:class_id>/restore/", classes.class_restore, name="class_restore"),
    path(
        "classes/<int:class_id>/roster/<int:enrollment_id>/remove/",
        classes.roster_remove, name="class_roster_remove",
    ),
    path(
        "classes/<int:class_id>/roster/<int:enrollment_id>/restore/",
        classes.roster_restore, name="class_roster_restore",
    ),
    path("classes/<int:class_id>/gradebook.csv", assignments.class_gradebook,
         name="class_gradebook"),
    path("classes/<int:class_id>/assignments/new/", assignments.assignment_create,
         name="assignment_create"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/",
         assignments.assignment_detail, name="assignment_detail"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/edit/",
         assignments.assignment_edit, name="assignment_edit"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/start/",
         assignments.assignment_start, name="assignment_start"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/results/",
         assignments.assignment_results, name="assignment_results"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/export.gift",
         assignments.assignment_export_gift, name="assignment_export_gift"),
    path("classes/bank/", bank_editor.bank, name="class_bank"),
    path("classes/bank/new/", bank_editor.bank_new, name="class_bank_new"),
    path("classes/bank/new/<str:kind>/", bank_editor.bank_new_kind, name="class_bank_new_kind"),
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
