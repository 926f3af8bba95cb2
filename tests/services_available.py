"""Exit 0 if PostgreSQL and Redis answer at the given URLs, else say why and exit 1 (for `make test`)."""

import sys

import environ
import psycopg2
import redis


def main(database_url: str, redis_url: str) -> int:
    db = environ.Env.db_url_config(database_url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=db["USER"],
            password=db["PASSWORD"],
            host=db["HOST"],
            port=db["PORT"] or 5432,
            connect_timeout=3,
        ).close()
    except psycopg2.Error as exc:
        print(f"PostgreSQL at {db['HOST']}:{db['PORT']} cannot be reached ({str(exc).strip()})")
        return 1
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        print(f"Redis at {redis_url} cannot be reached ({exc})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
