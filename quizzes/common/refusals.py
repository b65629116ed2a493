"""The one shape of a refusal: a sentence for the person and the HTTP status that fits it.

Services raise subclasses (AttemptError, ReviewRefused, ClassroomError, AssignmentError);
views show `message` with `status`. Nothing was changed when one is raised."""


class Refusal(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
