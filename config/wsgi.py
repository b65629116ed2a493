import gc
import itertools
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class FreezeWhatLivesForever:
    """Moves the process's long-lived objects out of the garbage collector's sight.

    Django's modules, URL patterns, model metadata and compiled templates (about 110,000
    objects once the first requests have built what they build lazily) live as long as the
    worker, yet Python's full collection scans them all: 78 ms on the bench machine, every
    few hundred requests, while the worker's queued requests wait (bench/README.md,
    *Workers*). `gc.freeze()` leaves them out of every later collection; a request's own
    garbage is still collected as before. Frozen after the first few requests and again
    later, each time after a collection, so nothing that is garbage is frozen."""

    FREEZE_AFTER = frozenset({1, 10, 100, 1000})

    def __init__(self, app):
        self.app = app
        self.served = itertools.count(1)
        self.freeze()

    @staticmethod
    def freeze():
        gc.collect()
        gc.freeze()

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        finally:
            if next(self.served) in self.FREEZE_AFTER:
                self.freeze()


application = FreezeWhatLivesForever(get_wsgi_application())
