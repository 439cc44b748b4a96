from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "faro.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from faro.core.audit import register_action_labels

        register_action_labels(
            {
                "accounts.user.role_granted": _("Role given"),
                "accounts.user.role_nominated": _("Role nominated, waiting for approval"),
                "accounts.user.role_approved": _("Role approved"),
                "accounts.user.role_refused": _("Role not approved"),
                "accounts.user.role_ended": _("Role ended"),
                "accounts.user.role_changed": _("Role changed"),
                "accounts.user.deactivated": _("Account deactivated"),
                "accounts.invitation.sent": _("Invitation sent"),
                "accounts.invitation.resent": _("Invitation re-sent"),
                "accounts.invitation.withdrawn": _("Invitation withdrawn"),
                "accounts.invitation.accepted": _("Invitation accepted"),
            }
        )
