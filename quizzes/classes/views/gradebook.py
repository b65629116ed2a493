"""The gradebook: one row per student, streamed; and for a class too large to stream the
long format, ask for the file, then download it."""

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from quizzes.classes import exports
from quizzes.classes.gradebook_wide import wide_gradebook_csv
from quizzes.classes.models import GradebookExport
from quizzes.classes.views.lookups import taught_classroom
from quizzes.common.access import instructor_only


@instructor_only
@require_POST
def gradebook_export_request(request, class_id):
    classroom = taught_classroom(request, class_id)
    export = exports.request_gradebook_export(classroom=classroom, instructor=request.user)
    export.refresh_from_db(fields=["status", "rows"])
    if export.status == GradebookExport.Status.READY:  # built at once (immediate backend)
        messages.success(request, f"The gradebook file is ready: {export.rows} rows.")
    else:
        messages.success(
            request, "The gradebook file is being built. Reload this page in a minute to "
            "download it."
        )
    return redirect("quizzes:class_detail", class_id=classroom.pk)


@never_cache
@instructor_only
@require_GET
def gradebook_export_download(request, class_id, export_id):
    classroom = taught_classroom(request, class_id)
    export = get_object_or_404(
        GradebookExport, pk=export_id, classroom=classroom, status=GradebookExport.Status.READY
    )
    body = export.content.encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Length"] = str(len(body))  # known here, so a cut file is detectable
    filename = f"{slugify(classroom.name) or 'class'}-gradebook.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@instructor_only
@require_GET
def gradebook_wide(request, class_id):
    """One row per student and a column per assignment, streamed, for a spreadsheet."""
    classroom = taught_classroom(request, class_id)
    response = StreamingHttpResponse(
        wide_gradebook_csv(classroom=classroom), content_type="text/csv; charset=utf-8"
    )
    filename = f"{slugify(classroom.name) or 'class'}-gradebook-by-student.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
