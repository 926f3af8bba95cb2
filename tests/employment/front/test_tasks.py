"""The employment front's Celery tasks in a real worker process, and their beat entries."""

import time

import pytest

from employment.front import services
from employment.front.models import DeliveryStatus, Directive, DirectiveDelivery, RollupRun
from employment.front.tasks import rollup_progress_task
from tests.factories import employment as f
from tests.factories import front


def _send():
    return services.directive_send(sender=front.ministry_admin(), title="通知", body="内容", audience="all")


@pytest.mark.worker
def test_a_sent_directive_is_delivered_by_the_worker_and_the_rollup_runs_there(celery_worker_process):
    # given: three officers; the directive is sent the way the page and the API send it
    officers = [f.officer() for _ in range(3)]
    directive = services.directive_send(
        sender=front.ministry_admin(), title="通知", body="内容", audience="all"
    )
    assert DirectiveDelivery.objects.filter(directive=directive).count() == 0  # the request delivered nothing

    # when: the worker picks up the task queued after commit
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        directive.refresh_from_db()
        if directive.status == DeliveryStatus.DELIVERED:
            break
        time.sleep(0.5)

    # then
    assert directive.status == DeliveryStatus.DELIVERED, celery_worker_process.output()
    delivered = set(
        DirectiveDelivery.objects.filter(directive=directive).values_list("recipient_id", flat=True)
    )
    assert delivered >= {o.pk for o in officers}
    assert rollup_progress_task.delay().get(timeout=60) >= 0
    assert RollupRun.objects.exists()
    assert Directive.objects.count() == 1


def test_the_beat_entries_name_real_tasks_and_expire_before_the_next_run():
    from smartedu.celery import app

    app.loader.import_default_modules()
    mine = {k: v for k, v in app.conf.beat_schedule.items() if k.startswith("employment-front-")}
    assert set(mine) == {"employment-front-rollup-progress", "employment-front-deliver-pending-directives"}
    for entry in mine.values():
        assert entry["task"] in app.tasks
        assert entry["options"]["expires"] < entry["schedule"]


@pytest.mark.django_db
def test_the_sweep_finishes_a_delivery_whose_task_was_lost():
    from employment.front.tasks import deliver_pending_directives_task

    f.officer()
    directive = services.directive_send(
        sender=front.ministry_admin(), title="通知", body="内容", audience="all"
    )
    assert deliver_pending_directives_task.apply().get() == 1
    directive.refresh_from_db()
    assert directive.status == DeliveryStatus.DELIVERED
    assert deliver_pending_directives_task.apply().get() == 0


def test_two_deliveries_running_at_once_write_each_row_once(committed_db):
    """Two workers given the same directive (a redelivered task) race; the unique rows keep one each."""
    import threading

    from django.db import connection

    for _ in range(12):
        f.officer()
    directive = _send()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            services.directive_deliver(directive_id=directive.pk, batch_size=3)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = DirectiveDelivery.objects.filter(directive=directive)
    assert rows.count() == directive.recipient_count
    assert rows.values("recipient_id").distinct().count() == directive.recipient_count
