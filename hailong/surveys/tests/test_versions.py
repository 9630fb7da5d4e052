import json

from django.core.files.uploadedfile import SimpleUploadedFile

from hailong.core.models import AuditEntry
from hailong.surveys.models import Campaign, QuestionnaireVersion


def test_a_published_version_cannot_be_edited(client_for, secretary, sipas):
    client = client_for(secretary)
    response = client.post(f"/surveys/versions/{sipas.pk}/edit/", {"title_vi": "Đổi"}, follow=True)
    assert (
        "Không thể sửa phiên bản đã ban hành. Hãy tạo bản nháp mới từ phiên bản này."
        in response.content.decode()
    )
    assert QuestionnaireVersion.objects.get(pk=sipas.pk).title_vi == sipas.title_vi
    item = sipas.items.get(code="TC1")
    client.post(f"/surveys/versions/{sipas.pk}/items/{item.pk}/", {"text_vi": "Đổi"})
    item.refresh_from_db()
    assert item.text_vi != "Đổi"


def test_edit_publish_and_compare_a_new_version(client_for, secretary, sipas):
    client = client_for(secretary)
    response = client.post(f"/surveys/versions/{sipas.pk}/draft/", follow=True)
    draft = QuestionnaireVersion.objects.get(questionnaire=sipas.questionnaire, number=2)
    assert draft.status == "draft" and draft.items.count() == sipas.items.count()
    assert draft.edition == 2
    item = draft.items.get(code="CC1")
    options = item.options.all()
    data = {
        "code": "CC1",
        "section": item.section_id,
        "order": item.order,
        "kind": "scale5",
        "text_vi": "Công chức có thái độ lịch sự, tôn trọng",
        "text_en": "",
        "allow_na": "on",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, o in enumerate(options):
        data.update(
            {
                f"options-{i}-id": o.pk,
                f"options-{i}-item": item.pk,
                f"options-{i}-code": o.code,
                f"options-{i}-value": o.value,
                f"options-{i}-label_vi": o.label_vi,
                f"options-{i}-order": o.order,
            }
        )
    response = client.post(f"/surveys/versions/{draft.pk}/items/{item.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(f"/surveys/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "draft"  # refused: ISO document control wants the change noted
    edited = client.post(
        f"/surveys/versions/{draft.pk}/edit/",
        {
            "title_vi": draft.title_vi,
            "consent_vi": draft.consent_vi,
            "edition": draft.edition,
            "change_note": "Sửa câu CC1 theo góp ý của người dân.",
        },
    )
    assert edited.status_code == 302
    client.post(f"/surveys/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "published" and draft.issued_on is not None
    sipas.refresh_from_db()
    assert sipas.items.get(code="CC1").text_vi == "Công chức có thái độ giao tiếp lịch sự"
    page = client.get(f"/surveys/versions/{draft.pk}/compare/?with={sipas.pk}").content.decode()
    assert "Công chức có thái độ lịch sự, tôn trọng" in page
    assert AuditEntry.objects.filter(action="questionnaire_version.publish").exists()


def test_export_then_import_makes_a_draft_with_the_same_questions(client_for, secretary, nhanh):
    client = client_for(secretary)
    exported = client.get(f"/surveys/versions/{nhanh.pk}/export.json")
    document = json.loads(exported.content)
    assert document["code"] == "nhanh" and len(document["version"]["items"]) == 3
    document["code"] = "nhanh-xa"
    document["name"] = "Đánh giá nhanh cấp xã"
    upload = SimpleUploadedFile("nhanh.json", json.dumps(document, ensure_ascii=False).encode())
    response = client.post("/surveys/questionnaires/import/", {"file": upload}, follow=True)
    imported = QuestionnaireVersion.objects.get(questionnaire__code="nhanh-xa")
    assert imported.status == "draft"
    assert [i.code for i in imported.items.all()] == ["DG", "LD", "YK"]
    assert [o.label_vi for o in imported.items.get(code="DG").options.all()] == [
        "Rất hài lòng",
        "Hài lòng",
        "Chưa hài lòng",
    ]
    assert response.status_code == 200


def test_a_questionnaire_file_with_a_nul_is_refused_with_the_reason(client_for, secretary, nhanh):
    # PostgreSQL refuses NUL in text: the import answered with an error page there.
    client = client_for(secretary)
    document = json.loads(client.get(f"/surveys/versions/{nhanh.pk}/export.json").content)
    document["code"] = "nhanh-nul"
    document["name"] = "Đánh giá\u0000 nhanh"
    upload = SimpleUploadedFile("nhanh.json", json.dumps(document, ensure_ascii=False).encode())
    page = client.post("/surveys/questionnaires/import/", {"file": upload}, follow=True)
    assert page.status_code == 200
    assert "Văn bản chứa ký tự NUL (\\u0000), không thể lưu." in page.content.decode()
    assert not QuestionnaireVersion.objects.filter(questionnaire__code="nhanh-nul").exists()


def test_a_bad_questionnaire_file_gets_a_clear_message(client_for, secretary):
    client = client_for(secretary)
    bad = SimpleUploadedFile("x.json", b"{not json")
    page = client.post("/surveys/questionnaires/import/", {"file": bad}, follow=True)
    assert "JSON" in page.content.decode()
    wrong = SimpleUploadedFile("x.json", json.dumps({"format": "khac"}).encode())
    page = client.post("/surveys/questionnaires/import/", {"file": wrong}, follow=True)
    assert "Hài Lòng" in page.content.decode()


def test_a_version_in_an_open_campaign_cannot_be_retired(client_for, secretary, sipas, campaign):
    client = client_for(secretary)
    client.post(f"/surveys/versions/{sipas.pk}/retire/")
    sipas.refresh_from_db()
    assert sipas.status == "published"
    Campaign.objects.filter(pk=campaign.pk).update(status="closed")
    client.post(f"/surveys/versions/{sipas.pk}/retire/")
    sipas.refresh_from_db()
    assert sipas.status == "retired"


def test_the_secretary_builds_a_questionnaire_from_scratch(client_for, secretary):
    client = client_for(secretary)
    response = client.post(
        "/surveys/questionnaires/new/",
        {
            "code": "dat-dai",
            "name": "Khảo sát lĩnh vực đất đai",
            "form_code": "BM.HD07.04",
            "title_vi": "PHIẾU KHẢO SÁT LĨNH VỰC ĐẤT ĐAI",
        },
    )
    draft = QuestionnaireVersion.objects.get(questionnaire__code="dat-dai")
    assert response.status_code == 302 and draft.status == "draft"
    assert draft.questionnaire.form_code == "BM.HD07.04"
    client.post(f"/surveys/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "draft"  # no question yet: publishing is refused
    client.post(
        f"/surveys/versions/{draft.pk}/sections/add/", {"code": "tt", "title_vi": "Thủ tục"}
    )
    section = draft.sections.get(code="TT")
    ok = client.post(
        f"/surveys/versions/{draft.pk}/items/add/",
        {
            "code": "dd1",
            "section": section.pk,
            "order": 0,
            "kind": "scale5",
            "text_vi": "Thời gian giải quyết hồ sơ đất đai đúng hẹn",
            "required": "on",
            "options-TOTAL_FORMS": "0",
            "options-INITIAL_FORMS": "0",
            "options-MIN_NUM_FORMS": "0",
            "options-MAX_NUM_FORMS": "1000",
        },
    )
    assert ok.status_code == 302, ok.content.decode()[:2000]
    client.post(f"/surveys/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "published"
    item = draft.items.get(code="DD1")
    assert item.section == section
    # A scale question saved without choices gets the standard five.
    assert [o.label_vi for o in item.options.all()] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]


def test_an_edit_racing_a_publish_is_refused_and_changes_nothing(secretary, sipas):
    """The person opened the draft's question; before they saved, a colleague published it.
    The save locks the version and finds it published: refused, the published text intact."""
    import pytest
    from django.core.exceptions import ValidationError

    from hailong.surveys.forms import ItemForm, OptionFormSet
    from hailong.surveys.services.questionnaires import (
        item_save,
        version_new_draft,
        version_publish,
    )

    draft = version_new_draft(source=sipas, actor=secretary)
    item = draft.items.get(code="TC1")
    published_text = item.text_vi
    stale = QuestionnaireVersion.objects.get(pk=draft.pk)  # as the edit page loaded it
    data = {
        "code": "TC1",
        "section": item.section_id,
        "order": item.order,
        "kind": item.kind,
        "text_vi": "Đã đổi sau khi ban hành",
        "text_en": "",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    form = ItemForm(data, instance=item, version=stale)
    options = OptionFormSet(data, instance=item, prefix="options")
    assert form.is_valid(), form.errors
    assert options.is_valid(), options.errors
    draft.change_note = "Sửa câu TC1"
    draft.save(update_fields=["change_note"])
    version_publish(version=draft, actor=secretary)
    with pytest.raises(ValidationError) as refused:
        item_save(version=stale, form=form, options=options, actor=secretary)
    assert refused.value.messages == [
        "Không thể sửa phiên bản đã ban hành. Hãy tạo bản nháp mới từ phiên bản này."
    ]
    item.refresh_from_db()
    assert item.text_vi == published_text
