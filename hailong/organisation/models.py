from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from hailong.core.text import fold_for_search, vietnamese_sort_string


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province / city")
    COMMUNE = "commune", _("Commune / ward / special zone")
    AGENCY = "agency", _("Agency (People's Committee, department)")
    DEPARTMENT = "department", _("Division / office")
    ONE_STOP = "one_stop", _("One-stop desk")
    RECEPTION = "reception", _("Citizen reception unit")
    OTHER = "other", _("Other unit")


class Unit(models.Model):  # đơn vị: tỉnh, xã, sở, phòng, bộ phận một cửa, tiếp công dân
    """A node of the organisation tree. Vietnam reorganised local government in 2025 (two
    levels), so the tree is data of any depth that an administrator edits.

    `path` is a materialised path of primary keys ("/1/4/9/"), maintained by
    `organisation.services.unit_save`, so that "this unit and everything under it" is one
    indexed prefix query however deep the tree is."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        allow_unicode=False,
        help_text=_("Short code used in files and imports, e.g. PTP or XA-TRIAN."),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Địa danh: the place written before the date of the documents the unit issues (NĐ
    # 30/2020, Phụ lục I: the name of the administrative unit where the body has its seat,
    # e.g. "Vĩnh Cửu, ngày 01 tháng 12 năm 2026"). Data, not guessed from the name: "Phòng Tư
    # pháp" names no place. Blank takes the unit above's (`place_name_of`), so the agency's
    # one value serves its departments.
    place_name = models.CharField(
        _("place name"),
        max_length=100,
        blank=True,
        help_text=_(
            "Written before the date of the documents it issues (e.g. Vĩnh Cửu). "
            "Leave blank to use the unit above's."
        ),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code.upper()  # codes are compared without case in files and imports
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def place_name_of(self) -> str:
        """The place name of this unit or, if blank, of the nearest unit above with one ("" when
        none has)."""
        if self.place_name:
            return self.place_name
        ids = [int(pk) for pk in self.path.strip("/").split("/") if pk][:-1]
        names = dict(
            Unit.objects.filter(pk__in=ids).exclude(place_name="").values_list("pk", "place_name")
        )
        return next((names[pk] for pk in reversed(ids) if pk in names), "")

    def is_within(self, other: Unit) -> bool:
        """True if this unit is `other` or lies in its subtree."""
        return bool(other.path) and self.path.startswith(other.path)


class ServiceField(models.Model):  # lĩnh vực
    name = models.CharField(_("name"), max_length=150, unique=True)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TimeLimitKind(models.TextChoices):
    WORKING = "working", _("working days")
    CALENDAR = "calendar", _("calendar days (weekends and holidays included)")


class Service(models.Model):  # thủ tục hành chính (TTHC)
    code = models.CharField(
        _("national code"),
        max_length=30,
        unique=True,
        help_text=_("Code in the national database of administrative procedures, e.g. 1.001193."),
    )
    # Official names of land procedures run past 500 characters.
    name = models.CharField(_("name"), max_length=1000)
    field = models.ForeignKey(
        ServiceField, verbose_name=_("field"), on_delete=models.PROTECT, related_name="services"
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("responsible units"), related_name="services", blank=True
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("legal time limit (days)"),
        null=True,
        blank=True,
        help_text=_("0 means the same day; empty when the law sets none."),
    )
    time_limit_kind = models.CharField(
        _("counted in"), max_length=10, choices=TimeLimitKind.choices, default=TimeLimitKind.WORKING
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Code and name without diacritics, lower-case: lets "dang ky khai sinh" find the procedure
    # (people type without accents on phones and unfamiliar keyboards).
    search_text = models.TextField(editable=False, default="")
    # The name's Vietnamese alphabetical key (core.text.vietnamese_sort_string), so lists of
    # procedures are ordered as people expect on SQLite and PostgreSQL alike.
    sort_name = models.CharField(max_length=500, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["sort_name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        # A derived column of this row only, kept in step on every save whoever saves.
        # The field's name too ("dat dai" finds every land procedure) and the code without its
        # dots (people type 1001193 for 1.001193).
        field_name = self.field.name if self.field_id else ""
        self.search_text = fold_for_search(
            f"{self.code} {self.code.replace('.', '')} {self.name} | {field_name}"
        )
        self.sort_name = vietnamese_sort_string(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "name", "field"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text", "sort_name"}
        super().save(*args, **kwargs)


class ServicePointKind(models.TextChoices):
    COUNTER = "counter", _("Counter")
    KIOSK = "kiosk", _("Kiosk / tablet")
    DESK = "desk", _("Reception desk")


class ServicePoint(models.Model):  # quầy, ki-ốt đánh giá
    """Where citizens are served: a counter or a kiosk device of a unit. Later used for QR codes
    and kiosk device tokens."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="service_points"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=10, choices=ServicePointKind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    services = models.ManyToManyField(
        Service,
        verbose_name=_("procedures received here"),
        related_name="service_points",
        blank=True,
        help_text=_(
            "Leave empty for every procedure of the unit, the units below it and above it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["unit__path", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit.display_name})"

    def save(self, *args, **kwargs):
        self.code = self.code.lower()  # it appears in QR links: "MC-Q1" and "mc-q1" are one point
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SECRETARY = "secretary", _("Quality secretary")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Reception clerk")
    OFFICER = "officer", _("Unit officer")


class StaffManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Staff(AbstractUser):  # cán bộ, công chức
    """A person who signs in. What they may do follows from `role`; what they may see follows
    from `units` (each with its subtree), answered by `selectors.units_visible_to`."""

    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("scope (units)"),
        related_name="staff",
        blank=True,
        help_text=_("The units this person works for; each includes the units below it."),
    )

    objects = StaffManager()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser
