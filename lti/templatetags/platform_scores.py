"""What the class pages show of a learning platform: the course a class came from, and
each student's score-send status on the results page."""

from dataclasses import dataclass, field

from django import template

from lti.models import LinkedAssignment, LinkedCourse, ScoreSend

register = template.Library()


@dataclass
class PlatformScores:
    link: LinkedAssignment | None = None
    sends: dict = field(default_factory=dict)


@register.simple_tag
def platform_scores(assignment) -> PlatformScores:
    """The assignment's platform link (its first, if placed in several courses) and its
    sends by student id: two queries, one if the assignment is not in a platform course."""
    link = LinkedAssignment.objects.filter(assignment=assignment).order_by("pk").first()
    if link is None:
        return PlatformScores()
    return PlatformScores(
        link=link, sends={send.student_id: send for send in ScoreSend.objects.filter(link=link)}
    )


@register.filter
def send_for(scores: PlatformScores, student_id) -> ScoreSend | None:
    return scores.sends.get(student_id)


@register.simple_tag
def platform_course(classroom) -> LinkedCourse | None:
    """The platform course the class came from, if any (one query)."""
    return LinkedCourse.objects.select_related("context").filter(classroom=classroom).first()
