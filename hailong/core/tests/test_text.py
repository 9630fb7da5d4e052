import unicodedata

from hailong.core.text import fold_for_search, normalize_text
from hailong.organisation.models import ServicePoint

DECOMPOSED = unicodedata.normalize("NFD", "Quầy Hòa Bình")


def test_normalize_text_composes_and_trims():
    assert DECOMPOSED != "Quầy Hòa Bình"
    assert normalize_text(f"  {DECOMPOSED}\n") == "Quầy Hòa Bình"
    assert normalize_text(None) == ""


def test_fold_for_search_drops_accents_and_d_stroke():
    assert fold_for_search("Đăng ký KHAI SINH") == "dang ky khai sinh"


def test_submitted_text_is_stored_composed_and_trimmed(client_for, admin_user, org):
    client = client_for(admin_user)
    response = client.post(
        "/admin/organisation/servicepoint/add/",
        {
            "unit": org.unit_a.pk,
            "code": "hb",
            "name": f"  {DECOMPOSED}  ",
            "kind": "counter",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ServicePoint.objects.get(code="hb").name == "Quầy Hòa Bình"


def test_codes_are_stored_in_one_case(client_for, admin_user, org):
    client = client_for(admin_user)
    data = {"unit": org.unit_a.pk, "name": "Quầy Y tế", "kind": "counter", "is_active": "on"}
    assert (
        client.post("/admin/organisation/servicepoint/add/", {**data, "code": "YT-Q1"}).status_code
        == 302
    )
    again = client.post("/admin/organisation/servicepoint/add/", {**data, "code": "yt-q1"})
    assert again.status_code == 200  # refused: the same point
    assert ServicePoint.objects.filter(code="yt-q1").count() == 1
