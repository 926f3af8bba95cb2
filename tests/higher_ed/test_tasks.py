import pytest

from higher_ed import tasks
from higher_ed.models import CreditCourseFigure
from smartedu.celery import app
from tests.factories.higher_ed import course

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_has_the_nightly_and_monitoring_tasks():
    schedule = app.conf.beat_schedule
    assert schedule["higher-ed-hot-scores"]["task"] == "higher_ed.tasks.refresh_hot_scores_task"
    assert schedule["higher-ed-run-statuses"]["task"] == "higher_ed.tasks.refresh_run_statuses_task"
    assert schedule["higher-ed-monitoring"]["task"] == "higher_ed.tasks.refresh_monitoring_task"
    assert all(schedule[key]["options"]["expires"] for key in schedule if key.startswith("higher-ed-"))
    app.loader.import_default_modules()
    assert all(schedule[key]["task"] in app.tasks for key in schedule if key.startswith("higher-ed-"))
    assert schedule["refresh-headline-figures"]  # the project's own entries are kept


def test_tasks_call_their_service_and_can_run_twice():
    course(credit=True)
    assert tasks.refresh_monitoring_task.apply().get() == {"figures": 1, "recognitions": 0, "anomalies": 0}
    assert tasks.refresh_monitoring_task.apply().get()["figures"] == 1
    assert CreditCourseFigure.objects.count() == 1
    assert tasks.refresh_run_statuses_task.apply().get() == 0
    assert tasks.refresh_hot_scores_task.apply().get() == 0
