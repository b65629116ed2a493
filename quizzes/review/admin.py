"""Admin for flashcards, learners' card states and the review log."""

from django.contrib import admin

from quizzes.review.models import Card, CardState, Review, StudyPreference


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["front", "kind", "lesson", "retired_at", "updated_at"]
    list_filter = ["kind", "lesson", ("retired_at", admin.EmptyFieldListFilter)]
    search_fields = ["front", "back", "context"]
    list_select_related = ["lesson"]
    raw_id_fields = ["citation"]
    # Cards are generated from the content (quizzes/review/cards.py): edit the item, not the card.
    readonly_fields = ["fingerprint", "item_type", "item_id", "created_at", "updated_at"]


@admin.register(CardState)
class CardStateAdmin(admin.ModelAdmin):
    list_display = ["user", "card", "state", "due", "last_review", "stability", "difficulty"]
    list_filter = ["state"]
    search_fields = ["user__username", "card__front"]
    list_select_related = ["user", "card"]
    raw_id_fields = ["user", "card"]
    date_hierarchy = "due"


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["reviewed_at", "user", "card", "rating", "source", "duration_ms", "undone_at"]
    list_filter = ["source", "rating", ("undone_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "card__front"]
    list_select_related = ["user", "card"]
    raw_id_fields = ["user", "card", "response"]
    date_hierarchy = "reviewed_at"


@admin.register(StudyPreference)
class StudyPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "new_cards_per_day"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    filter_horizontal = ["lessons"]
