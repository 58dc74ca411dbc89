"""The escalation app: rule sets, the recommendation engine, and (issue #3) proposals and decisions."""

from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = "Escalatie"

    def ready(self) -> None:
        """Audit the rule sets, and make the active rule set the source of the exit period (cases)."""
        from cases.selectors import ExitPeriodSource, exit_period_source_set

        from . import audit, selectors  # noqa: F401 - audit registers models with django-auditlog

        exit_period_source_set(ExitPeriodSource(sql=selectors.exit_period_months_sql, value=selectors.exit_period_months))

        from cases.panels import caseload_panel_register, panel_register

        from .capacity import caseload_panel
        from .views import case_panel, proposals_panel
        from .worklist_views import review_flags_panel

        panel_register("escalation/_case_panel.html", case_panel)
        panel_register("escalation/_review_flags_panel.html", review_flags_panel)
        caseload_panel_register("escalation/_caseload_capacity.html", caseload_panel)
        caseload_panel_register("escalation/_caseload_proposals.html", proposals_panel)
