"""Asking to teach, and staff deciding: the only way into the instructors' group from the
site. (Staff can still add someone to the group by hand in the admin.)"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import InstructorRequest
from accounts.roles import is_instructor, make_instructor


def latest_instructor_request(*, user) -> InstructorRequest | None:
    if not user.is_authenticated:
        return None
    return InstructorRequest.objects.filter(user=user).first()


def request_instructor_status(*, user, note: str = "", now=None) -> InstructorRequest:
    """A pending request for staff, or the one already waiting (asking twice adds nothing)."""
    waiting = InstructorRequest.objects.filter(
        user=user, status=InstructorRequest.Status.PENDING
    ).first()
    if waiting is not None:
        return waiting
    try:
        with transaction.atomic():
            return InstructorRequest.objects.create(
                user=user, note=note.strip(), requested_at=now or timezone.now()
            )
    except IntegrityError:  # a double click: the other request is the one
        return InstructorRequest.objects.get(user=user, status=InstructorRequest.Status.PENDING)


def _decide(*, instructor_request, staff, status, now) -> bool:
    # Guarded on the pending status, so two staff deciding at once decide once.
    decided = InstructorRequest.objects.filter(
        pk=instructor_request.pk, status=InstructorRequest.Status.PENDING
    ).update(status=status, decided_by=staff, decided_at=now or timezone.now())
    instructor_request.refresh_from_db()
    return bool(decided)


@transaction.atomic
def approve_instructor_request(*, instructor_request, staff, now=None) -> bool:
    """Approve a pending request: its user joins the instructors. False if already decided."""
    approved = _decide(
        instructor_request=instructor_request, staff=staff,
        status=InstructorRequest.Status.APPROVED, now=now,
    )
    if approved:
        make_instructor(instructor_request.user)
    return approved


@transaction.atomic
def decline_instructor_request(*, instructor_request, staff, now=None) -> bool:
    """Decline a pending request; the person may ask again later. False if already decided."""
    return _decide(
        instructor_request=instructor_request, staff=staff,
        status=InstructorRequest.Status.DECLINED, now=now,
    )


def teaching_status(*, user, latest=...) -> str:
    """What the account and classes pages tell a person about teaching: "instructor",
    "pending", "declined" or "" (never asked). `latest`: their latest request, if looked up."""
    if is_instructor(user):
        return "instructor"
    if latest is ...:
        latest = latest_instructor_request(user=user)
    if latest is None:
        return ""
    if latest.is_pending:
        return "pending"
    return "declined" if latest.status == InstructorRequest.Status.DECLINED else ""
