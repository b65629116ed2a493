"""Background tasks of the LTI tool (Django's tasks framework; see settings.TASKS): sending
scores to learning platforms outside the request that changed them."""

from django.tasks import task

from lti import grades


@task()
def send_assignment_scores(assignment_id: int, student_ids: list[int] | None = None) -> int:
    """Queue and send these students' changed scores on the assignment; returns how many
    were sent."""
    sends = grades.send_assignment_scores(assignment_id=assignment_id, student_ids=student_ids)
    return sum(send.status == grades.ScoreSend.Status.SENT for send in sends)


@task()
def send_scores(send_ids: list[int]) -> int:
    """Send (or retry) these queued sends that are due; returns how many were sent."""
    sends = grades.send_queued(send_ids=send_ids)
    return sum(send.status == grades.ScoreSend.Status.SENT for send in sends)
