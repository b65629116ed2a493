"""Send learning platforms the scores that are due: retries, and scores that changed by a
regrade or a deadline. Run it every few minutes (cron, a systemd timer)."""

from django.core.management.base import BaseCommand

from lti.grades import queue_changed_scores, send_due_scores


class Command(BaseCommand):
    help = "Queue changed platform scores and send every score that is due."

    def handle(self, *args, **options):
        queued = queue_changed_scores()
        counts = send_due_scores()
        self.stdout.write(
            f"{queued} score(s) changed; {counts['sent']} sent, {counts['failed']} failed."
        )
