"""The sharing policy in API serializers: keys outside the matrix are absent, and what is shown is logged.

``Disclosed`` is mixed into every serializer of personal data. Its fields are cut to what
``privacy.policy`` shows the caller for its ``disclosure_kind`` (a key of ``privacy.policy.FIELDS``):
the key is omitted, not ``null`` (issue #4). Sending a field one may not see is refused with 403
rather than ignored. Each representation is noted in the request's access-log row with the
categories of the fields it contained (``privacy.access_log``).

``Recorded`` is for records that belong to one category as a whole (offences, detentions, goals,
actions, team entries: ``privacy.policy.RECORD_CATEGORIES``) or carry their own (journal entries):
the view decides whether the caller may see such rows at all (403, or rows filtered out), and the
serializer notes each one it represents with that category.

During OpenAPI schema generation (no request, or drf-spectacular's fake view) every field is kept, so the published
schema documents all of them; each is optional in responses for that reason.
"""

from typing import Any

from rest_framework import exceptions, serializers

from privacy import access_log, policy


class Disclosed(serializers.Serializer):
    """Mixin for serializers of personal data; set ``disclosure_kind`` and, if the subject is not the
    instance's ``person_id``, override ``subject_of``."""

    disclosure_kind: str = ""
    hidden_message = "Deze gegevens mag u niet zien of wijzigen (deelmatrix)."

    def _disclosure(self) -> policy.Disclosure | None:
        request = self.context.get("request")
        if request is None or getattr(self.context.get("view"), "swagger_fake_view", False):
            return None
        return policy.disclosure_for(request.user)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        disclosure = self._disclosure()
        if disclosure is None:
            return fields
        return {name: field for name, field in fields.items() if disclosure.shows(self.disclosure_kind, name)}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and (disclosure := self._disclosure()) is not None:
            hidden = [name for name in super().get_fields() if name in data and not disclosure.shows(self.disclosure_kind, name)]
            if hidden:
                raise exceptions.PermissionDenied(f"{self.hidden_message} Velden: {', '.join(hidden)}.")
        return super().to_internal_value(data)

    def subject_of(self, instance: Any) -> Any:
        """The UUID of the person ``instance`` is about."""
        return getattr(instance, "person_id", None)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        requirements = policy.FIELDS[self.disclosure_kind]
        categories = {category for name in data for category in requirements[name].categories}
        access_log.note(self.disclosure_kind, [instance.pk], persons=[self.subject_of(instance)], categories=categories)
        return data


class Recorded(serializers.Serializer):
    """Mixin for serializers of whole-category records under a case (DOMAIN.md §8, issue #4): each
    representation is noted in the access log with the record's category, about the person of the case
    in the serializer context (no extra query). Set ``record_kind`` (a key of ``RECORD_CATEGORIES``) or
    override ``record_category`` for records that carry their own category."""

    record_kind: str = ""

    def record_category(self, instance: Any) -> str:
        return str(policy.RECORD_CATEGORIES[self.record_kind])

    def subject_of(self, instance: Any) -> Any:
        """The UUID of the person of the case in the context (``InCase.get_serializer_context``)."""
        case = self.context.get("case")
        return getattr(case, "person_id", None)

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        access_log.note(
            self.record_kind, [instance.pk], persons=[self.subject_of(instance)], categories=[self.record_category(instance)]
        )
        return data
