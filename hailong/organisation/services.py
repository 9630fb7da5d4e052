"""Writes to the organisation. Each is atomic and leaves an audit row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from hailong.core.audit import audit_record, snapshot
from hailong.organisation.models import Service, ServicePoint, Staff, Unit


def _path_for(unit: Unit) -> tuple[str, int]:
    if unit.parent is None:
        return f"/{unit.pk}/", 0
    return f"{unit.parent.path}{unit.pk}/", unit.parent.depth + 1


def unit_validate_parent(*, unit: Unit, parent: Unit | None) -> None:
    """A unit cannot be placed under itself or under one of its own descendants."""
    if parent is None or unit.pk is None:
        return
    if parent.pk == unit.pk or (unit.path and parent.path.startswith(unit.path)):
        raise ValidationError(
            {"parent": _("A unit cannot be placed under itself or one of its own sub-units.")}
        )


@transaction.atomic
def unit_save(*, unit: Unit, actor: Staff | None, before: dict | None = None) -> Unit:
    """Create or update a unit and keep the materialised paths of its subtree in step.

    `before` is the snapshot taken when the edit form was loaded (the admin passes it); when
    omitted it is read from the database."""
    if unit.pk is not None and before is None:
        before = snapshot(Unit.objects.filter(pk=unit.pk).first())
    if unit.parent_id:
        unit.parent = Unit.objects.select_for_update().get(pk=unit.parent_id)
    unit_validate_parent(unit=unit, parent=unit.parent)
    old_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first() or ""
    old_depth = unit.depth
    unit.save()
    new_path, new_depth = _path_for(unit)
    if new_path != unit.path:
        Unit.objects.filter(pk=unit.pk).update(path=new_path, depth=new_depth)
        if old_path:
            # Move the whole subtree in one UPDATE: replace the old prefix by the new one.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (new_depth - old_depth),
            )
        unit.path, unit.depth = new_path, new_depth
    audit_record(
        actor=actor,
        action="unit.update" if before else "unit.create",
        target=unit,
        before=before,
        after=snapshot(unit),
    )
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, actor: Staff | None) -> None:
    if unit.children.exists():
        raise ValidationError(_("This unit has sub-units; move or delete them first."))
    before = snapshot(unit)
    audit_record(actor=actor, action="unit.delete", target=unit, before=before)
    unit.delete()


@transaction.atomic
def record_save(
    *, instance, actor: Staff | None, action: str, before: dict | None = None, save_m2m=None
):
    """Save a plain organisation record (procedure, service point, staff member, field) and
    audit it. `save_m2m` is the form's callback for many-to-many fields, called before the
    after-snapshot so the audit row shows the final relations."""
    if instance.pk is not None and before is None:
        before = snapshot(type(instance).objects.filter(pk=instance.pk).first())
    instance.save()
    if save_m2m is not None:
        save_m2m()
    audit_record(
        actor=actor,
        action=f"{action}.update" if before else f"{action}.create",
        target=instance,
        before=before,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def record_delete(*, instance, actor: Staff | None, action: str) -> None:
    audit_record(actor=actor, action=f"{action}.delete", target=instance, before=snapshot(instance))
    instance.delete()


def service_point_save(*, point: ServicePoint, actor: Staff | None, before=None) -> ServicePoint:
    return record_save(instance=point, actor=actor, action="service_point", before=before)


def service_save(*, service: Service, actor: Staff | None, before=None, save_m2m=None) -> Service:
    return record_save(
        instance=service, actor=actor, action="service", before=before, save_m2m=save_m2m
    )


@transaction.atomic
def staff_change_password(*, form, actor: Staff) -> Staff:
    """Save a validated password-change form; the audit row never holds the password."""
    user = form.save()
    audit_record(actor=actor, action="auth.password_change", target=user)
    return user


@transaction.atomic
def staff_unlock(*, username: str, actor: Staff) -> int:
    """Lift a sign-in lockout before its cool-off ends (the administrator checked it was the
    person themself)."""
    from axes.utils import reset

    from hailong.organisation.signin import signin_slowdown_reset

    removed = reset(username=username)  # at every address
    signin_slowdown_reset(username=username)
    audit_record(
        actor=actor,
        action="auth.unlock",
        target=Staff.objects.filter(username=username).first(),
        after={"username": username},
    )
    return removed
