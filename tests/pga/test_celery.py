"""The Celery app is wired to the Redis broker from the settings (jobs come with a later issue)."""

from django.conf import settings

from pga import celery_app


def test_celery_reads_its_settings_from_django():
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True


def test_the_broker_is_reachable():
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        assert connection.connected
