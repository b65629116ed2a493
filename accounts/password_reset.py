"""Password reset that does the same work for a known and an unknown address.

Django's form sends a mail only when the address belongs to an account, and the sending
(an SMTP round trip) is what made a known address about five times slower to answer: the
response time told whether an address has an account. Here both build the same mail, for
the account or for a stand-in that is never saved, and the real one is sent by a thread
once the response no longer waits for it.
"""

import logging
import threading

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader

logger = logging.getLogger(__name__)

_sending: set[threading.Thread] = set()
_sending_lock = threading.Lock()


def _send(message) -> None:
    try:
        message.send()
    except Exception:  # a mail server that is down must not go unnoticed, nor crash
        logger.exception("Failed to send a password reset mail")
    finally:
        with _sending_lock:
            _sending.discard(threading.current_thread())


def send_in_background(message) -> threading.Thread:
    """Send a built message from a thread; it touches no database, only the mail server."""
    thread = threading.Thread(target=_send, args=(message,), name="password-reset-mail")
    with _sending_lock:
        _sending.add(thread)
    thread.start()
    return thread


def wait_for_mail(timeout: float = 10) -> None:
    """Wait until the mails handed to threads are sent (for tests and management commands)."""
    with _sending_lock:
        threads = list(_sending)
    for thread in threads:
        thread.join(timeout)


class SameWorkPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        users = list(super().get_users(email))
        self.stand_in = not users
        if users:
            return users
        # Nobody has this address: make the token and the mail for a user who does not
        # exist, so the work (and the time) is the same; the mail is then dropped.
        return [get_user_model()(email=email, password="!")]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        if not self.stand_in:
            send_in_background(message)
