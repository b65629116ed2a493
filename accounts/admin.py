"""Staff decide instructor requests here: approve or decline, never edit one by hand."""

from django.contrib import admin, messages

from accounts.instructor_requests import approve_instructor_request, decline_instructor_request
from accounts.models import InstructorRequest


@admin.register(InstructorRequest)
class InstructorRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "requested_at", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["user", "decided_by"]
    search_fields = ["user__username", "user__email", "note"]
    fields = ["user", "user_email", "note", "requested_at", "status", "decided_by", "decided_at"]
    readonly_fields = fields
    actions = ["approve", "decline"]

    @admin.display(description="Email")
    def user_email(self, obj):
        return obj.user.email

    def has_add_permission(self, request):
        return False  # requests come from the people asking

    def _decide(self, request, queryset, decide, verb):
        done = sum(
            decide(instructor_request=row, staff=request.user)
            for row in queryset.select_related("user")
        )
        skipped = len(queryset) - done
        message = f"{verb} {done} request{'s' if done != 1 else ''}."
        if skipped:
            message += f" {skipped} had already been decided and were left as they were."
        self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)

    @admin.action(description="Approve: make them instructors", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve_instructor_request, "Approved")

    @admin.action(description="Decline", permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, decline_instructor_request, "Declined")
