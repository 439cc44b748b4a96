"""Users log in by email; what they may see comes from their role assignments."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from faro.core.models import TimeStampedModel
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

        return Authenticator.objects.filter(user=self).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()

    @property
    def preferred_language(self) -> str | None:
        return self.person.preferred_language if self.person_id and self.person else None

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignment(TimeStampedModel):
    """One role of one user, scoped to an institution (partners) or a member state (focal points)."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Secretariat staff")
        PARTNER = "partner", _("Partner coordinator")
        FOCAL_POINT = "focal_point", _("National focal point")
        REVIEWER = "reviewer", _("Reviewer")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
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
            models.UniqueConstraint(fields=["user", "role", "institution", "member_state"], name="role_unique"),
        ]

    def __str__(self) -> str:
        scope = self.institution or self.member_state
        return f"{self.user}: {self.get_role_display()}" + (f" ({scope})" if scope else "")
