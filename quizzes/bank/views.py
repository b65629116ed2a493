"""The instructor's question bank: browse with statistics, write and edit their own
questions, hide any question from their assignments, and import GIFT files."""

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quizzes.bank import authoring as authoring
from quizzes.bank import versions
from quizzes.bank.forms import BankFilterForm, GiftImportForm, PastAnswersForm
from quizzes.bank.gift import MAX_BYTES, parse_gift
from quizzes.bank.kinds import KINDS
from quizzes.bank.models import Question, QuestionKind
from quizzes.common.access import instructor_only

PAGE_SIZE = 25
IMPORT_SALT = "quizzes.bank.gift-import"
IMPORT_MAX_AGE = 2 * 60 * 60  # seconds a preview stays confirmable


@instructor_only
@require_GET
def bank(request):
    filters = BankFilterForm(request.GET or None)
    questions = authoring.bank_listing(instructor=request.user, **filters.filters())
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = authoring.with_review_flags(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "quizzes/bank/bank.html",
        dict(filters=filters, page=page, query=query.urlencode(),
            kinds=QuestionKind.choices,
        ),
    )


def _visible_question(request, question_id) -> Question:
    return get_object_or_404(
        authoring.bank_listing(instructor=request.user), pk=question_id
    )


@instructor_only
@require_GET
def bank_question(request, question_id):
    question = _visible_question(request, question_id)
    draft = authoring.draft_from_question(question=question)
    feedback = draft.feedback or [""] * len(draft.options)
    return render(
        request, "quizzes/bank/bank_question.html",
        dict(question=question, draft=draft,
            weighted_options=list(zip(draft.options, draft.weights, feedback, strict=False)),
            can_edit=question.author_id == request.user.pk
            and question.origin != Question.Origin.GENERATED,
        ),
    )


def _question_form_page(request, *, kind, question=None):
    question_kind = KINDS.get(kind)
    if question_kind is None:
        raise Http404("No such question type.")
    form_class = question_kind.form_class
    initial = (
        form_class.initial_from(authoring.draft_from_question(question=question))
        if question is not None else None
    )
    form = form_class(request.POST or None, kind=kind, initial=initial)
    answered = versions.answered_count(question=question) if question is not None else 0
    past = PastAnswersForm(request.POST or None, prefix="versions") if answered else None
    if request.method == "POST" and form.is_valid() and (past is None or past.is_valid()):
        try:
            if question is None:
                question = authoring.create_question(author=request.user, draft=form.draft())
                messages.success(request, "Question added to your bank.")
            else:
                outcome = authoring.edit_question(
                    question=question, editor=request.user, draft=form.draft(),
                    regrade=past is not None and past.regrade,
                )
                messages.success(request, _saved_sentence(outcome))
        except authoring.AuthoringError as error:
            form.add_error(None, error.message)
        else:
            return redirect("quizzes:class_bank_question", question_id=question.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "quizzes/bank/bank_form.html",
        dict(form=form, question=question, kind=kind,
            kind_label=QuestionKind(kind).label, past=past, answered=answered,
        ),
        status=status,
    )


def _saved_sentence(outcome) -> str:
    revision = outcome.revision
    if not revision.is_new:
        return "Question saved."
    sentence = (
        f"Question saved as version {revision.version.number}; answers given to version "
        f"{revision.previous.number} stay as they were answered."
    )
    if outcome.regrade is not None:
        sentence = (
            f"Question saved as version {revision.version.number}. {outcome.regrade.sentence}"
        )
    return sentence


