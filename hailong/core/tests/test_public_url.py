"""Links e-mailed to citizens name the port the development server runs on (`make run
PORT=8001`), not a fixed 8000."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def public_url(**env) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in {"PORT", "HAILONG_PUBLIC_URL"}}
    environ |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", **env}
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.HAILONG_PUBLIC_URL)"
    run = subprocess.run(  # noqa: S603 (our own interpreter and code, no input)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_links_name_the_port_served():
    assert public_url() == "http://127.0.0.1:8000"
    assert public_url(PORT="8123") == "http://127.0.0.1:8123"
    assert public_url(PORT="8123", HAILONG_PUBLIC_URL="http://10.0.0.5:8123") == (
        "http://10.0.0.5:8123"
    )
