import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartedu.settings")

application = get_asgi_application()
# What a worker loaded to start (settings, apps, models) lives as long as the worker: kept out of the
# collector's full passes, which would otherwise walk it every few thousand allocations (pauses of about
# 40 ms inside requests, measured by bench/employment.py).
gc.freeze()
