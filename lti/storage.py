"""pylti1p3's launch data storage, in the database: the nonce saved at the OIDC login must be
found by whichever worker receives the launch, and consumed exactly once."""

from datetime import timedelta

from django.utils import timezone
from pylti1p3.launch_data_storage.base import LaunchDataStorage

from lti.models import LaunchValue

DEFAULT_LIFETIME = 3600


class DatabaseLaunchDataStorage(LaunchDataStorage):
    def get_session_cookie_name(self):
        # Over HTTPS the keys are bound to the browser's lti1p3-session-id cookie; plain
        # HTTP (development, tests) cannot carry SameSite=None cookies, so it is not bound.
        if self._request is not None and not self._request.is_secure():
            return None
        return super().get_session_cookie_name()

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key):
        row = LaunchValue.objects.filter(
            key=self._prepare_key(key), expires_at__gt=timezone.now()
        ).first()
        return row.value if row else None

    def set_value(self, key, value, exp=None) -> None:
        now = timezone.now()
        LaunchValue.objects.filter(expires_at__lte=now).delete()
        LaunchValue.objects.update_or_create(
            key=self._prepare_key(key),
            defaults={
                "value": value,
                "expires_at": now + timedelta(seconds=exp or DEFAULT_LIFETIME),
            },
        )

    def check_value(self, key) -> bool:
        return LaunchValue.objects.filter(
            key=self._prepare_key(key), expires_at__gt=timezone.now()
        ).exists()

    def forget(self, key: str) -> None:
        LaunchValue.objects.filter(key=self._prepare_key(key)).delete()

    def consume_nonce(self, nonce: str) -> bool:
        """True once per nonce: the DELETE that removes it is the one that may use it."""
        deleted, _ = LaunchValue.objects.filter(
            key=self._prepare_key(f"lti1p3-nonce-{nonce}")
        ).delete()
        return deleted == 1
