from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti"
    verbose_name = "Learning platforms (LTI 1.3)"

    def ready(self):
        from lti import grades

        grades.connect()
