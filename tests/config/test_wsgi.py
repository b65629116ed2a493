"""The WSGI entry point keeps the worker's long-lived objects out of the collector's scans."""

import gc

import pytest

from config.wsgi import FreezeWhatLivesForever


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process goes on as it was


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def _serve(wrapped):
    return wrapped({}, lambda status, headers: None)


def test_what_lives_at_start_and_after_the_first_requests_is_frozen(unfrozen):
    wrapped = FreezeWhatLivesForever(_app)
    assert gc.get_freeze_count() > 0  # the modules and settings loaded before serving
    kept = [[] for _ in range(100)]  # what the first request builds lazily and keeps
    frozen = gc.get_freeze_count()
    assert _serve(wrapped) == [b"ok"]
    assert gc.get_freeze_count() >= frozen + 100
    for _ in range(8):  # requests 2 to 9 freeze nothing more
        kept += [[] for _ in range(10)]
        frozen = gc.get_freeze_count()
        _serve(wrapped)
        # not ==: a frozen object that dies leaves the frozen generation and lowers the count
        assert gc.get_freeze_count() <= frozen
    _serve(wrapped)  # the tenth does
    assert gc.get_freeze_count() >= frozen + 80


def test_garbage_is_collected_before_freezing_not_kept_for_ever(unfrozen):
    class Cycle:
        pass

    def leaking_app(environ, start_response):
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a  # only the collector frees a cycle
        return _app(environ, start_response)

    _serve(FreezeWhatLivesForever(leaking_app))
    gc.unfreeze()  # what was frozen is visible again: the cycle must not be among it
    assert not any(isinstance(o, Cycle) for o in gc.get_objects())


def test_a_request_that_fails_still_counts(unfrozen):
    def failing_app(environ, start_response):
        raise RuntimeError("the view failed")

    wrapped = FreezeWhatLivesForever(failing_app)
    kept = [[] for _ in range(100)]
    frozen = gc.get_freeze_count()
    with pytest.raises(RuntimeError):
        _serve(wrapped)
    assert gc.get_freeze_count() >= frozen + 100
    assert len(kept) == 100
