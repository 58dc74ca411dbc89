"""Authentication backend: a user acts only while active and while their organisation takes part.

Django re-checks ``user_can_authenticate`` on every request that carries a session (``get_user``),
so deactivating a user or passing an organisation's active-until date ends open sessions too.
A superuser without an organisation (the technical account made by ``createsuperuser``) may sign in
to the admin; they see no case content (cases.selectors).
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PartnerModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if user.organisation_id is None:
            return bool(user.is_superuser)
        return bool(user.organisation.is_active_on())
