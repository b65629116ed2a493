"""Cards answered by typing: the verdict, the first-letter hint, and "I was right".

A card is one to type when it has a short answer (`Card.answer`: a term on its reversed
card, a fact's blank, a claim's speaker). What the learner types is graded by the same
forgiving comparison as a typed quiz answer (quizzes.common.typed_answers), and the verdict
is the grade, so the learner does not grade themselves:

- right → Good;
- right but for a one-letter slip in a long word → Hard (recalled, not quite);
- wrong (or empty) → Again.

The first-letter hint caps the grade at Hard. "I was right" takes back a refusal: the
grader is strict about what it does not know (a synonym, a fuller name), so the learner may
say their answer was right, and the review is graded again as Good (Hard after a hint),
with `overridden` set on its row, the way Anki's add-ons and Quizlet's override do.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from fsrs import Rating

from quizzes.common.typed_answers import grade_typed
from quizzes.review.models import Card, CardState, Review
from quizzes.review.scheduling import CardNotFound, ReviewRefused, regrade_review


class CannotOverride(ReviewRefused):
    status = 409


@dataclass(frozen=True)
class TypedVerdict:
    right: bool
    close: bool
    rating: Rating

    @property
    def sentence(self) -> str:
        if self.right and self.close:
            return "Right, but for the spelling: counted as Hard."
        if self.right:
            return "Right: counted as Good." if self.rating == Rating.Good else (
                "Right, with the first-letter hint: counted as Hard."
            )
        return "Not what the card says: counted as Again."


def typed_verdict(*, typed: str, card: Card, hinted: bool = False) -> TypedVerdict:
    right, close = grade_typed(typed=typed, accepted=card.accepted_answers)
    if not right:
        rating = Rating.Again
    elif close or hinted:
        rating = Rating.Hard
    else:
        rating = Rating.Good
    return TypedVerdict(right=right, close=close, rating=rating)


def first_letter(card: Card) -> str:
    """The hint: the answer's first letter or digit ("" for a card not to type)."""
    return next((ch for ch in card.answer if ch.isalnum()), "")


def override_rating(review: Review) -> Rating:
    return Rating.Hard if review.hinted else Rating.Good


@dataclass(frozen=True)
class TypedResult:
    """What the page shows after a typed answer: the review, its card and the verdict."""

    review: Review
    card: Card
    verdict: TypedVerdict

    @property
    def can_override(self) -> bool:
        return (
            not self.verdict.right and not self.review.overridden
            and self.review.rating == Rating.Again and self.review.undone_at is None
        )


def typed_result(*, user, review_id) -> TypedResult | None:
    """The learner's own typed review `review_id`, to show its verdict; None otherwise."""
    try:
        pk = int(review_id)
    except (TypeError, ValueError):
        return None
    review = (
        Review.objects.filter(pk=pk, user=user, source=Review.Source.REVIEW)
        .exclude(typed_answer="").select_related("card__citation__source", "card__lesson")
        .first()
    )
    if review is None:
        return None
    verdict = typed_verdict(typed=review.typed_answer, card=review.card, hinted=review.hinted)
    return TypedResult(review=review, card=review.card, verdict=verdict)


def override_typed_answer(*, user, review_id: int) -> CardState:
    """"I was right": grade the learner's refused typed answer `review_id` again as Good
    (Hard after a hint). Raises a ReviewRefused with a sentence (and changes nothing) when
    it is not theirs, was not refused, was undone or overridden already, or when the card
    has been reviewed since."""
    with transaction.atomic():
        review = (
            Review.objects.select_for_update().select_related("card")
            .filter(pk=review_id, user=user, source=Review.Source.REVIEW).first()
        )
        if review is None or not review.typed_answer:
            raise CardNotFound("That typed answer is not one of yours.")
        if review.undone_at is not None:
            raise CannotOverride("That answer was undone; there is nothing to count as right.")
        if review.overridden or review.rating != Rating.Again:
            raise CannotOverride("That answer counted as right already.")
        later = Review.objects.counted().filter(user=user, card_id=review.card_id).filter(
            Q(reviewed_at__gt=review.reviewed_at)
            | Q(reviewed_at=review.reviewed_at, id__gt=review.id)
        )
        if later.exists():
            raise CannotOverride(
                "That card has been reviewed since, so this answer can no longer be changed."
            )
        state = regrade_review(user=user, review=review, rating=override_rating(review))
        review.overridden = True
        review.save(update_fields=["rating", "overridden"])
    return state
