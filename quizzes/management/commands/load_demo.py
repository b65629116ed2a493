"""Demo accounts and activity for a first run, so every page has something to show.

Run by `make run` only (never by a migration). Safe to run again: it finds what it made.
"""

from django.core.management.base import BaseCommand

from quizzes.demo.demo_data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo instructor, students, a class and some history (idempotent)."

    def handle(self, *args, **options):
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}"))
        self.stdout.write(f"Demo sign-ins use the password: {DEMO_PASSWORD}")
