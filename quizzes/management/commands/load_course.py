"""Load the course content, then bring the question bank and the cards up to date.

Safe to run again: the fixture has fixed keys, and the bank and the cards are kept by
fingerprint, so a second run changes nothing that has not changed.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load fixtures/course.json and regenerate the question bank and cards from it."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default="fixtures/course.json")

    def handle(self, *args, fixture, **options):
        from quizzes.bank import sync_question_bank
        from quizzes.cards import sync_cards

        with transaction.atomic():
            call_command("loaddata", fixture, verbosity=0)
            bank = sync_question_bank()
            cards = sync_cards()
        self.stdout.write(self.style.SUCCESS(f"Course loaded. Questions: {bank}. Cards: {cards}."))
