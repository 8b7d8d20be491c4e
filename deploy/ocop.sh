#!/usr/bin/env bash
# /usr/local/bin/ocop — run the `ocop` console command the way the services run it: as the `ocop`
# user, with /etc/ocop/ocop.env loaded. Without this, `/opt/ocop/venv/bin/ocop migrate` run from an
# admin shell would silently use the development defaults (SQLite under the venv, DEBUG on).
#
# Install (a root-owned copy, not a symlink into the ocop-owned checkout):
#     install -o root -g root -m 0755 /opt/ocop/app/deploy/ocop.sh /usr/local/bin/ocop
# Use:  sudo ocop migrate   |   sudo ocop create-admin admin --full-name "Nguyễn Văn A"
set -euo pipefail

OCOP_USER="${OCOP_USER:-ocop}"
OCOP_ENV_FILE="${OCOP_ENV_FILE:-/etc/ocop/ocop.env}"
OCOP_BIN="${OCOP_BIN:-/opt/ocop/venv/bin/ocop}"

if [[ "$(id -un)" != "$OCOP_USER" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        exec runuser -u "$OCOP_USER" -- "$0" "$@"
    fi
    exec sudo -u "$OCOP_USER" -- "$0" "$@"
fi

if [[ ! -r "$OCOP_ENV_FILE" ]]; then
    echo "ocop: cannot read $OCOP_ENV_FILE (must be root:$OCOP_USER, mode 0640)" >&2
    exit 1
fi
set -a
# shellcheck source=/dev/null
. "$OCOP_ENV_FILE"
set +a

# runuser/sudo keep the caller's working directory, which the ocop user may not be allowed to read.
if [[ ! -x . || ! -r . ]]; then
    cd /opt/ocop
fi
umask 0027
exec "$OCOP_BIN" "$@"