@instructor_only
@require_GET
def bank_new(request):
    return render(
        request, "quizzes/bank/bank_new.html",
        dict(kinds=QuestionKind.choices),
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def bank_new_kind(request, kind):
    return _question_form_page(request, kind=kind)


@instructor_only
@require_http_methods(["GET", "POST"])
def bank_edit(request, question_id):
    question = get_object_or_404(
        Question.objects.active().exclude(origin=Question.Origin.GENERATED),
        pk=question_id, author=request.user,
    )
    return _question_form_page(request, kind=question.kind, question=question)


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@instructor_only
@require_POST
def bank_hide(request, question_id):
    question = _visible_question(request, question_id)
    authoring.hide_question(instructor=request.user, question=question)
    messages.success(request, f"Question #{question.pk} is hidden from your assignments.")
    return _back(request, "quizzes:class_bank")


@instructor_only
@require_POST
def bank_unhide(request, question_id):
    question = _visible_question(request, question_id)
    authoring.unhide_question(instructor=request.user, question=question)
    messages.success(request, f"Question #{question.pk} can be drawn again.")
    return _back(request, "quizzes:class_bank")


# --- GIFT import: upload -> preview -> confirm -----------------------------------------------


def _importable(result, mode: str) -> bool:
    """All or nothing needs a file read whole; the partial mode, one readable question."""
    return result.partly_ok if mode == "partial" else result.ok


def _preview(request, *, form, text=None, mode="all", status=200):
    result = parse_gift(text=text) if text is not None else None
    token = None
    if result is not None and _importable(result, mode):
        token = signing.dumps(
            {"user": request.user.pk, "text": text, "mode": mode}, salt=IMPORT_SALT,
            compress=True,
        )
    lessons = {}
    if result is not None:
        from relations.models import Lesson

        lesson_ids = {d.lesson_id for d in result.questions if d.lesson_id}
        lessons = dict(Lesson.objects.filter(pk__in=lesson_ids).values_list("pk", "title"))
        for draft in result.questions:
            draft.lesson_title = lessons.get(draft.lesson_id, "")
            draft.kind_label = QuestionKind(draft.kind).label
            draft.weighted_options = list(zip(draft.options, draft.weights, strict=False))
    lines = text.split("\n") if text is not None else []
    problems = [
        (number, message, lines[number - 1].strip()[:120] if 0 < number <= len(lines) else "")
        for number, message in (result.problems if result else [])
    ]
    return render(
        request, "quizzes/bank/bank_import.html",
        dict(form=form, result=result, token=token, problems=problems, mode=mode,
            limit_kb=MAX_BYTES // 1024,
        ),
        status=status,
    )


@instructor_only
@require_http_methods(["GET", "POST"])
def bank_import(request):
    """Upload or paste GIFT; the answer is a preview, and nothing is saved yet."""
    if request.method == "GET":
        return _preview(request, form=GiftImportForm())
    form = GiftImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _preview(request, form=form, status=400)
    mode = form.cleaned_data["mode"]
    return _preview(
        request, form=GiftImportForm(initial={"mode": mode}),
        text=form.cleaned_data["gift_text"], mode=mode,
    )


@instructor_only
@require_POST
def bank_import_confirm(request):
    """Import what the preview showed: the text comes back signed and is parsed again."""
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
        )
    except signing.SignatureExpired:
        messages.error(request, "That preview is too old. Upload the file again.")
        return redirect("quizzes:class_bank_import")
    except signing.BadSignature:
        messages.error(request, "The import could not be confirmed. Upload the file again.")
        return redirect("quizzes:class_bank_import")
    if payload.get("user") != request.user.pk:
        raise Http404("No such import.")
    result = parse_gift(text=payload["text"])
    mode = payload.get("mode", "all")
    if not _importable(result, mode):
        messages.error(request, "The file has problems, so nothing was imported.")
        return redirect("quizzes:class_bank_import")
    try:
        report = authoring.import_questions(author=request.user, drafts=result.questions)
    except authoring.AuthoringError as error:
        messages.error(request, error.message)
        return redirect("quizzes:class_bank_import")
    created = len(report.created)
    message = f"Imported {created} question{'s' if created != 1 else ''}."
    if report.already_there:
        message += f" {report.already_there} were already in your bank and were skipped."
    if result.problems:
        lines = ", ".join(str(number) for number, _ in result.problems)
        message += (
            f" {len(result.problems)} part{'s' if len(result.problems) != 1 else ''} of the "
            f"file could not be read and {'were' if len(result.problems) != 1 else 'was'} "
            f"left out (line{'s' if len(result.problems) != 1 else ''} {lines})."
        )
    messages.success(request, message)
    return redirect(reverse("quizzes:class_bank") + "?origin=mine")
