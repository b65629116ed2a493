"""Platform courses, placed assignments and score sends, for staff to look into.

Registrations and deployments are django-lti's own admin (lti_tool); the setup page
(/lti/setup/) lists the URLs a platform needs."""

from django.contrib import admin

from lti.models import LinkedAssignment, LinkedCourse, ScoreSend


@admin.register(LinkedCourse)
class LinkedCourseAdmin(admin.ModelAdmin):
    list_display = ["classroom", "context", "roster_synced_at"]
    list_select_related = ["classroom", "context"]
    raw_id_fields = ["classroom", "context"]


@admin.register(LinkedAssignment)
class LinkedAssignmentAdmin(admin.ModelAdmin):
    list_display = ["assignment", "course", "lineitem_url"]
    list_select_related = ["assignment", "course__classroom", "course__context"]
    raw_id_fields = ["assignment", "course"]


@admin.register(ScoreSend)
class ScoreSendAdmin(admin.ModelAdmin):
    list_display = ["student", "link", "percent", "status", "tries", "sent_at", "next_try_at"]
    list_filter = ["status"]
    list_select_related = ["student", "link__assignment"]
    raw_id_fields = ["link", "student"]
    readonly_fields = ["last_error"]
