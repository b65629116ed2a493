"""The editors' tools: every content model, with the pieces that belong together inline.

Foreign keys to long lists (citations, lessons, people, sections, notes) use autocomplete, and
every change list selects what it displays in the same query.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.text import Truncator

from relations.models import (
    Citation,
    Claim,
    Debate,
    EditorNote,
    Era,
    Event,
    Fact,
    Lesson,
    Person,
    Position,
    Section,
    Source,
    Term,
)

# The fields LessonItem subclasses share, picked from a search box rather than a long list.
ITEM_AUTOCOMPLETE = ("lesson", "section", "citation", "editor_note")


def _short(text: str, words: int = 14) -> str:
    return Truncator(text).words(words)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "publisher", "published", "is_course_context", "order")
    list_filter = ("is_course_context", "records_passages")
    list_editable = ("order",)
    search_fields = ("title", "authors", "publisher", "series")
    prepopulated_fields = {"slug": ("title",)}


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ("locator", "source", "order")
    list_filter = ("source",)
    search_fields = ("locator", "source__title", "supports", "passage", "record")
    list_select_related = ("source",)


@admin.register(Era)
class EraAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class ClaimInline(admin.StackedInline):
    model = Claim
    extra = 0
    fields = ("topic", "statement", "quotation", "context", "order", *ITEM_AUTOCOMPLETE)
    autocomplete_fields = ITEM_AUTOCOMPLETE
    show_change_link = True


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "affiliation",
        "role",
        "is_panelist",
        "is_source_voice",
        "claim_count",
        "order",
    )
    list_filter = ("is_panelist", "is_source_voice")
    search_fields = ("name", "affiliation", "role")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("citation",)
    inlines = (ClaimInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, person):
        return person.claim_total


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ("order", "heading", "slug", "body", "citation", "editor_notes")
    prepopulated_fields = {"slug": ("heading",)}
    autocomplete_fields = ("citation", "editor_notes")


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "order", "slug", "section_count", "shows_border_map")
    list_filter = ("shows_border_map",)
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("people",)
    inlines = (SectionInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(section_total=Count("sections"))

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, lesson):
        return lesson.section_total


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("heading", "lesson", "order", "citation")
    list_filter = ("lesson", "citation__source")
    search_fields = ("heading", "body", "lesson__title")
    list_select_related = ("lesson", "citation__source")
    autocomplete_fields = ("lesson", "citation", "editor_notes")
    prepopulated_fields = {"slug": ("heading",)}


@admin.register(EditorNote)
class EditorNoteAdmin(admin.ModelAdmin):
    list_display = ("source_says", "kind", "correction", "citation", "lesson")
    list_filter = ("kind", "lesson", "citation__source")
    search_fields = ("source_says", "correction", "explanation")
    list_select_related = ("citation__source", "lesson")
    autocomplete_fields = ("citation", "lesson", "basis")


class LessonItemAdmin(admin.ModelAdmin):
    """What every lesson item's admin shares."""

    autocomplete_fields = ITEM_AUTOCOMPLETE
    list_select_related = ("lesson", "citation__source")


@admin.register(Event)
class EventAdmin(LessonItemAdmin):
    list_display = ("title", "when", "precision", "era", "lesson")
    list_filter = ("era", "precision", "lesson", "citation__source")
    search_fields = ("title", "summary", "significance")
    list_select_related = ("era", "lesson")
    autocomplete_fields = (*ITEM_AUTOCOMPLETE, "people", "era")


@admin.register(Claim)
class ClaimAdmin(LessonItemAdmin):
    list_display = ("person", "topic", "statement_start", "lesson", "order")
    list_filter = ("person__is_panelist", "person", "lesson", "citation__source")
    search_fields = ("statement", "topic", "quotation", "person__name")
    list_select_related = ("person", "lesson")
    autocomplete_fields = (*ITEM_AUTOCOMPLETE, "person")

    @admin.display(description="statement")
    def statement_start(self, claim):
        return _short(claim.statement)


class PositionInline(admin.StackedInline):
    model = Position
    extra = 0
    min_num = 2  # a debate needs both sides
    fields = ("side", "holder", "statement", "is_editorial", "citation", "order")
    autocomplete_fields = ("citation",)


@admin.register(Debate)
class DebateAdmin(LessonItemAdmin):
    list_display = ("title", "question", "lesson", "order")
    list_filter = ("lesson", "citation__source")
    search_fields = ("title", "question")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PositionInline,)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("debate", "side", "holder", "is_editorial", "statement_start")
    list_filter = ("side", "is_editorial", "debate__lesson")
    search_fields = ("statement", "holder", "debate__title")
    list_select_related = ("debate",)
    autocomplete_fields = ("debate", "citation")

    @admin.display(description="statement")
    def statement_start(self, position):
        return _short(position.statement)


@admin.register(Term)
class TermAdmin(LessonItemAdmin):
    list_display = ("term", "definition_start", "lesson")
    list_filter = ("lesson", "citation__source")
    search_fields = ("term", "definition", "alternatives")

    @admin.display(description="definition")
    def definition_start(self, term):
        return _short(term.definition)


@admin.register(Fact)
class FactAdmin(LessonItemAdmin):
    list_display = ("__str__", "answer_kind", "topic", "lesson")
    list_filter = ("lesson", "answer_kind", "citation__source")
    search_fields = ("text", "topic")
