from django.utils import timezone


def timezone_name(request):
    """The zone the page's times are shown in (TimezoneMiddleware activated it), so every
    page that shows a time can name it."""
    return {"timezone_name": timezone.get_current_timezone_name()}
