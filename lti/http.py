"""The one HTTP client the tool uses to reach platforms: every call has a timeout, so a slow
platform delays a launch or a score by seconds, never holds a worker."""

import requests
from pylti1p3.service_connector import REQUESTS_USER_AGENT

TIMEOUT_SECONDS = 5


class PlatformSession(requests.Session):
    def __init__(self):
        super().__init__()
        self.headers["User-Agent"] = f"Uneasy Allies LTI tool ({REQUESTS_USER_AGENT})"

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)
