"""The question bank in the admin: generated questions to inspect, and instructor-written
ones of the same types to add (with the body/answer shapes of the Question docstring)."""

import hashlib
import json
import uuid

from django.contrib import admin
from django.utils import timezone

from quizzes.bank import versions
from quizzes.bank.models import HiddenQuestion, Question, QuestionVersion


class RetiredFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", "In use"), ("yes", "Retired")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(retired_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(retired_at__isnull=False)
        return queryset


class VersionInline(admin.TabularInline):
    model = QuestionVersion
    fields = ("number", "prompt", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("short_prompt", "kind", "origin", "lesson", "generator", "in_use")
    list_filter = ("kind", "origin", ("lesson", admin.RelatedOnlyFieldListFilter), RetiredFilter)
    search_fields = ("prompt",)
    list_select_related = ("lesson",)
    raw_id_fields = ("section", "citation", "editor_note", "author")
    readonly_fields = (
        "fingerprint",
        "generator",
        "item_type",
        "item_id",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (None, {"fields": ("kind", "prompt", "body", "answer", "explanation")}),
        ("Where it comes from", {"fields": ("lesson", "section", "citation", "editor_note")}),
        (
            "Bank",
            {
                "fields": (
                    "origin",
                    "author",
                    "retired_at",
                    "generator",
                    "item_type",
                    "item_id",
                    "fingerprint",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )
    actions = ("retire", "restore")

    def get_inlines(self, request, obj):
        # Its versions, read-only, once it exists (a new question has none to list).
        return (VersionInline,) if obj is not None else ()

    @admin.display(description="Question", ordering="prompt")
    def short_prompt(self, question):
        return question.prompt[:90]

    @admin.display(description="In use", boolean=True, ordering="retired_at")
    def in_use(self, question):
        return question.retired_at is None

    def get_changeform_initial_data(self, request):
        return {"origin": Question.Origin.INSTRUCTOR, "author": request.user.pk}

    def save_model(self, request, obj, form, change):
        if not obj.fingerprint:
            shown = json.dumps([obj.kind, obj.prompt, obj.body, obj.answer], sort_keys=True)
            # Written by hand: unique to this row, never matched by a generator's hash.
            obj.fingerprint = hashlib.sha256(f"admin|{uuid.uuid4()}|{shown}".encode()).hexdigest()
        if obj.origin == Question.Origin.GENERATED and not change:
            obj.origin = Question.Origin.INSTRUCTOR
        super().save_model(request, obj, form, change)
        if change:  # an answered question edited here becomes a new version; marks stay
            versions.record_edit(question=obj, editor=request.user)

    @admin.action(description="Retire the selected questions (kept for past attempts)")
    def retire(self, request, queryset):
        queryset.filter(retired_at__isnull=True).update(retired_at=timezone.now())

    @admin.action(description="Put the selected questions back in use")
    def restore(self, request, queryset):
        queryset.exclude(origin=Question.Origin.GENERATED).update(retired_at=None)


@admin.register(HiddenQuestion)
class HiddenQuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "instructor"]
    list_select_related = ["question", "instructor"]
    raw_id_fields = ["question", "instructor"]
