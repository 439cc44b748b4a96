from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "faro.accounts"
    label = "accounts"

    def ready(self) -> None:
        from allauth.account.signals import login_code_rejected
        from django.utils.translation import gettext_lazy as _

        from faro.accounts.adapter import count_rejected_code
        from faro.core.audit import register_action_labels

        login_code_rejected.connect(count_rejected_code, dispatch_uid="faro.accounts.count_rejected_code")

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
                "accounts.user.created": _("Account created"),
                "accounts.user.signed_up": _("Signed up"),
                "accounts.user.joined_person": _("Address proven; joined to the person record"),
                "accounts.user.logged_in": _("Signed in"),
                "accounts.user.locked_out": _("Sign-in locked after repeated failures"),
                "accounts.user.updated": _("Account details changed"),
                "accounts.user.password_set": _("Password chosen"),
            }
        )
