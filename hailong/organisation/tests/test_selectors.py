import pytest
from django.core.exceptions import ValidationError

from conftest import make_staff, make_unit
from hailong.organisation.models import Role, Unit
from hailong.organisation.selectors import (
    services_search,
    services_visible_to,
    staff_visible_to,
    unit_tree_for,
    units_visible_to,
)
from hailong.organisation.services import unit_save


def codes(units):
    return sorted(u.code for u in units)


def test_an_officer_sees_their_unit_and_its_subtree_only(officer_a, org):
    assert codes(units_visible_to(officer_a)) == ["UA", "UA1"]


def test_the_administrator_sees_everything(admin_user, org):
    assert codes(units_visible_to(admin_user)) == ["ROOT", "UA", "UA1", "UB"]


def test_a_scope_can_hold_several_units(org):
    person = make_staff("hai_don_vi", Role.CLERK, [org.unit_a1, org.unit_b])
    assert codes(units_visible_to(person)) == ["UA1", "UB"]


def test_people_without_scope_or_disabled_see_nothing(org):
    nobody = make_staff("chua_phan_cong", Role.OFFICER, [])
    assert units_visible_to(nobody).count() == 0
    disabled = make_staff("da_nghi", Role.LEADER, [org.root])
    disabled.is_active = False
    assert units_visible_to(disabled).count() == 0


def test_services_and_colleagues_follow_the_scope(officer_a, officer_b, org):
    assert [s.code for s in services_visible_to(officer_a)] == ["1.001193"]
    assert [s.code for s in services_visible_to(officer_b)] == ["1.012783"]
    assert [p.username for p in staff_visible_to(officer_a)] == ["canbo_a"]


def test_search_ignores_accents(officer_a):
    assert [s.code for s in services_search(officer_a, query="dang ky khai sinh")] == ["1.001193"]
    assert [s.code for s in services_search(officer_a, query="KHAI SINH")] == ["1.001193"]
    assert [s.code for s in services_search(officer_a, query="1.0011")] == ["1.001193"]
    assert list(services_search(officer_a, query="đất đai")) == []


def test_moving_a_unit_moves_its_subtree_and_the_scope_follows(officer_a, officer_b, org):
    # Reorganisation: unit A (with A1) now sits under unit B.
    org.unit_a.parent = org.unit_b
    unit_save(unit=org.unit_a, actor=None)
    a1 = Unit.objects.get(code="UA1")
    assert a1.path == f"/{org.root.pk}/{org.unit_b.pk}/{org.unit_a.pk}/{a1.pk}/"
    assert a1.depth == 3
    assert codes(units_visible_to(officer_b)) == ["UA", "UA1", "UB"]
    assert codes(units_visible_to(officer_a)) == ["UA", "UA1"]


def test_a_unit_cannot_be_moved_under_its_own_subtree(org):
    org.unit_a.parent = org.unit_a1
    with pytest.raises(ValidationError):
        unit_save(unit=org.unit_a, actor=None)


def test_the_tree_lists_parents_before_children(leader, org):
    make_unit("UA2", "Tổ A2", parent=org.unit_a)
    nodes = [(n.unit.code, n.level) for n in unit_tree_for(leader)]
    assert nodes[0] == ("ROOT", 0)
    assert nodes.index(("UA", 1)) < nodes.index(("UA1", 2))
    assert ("UB", 1) in nodes


def test_a_procedure_of_a_grouping_unit_belongs_to_every_unit_below_it(org):
    from hailong.organisation.models import Service, ServiceField

    group = make_unit("XA", "UBND các xã", "other", parent=org.root)
    commune = make_unit("XA-1", "UBND xã Một", "commune", parent=group)
    field = ServiceField.objects.create(name="Chứng thực", code="chung-thuc")
    service = Service.objects.create(code="2.000815", name="Chứng thực bản sao", field=field)
    service.units.set([group])
    commune_officer = make_staff("xa_mot", Role.OFFICER, [commune])
    assert [s.code for s in services_visible_to(commune_officer)] == ["2.000815"]
    assert "2.000815" not in [
        s.code for s in services_visible_to(make_staff("b2", Role.OFFICER, [org.unit_b]))
    ]


def test_search_collapses_spaces_and_knows_codes_without_dots_and_fields(officer_a, officer_b):
    assert [s.code for s in services_search(officer_a, query="khai   sinh")] == ["1.001193"]
    assert [s.code for s in services_search(officer_a, query="1001193")] == ["1.001193"]
    assert [s.code for s in services_search(officer_a, query="ho tich")] == ["1.001193"]
    assert [s.code for s in services_search(officer_b, query="dat dai")] == ["1.012783"]


def test_lists_follow_vietnamese_alphabetical_order():
    from hailong.core.text import vietnamese_sort_key

    names = ["Tư pháp", "Đất đai", "Tài chính", "Nội vụ", "Dân tộc", "An Bình", "Anh", "Ăn"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An Bình",
        "Anh",
        "Ăn",
        "Dân tộc",
        "Đất đai",
        "Nội vụ",
        "Tài chính",
        "Tư pháp",
    ]
