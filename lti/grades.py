"""Assignment and Grade Services: placeholder, filled in below."""


def connect() -> None:
    pass
