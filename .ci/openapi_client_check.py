"""Use the client openapi-python-client generated (run by .ci/openapi_client.sh in the generator's venv).

1. Every module of the package imports, and there is one API module per operation of the schema.
2. Against the live server: every GET operation that needs no parameter, and every detail operation whose
   list has a first item, answers 200 and its body parses into the generated model (signed-in reads may
   answer 401/403); the token operation signs the demo student in, and the token reads /accounts/me/.

Usage: python openapi_client_check.py <package> <schema.json> <base URL>
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path
from types import ModuleType


def import_all(package: str, failures: list[str]) -> dict[str, ModuleType]:
    root = importlib.import_module(package)
    modules = {package: root}
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        try:
            modules[info.name] = importlib.import_module(info.name)
        except Exception as exc:  # every broken module is reported, not just the first
            failures.append(f"import {info.name}: {type(exc).__name__}: {exc}")
    return modules


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    verbs = {"get", "put", "post", "patch", "delete"}
    return [
        (verb, path, op)
        for path, item in schema["paths"].items()
        for verb, op in item.items()
        if verb in verbs
    ]


def required_arguments(func: object) -> list[str]:
    params = inspect.signature(func).parameters.values()  # type: ignore[arg-type]
    return [p.name for p in params if p.name != "client" and p.default is inspect.Parameter.empty]


def main(package: str, schema_path: str, base_url: str) -> int:
    failures: list[str] = []
    modules = import_all(package, failures)
    api_modules = {
        name: module
        for name, module in modules.items()
        if name.startswith(f"{package}.api.") and hasattr(module, "sync_detailed")
    }
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    ops = operations(schema)
    print(f"imported {len(modules)} modules; {len(api_modules)} API modules for {len(ops)} operations")
    if len(api_modules) != len(ops):
        failures.append(f"{len(ops)} operations in the schema but {len(api_modules)} API modules")

    client_mod = modules[f"{package}.client"]
    anonymous = client_mod.Client(base_url=base_url, raise_on_unexpected_status=False)
    called = parsed = 0
    first_ids: dict[str, int] = {}  # list module -> id of its first result, for the detail calls
    # Lists first (parameterless), then details (`id` taken from their list's first result).
    for name, module in sorted(
        api_modules.items(), key=lambda item: bool(required_arguments(item[1].sync_detailed))
    ):
        required = required_arguments(module.sync_detailed)
        if (
            required == ["id"]
            and name.endswith("_retrieve")
            and (list_name := name[: -len("_retrieve")] + "_list") in first_ids
        ):
            response = module.sync_detailed(first_ids[list_name], client=anonymous)
        elif not required and module._get_kwargs()["method"] == "get":
            response = module.sync_detailed(client=anonymous)
            results = getattr(response.parsed, "results", None)
            if results:
                first_ids[name] = results[0].id
        else:
            continue
        called += 1
        if response.status_code in (401, 403):
            continue  # signed-in reads are tried with the token below
        if response.status_code != 200 or response.parsed is None:
            failures.append(f"GET {name}: {response.status_code}, parsed {response.parsed!r}")
        else:
            parsed += 1
    print(f"{called} read calls made (lists and their first item), {parsed} answered 200 and parsed")

    token_mod = modules.get(f"{package}.api.v1.v1_auth_token_create")
    me_mod = modules.get(f"{package}.api.v1.v1_accounts_me_retrieve")
    # The request model the token operation takes (its name follows the serializer's component name).
    body_cls = next(
        (v for k, v in vars(token_mod or object).items() if k.endswith("Request") and isinstance(v, type)),
        None,
    )
    if not (token_mod and body_cls and me_mod):
        failures.append("the token operation, its request model or accounts/me is missing from the client")
    else:
        body = body_cls.from_dict({"username": "student", "password": "smartedu-demo"})
        response = token_mod.sync_detailed(client=anonymous, body=body)
        token = getattr(response.parsed, "token", None)
        if response.status_code != 200 or not token:
            failures.append(f"POST auth/token: {response.status_code}, parsed {response.parsed!r}")
        else:
            signed_in = client_mod.AuthenticatedClient(base_url=base_url, token=token, prefix="Token")
            me = me_mod.sync_detailed(client=signed_in)
            if me.status_code != 200 or getattr(me.parsed, "username", None) != "student":
                failures.append(f"GET accounts/me with the token: {me.status_code}, parsed {me.parsed!r}")
            else:
                print("the demo student signed in with a token and read accounts/me")

    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
