"""Admin for classes, enrolments and assignments (read mostly; the instructor pages under
/classes/ are where the work is done)."""

from django.contrib import admin

from quizzes.classes.models import Assignment, Classroom, ClassroomInstructor, Enrollment


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["student"]
    readonly_fields = ["joined_at"]


class ClassroomInstructorInline(admin.TabularInline):
    """Who teaches the class besides its owner (they manage it as the owner does)."""

    model = ClassroomInstructor
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["added_at"]
    verbose_name = "co-instructor"


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ["name", "instructor", "join_code", "created_at", "archived_at"]
    list_filter = ["archived_at"]
    search_fields = ["name", "join_code", "instructor__username"]
    raw_id_fields = ["instructor"]
    readonly_fields = ["created_at"]
    inlines = [ClassroomInstructorInline, EnrollmentInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "classroom", "joined_at", "removed_at"]
    list_select_related = ["student", "classroom"]
    search_fields = ["student__username", "classroom__name"]
    raw_id_fields = ["student", "classroom"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "classroom", "kind", "opens_at", "due_at", "attempts_allowed"]
    list_filter = ["kind", "feedback_timing", "late_allowed"]
    list_select_related = ["classroom"]
    search_fields = ["title", "classroom__name"]
    raw_id_fields = ["classroom", "questions"]
    filter_horizontal = ["lessons"]
    date_hierarchy = "due_at"
