"""Checking what a citizen or clerk submits before a case is opened: contact details, consent,
attachments. Messages are for the person, in the active language; every problem at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from hailong.core.moments import moment_refusal
from hailong.core.phones import canonical_phone, phone_problem
from hailong.core.text import normalize_text
from hailong.feedback.models import CaseKind, ComplaintInstance
from hailong.organisation.models import Service, Unit

# What an attachment may be: the extension and the first bytes must agree (a renamed .exe is
# refused). Scans and phone photos, PDFs and office documents.
ATTACHMENT_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
}


def attachment_content_type(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(suffix, "application/octet-stream")


def attachment_response(attachment):
    """The download of a stored attachment. The type comes from the checked extension, never
    from what the uploader's browser said; always as a download, never shown inline."""
    from django.http import FileResponse

    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment_content_type(attachment.original_name),
    )


# The form says so, in these words; a consent with another text is another version.
CONSENT_TEXT_VI = (
    "Tôi đồng ý để cơ quan sử dụng họ tên, số điện thoại, email và địa chỉ tôi cung cấp chỉ để "
    "liên hệ, trả lời và hỏi ý kiến tôi về việc giải quyết phản ánh này (Nghị định "
    "13/2023/NĐ-CP). Tôi có thể yêu cầu xóa các thông tin này bất cứ lúc nào."
)
# Identity is required by law for these kinds (Luật Khiếu nại 2011 art. 8, Luật Tố cáo 2018
# art. 23): an anonymous complaint is not a complaint.
NAMED_KINDS = {CaseKind.COMPLAINT, CaseKind.DENUNCIATION}
# How far back a case may be dated when it is recorded late: a complaint must be made within
# 90 days of learning of the decision (Luật Khiếu nại 2011 art. 9), and a letter or last year's
# paper register typed in late is well inside two years; the future only within the clock skew.
CASE_OLDEST = timedelta(days=2 * 365)


@dataclass
class Upload:
    name: str
    content_type: str
    data: bytes


@dataclass
class CaseIntake:
    kind: str
    channel: str
    unit: Unit | None
    title: str
    content: str
    remedy_sought: str = ""
    service: Service | None = None
    dossier_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    consent_given: bool = False
    consent_text: str = ""  # the text the person agreed to, when not this form's own
    is_complex: bool = False
    is_remote: bool = False
    instance: str = "first"  # a complaint's first or second instance (Luật Khiếu nại 2011)
    received_at: datetime | None = None
    idempotency_key: str = ""
    # The SHA-256 of the request the key came with: the key reused with another is refused.
    request_fingerprint: str = ""
    attachments: list[Upload] = field(default_factory=list)

    @property
    def has_contact(self) -> bool:
        return bool(
            self.contact_name or self.contact_phone or self.contact_email or self.contact_address
        )


def clean_intake(intake: CaseIntake) -> dict[str, str]:
    """Normalise the intake in place and return its problems by field (empty when fine)."""
    for name in (
        "title",
        "content",
        "remedy_sought",
        "dossier_code",
        "contact_name",
        "contact_phone",
        "contact_email",
        "contact_address",
    ):
        setattr(intake, name, normalize_text(getattr(intake, name) or ""))
    intake.dossier_code = intake.dossier_code.upper()[:60]
    errors: dict[str, str] = {}
    if intake.kind not in CaseKind.values:
        errors["kind"] = _("Choose what kind of matter this is.")
    if intake.unit is None:
        errors["unit"] = _("Choose the agency or unit concerned.")
    intake.instance = intake.instance or ComplaintInstance.FIRST
    if intake.instance not in ComplaintInstance.values:
        errors["instance"] = _("Choose first or second instance.")
    elif intake.instance == ComplaintInstance.SECOND and intake.kind != CaseKind.COMPLAINT:
        errors["instance"] = _("Only a complaint (khiếu nại) is decided a second time.")
    if not intake.content:
        errors["content"] = _("Please describe the matter.")
    elif len(intake.content) > 10000:
        errors["content"] = _("Please keep the description under 10,000 characters.")
    if not intake.title:
        # A short subject is what lists show; take the first words when none was given.
        intake.title = intake.content[:120]
    intake.title = intake.title[:200]
    if problem := phone_problem(intake.contact_phone):
        errors["contact_phone"] = problem
    else:
        # One written form per number, so a search for it finds the case however it was typed.
        intake.contact_phone = canonical_phone(intake.contact_phone)
    if intake.contact_email:
        try:
            validate_email(intake.contact_email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid email address.")
    if intake.kind in NAMED_KINDS:
        if not intake.contact_name:
            errors["contact_name"] = _("A complaint or denunciation must give the person's name.")
        if not (intake.contact_phone or intake.contact_address or intake.contact_email):
            errors["contact_address"] = _(
                "Give an address, phone number or email where the answer can be sent."
            )
    if intake.has_contact and not intake.consent_given:
        errors["consent"] = _(
            "To leave your name or contact details, tick the consent box; or leave them empty."
        )
    attachment_error = check_attachments(intake.attachments)
    if attachment_error:
        errors["attachments"] = attachment_error
    if intake.received_at is not None:
        # Every deadline counts from receipt: a case received in year 1 would never be due, one
        # received in the future not yet. Every channel comes through here (desk, API, loop).
        implausible = moment_refusal(intake.received_at, oldest=CASE_OLDEST)
        if implausible:
            errors["received_at"] = implausible
    return errors


def attachments_too_big(files: list[tuple[str, int]]) -> str:
    """The count and size limits, on (name, size) pairs: checked on an upload's metadata before
    anything is read into memory, and again on what was read."""
    limit = settings.HAILONG_CASE_ATTACHMENT_MAX_BYTES
    if len(files) > settings.HAILONG_CASE_ATTACHMENT_MAX_COUNT:
        return _("Attach at most %(n)d files.") % {"n": settings.HAILONG_CASE_ATTACHMENT_MAX_COUNT}
    for name, size in files:
        if size > limit:
            return _("“%(name)s” is larger than %(mb)d MB.") % {
                "name": name,
                "mb": limit // (1024 * 1024),
            }
    return ""


def check_attachments(uploads: list[Upload]) -> str:
    too_big = attachments_too_big([(u.name, len(u.data)) for u in uploads])
    if too_big:
        return too_big
    for upload in uploads:
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        signatures = ATTACHMENT_SIGNATURES.get(suffix)
        if signatures is None:
            return _("“%(name)s” is not accepted: attach PDF, JPG, PNG, Word or Excel files.") % {
                "name": upload.name
            }
        if not upload.data.startswith(signatures):
            return _("“%(name)s” is not a real %(type)s file.") % {
                "name": upload.name,
                "type": suffix.upper(),
            }
    return ""
