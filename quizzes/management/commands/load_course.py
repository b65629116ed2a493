"""Load the course content, check it, then bring the question bank and cards up to date.

Safe to run again: the fixture has fixed keys, and the bank and the cards are kept by
fingerprint, so a second run changes nothing that has not changed. A course that fails
the content check is not loaded at all.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relations.checks import find_content_problems
from relations.page_cache import bump_content_version


class Command(BaseCommand):
    help = "Load fixtures/course.json, check it, and regenerate the question bank and cards."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default="fixtures/course.json")

    def handle(self, *args, fixture, **options):
        from quizzes.bank.sync import sync_question_bank
        from quizzes.review.cards import sync_cards

        with transaction.atomic():
            call_command("loaddata", fixture, verbosity=0)
            problems = find_content_problems()
            if problems:
                # Raising inside the transaction rolls the whole load back.
                listing = "\n".join(f"- {problem}" for problem in problems)
                raise CommandError(f"The course has {len(problems)} problem(s):\n{listing}")
            bank = sync_question_bank()
            cards = sync_cards()
        bump_content_version()  # the reading pages show the course as loaded, at once
        self.stdout.write(self.style.SUCCESS(f"Course loaded. Questions: {bank}. Cards: {cards}."))
