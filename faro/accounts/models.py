"""Users log in by email; what they may see comes from their role assignments, in force on the day."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.core.models import TimeStampedModel

if TYPE_CHECKING:
    from faro.directory.models import Institution, MemberState
from faro.lib.text import normalise_email


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        user = self.model(email=normalise_email(email) or "", **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def for_user(self, user: "User | AnonymousUser") -> "models.QuerySet[User]":
        """Accounts as the back office sees them: staff see every account, anyone else none."""
        from faro.accounts.scope import scope_for

        return self.all() if scope_for(user).is_staff else self.none()

    def with_role(
        self,
        role: str,
        *,
        member_state: "MemberState | None" = None,
        institution: "Institution | None" = None,
        day: datetime.date | None = None,
    ) -> "models.QuerySet[User]":
        """Active users holding `role` in force on `day` (default today), optionally for one scope."""
        roles = RoleAssignment.objects.in_force(day).filter(role=role)
        if member_state is not None:
            roles = roles.filter(member_state=member_state)
        if institution is not None:
            roles = roles.filter(institution=institution)
        return self.filter(is_active=True, pk__in=roles.values("user"))


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    person = models.OneToOneField(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_any_case")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def has_two_factor(self) -> bool:
        """An authenticator app or a passkey (recovery codes alone do not count)."""
        from allauth.mfa.models import Authenticator

        has_one: bool = Authenticator.objects.filter(user=self).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()
        return has_one

    @property
    def preferred_language(self) -> str | None:
        return self.person.preferred_language if self.person_id and self.person else None

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def in_force(self, day: datetime.date | None = None) -> "RoleAssignmentQuerySet":
        """Roles that give access on `day` (default today): approved, started, not ended, and — for a
        focal point — while the appointment it follows is current."""
        # UTC's date, not the viewer's: a role granted "today" in UTC (the demo, a command) is in force
        # for a viewer in the Americas, whose local date is still yesterday in the early UTC hours.
        day = day or timezone.now().date()
        appointment_current = models.Q(appointment__start__lte=day) & (
            models.Q(appointment__end__isnull=True) | models.Q(appointment__end__gte=day)
        )
        return self.filter(
            models.Q(approval=RoleAssignment.Approval.APPROVED),
            models.Q(starts_on__lte=day),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=day),
            models.Q(appointment__isnull=True) | appointment_current,
        )

    def open(self) -> "RoleAssignmentQuerySet":
        """Roles not ended by hand (they may still wait for approval, start later or follow an appointment)."""
        return self.filter(ends_on__isnull=True).exclude(approval=RoleAssignment.Approval.REFUSED)

    def pending(self) -> "RoleAssignmentQuerySet":
        return self.filter(approval=RoleAssignment.Approval.PENDING, ends_on__isnull=True)

    def for_user(self, user: "User | AnonymousUser") -> "RoleAssignmentQuerySet":
        """Staff see every role; partners the coordinator roles of their institutions; focal points the
        focal-point roles of their states (their own nominations among them); anyone else their own."""
        from faro.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(user_id=scope.user_id or 0)
        visible |= models.Q(role=RoleAssignment.Role.PARTNER, institution_id__in=scope.institution_ids)
        visible |= models.Q(role=RoleAssignment.Role.FOCAL_POINT, member_state_id__in=scope.member_state_ids)
        return self.filter(visible)


class ScopedRole(TimeStampedModel):
    """What a role held and a role offered share: the role, its scope (an institution for partners,
    a member state for focal points), a reviewer's calls, the first day, and how it reads."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Secretariat staff")
        PARTNER = "partner", _("Partner coordinator")
        FOCAL_POINT = "focal_point", _("National focal point")
        REVIEWER = "reviewer", _("Reviewer")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    institution = models.ForeignKey(
        "directory.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    member_state = models.ForeignKey(
        "directory.MemberState",
        verbose_name=_("member state"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    call_ids = models.JSONField(
        _("calls to review"), default=list, blank=True, help_text=_("Reviewers only; empty means every call.")
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        """The role and its scope, e.g. "National focal point (Paraguay)"."""
        scope = self.institution or self.member_state
        return str(self.get_role_display()) + (f" ({scope})" if scope else "")


class RoleAssignment(ScopedRole):
    """One role of one user, scoped to an institution (partners) or a member state (focal points).

    A role gives access from `starts_on` until `ends_on` (that day excluded), once approved; a
    focal point's role also follows its `appointment`, so ending the appointment ends the role.
    """

    class Approval(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Waiting for the Secretariat's approval")
        REFUSED = "refused", _("Not approved")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    appointment = models.ForeignKey(
        "directory.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("From this day on the role gives no access.")
    )
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approval = models.CharField(_("approval"), max_length=10, choices=Approval.choices, default=Approval.APPROVED)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(institution__isnull=False),
                name="partner_role_needs_institution",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="focal_point") | models.Q(member_state__isnull=False),
                name="focal_point_role_needs_member_state",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "institution", "member_state"],
                condition=models.Q(ends_on__isnull=True),
                name="open_role_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="role_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.label}"

    def is_in_force(self, day: datetime.date | None = None) -> bool:
        return RoleAssignment.objects.in_force(day).filter(pk=self.pk).exists()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def for_user(self, user: "User | AnonymousUser") -> "InvitationQuerySet":
        """Staff see every invitation; anyone else the ones they sent."""
        from faro.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(invited_by_id=scope.user_id or 0)

    def open(self, now: datetime.datetime | None = None) -> "InvitationQuerySet":
        """Invitations that can still be accepted."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=now or timezone.now())


class Invitation(ScopedRole):
    """An emailed, single-use, expiring offer of a role. Only a digest of the link's token is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("invitation status", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("invitation status", "Accepted")
        WITHDRAWN = "withdrawn", pgettext_lazy("invitation status", "Withdrawn")

    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs_approval = models.BooleanField(_("needs the Secretariat's approval"), default=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    role_assignment = models.ForeignKey(
        RoleAssignment, verbose_name=_("role"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at"]
        indexes = [models.Index(Lower("email"), name="invitation_email_any_case")]

    def __str__(self) -> str:
        return f"{self.email}: {self.label}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= (now or timezone.now())

    @property
    def state_label(self) -> str:
        return (
            str(pgettext_lazy("invitation status", "Expired")) if self.is_expired() else str(self.get_status_display())
        )
