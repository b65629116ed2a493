"""Background tasks of the review area (Django's tasks framework; see settings.TASKS)."""

from django.tasks import task

from quizzes.review import optimizing


@task()
def optimize_fsrs_parameters(user_id: int) -> int:
    """Optimize one learner's FSRS parameters; returns how many reviews it used."""
    return optimizing.optimize_parameters(user_id=user_id).reviews_used
