"""A new API key is shown once, in the answer to the admin's add: never in a message, which
would carry it in a readable cookie to the next page (issue 10 §16)."""

import re

from django.contrib.messages import get_messages

from hailong.api.models import ApiToken
from hailong.api.tokens import api_token_for


def test_a_new_api_key_is_shown_once_on_the_answer_to_the_add(client_for, admin_user, org):
    staff = client_for(admin_user)
    answer = staff.post(
        "/admin/api/apitoken/add/",
        {"system": "Một cửa điện tử", "scopes": ["responses"], "units": [org.unit_a.pk]},
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"].split(", ")  # the admin's never_cache
    raw = re.search(r"<code>([^<]+)</code>", html).group(1)
    assert api_token_for(raw, ip=None) == ApiToken.objects.get()
    assert list(get_messages(answer.wsgi_request)) == []
    assert "messages" not in staff.cookies or staff.cookies["messages"].value == ""
    after = staff.get("/admin/api/apitoken/")
    assert after.status_code == 200 and raw not in after.content.decode()
