"""The HTTP benchmark's server: the project's own settings, plus the baselines it is measured against.

``bench/http_load.py`` serves this with gunicorn in production mode. It adds, to the same server and the same
middleware, two baselines and nothing else:

* ``/bench/hello`` — a bare Django view returning "hello";
* ``/bench/hitcount/`` — django-hitcount's counting view (``HitCountJSONView``), the library a Django user
  would pick to count views. django-hitcount lives only in the benchmark's own environment
  (``var/bench/site``, installed by ``bench/http_load.py``), never in the project's requirements.
"""

from smartedu.settings import *  # noqa: F403
from smartedu.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "hitcount"]
ROOT_URLCONF = "bench.server.urls"
