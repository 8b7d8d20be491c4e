#!/usr/bin/env bash
# Mail the end of a failed unit's journal to $OCOP_ALERT_EMAILS (docs/deployment.md, "Alerts").
# Started by ocop-alert@.service, which every timer job names in OnFailure=; the argument is the
# failed unit's name. Uses the application's own EMAIL_* settings (Django's mail machinery).
set -euo pipefail

unit="${1:?usage: alert.sh UNIT}"
if [[ -z "${OCOP_ALERT_EMAILS:-}" ]]; then
    echo "alert: $unit failed; OCOP_ALERT_EMAILS is empty, no mail sent" >&2
    exit 0
fi

ALERT_UNIT="$unit" \
ALERT_HOST="$(hostname -f 2>/dev/null || hostname)" \
ALERT_BODY="$(journalctl --unit="$unit" --lines=80 --no-pager --output=short-iso 2>&1 || true)" \
DJANGO_SETTINGS_MODULE=ocop.settings \
exec "${OCOP_PYTHON:-/opt/ocop/venv/bin/python}" - <<'PY'
import os

import django

django.setup()
from django.core.mail import send_mail  # noqa: E402

recipients = [a.strip() for a in os.environ["OCOP_ALERT_EMAILS"].split(",") if a.strip()]
unit, host = os.environ["ALERT_UNIT"], os.environ["ALERT_HOST"]
send_mail(
    subject=f"[ocop] {host}: {unit} failed",
    message=(
        f"The systemd unit {unit} failed on {host}.\n"
        f"Details: journalctl -u {unit}\n\n"
        f"{os.environ['ALERT_BODY']}\n"
    ),
    from_email=None,
    recipient_list=recipients,
)
print(f"alert: {unit} failed; mail sent to {', '.join(recipients)}")
PY
