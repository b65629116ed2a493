"""Each learner's own FSRS parameters, optimized from their review log, as Anki's "Optimize"
does it (with fsrs-rs, the optimizer Anki itself runs, through `fsrs-rs-python`; the `fsrs`
package's own optimizer needs torch).

Until a learner has MIN_REVIEWS_TO_OPTIMIZE reviews that stand, their cards use the default
parameters. From then on the study settings page offers to optimize: the task (tasks.py)
reads the learner's log, turns each card's history into FSRS training items (one per review
that follows an earlier day's review, with the days between), runs the optimizer, and keeps
the 21 parameters it gives with how many reviews went in. scheduling.scheduler_for() then
schedules that learner's reviews with them. Card states already computed stay as they are;
each next review of a card is computed with the new parameters.

Contracts:
    optimization_status(*, user) -> OptimizationStatus
    optimize_parameters(*, user_id) -> OptimizationStatus  (raises NotEnoughReviews)
"""

import datetime
from dataclasses import dataclass

import fsrs_rs_python
from django.db import transaction
from django.utils import timezone
from fsrs import Scheduler

from quizzes.review.models import Review, StudyPreference
from quizzes.review.scheduling import ReviewRefused

# Anki's optimizer asks for a few hundred reviews before its parameters beat the defaults;
# below that the defaults, fitted on millions of learners' reviews, predict better.
MIN_REVIEWS_TO_OPTIMIZE = 400


class NotEnoughReviews(ReviewRefused):
    status = 409


@dataclass(frozen=True)
class OptimizationStatus:
    reviews: int  # the learner's reviews that stand, now
    parameters: tuple[float, ...] | None  # None: the defaults are in use
    reviews_used: int | None
    optimized_at: datetime.datetime | None
    threshold: int = MIN_REVIEWS_TO_OPTIMIZE

    @property
    def can_optimize(self) -> bool:
        return self.reviews >= self.threshold

    @property
    def reviews_to_go(self) -> int:
        return max(0, self.threshold - self.reviews)


def _counted_reviews(user):
    return Review.objects.counted().filter(user=user)


def optimization_status(*, user) -> OptimizationStatus:
    preference = StudyPreference.objects.filter(user=user).first()
    parameters = preference.fsrs_parameters if preference else None
    return OptimizationStatus(
        reviews=_counted_reviews(user).count(),
        parameters=tuple(parameters) if parameters else None,
        reviews_used=preference.fsrs_reviews_used if preference else None,
        optimized_at=preference.fsrs_optimized_at if preference else None,
    )


def training_items(reviews) -> list:
    """The learner's reviews (in time order) as fsrs-rs training items: for each card, one
    item per review that comes on a later day than the card's previous one, holding the
    card's history up to it, each step with the days since the step before (0 for reviews
    on the same day, which fsrs-rs reads as short-term steps)."""
    by_card: dict[int, list] = {}
    for review in reviews:
        by_card.setdefault(review.card_id, []).append(review)
    items = []
    for history in by_card.values():
        steps = []
        previous_day = None
        for review in history:
            day = timezone.localdate(review.reviewed_at)
            delta = 0 if previous_day is None else (day - previous_day).days
            steps.append(fsrs_rs_python.FSRSReview(review.rating, delta))
            previous_day = day
            if len(steps) > 1 and delta > 0:
                items.append(fsrs_rs_python.FSRSItem(list(steps)))
    return items


def compute_parameters(items) -> tuple[float, ...]:
    """fsrs-rs's optimizer, started from the default parameters."""
    model = fsrs_rs_python.FSRS(list(fsrs_rs_python.DEFAULT_PARAMETERS))
    parameters = tuple(float(value) for value in model.compute_parameters(items))
    Scheduler(parameters=parameters)  # the scheduler's own checks: 21 values within bounds
    return parameters


def optimize_parameters(*, user_id: int, now=None) -> OptimizationStatus:
    """Optimize the learner's FSRS parameters from their review log and keep them.
    Raises NotEnoughReviews below MIN_REVIEWS_TO_OPTIMIZE (nothing is changed then)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=user_id)
    reviews = list(
        _counted_reviews(user).only("card_id", "rating", "reviewed_at")
        .order_by("reviewed_at", "id")
    )
    if len(reviews) < MIN_REVIEWS_TO_OPTIMIZE:
        raise NotEnoughReviews(
            f"Your parameters can be optimized once you have {MIN_REVIEWS_TO_OPTIMIZE} "
            f"reviews; you have {len(reviews)}."
        )
    parameters = compute_parameters(training_items(reviews))
    with transaction.atomic():
        StudyPreference.objects.update_or_create(
            user=user,
            defaults={"fsrs_parameters": list(parameters), "fsrs_reviews_used": len(reviews),
                      "fsrs_optimized_at": now or timezone.now()},
        )
    return optimization_status(user=user)


def reset_parameters(*, user) -> None:
    """Back to the default parameters."""
    StudyPreference.objects.filter(user=user).update(
        fsrs_parameters=None, fsrs_reviews_used=None, fsrs_optimized_at=None
    )


def request_optimization(*, user) -> OptimizationStatus:
    """Check the learner may optimize now, and queue the task once the request commits."""
    from quizzes.review.tasks import optimize_fsrs_parameters

    status = optimization_status(user=user)
    if not status.can_optimize:
        raise NotEnoughReviews(
            f"Your parameters can be optimized once you have {status.threshold} reviews; "
            f"you have {status.reviews}."
        )
    transaction.on_commit(lambda: optimize_fsrs_parameters.enqueue(user_id=user.pk))
    return status
