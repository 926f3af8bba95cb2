"""The province of a client address, from an offline ip2region database (no request leaves the machine).

The xdb file comes from a registry package (`ip-region` ships ip2region's data file; only the file is used,
never that package's code, which would also ask online services) and is read with ip2region's official
reader (`py-ip2region`); ``STATS_IP2REGION_XDB`` points at another release of the file. The whole
file is loaded once per process (about 11 MB), so a look-up is a few microseconds of pure Python and needs
no I/O and no lock. A region reads ``"中国|0|广东省|深圳市|电信"``: its third part, the province, is
matched against the short names of the 31 provinces (GB/T 2260, ``accounts/reference/provinces.csv``).
Anything else (abroad, Hong Kong, Macao, Taiwan, private and unknown addresses, IPv6 with an IPv4-only file)
gives ``""``: province unknown.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import logging
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from ip2region import searcher as xdb_searcher
from ip2region import util as xdb_util

from smartedu.portal.reference import read_csv

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_searchers: dict[str, list[xdb_searcher.Searcher]] = {}


@lru_cache(maxsize=1)
def default_xdb_path() -> Path | None:
    """The ip2region.xdb shipped by the ``ip-region`` package (located once per process, without its code)."""
    spec = importlib.util.find_spec("ipregion")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "ip2region.xdb"
    return path if path.exists() else None


def xdb_path() -> Path | None:
    configured = settings.STATS_IP2REGION_XDB
    return Path(configured) if configured else default_xdb_path()


def _load(path: Path) -> list[xdb_searcher.Searcher]:
    try:
        xdb_util.verify_from_file(str(path))
        header = xdb_util.load_header_from_file(str(path))
        version = xdb_util.version_from_header(header)
        if version is None:
            raise ValueError(f"unknown IP version in {path}")
        return [xdb_searcher.new_with_buffer(version, xdb_util.load_content_from_file(str(path)))]
    except Exception as exc:  # a missing or broken file must not break counting
        logger.error("stats: cannot read the ip2region database %s: %s", path, exc)
        return []


def _searcher_for(path: Path) -> xdb_searcher.Searcher | None:
    key = str(path)
    if key not in _searchers:
        with _lock:
            if key not in _searchers:
                _searchers[key] = _load(path)
    loaded = _searchers[key]
    return loaded[0] if loaded else None


@lru_cache(maxsize=1)
def _short_names() -> tuple[tuple[str, str], ...]:
    """``((short name, code), …)``, longest names first (黑龙江 before a two-character prefix)."""
    rows = read_csv("accounts", "provinces.csv")
    return tuple(sorted(((r["short_name"], r["code"]) for r in rows), key=lambda p: -len(p[0])))


def province_of_region(region: str) -> str:
    """The province code of an ip2region region string, or ``""``."""
    parts = region.split("|")
    if len(parts) < 3 or parts[0] != "中国":
        return ""
    name = parts[2]
    for short, code in _short_names():
        if name.startswith(short):
            return code
    return ""


@lru_cache(maxsize=8192)
def _province_of(address: str, path: str) -> str:
    found = _searcher_for(Path(path))
    if found is None:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if ip.version == 4 and found.get_ip_version().id != xdb_util.XdbIPv4Id:
        return ""
    if ip.version == 6 and found.get_ip_version().id != xdb_util.XdbIPv6Id:
        return ""
    try:
        return province_of_region(found.search(address))
    except (ValueError, IndexError):
        return ""


def province_of_address(address: str) -> str:
    """The province code (``"44"``) of a client address, ``""`` where the database knows none."""
    path = xdb_path()
    return _province_of(address, str(path)) if path else ""
