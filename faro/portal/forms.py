"""Forms of the portal: news posts, profiles, mailings and their segments."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faro.accounts.models import RoleAssignment
from faro.core.fields import TranslatedFormField
from faro.directory.models import Appointment, Institution, MemberState, PriorityArea, Region, Topic
from faro.lib.collation import CollatedModelMultipleChoiceField, collated, language_choices, sorted_by_name
from faro.lib.uploads import UploadField, reencode_image
from faro.portal.activity_queries import current_priority_areas, topic_choices
from faro.portal.activity_sources import KIND_LABELS, sources
from faro.portal.models import Interest, Mailing, NewsPost

MAX_IMAGE_BYTES = 3 * 1024 * 1024


class NewsPostForm(forms.ModelForm[NewsPost]):
    image = UploadField(label=_("image"), required=False, allowed={"png", "jpeg"}, max_bytes=MAX_IMAGE_BYTES)
    publish_at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to keep the post as a draft."),
    )

    class Meta:
        model = NewsPost
        fields = ["title", "summary", "body", "image", "image_alt", "publish_at"]

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            reencode_image(image)  # refuses what Pillow cannot decode; the service stores the re-encoded copy
            image.seek(0)
        return image

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("image") and not data.get("image_alt"):
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


class ProfileForm(forms.Form):
    priority_areas = CollatedModelMultipleChoiceField(
        label=_("Priority areas"),
        queryset=PriorityArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Languages I work in"), choices=language_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    wants = forms.MultipleChoiceField(
        label=_("Tell me about"),
        choices=collated(Interest.choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mailings_consent = forms.BooleanField(
        label=_("I agree to receive mailings from the CIP Secretariat, as the privacy notice explains."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority_areas"].queryset = PriorityArea.objects.filter(  # type: ignore[attr-defined]  # self.fields types each field as forms.Field
            pk__in=[a.pk for a in current_priority_areas()]
        )
        self.fields["topics"].choices = topic_choices()  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    def topic_objects(self) -> list[Topic]:
        return list(Topic.objects.filter(slug__in=self.cleaned_data["topics"]))


def segment_role_choices() -> list[tuple[str, str]]:
    return [
        (Appointment.Role.FOCAL_POINT.value, str(Appointment.Role.FOCAL_POINT.label)),
        (Appointment.Role.PRINCIPAL_DELEGATE.value, str(Appointment.Role.PRINCIPAL_DELEGATE.label)),
        (Appointment.Role.ALTERNATE.value, str(Appointment.Role.ALTERNATE.label)),
        (RoleAssignment.Role.PARTNER.value, str(RoleAssignment.Role.PARTNER.label)),
        (RoleAssignment.Role.REVIEWER.value, str(RoleAssignment.Role.REVIEWER.label)),
    ]


def _label(choice: tuple[Any, str]) -> str:
    return choice[1]


def _multi(label: Any, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple, **kwargs)


class MailingForm(forms.Form):
    """The message in four languages and the segment it goes to."""

    subject = TranslatedFormField(label=_("Subject"), max_length=200)
    body = TranslatedFormField(label=_("Message"), multiline=True)
    category = forms.ChoiceField(
        label=_("Kind of mailing"),
        choices=collated(Interest.choices),
        help_text=_("Only people who want to hear about this receive it."),
    )
    everyone = forms.BooleanField(label=_("Everyone who accepts this kind of mailing"), required=False)
    member_states = _multi(_("Member states"))
    regions = _multi(_("Regions"))
    institution_kinds = _multi(_("Kinds of institution"), choices=collated(Institution.Kind.choices))
    roles = _multi(_("Roles"))
    priority_areas = _multi(_("Interested in these priority areas"))
    topics = _multi(_("Interested in these topics"))
    programmes = _multi(_("Past participants of"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[Any, str]]] = {
            "member_states": sorted_by_name(((s.code, s.name) for s in MemberState.objects.all()), _label),
            "regions": sorted_by_name(
                ((str(r.pk), f"{r.scheme} — {r}") for r in Region.objects.select_related("scheme")), _label
            ),
            "roles": sorted_by_name(segment_role_choices(), _label),
            "priority_areas": [(str(a.pk), f"{a.number}. {a}") for a in current_priority_areas()],
            "topics": topic_choices(),
            "programmes": sorted_by_name(((s.kind, str(KIND_LABELS.get(s.kind, s.kind))) for s in sources()), _label),
        }
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]  # self.fields types each field as forms.Field

    @classmethod
    def initial_for(cls, mailing: Mailing) -> dict[str, Any]:
        segment = {k: [str(v) for v in values] for k, values in mailing.segment.items() if isinstance(values, list)}
        everyone = bool(mailing.segment.get("everyone"))
        return {
            "subject": mailing.subject,
            "body": mailing.body,
            "category": mailing.category,
            "everyone": everyone,
            **segment,
        }

    def segment(self) -> dict[str, Any]:
        data = self.cleaned_data
        segment: dict[str, Any] = {"everyone": True} if data.get("everyone") else {}
        for name in ["member_states", "institution_kinds", "roles", "topics", "programmes"]:
            if data.get(name):
                segment[name] = sorted(data[name])
        for name in ["regions", "priority_areas"]:
            if data.get(name):
                segment[name] = sorted(int(v) for v in data[name])
        return segment


class BounceForm(forms.Form):
    email = forms.EmailField(label=_("Address that bounced"))
    detail = forms.CharField(
        label=_("What the mail server said"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()
