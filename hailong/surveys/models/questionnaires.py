"""Questionnaires are versioned data (HD.07 step 1: methods and programmes are adjusted over
time). A published version is immutable: every response points at the exact version, and so
the exact wording, it was given. Editing a published questionnaire makes a new draft."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def bilingual(vi: str, en: str) -> str:
    """The text in the active language; Vietnamese when there is no English text."""
    if translation.get_language() == "en" and en:
        return en
    return vi


class Questionnaire(models.Model):  # bộ câu hỏi / phiếu khảo sát
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # ISO document control: the form's code as printed (e.g. BM.HD07.01).
    form_code = models.CharField(_("form code"), max_length=40, blank=True)
    is_builtin = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    intro_vi = models.TextField(_("introduction (Vietnamese)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    consent_vi = models.TextField(_("consent text (Vietnamese)"), blank=True)
    consent_en = models.TextField(_("consent text (English)"), blank=True)
    # Document control printed on paper forms: lần ban hành, ngày ban hành.
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    change_note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="uniq_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def title(self) -> str:
        return bilingual(self.title_vi, self.title_en)

    @property
    def intro(self) -> str:
        return bilingual(self.intro_vi, self.intro_en)

    @property
    def consent(self) -> str:
        return bilingual(self.consent_vi, self.consent_en)


class Section(models.Model):  # yếu tố (element)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_section_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title_vi}"

    @property
    def title(self) -> str:
        return bilingual(self.title_vi, self.title_en)


class ItemKind(models.TextChoices):
    SCALE5 = "scale5", _("5-point satisfaction scale")
    RATING3 = "rating3", _("3-level rating")
    YES_NO = "yes_no", _("Yes / no")
    SINGLE = "single", _("Single choice")
    MULTI = "multi", _("Multiple choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Item(models.Model):  # tiêu chí (criterion) or question
    """One question. Its `code` is stable across versions (TC1 stays TC1), so results of
    different versions can be compared item by item."""

    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    text_vi = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_na = models.BooleanField(
        _("allows “not applicable”"),
        default=False,
        help_text=_("Shows a “Không áp dụng” choice; such answers are left out of indices."),
    )
    is_profile = models.BooleanField(_("respondent profile"), default=False)
    is_overall = models.BooleanField(
        _("overall satisfaction"),
        default=False,
        help_text=_("The question whose answer says how satisfied the person is overall."),
    )
    min_value = models.IntegerField(
        _("smallest number"), null=True, blank=True, help_text=_("For number questions.")
    )
    max_value = models.IntegerField(
        _("largest number / most choices"),
        null=True,
        blank=True,
        help_text=_("For number questions; for multiple choice, how many may be ticked."),
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="uniq_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text_vi[:60]}"

    @property
    def text(self) -> str:
        return bilingual(self.text_vi, self.text_en)

    @property
    def is_scored(self) -> bool:
        return self.kind in (ItemKind.SCALE5, ItemKind.RATING3)


class Option(models.Model):
    """A choice of an item. Scales carry their labels as options too (labels are editable:
    some kiosks say "Không hài lòng" where TT 32/2017 says "Chưa hài lòng")."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=20)
    value = models.IntegerField(_("value"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="uniq_option_code")]

    def __str__(self) -> str:
        return self.label_vi

    @property
    def label(self) -> str:
        return bilingual(self.label_vi, self.label_en)
