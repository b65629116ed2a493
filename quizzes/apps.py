from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes, review and classes"

    def ready(self):
        from quizzes import signals
        from quizzes.bank import versions
        from quizzes.classes import held_back
        from quizzes.practice import regrading, withholding

        signals.connect()
        # Practice asks classes what assignments hold back (quizzes/practice/withholding.py).
        withholding.provide(
            withheld_question_ids=held_back.withheld_question_ids,
            question_withheld=held_back.question_withheld,
            released_assignment_ids=held_back.released_assignment_ids,
        )
        # The bank's edit form regrades past answers through practice (quizzes/bank/versions.py).
        versions.provide(regrade_question=regrading.regrade_question)
