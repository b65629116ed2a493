"""Classes and their assignments, under /classes/."""

from django.urls import path

from quizzes.classes.views import (
    assignments,
    classes,
    gradebook,
    instructor_tools,
    marking,
    student_work,
)

urlpatterns = [
    path("classes/", classes.class_list, name="classes"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/join/", classes.class_join, name="class_join"),
    path("classes/join/<str:code>/", classes.class_join_code, name="class_join_code"),
    path("classes/grading/", marking.grading_queue, name="grading_queue"),
    path("classes/grading/<int:assignment_id>/", marking.grading_assignment,
         name="grading_assignment"),
    path("classes/grading/answers/<int:response_id>/", marking.grading_answer,
         name="grading_answer"),
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
    path("classes/<int:class_id>/gradebook-by-student.csv", gradebook.gradebook_wide,
         name="class_gradebook_wide"),
    path("classes/<int:class_id>/gradebook/export/", gradebook.gradebook_export_request,
         name="class_gradebook_export"),
    path("classes/<int:class_id>/gradebook/export/<int:export_id>.csv",
         gradebook.gradebook_export_download, name="class_gradebook_export_download"),
    path("classes/<int:class_id>/assignments/new/", assignments.assignment_create,
         name="assignment_create"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/",
         assignments.assignment_detail, name="assignment_detail"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/edit/",
         assignments.assignment_edit, name="assignment_edit"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/copy/",
         instructor_tools.assignment_copy, name="assignment_copy"),
    path("classes/bank/<int:question_id>/preview/", instructor_tools.question_preview,
         name="class_bank_preview"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/start/",
         assignments.assignment_start, name="assignment_start"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/release-feedback/",
         assignments.assignment_release_feedback, name="assignment_release_feedback"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/results/",
         assignments.assignment_results, name="assignment_results"),
    # One student's work, from the results table (quizzes/classes/views/student_work.py).
    path("classes/<int:class_id>/assignments/<int:assignment_id>/students/<int:student_id>/",
         student_work.student_work, name="student_work"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/students/<int:student_id>/"
         "override/", student_work.override_set, name="class_override_set"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/students/<int:student_id>/"
         "override/remove/", student_work.override_remove, name="class_override_remove"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/attempts/<int:attempt_id>/",
         student_work.attempt_review, name="class_attempt_review"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/attempts/<int:attempt_id>/"
         "reset/", student_work.attempt_reset, name="class_attempt_reset"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/attempts/<int:attempt_id>/"
         "reopen/", student_work.attempt_reopen, name="class_attempt_reopen"),
    path("classes/<int:class_id>/assignments/<int:assignment_id>/export.gift",
         assignments.assignment_export_gift, name="assignment_export_gift"),
]
