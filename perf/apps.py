from django.apps import AppConfig


class PerfConfig(AppConfig):
    """Measurements at national scale (issue #6): the dataset generator and the benchmarks.

    Commands only — no models, no URLs. Nothing here runs in CI except the small-scale tests of the
    generator; ``make bench`` and ``make bench-check`` run by hand (docs/performance.md).
    """

    name = "perf"
    verbose_name = "Prestatiemetingen"
