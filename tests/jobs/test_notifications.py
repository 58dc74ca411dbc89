"""In-app notifications and their e-mails (issue #5): the badge in the navigation, marking read on the
werklijst, the retention notification's link, and e-mails without personal data, sent once.

Notifications come from the real nightly job (``jobs.runner.job_run``) against PostgreSQL; e-mails go
to Django's test outbox (``mail.outbox``).
"""

import datetime as dt
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jobs.context_processors import notifications
from jobs.models import JobName, JobRun, JobTrigger, Notification
from jobs.notify import notifications_email
from jobs.runner import job_run
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = relativedelta(months=12)
BADGE = re.compile(r'<span class="[^"]*" data-unread="(\d+)">')


def past_exit(director, **fields):
    return f.CaseFactory(lokale_pga=True, case_director=director, opened_on=TODAY - 2 * YEAR, **fields)


def mentions(text: str, value: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text))


def badge(client) -> int | None:
    match = BADGE.search(client.get(reverse("caseload")).content.decode())
    return int(match.group(1)) if match else None


# --- The badge ------------------------------------------------------------------------------------------


def test_the_navigation_shows_the_number_of_new_signals_until_the_worklist_is_opened(client, case_director):
    past_exit(case_director)
    past_exit(case_director)
    job_run("exit_review", day=TODAY)
    client.force_login(case_director)
    assert badge(client) == 2
    html = client.get(reverse("caseload")).content.decode()
    assert f'href="{reverse("worklist")}"' in html and '2<span class="pga-visually-hidden"> nieuwe signalen</span>' in html
    client.get(reverse("worklist"))
    assert badge(client) is None
    assert not Notification.objects.filter(user=case_director, read_at__isnull=True).exists()


def test_notifications_of_others_do_not_count(client, case_director):
    past_exit(f.UserFactory(case_director=True))
    job_run("exit_review", day=TODAY)
    client.force_login(case_director)
    assert badge(client) is None
    assert "Werklijst" in client.get(reverse("caseload")).content.decode()


def test_the_count_is_one_lazy_query_and_only_for_signed_in_users(case_director, django_assert_num_queries):
    past_exit(case_director)
    job_run("exit_review", day=TODAY)
    request = RequestFactory().get("/")
    request.user = case_director
    with django_assert_num_queries(0):
        context = notifications(request)
    with django_assert_num_queries(1):
        assert context["pga_notifications"].unread == 1
        assert context["pga_notifications"].unread == 1
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {}


# --- The list on the worklist ----------------------------------------------------------------------------


def test_the_worklist_lists_recent_notifications_and_marks_them_read(client, case_director):
    for _ in range(3):
        past_exit(case_director)
    run = job_run("exit_review", day=TODAY)
    client.force_login(case_director)
    html = client.get(reverse("worklist")).content.decode()
    text = f"3 nieuwe signalen: Uitstroomtoets — {TODAY:%d-%m-%Y}"
    assert text in html
    assert f'href="{reverse("worklist")}#signalen-uitstroom">{text}</a> <span class="utrecht-status-badge' in html
    assert Notification.objects.get(job_run=run).read_at is not None
    again = client.get(reverse("worklist")).content.decode()
    assert text in again and f"{text}</a> <span" not in again  # no longer marked new


def test_a_retention_notification_links_to_the_destruction_list(client):
    officer = f.UserFactory(privacy_officer=True)
    run = JobRun.objects.create(job=JobName.RETENTION, as_of=TODAY, trigger=JobTrigger.HANDMATIG)
    Notification.objects.create(user=officer, kind=JobName.RETENTION, count=2, job_run=run)
    try:
        expected = reverse("privacy:destruction_list")
    except NoReverseMatch:
        expected = "/privacy/toezicht/"
    client.force_login(officer)
    html = client.get(reverse("worklist")).content.decode()
    assert f'href="{expected}">2 nieuwe signalen: Bewaartermijn na afsluiting — {TODAY:%d-%m-%Y}</a>' in html
    assert Notification.objects.get(user=officer).read_at is not None


# --- E-mail --------------------------------------------------------------------------------------------


def test_one_email_per_user_with_counts_kinds_and_the_link_and_no_personal_data(case_director):
    cases = [past_exit(case_director), past_exit(case_director)]
    other = f.UserFactory(case_director=True, email="regisseur@example.org")
    cases.append(past_exit(other))
    case_director.email = "sanne@example.org"
    case_director.save()
    run = job_run("exit_review", day=TODAY)
    assert notifications_email(run.pk) == 2
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["sanne@example.org"])
    assert message.subject == "PGA: 2 nieuwe signalen op uw werklijst"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = settings.PGA_BASE_URL.rstrip("/") + reverse("worklist")
    assert "Uitstroomtoets: 2 nieuwe signalen" in message.body and link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html and "Uitstroomtoets: 2 nieuwe signalen" in html
    for sent in mail.outbox:
        content = "\n".join([sent.subject, sent.body, sent.alternatives[0][0]])
        secrets = [str(case.pk) for case in cases] + [str(case.person_id) for case in cases]
        secrets += [value for case in cases for value in (case.person.surname, case.person.given_names, case.person.bsn)]
        secrets += [value for user in (case_director, other) for value in (user.first_name, user.last_name, user.username)]
        assert [secret for secret in secrets if mentions(content, secret)] == []
    assert not Notification.objects.filter(job_run=run, emailed_at__isnull=True).exists()


def test_a_second_call_sends_nothing(case_director):
    case_director.email = "sanne@example.org"
    case_director.save()
    past_exit(case_director)
    run = job_run("exit_review", day=TODAY)
    assert notifications_email(run.pk) == 1
    emailed_at = Notification.objects.get(job_run=run).emailed_at
    assert notifications_email(run.pk) == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get(job_run=run).emailed_at == emailed_at


def test_users_without_an_email_address_are_skipped(case_director):
    case_director.email = ""
    case_director.save()
    past_exit(case_director)
    run = job_run("exit_review", day=TODAY)
    assert notifications_email(run.pk) == 0
    assert mail.outbox == []
    assert Notification.objects.get(job_run=run).emailed_at is None


def test_the_job_sends_the_emails_after_its_transaction_commits(case_director, django_capture_on_commit_callbacks):
    case_director.email = "sanne@example.org"
    case_director.save()
    past_exit(case_director)
    with django_capture_on_commit_callbacks(execute=True):
        run = job_run("exit_review", day=TODAY - dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["sanne@example.org"]]
    assert f"{TODAY - dt.timedelta(days=1):%d-%m-%Y}" in mail.outbox[0].body
    assert Notification.objects.get(job_run=run).emailed_at is not None
