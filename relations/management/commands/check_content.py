"""Check the course content and fail, naming each item, if anything is wrong."""

from django.core.management.base import BaseCommand, CommandError

from relations.checks import find_content_problems


class Command(BaseCommand):
    help = (
        "Check the course content: citations, both sides of every debate, claims with a "
        "person, one marked answer per cloze fact, cross-references and required text."
    )

    def handle(self, *args, **options):
        problems = find_content_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(
                f"{len(problems)} content problem{'s' if len(problems) != 1 else ''} found."
            )
        self.stdout.write(self.style.SUCCESS("Content check passed: no problems found."))
