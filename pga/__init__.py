"""PGA: case management for the persoonsgerichte aanpak and Top X (Utrecht)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
