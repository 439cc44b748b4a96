from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.certificates.models import CertificateTemplate, EligibilityOverride
from faro.certificates.services import LOGO_KINDS, LOGO_MAX_BYTES
from faro.core.fields import TranslatedFormField
from faro.directory.models import Person
from faro.lib.collation import collate_field
from faro.lib.uploads import UploadField, limit_text


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("Twelve letters and digits, as printed on the certificate, e.g. ABCD-EFGH-JKMN."),
    )


class CredentialCheckForm(forms.Form):
    """A credential Faro issued, pasted or uploaded (.jwt or .jsonld), to check as a verifier would."""

    MAX_BYTES = 300_000

    credential = forms.CharField(
        label=_("Credential"),
        required=False,
        max_length=MAX_BYTES,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Paste the signed credential (VC-JWT or JSON-LD) you downloaded from Faro."),
    )
    file = forms.FileField(
        label=_("Or choose the credential file (.jwt or .jsonld)"),
        required=False,
        help_text=lazy(limit_text, str)(MAX_BYTES),  # the size limit, stated on the page
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("This file is too large to be a credential."))
            try:
                data["credential"] = upload.read().decode("utf-8").strip()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("This file is not a credential (it is not text).")) from None
        if not data.get("credential"):
            raise forms.ValidationError(_("Paste a credential or choose its file."))
        return data


class TemplateForm(forms.ModelForm[CertificateTemplate]):
    class Meta:
        model = CertificateTemplate
        fields = ["name", "kind", "is_default", "heading", "body", "validity_months"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        collate_field(self.fields["kind"])


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    title = TranslatedFormField(label=pgettext_lazy("job title", "Title"), max_length=160)


class LogoForm(forms.Form):
    label = forms.CharField(label=_("Institution"), max_length=160)
    image = UploadField(label=_("Logo (PNG or JPEG)"), allowed=LOGO_KINDS, max_bytes=LOGO_MAX_BYTES)


class BulkIssueForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=CertificateTemplate.objects.none())

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CertificateTemplate.objects.filter(kind=kind)
        field.initial = field.queryset.filter(is_default=True).first()


class OverrideForm(forms.Form):
    email = forms.EmailField(label=_("Person's email"))
    action = forms.ChoiceField(label=_("Action"), choices=EligibilityOverride.Action.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def clean_email(self) -> Person:
        person = Person.objects.with_email(self.cleaned_data["email"]).first()
        if person is None:
            raise forms.ValidationError(_("No one in the directory has this email."))
        return person


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=_("Corrected name"), max_length=200)
