"""Keyed pseudonyms of persons for the access log (issue #4).

``pseudonym(person_id)`` is HMAC-SHA256 over the person's UUID with ``settings.PGA_PSEUDONYM_KEY``:
stable, so the privacy officer can ask "who accessed person X" once they know X's UUID, and not
reversible without the key — a log row never holds a name or BSN and outlives the person's erasure.
The key must be kept apart from the database (production settings require it).
"""

import hashlib
import hmac
import uuid

from django.conf import settings


def pseudonym(person_id: uuid.UUID | str) -> str:
    """64 hex characters for the person with UUID ``person_id``."""
    key = settings.PGA_PSEUDONYM_KEY.encode()
    return hmac.new(key, uuid.UUID(str(person_id)).bytes, hashlib.sha256).hexdigest()
