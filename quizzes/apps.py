from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "Quizzes, review and classes"

    def ready(self):
        from quizzes import signals

        signals.connect()
