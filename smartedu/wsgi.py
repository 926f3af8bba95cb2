import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")

django_application = get_wsgi_application()

from smartedu.stats.fastlane import beacon_lane  # noqa: E402 (needs the apps loaded)

# The view beacon, the most frequent request, answered before Django's handler (smartedu/stats/fastlane.py).
application = beacon_lane(django_application)
# What a worker loaded to start (settings, apps, models) lives as long as the worker: kept out of the
# collector's full passes, which would otherwise walk it every few thousand allocations (pauses of about
# 40 ms inside requests, measured by bench/employment.py).
gc.freeze()
