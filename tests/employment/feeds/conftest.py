import json

import pytest

from employment.feeds import services
from employment.feeds.models import FeedImport
from tests.factories import employment as f


def row(external_id="gd-1001", credit_code="", **changes):
    return {
        "external_id": external_id,
        "employer_credit_code": credit_code,
        "title": "Java开发工程师",
        "description": "负责后端服务开发，熟悉 Spring Boot。",
        "industry": "I",
        "province": "44",
        "city": "广州",
        "education": "本科",
        "salary_min": 9000,
        "salary_max": 15000,
        **changes,
    }


def run(actor, rows, *, source="gd-portal", fmt="json", full=True, text=None) -> FeedImport:
    payload = text if text is not None else json.dumps({"jobs": rows}, ensure_ascii=False)
    feed = services.feed_import_start(
        actor=actor, source=source, fmt=fmt, text=payload, full=full, queue=False
    )
    return services.feed_import_run(import_id=feed.pk)


@pytest.fixture
def admin():
    return f.registry_admin()


@pytest.fixture
def org():
    return f.org_of(f.employer())
