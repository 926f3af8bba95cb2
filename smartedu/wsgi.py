import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")

django_application = get_wsgi_application()

from smartedu.stats.fastlane import beacon_lane  # noqa: E402 (needs the apps loaded)

# The view beacon, the most frequent request, answered before Django's handler (smartedu/stats/fastlane.py).
application = beacon_lane(django_application)
