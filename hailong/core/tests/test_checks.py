"""Issue 10 §8 and §14: the production deploy check (`make checks`) fails on settings that
cannot be right: no public address for mailed links, no trusted proxy behind a TLS proxy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "hailong.example.gov.vn",
    "DATABASE_URL": "postgres://hailong@db/hailong",
    "HAILONG_PUBLIC_URL": "https://hailong.example.gov.vn",
}


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    # A clean environment: the suite's own variables (DJANGO_*, HAILONG_*) are not production's.
    environ = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    environ.update({**PRODUCTION, **env})
    environ = {k: v for k, v in environ.items() if v is not None and v != "<unset>"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_deploy_check_passes_with_what_make_checks_sets():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "hailong." not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "public_url", ["<unset>", "", "http://hailong.example.gov.vn", "https://127.0.0.1:8000"]
)
def test_it_fails_without_the_public_https_address(public_url):
    result = deploy_check(HAILONG_PUBLIC_URL=public_url)
    assert result.returncode == 1
    assert "(hailong.E003) HAILONG_PUBLIC_URL is" in result.stderr


@pytest.mark.parametrize("count, check", [("0", "hailong.E002"), ("-1", "hailong.E001")])
def test_it_fails_with_a_proxy_count_that_cannot_be_right(count, check):
    result = deploy_check(HAILONG_TRUSTED_PROXY_COUNT=count)
    assert result.returncode == 1
    assert f"({check}) HAILONG_TRUSTED_PROXY_COUNT is" in result.stderr
