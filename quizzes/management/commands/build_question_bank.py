"""Build or update the question bank from the content: `manage.py build_question_bank`."""

from django.core.management.base import BaseCommand

from quizzes.bank.sync import DEFAULT_SEED, sync_question_bank


class Command(BaseCommand):
    help = "Generate questions from the course content; retire those of changed or deleted items."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, seed, **options):
        counts = sync_question_bank(seed=seed)
        summary = ", ".join(f"{name} {value}" for name, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Question bank: {summary}."))
