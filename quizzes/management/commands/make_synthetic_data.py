"""Build synthetic classes, students, graded attempts and review history for load tests.

    manage.py make_synthetic_data --size small|large [--seed N] [--reset]

The work is in quizzes/demo/synthetic.py; this parses the options and reports.
"""

from django.core.management.base import BaseCommand, CommandError

from quizzes.demo import synthetic


class Command(BaseCommand):
    help = "Build synthetic users, classes, attempts and reviews (bench-student-N, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(synthetic.SIZES), default="small")
        parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
        parser.add_argument(
            "--reset", action="store_true",
            help="Delete existing synthetic data (users named bench-*) and build it anew.",
        )

    def handle(self, *args, size, seed, reset, **options):
        verbose = options["verbosity"] > 1
        try:
            summary = synthetic.build_synthetic_data(
                size=size, seed=seed, reset=reset,
                progress=self.stdout.write if verbose else None,
            )
        except synthetic.SyntheticDataExists as error:
            raise CommandError(str(error)) from error
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"Synthetic data ({summary['size']}, seed {summary['seed']}) built in "
            f"{summary['seconds']} s: {summary['students']} students, "
            f"{summary['instructors']} instructors, {summary['classes']} classes, "
            f"{summary['assignments']} assignments, {summary['attempts']} attempts, "
            f"{summary['responses']} responses, {summary['card_states']} card states, "
            f"{summary['reviews']} reviews."
        ))
        self.stdout.write(
            f"Sign in as {synthetic.student_username(0)} … "
            f"{synthetic.student_username(summary['students'] - 1)} or "
            f"{synthetic.instructor_username(0)} … "
            f"{synthetic.instructor_username(summary['instructors'] - 1)} "
            f"with the password: {summary['password']}"
        )
