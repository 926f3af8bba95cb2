"""Password hashing for the tests: Argon2 still (the format and the code path are the real ones), with the
cheapest parameters. Django's defaults cost about 0.2 s of CPU per hash on a small box, and the suite hashes
hundreds of passwords; settings.PASSWORD_HASHERS is unchanged outside the tests."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB, the least argon2 accepts for one lane
    parallelism = 1
