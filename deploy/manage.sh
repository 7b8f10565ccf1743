#!/bin/sh
# manage.py with the server's settings, as the app's user:
#   /srv/outreach/app/deploy/manage.sh migrate
#   /srv/outreach/app/deploy/manage.sh createsuperuser
# OUTREACH_ENV (default /etc/outreach/outreach.env) and OUTREACH_USER (default outreach) override.
set -eu
env_file=${OUTREACH_ENV:-/etc/outreach/outreach.env}
user=${OUTREACH_USER:-outreach}
app=$(cd "$(dirname "$0")/.." && pwd)
run='env_file=$1 app=$2; shift 2; set -a; . "$env_file"; set +a; cd "$app" && exec .venv/bin/python manage.py "$@"'
if [ "$(id -un)" = "$user" ]; then
    exec sh -c "$run" sh "$env_file" "$app" "$@"
fi
exec runuser -u "$user" -- sh -c "$run" sh "$env_file" "$app" "$@"
