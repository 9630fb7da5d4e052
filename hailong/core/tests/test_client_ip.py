"""Issue 10 §8: behind the proxy, the client is the address our proxy appended to
X-Forwarded-For; what the client wrote there itself never becomes its address."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from hailong.core import request_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    settings.HAILONG_TRUSTED_PROXY_COUNT = 1
    settings.HAILONG_CASE_LOOKUP_RATE = (2, 600)
    monkeypatch.setattr(request_context, "_warned", False, raising=False)


def lookup(forwarded: str | None):
    headers = {"REMOTE_ADDR": "127.0.0.1"}  # nginx on the same host
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return Client(**headers).post("/tra-cuu/", {"code": "ZZZZZZZZ", "phone_last4": "1234"})


def test_a_forged_header_that_reaches_the_app_is_not_an_address(behind_one_proxy, caplog):
    with caplog.at_level(logging.ERROR, logger="hailong.core.request_context"):
        statuses = [lookup(f"khong-phai-ip-{n}").status_code for n in range(3)]
    assert statuses == [404, 404, 429]  # counted as the peer, not one new "address" each
    [record] = caplog.records
    assert "has no address appended by the 1 trusted proxies" in record.getMessage()


def test_what_the_client_wrote_left_of_the_proxys_entry_is_ignored(behind_one_proxy):
    statuses = [lookup(f"10.9.9.{n}, 203.0.113.7").status_code for n in range(3)]
    assert statuses == [404, 404, 429]
    assert lookup("198.51.100.4").status_code == 404  # another citizen is not held up


def test_one_ipv6_client_written_two_ways_is_one_client(behind_one_proxy):
    assert lookup("2001:db8::1").status_code == 404
    assert lookup("2001:DB8:0:0::1").status_code == 404
    assert lookup("2001:db8:0000::0001").status_code == 429


def test_a_request_without_the_header_is_logged(behind_one_proxy, caplog):
    with caplog.at_level(logging.ERROR, logger="hailong.core.request_context"):
        lookup(None)
        lookup(None)
    assert len(caplog.records) == 1  # once per process, not once per request
