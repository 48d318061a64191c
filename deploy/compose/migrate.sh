#!/bin/sh
# The migrations job: every service's Alembic migrations, in order, against ANXIN_DATABASE_URL.
set -eu
for service in intake routing deadlines notify; do
  (cd "/app/services/$service" && alembic -c alembic.ini upgrade head)
done
echo "migrations applied"
