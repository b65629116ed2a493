"""The instructor's whole bank as GIFT (their own questions and the generated ones they can
see), or the part the bank page's filters show."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from quizzes.bank import authoring
from quizzes.bank.forms import BankFilterForm
from quizzes.bank.gift import export_gift
from quizzes.common.access import instructor_only


@instructor_only
@require_GET
def bank_export(request):
    filters = BankFilterForm(request.GET or None)
    chosen = filters.filters()
    questions = authoring.bank_listing(instructor=request.user, **chosen)
    heading = f"Question bank of {request.user.username}"
    if any(value is not None for value in chosen.values()):
        heading += " (filtered as on the bank page)"
    response = HttpResponse(
        export_gift(questions=questions, heading=heading),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="question-bank.gift"'
    return response
