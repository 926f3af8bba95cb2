"""Querysets whose SQL is built once per process, then run with new values (issue 14, signed-in pages).

A signed-in page reads a few rows of its own (the user, a favourite, the last score). PostgreSQL answers
each in a few hundredths of a millisecond, but the ORM spends 0.15–0.25 ms building the statement's text
first (``filter()`` clones the query, ``as_sql()`` compiles it), on every request. ``Precompiled`` builds
the queryset once per database, with stand-in values for its parameters, keeps the SQL text and where
each parameter goes, and afterwards only sends the text with the request's values: the same statement the
ORM would send, turned into the same model instances (the backend's converters applied, so SQLite's text
dates come back as dates)::

    _latest = Precompiled(
        lambda student, lesson: Submission.objects.filter(student_id=student, lesson_id=lesson)
        .order_by("-created_at", "-pk")[:1],
        student=int, lesson=int,
    )
    _latest.first(student=user.pk, lesson=lesson.pk)

Rules, each checked when the statement is built (a mistake raises ``ImproperlyConfigured`` at the first
call, so a test of the caller finds it):

* every value that changes from call to call is a declared parameter (``int`` or ``str``); the builder
  must not read the clock or the request — what it reads is frozen into the text;
* each stand-in value must reach the statement's parameters unchanged (a lookup that rewrites it, such as
  ``icontains``, is refused), and never its text;
* model rows (``first()``, ``all()``) with their annotations and ``select_related()`` objects (built by
  Django's own populators; no ``prefetch_related()``), or the tuples of a ``values_list()`` (``rows()``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]

M = TypeVar("M", bound=Model)

# Stand-ins: values no caller sends (ids are positive; the text holds a character no form accepts).
_INT_BASE = -7_340_000_000_000_000
_TEXT_MARK = "\x1fprecompiled-{}\x1f"


@dataclass(frozen=True)
class _Built:
    sql: str
    slots: tuple[tuple[bool, Any], ...]  # (True, parameter name) or (False, a constant value)
    attnames: tuple[str, ...]
    annotations: tuple[tuple[str, int], ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    model: type[Model]
    rows_only: bool = False  # a values_list(): tuples, not model instances
    related: tuple[Any, ...] = ()  # Django's populators of the select_related() objects

    def params(self, values: dict[str, Any]) -> list[Any]:
        return [values[slot] if is_name else slot for is_name, slot in self.slots]


class Precompiled(Generic[M]):
    """A queryset built by ``build(**parameters)``, compiled once per database alias, run by ``first()``,
    ``all()`` and ``exists()`` with new values (see the module's docstring for the rules)."""

    def __init__(self, build: Callable[..., QuerySet[M, Any]], **parameters: type) -> None:
        for name, kind in parameters.items():
            if kind not in (int, str):
                raise ImproperlyConfigured(f"Precompiled parameter {name!r}: int or str, not {kind!r}")
        self._build = build
        self._parameters = parameters
        self._built: dict[tuple[str, bool], _Built] = {}
        self._model: type[Model] | None = None
        self._lock = threading.Lock()

    # --- Running ------------------------------------------------------------------------------------

    def all(self, **values: Any) -> list[M]:
        alias, built = self._get(values, exists=False)
        if built.rows_only:
            raise ImproperlyConfigured("Precompiled.all() reads model rows: rows() reads a values_list()")
        rows = self._execute(alias, built, values)
        return [self._instance(alias, built, self._converted(alias, built, row)) for row in rows]

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows as tuples, converted as the ORM converts them (for a ``values_list()`` queryset)."""
        alias, built = self._get(values, exists=False)
        return [self._converted(alias, built, row) for row in self._execute(alias, built, values)]

    def first(self, **values: Any) -> M | None:
        found = self.all(**values)
        return found[0] if found else None

    def exists(self, **values: Any) -> bool:
        alias, built = self._get(values, exists=True)
        return bool(self._execute(alias, built, values))

    @staticmethod
    def _execute(alias: str, built: _Built, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        with connections[alias].cursor() as cursor:
            cursor.execute(built.sql, built.params(values))
            return cursor.fetchall()

    @staticmethod
    def _converted(alias: str, built: _Built, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not built.converters:
            return row
        connection = connections[alias]
        converted = list(row)
        for position, converters, expression in built.converters:
            value = converted[position]
            for converter in converters:
                value = converter(value, expression, connection)
            converted[position] = value
        return tuple(converted)

    @staticmethod
    def _instance(alias: str, built: _Built, row: tuple[Any, ...]) -> Any:
        instance = built.model.from_db(alias, list(built.attnames), row[: len(built.attnames)])
        for populator in built.related:
            populator.populate(row, instance)
        for name, position in built.annotations:
            setattr(instance, name, row[position])
        return instance

    # --- Building -----------------------------------------------------------------------------------

    def _get(self, values: dict[str, Any], *, exists: bool) -> tuple[str, _Built]:
        if values.keys() != self._parameters.keys():
            raise TypeError(f"Precompiled expects {sorted(self._parameters)}, got {sorted(values)}")
        for name, kind in self._parameters.items():
            if type(values[name]) is not kind:
                raise TypeError(f"Precompiled parameter {name!r} must be {kind.__name__}")
        if self._model is None:
            self._model = self._build(**self._stand_ins()).model
        # The alias is asked of the router per call: the statement is kept per database it runs on.
        key = (router.db_for_read(self._model), exists)
        built = self._built.get(key)
        if built is None:
            with self._lock:
                built = self._built.get(key) or self._compile(key[0], exists=exists)
                self._built[key] = built
        return key[0], built

    def _stand_ins(self) -> dict[str, Any]:
        return {
            name: (_INT_BASE - i if kind is int else _TEXT_MARK.format(i))
            for i, (name, kind) in enumerate(self._parameters.items())
        }

    def _compile(self, alias: str, *, exists: bool) -> _Built:
        stand_ins = self._stand_ins()
        queryset = self._build(**stand_ins)
        query = queryset.query
        if exists:
            query = query.exists()
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        by_value = {value: name for name, value in stand_ins.items()}
        slots = tuple((True, by_value[p]) if _is_stand_in(p, by_value) else (False, p) for p in params)
        reached = {slot for is_name, slot in slots if is_name}
        missing = set(stand_ins) - reached
        if missing:
            raise ImproperlyConfigured(f"Precompiled parameters {sorted(missing)} do not reach the statement")
        for value in stand_ins.values():
            if str(value) in sql:
                raise ImproperlyConfigured("a Precompiled parameter was written into the statement's text")
        if exists:
            return _Built(sql, slots, (), (), (), queryset.model)
        select = compiler.select
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters([s[0] for s in select]).items()
        )
        if queryset._iterable_class is not ModelIterable:
            # A values_list(): its columns in the order it names them, as Django's own iterable reads them.
            return _Built(sql, slots, (), (), converters, queryset.model, rows_only=True)
        klass_info = compiler.klass_info or {}
        if queryset._prefetch_related_lookups or queryset._known_related_objects:  # type: ignore[attr-defined]
            raise ImproperlyConfigured("Precompiled querysets cannot prefetch")
        fields = klass_info["select_fields"]
        attnames = tuple(select[i][0].target.attname for i in fields)
        annotations = tuple(compiler.annotation_col_map.items())
        if list(fields) != list(range(len(fields))):
            raise ImproperlyConfigured("Precompiled querysets read the model's columns first")
        # The select_related() objects are built by Django's own populators, as ModelIterable builds them.
        related = tuple(get_related_populators(klass_info, select, alias))
        return _Built(sql, slots, attnames, annotations, converters, queryset.model, related=related)


def _is_stand_in(value: Any, by_value: dict[Any, str]) -> bool:
    try:
        return type(value) in (int, str) and value in by_value
    except TypeError:  # an unhashable constant
        return False
