"""Invitations to regular customers (HD.07's "thông tin khách hàng thường xuyên"): a campaign
sends each customer a single-use link by email (or SMS through a pluggable gateway), with one
reminder; a link answers once; the campaign shows its response rate.

The link carries a signed invitation id (django.core.signing), so nothing secret is stored and
the reminder sends the same link again: it is signed without a timestamp (signing.dumps would
stamp the second of signing into it, and a reminder a week later would carry another link)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hailong.core.audit import audit_record
from hailong.core.imports import RowRejected, TableImporter, table_importer
from hailong.core.phones import phone_digits, phone_problem
from hailong.core.tabular import Problem, Row, TableError
from hailong.core.text import normalize_text
from hailong.organisation.models import Staff, Unit
from hailong.organisation.permissions import RoleGated
from hailong.organisation.scope import scope_of_units
from hailong.organisation.selectors import units_visible_to
from hailong.surveys.models import Campaign, Invitation, RegularCustomer, Response
from hailong.surveys.permissions import MANAGE_CAMPAIGNS
from hailong.surveys.selectors.customers import customers_visible_to, sees_whole_organisation

log = logging.getLogger(__name__)
SALT = "hailong.invitation"  # the first links, signed with a timestamp: they still open
LINK_SALT = "hailong.invitation.link"


def invitation_token(invitation: Invitation) -> str:
    return signing.Signer(salt=LINK_SALT).sign_object(invitation.pk, compress=True)


def invitation_for_token(token: str) -> Invitation | None:
    try:
        pk = signing.Signer(salt=LINK_SALT).unsign_object(token)
    except signing.BadSignature:
        try:
            pk = signing.loads(token, salt=SALT)  # an older link still opens
        except signing.BadSignature:
            return None
    return (
        Invitation.objects.select_related("campaign__version", "customer__unit")
        .filter(pk=pk)
        .first()
    )


def sms_log_backend(phone: str, text: str) -> None:
    """The default SMS gateway: writes the message to the log. Replace it with a provider's
    client through HAILONG_SMS_BACKEND (a dotted path to a function (phone, text))."""
    log.info("SMS to %s: %s", phone, text)


def _send(invitation: Invitation, link: str, *, reminder: bool) -> str:
    customer, campaign = invitation.customer, invitation.campaign
    with translation.override("vi"):
        subject = (_("Reminder: %(campaign)s") if reminder else _("Invitation: %(campaign)s")) % {
            "campaign": campaign.name
        }
        agency = campaign.units.order_by("path").first()
        body = _(
            "Dear %(name)s,\n\nTo improve its service, %(agency)s invites you to answer a "
            "short survey (about 3 minutes). The link works once:\n%(link)s\n\nThank you."
        ) % {"name": customer.name, "link": link, "agency": agency.name if agency else ""}
    if customer.email:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [customer.email])
        return "email"
    if customer.phone:
        import_string(settings.HAILONG_SMS_BACKEND)(customer.phone, f"{subject}: {link}")
        return "sms"
    return ""


@dataclass
class SendResult:
    sent: int = 0
    reminded: int = 0
    unreachable: int = 0


def invitations_send(
    *,
    campaign: Campaign,
    base_url: str,
    actor: Staff | None,
    remind_after: timedelta = timedelta(days=7),
) -> SendResult:
    """Invite every active customer not invited yet; remind, once, those invited more than
    `remind_after` ago who have not answered. Safe to run daily (cron)."""
    if "invitation" not in campaign.channels:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Open the “invitation” channel of the campaign first."))
    result = SendResult()
    now = timezone.now()
    # The customers of the units the campaign covers (and, when a person sends, of their
    # scope): a campaign of one unit does not write to every unit's customers.
    customers = customers_visible_to(scope_of_units(campaign.units.all()))
    if actor is not None:
        customers = customers.filter(pk__in=customers_visible_to(actor).values("pk"))
    customers = customers.filter(is_active=True).exclude(invitations__campaign=campaign)
    for customer in customers:
        with transaction.atomic():
            invitation = Invitation.objects.create(campaign=campaign, customer=customer)
            link = base_url + reverse("public:invitation", args=[invitation_token(invitation)])
            channel = _send(invitation, link, reminder=False)
            if channel:
                Invitation.objects.filter(pk=invitation.pk).update(sent_at=now, sent_by=channel)
                result.sent += 1
            else:
                result.unreachable += 1
    due = Invitation.objects.filter(
        campaign=campaign,
        answered_at__isnull=True,
        reminded_at__isnull=True,
        sent_at__lt=now - remind_after,
    )
    for invitation in due.select_related("customer", "campaign"):
        link = base_url + reverse("public:invitation", args=[invitation_token(invitation)])
        if _send(invitation, link, reminder=True):
            Invitation.objects.filter(pk=invitation.pk).update(reminded_at=now)
            result.reminded += 1
    if actor is not None and (result.sent or result.reminded):
        audit_record(
            actor=actor,
            action="invitation.send",
            target=campaign,
            after={"sent": result.sent, "reminded": result.reminded},
        )
    return result


def invitation_mark_answered(invitation: Invitation, key: str) -> None:
    response = Response.objects.filter(idempotency_key=key).first()
    Invitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(), response=response
    )


@dataclass
class InvitationRate:
    invited: int
    answered: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.answered / self.invited, 1) if self.invited else None


def invitation_rate(campaign: Campaign) -> InvitationRate:
    invitations = Invitation.objects.filter(campaign=campaign, sent_at__isnull=False)
    return InvitationRate(
        invitations.count(), invitations.filter(answered_at__isnull=False).count()
    )


COLUMNS = {
    "name": {"name", "ten", "ho_ten", "ho_va_ten"},
    "organisation": {"organisation", "organization", "to_chuc", "don_vi_cong_tac", "co_quan"},
    "email": {"email", "thu_dien_tu"},
    "phone": {"phone", "so_dien_thoai", "dien_thoai", "sdt"},
    "unit": {"unit", "ma_don_vi", "don_vi"},
}


@table_importer
class CustomersTable(RoleGated, TableImporter):
    """Regular customers from CSV/XLSX, matched by email (or, without one, by phone): good rows
    create or update customers, in one transaction, a few queries per chunk."""

    kind = "customers"
    roles = MANAGE_CAMPAIGNS

    title = gettext_lazy("Import a customer list")
    back_url = "surveys:customer_list"
    audit_action = "regular_customer.import"
    FIELDS = ("name", "organisation", "email", "phone", "unit")

    def __init__(self, *, actor, upload=None):
        super().__init__(actor=actor, upload=upload)
        self.mapping: dict[str, str | None] = {}
        self.created = self.updated = 0

    # Only the units of the importer's scope: a secretary of one unit adds and updates that
    # unit's customers, never another's (nor one served by no unit in particular, which only a
    # scope over the whole organisation sees). Read when the file is, not for a page's summary.
    @cached_property
    def units(self) -> dict[str, Unit]:
        return {u.code.upper(): u for u in units_visible_to(self.actor)}

    @cached_property
    def unit_required(self) -> bool:
        return not sees_whole_organisation(self.actor)

    def columns(self, keys: list[str]) -> None:
        self.mapping = {
            name: next((k for k in keys if k in aliases), None) for name, aliases in COLUMNS.items()
        }
        if self.mapping["name"] is None:
            raise TableError(_("Missing column(s): %(columns)s.") % {"columns": "name"})

    def empty_message(self) -> str:
        return _("The file has a header row but no customers.")

    def check_row(self, row: Row) -> dict:
        values = {n: normalize_text(row.get(k)) if k else "" for n, k in self.mapping.items()}
        problems = []
        if not values["name"]:
            problems.append(Problem(_("name missing"), _("the name is missing")))
        if not values["email"] and not values["phone"]:
            problems.append(
                Problem(
                    _("no email and no phone"), _("an email address or a phone number is needed")
                )
            )
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                problems.append(
                    Problem(
                        _("email address not valid"),
                        _("“%(value)s” is not an email address") % {"value": values["email"][:80]},
                    )
                )
        phone = phone_digits(values["phone"])
        if phone_problem(values["phone"]):
            problems.append(
                Problem(
                    _("phone number not valid"),
                    _("“%(value)s” is not a Vietnamese phone number (e.g. 0912 345 678)")
                    % {"value": values["phone"][:40]},
                )
            )
        unit = self.units.get(values["unit"].upper()) if values["unit"] else None
        if values["unit"] and unit is None:
            problems.append(
                Problem(
                    _("unit unknown or outside your scope"),
                    _("unit “%(code)s” is unknown or outside your scope")
                    % {"code": values["unit"][:40]},
                )
            )
        elif not values["unit"] and self.unit_required:
            problems.append(
                Problem(
                    _("unit missing"),
                    _(
                        "the unit code (ma_don_vi) is needed: you may add customers of your own "
                        "units only"
                    ),
                )
            )
        if problems:
            raise RowRejected(problems)
        return {
            "name": values["name"][:200],
            "organisation": values["organisation"][:200],
            "email": values["email"],
            "phone": phone[:30],
            "unit": unit,
        }

    def store(self, items: list[dict]) -> None:
        emails = {v["email"].lower() for v in items if v["email"]}
        phones = {v["phone"] for v in items if not v["email"]}
        by_email, by_phone = {}, {}
        # Matched among the customers the importer sees only: a row naming the email of
        # another unit's customer adds one of the importer's own, it never rewrites theirs.
        for customer in (
            customers_visible_to(self.actor)
            .annotate(email_key=Lower("email"))
            .filter(Q(email_key__in=emails) | Q(phone__in=phones))
        ):
            by_email.setdefault(customer.email.lower(), customer)
            by_phone.setdefault(customer.phone, customer)
        new, changed = [], {}
        for fields in items:
            index, key = (
                (by_email, fields["email"].lower())
                if fields["email"]
                else (
                    by_phone,
                    fields["phone"],
                )
            )
            customer = index.get(key)
            if customer is None:
                customer = RegularCustomer(**fields)
                new.append(customer)
                self.created += 1
            else:
                for name, value in fields.items():
                    setattr(customer, name, value)
                if customer.pk:
                    changed[customer.pk] = customer
                self.updated += 1
            # A later row of the file with the same email or phone updates this one.
            if customer.email:
                by_email[customer.email.lower()] = customer
            if customer.phone:
                by_phone.setdefault(customer.phone, customer)
        RegularCustomer.objects.bulk_create(new)
        if changed:
            RegularCustomer.objects.bulk_update(changed.values(), self.FIELDS)

    def summary(self) -> dict:
        return {"created": self.created, "updated": self.updated}

    def done_message(self, result: dict) -> str:
        return _("%(created)d customers added, %(updated)d updated.") % {
            "created": result.get("created", 0),
            "updated": result.get("updated", 0),
        }
