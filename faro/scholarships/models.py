"""Calls for scholarships, applications, endorsements, reviews, allocation outcomes and offers.

Statuses (TextChoices, queried by reports):
- `Call.Status`: draft → open → closed → endorsement → review → allocation → results_published → finished.
- `Application.Status`: draft, submitted, withdrawn.
- `Application.Endorsement`: pending, endorsed, declined (only when the call requires endorsement).
- `Outcome.Result`: awarded, waitlisted, not_selected, not_eligible, not_reviewed (the allocation, before/after
  publication; not_reviewed: it lacked the reviews the call requires, so it was neither judged nor mailed).
- `Offer.Status`: awarded (offer sent, awaiting an answer), accepted, declined, expired.
"""

import statistics
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faro.accounts.scope import scope_for
from faro.accounts.usertypes import Viewer
from faro.core.fields import TranslatedField
from faro.core.models import TimeStampedModel
from faro.core.timefmt import format_moment, zone_for
from faro.courses.models import Enrolment, run_by
from faro.lib.collation import language_names


class CallQuerySet(models.QuerySet["Call"]):
    def public(self) -> "CallQuerySet":
        """Calls anyone may see: every call that is no longer a draft."""
        return self.exclude(status=Call.Status.DRAFT)

    def for_user(self, user: Viewer) -> "CallQuerySet":
        """Staff: all; partners: calls for their institution's offerings; others: public calls."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = ~models.Q(status=Call.Status.DRAFT)
        if scope.institution_ids:
            visible |= run_by(scope.institution_ids, course="offerings__course__", offering="offerings__")
        return self.filter(visible).distinct()

    def done(self) -> "CallQuerySet":
        """Calls whose results are out (published, or the call is finished)."""
        return self.filter(status__in=[Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED])

    def managed_by(self, user: Viewer) -> "CallQuerySet":
        """Calls the user may run: staff all, partner coordinators their institution's programmes."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        return self.filter(
            run_by(scope.institution_ids, course="offerings__course__", offering="offerings__")
        ).distinct()


class Call(TimeStampedModel):
    """A call for applications (convocatoria) to one or more offerings."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", pgettext_lazy("call status", "Closed")
        ENDORSEMENT = "endorsement", _("National endorsement")
        REVIEW = "review", _("Review")
        ALLOCATION = "allocation", _("Allocation")
        RESULTS_PUBLISHED = "results_published", _("Results published")
        FINISHED = "finished", _("Finished")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean")
        MEDIAN = "median", _("Median")

    class Document(models.TextChoices):
        CV = "cv", _("Curriculum vitae")
        EMPLOYER_LETTER = "employer_letter", _("Employer's endorsement letter")
        ID = "id", _("Identity document")
        LANGUAGE_CERTIFICATE = "language_certificate", _("Language certificate")

    title = TranslatedField(_("title"))
    description = TranslatedField(_("description"), multiline=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    offerings = models.ManyToManyField("courses.Offering", verbose_name=_("offerings"), related_name="calls")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    eligible_states = models.ManyToManyField(
        "directory.MemberState", verbose_name=_("eligible member states"), blank=True, related_name="+"
    )
    eligible_regions = models.ManyToManyField(
        "directory.Region", verbose_name=_("eligible regions"), blank=True, related_name="+"
    )
    institution_kinds = models.JSONField(_("eligible institution kinds"), default=list, blank=True)
    position_levels = models.JSONField(_("eligible position levels"), default=list, blank=True)
    languages = models.JSONField(_("languages of the call"), default=list, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    requires_endorsement = models.BooleanField(_("requires national endorsement"), default=True)
    country_cap = models.PositiveIntegerField(_("awards per member state per offering"), null=True, blank=True)
    country_cap_total = models.PositiveIntegerField(_("awards per member state in the call"), null=True, blank=True)
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=2)
    aggregation = models.CharField(_("score aggregation"), max_length=10, choices=Aggregation.choices, default="mean")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    endorsement_deadline = models.DateTimeField(_("endorsement deadline"), null=True, blank=True)
    results_on = models.DateField(_("results"))
    offer_days = models.PositiveSmallIntegerField(_("days to accept an offer"), default=7)
    accept_by = models.DateTimeField(_("accept by"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opens"
            ),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="call_end_after_start"),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("scholarships:call", args=[self.pk])

    def is_open_on(self, moment: Any = None) -> bool:
        moment = moment or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= moment < self.closes_at

    def deadline_passed(self, moment: Any = None) -> bool:
        """Still open but past its deadline: applications are refused before the scheduled job closes it."""
        return self.status == self.Status.OPEN and (moment or timezone.now()) >= self.closes_at

    @property
    def is_in_review(self) -> bool:
        return self.status == self.Status.REVIEW

    @property
    def is_in_allocation(self) -> bool:
        return self.status == self.Status.ALLOCATION

    @property
    def has_results_published(self) -> bool:
        return self.status == self.Status.RESULTS_PUBLISHED

    def next_status(self) -> str | None:
        order = list(self.Status.values)
        index = order.index(self.status)
        following = order[index + 1] if index + 1 < len(order) else None
        if following == self.Status.ENDORSEMENT and not self.requires_endorsement:
            return self.Status.REVIEW
        return following


class Criterion(models.Model):
    """One weighted criterion of a call's review rubric; scores run from 0 to `max_score`."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = TranslatedField(_("name"))
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal(1))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["call", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return str(self.name)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_user(self, user: Viewer) -> "ApplicationQuerySet":
        """Staff: all; partners: their programmes'; focal points: their state's submitted ones;
        reviewers: those assigned to them; participants: their own."""
        scope = scope_for(user)
        if scope.is_staff:
            return self.all()
        visible = models.Q(person_id=scope.person_id) if scope.person_id else models.Q(pk__in=[])
        if scope.institution_ids:
            programmes = run_by(scope.institution_ids, course="call__offerings__course__", offering="call__offerings__")
            visible |= programmes & ~models.Q(status=Application.Status.DRAFT)
        if scope.member_state_ids:
            visible |= models.Q(person__member_state_id__in=scope.member_state_ids) & ~models.Q(
                status=Application.Status.DRAFT
            )
        if scope.is_reviewer and scope.user_id:
            visible |= models.Q(reviews__reviewer_id=scope.user_id)
        return self.filter(visible).distinct()

    def own(self, user: Viewer) -> "ApplicationQuerySet":
        """The user's own applications, the only ones their applicant pages show (none without a person).
        The same rows `for_user` gives them as the applicant, without working out their roles."""
        return self.filter(person_id=getattr(user, "person_id", None) or 0)

    def with_document_kinds(self) -> "ApplicationQuerySet":
        """Annotated with `has_<kind>` for each kind of document, whether one is uploaded (see
        `Application.read_document_kinds`), in the same query."""
        uploaded = ApplicationDocument.objects.filter(application=models.OuterRef("pk"))
        return self.annotate(
            **{f"has_{kind}": models.Exists(uploaded.filter(kind=kind)) for kind in Call.Document.values}
        )

    def submitted(self) -> "ApplicationQuerySet":
        return self.filter(status=Application.Status.SUBMITTED)

    def still_open(self) -> "ApplicationQuerySet":
        """Drafts and submitted applications of calls whose results are not out yet."""
        undecided = self.filter(status__in=[Application.Status.DRAFT, Application.Status.SUBMITTED])
        return undecided.exclude(call__in=Call.objects.done())

    def unsuccessful(self) -> "ApplicationQuerySet":
        """Applications of calls whose results are out that hold no accepted offer."""
        held = Offer.objects.accepted().filter(application=models.OuterRef("pk"))
        return self.filter(call__in=Call.objects.done()).exclude(models.Exists(held))

    def reviewable(self) -> "ApplicationQuerySet":
        """Submitted and, when the call requires it, endorsed: the applications reviewers score."""
        endorsed = models.Q(call__requires_endorsement=False) | models.Q(endorsement=Application.Endorsement.ENDORSED)
        return self.submitted().filter(endorsed)

    def with_review_counts(self) -> "ApplicationQuerySet":
        """Annotated with `reviews_submitted` and `reviews_assigned` (counted in the database)."""
        return self.annotate(
            reviews_submitted=models.Count("reviews", filter=models.Q(reviews__submitted_at__isnull=False)),
            reviews_assigned=models.Count("reviews"),
        )

    def review_incomplete(self) -> "ApplicationQuerySet":
        """Reviewable applications with fewer submitted reviews than their call requires."""
        return (
            self.reviewable()  # type: ignore[misc]  # an annotation
            .with_review_counts()
            .filter(reviews_submitted__lt=models.F("call__reviews_per_application"))
        )

    def endorsement_by_state(self) -> list[dict[str, Any]]:
        """Per member state of the submitted applications: how many, and how many awaiting, endorsed,
        not endorsed and ranked — what the Secretariat chases focal points with. Counted in the database."""
        E = Application.Endorsement
        rows = (
            self.submitted()
            .values("person__member_state")
            .annotate(
                total=models.Count("pk"),
                pending=models.Count("pk", filter=models.Q(endorsement=E.PENDING)),
                endorsed=models.Count("pk", filter=models.Q(endorsement=E.ENDORSED)),
                declined=models.Count("pk", filter=models.Q(endorsement=E.DECLINED)),
                ranked=models.Count("pk", filter=models.Q(endorsement_rank__isnull=False)),
            )
            .order_by("-pending", "person__member_state")
        )
        return [dict(row) for row in rows]


class Application(TimeStampedModel):
    """One person's application to one call (at most one per person per call)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")

    class Endorsement(models.TextChoices):
        PENDING = "pending", _("Awaiting endorsement")
        ENDORSED = "endorsed", _("Endorsed")
        DECLINED = "declined", _("Not endorsed")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="applications")
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    motivation = models.TextField(_("motivation"), blank=True)
    spoken_languages = models.JSONField(_("languages I work in"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    endorsement = models.CharField(
        _("endorsement"), max_length=10, choices=Endorsement.choices, default=Endorsement.PENDING
    )
    endorsement_reason = models.TextField(_("endorsement note"), blank=True)
    endorsement_rank = models.PositiveSmallIntegerField(_("national rank"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merit = models.DecimalField(_("merit"), max_digits=7, decimal_places=3, null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="one_application_per_person_per_call")]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.call}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    def get_absolute_url(self) -> str:
        return reverse("scholarships:application", args=[self.pk])

    def reviews_complete(self) -> bool:
        """Whether the application has the submitted reviews its call requires (and so a merit)."""
        submitted = getattr(self, "reviews_submitted", None)
        if submitted is None:
            submitted = self.reviews.filter(submitted_at__isnull=False).count()
        required = self.call.reviews_per_application
        return submitted >= required and (self.merit is not None or required == 0)

    def ranked_offerings(self) -> list[Any]:
        return [choice.offering for choice in self.choices.select_related("offering__course")]

    def progress(self) -> str:
        """Where the application stands, in the applicant's words (one line of their list).

        Reads `call`, `outcome` and `offers`: select or prefetch them for a list. The allocation's
        outcome shows only once the results are published."""
        call, E = self.call, Application.Endorsement
        if self.status == Application.Status.WITHDRAWN:
            return str(self.get_status_display())
        if self.status == Application.Status.DRAFT:
            if not call.is_open_on():
                return str(_("Draft, not submitted: the deadline has passed"))
            deadline = format_moment(call.closes_at, zone_for(self.person))
            return str(_("Draft: submit it by %(deadline)s")) % {"deadline": deadline}
        endorsing = {Call.Status.OPEN, Call.Status.CLOSED, Call.Status.ENDORSEMENT}
        if call.requires_endorsement and self.endorsement != E.ENDORSED:
            if self.endorsement == E.PENDING and call.status in endorsing:
                return str(_("Submitted, awaiting national endorsement"))
            return str(_("Not endorsed by your national focal point"))
        if call.status not in {Call.Status.RESULTS_PUBLISHED, Call.Status.FINISHED}:
            return str(_("Submitted, under review"))
        offers = list(self.offers.all())
        awaiting = [offer for offer in offers if offer.status == Offer.Status.AWARDED]
        if awaiting:
            deadline = format_moment(awaiting[0].accept_by, zone_for(self.person))
            return str(_("Scholarship offered: answer by %(deadline)s")) % {"deadline": deadline}
        if offers:
            return "; ".join(f"{offer.offering.course}: {offer.get_status_display()}" for offer in offers)
        outcome = getattr(self, "outcome", None)
        return outcome.get_result_display() if outcome else str(_("Submitted, under review"))

    def languages(self) -> set[str]:
        return {self.person.preferred_language, *self.spoken_languages}

    def spoken_language_names(self) -> list[str]:
        """The languages the applicant works in, by name in the reader's collation order."""
        return language_names(self.spoken_languages)

    def needs_language_certificate(self, offerings: list[Any] | None = None) -> bool:
        """True when a chosen course is taught in none of the applicant's languages. `offerings`: the
        chosen ones (course joined) when the caller has them, else they are read."""
        mine = self.languages()
        chosen = self.ranked_offerings() if offerings is None else offerings
        return any(o.course.languages and not mine & set(o.course.languages) for o in chosen)

    def required_documents(self, offerings: list[Any] | None = None) -> list[str]:
        required = [kind for kind in self.call.required_documents if kind != Call.Document.LANGUAGE_CERTIFICATE]
        if self.needs_language_certificate(offerings):
            required.append(Call.Document.LANGUAGE_CERTIFICATE)
        return required

    def read_document_kinds(self) -> set[str] | None:
        """The kinds of document uploaded when the row was read `with_document_kinds()`, else None."""
        if not hasattr(self, f"has_{Call.Document.CV}"):
            return None
        return {kind for kind in Call.Document.values if getattr(self, f"has_{kind}")}

    def missing(self, *, offerings: list[Any] | None = None, documents: set[str] | None = None) -> list[str]:
        """What still keeps this application from being submitted (translated labels). `offerings` (the
        chosen ones in order, course joined) and `documents` (the kinds uploaded) are what the caller
        already knows; whatever is not given is read."""
        gaps: list[str] = []
        if not self.motivation.strip():
            gaps.append(str(_("motivation")))
        if not (offerings if offerings is not None else self.choices.exists()):
            gaps.append(str(_("at least one offering")))
        have = set(self.documents.values_list("kind", flat=True)) if documents is None else documents
        labels = dict(Call.Document.choices)
        gaps += [str(labels[kind]) for kind in self.required_documents(offerings) if kind not in have]
        return gaps


class Choice(models.Model):
    """An offering the applicant wants, in order of preference (1 = first choice)."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="choices"
    )
    offering = models.ForeignKey("courses.Offering", verbose_name=_("offering"), on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField(_("preference"))

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "offering"], name="choice_offering_once"),
            models.UniqueConstraint(fields=["application", "rank"], name="choice_rank_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.offering}"


def document_path(instance: "ApplicationDocument", filename: str) -> str:
    return (
        f"scholarships/{instance.application.call_id}/{instance.application_id}/{instance.kind}.{instance.content_kind}"
    )


class ApplicationDocument(TimeStampedModel):
    """An uploaded document, checked by its content."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=Call.Document.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    content_kind = models.CharField(_("file type"), max_length=10)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="document_kind_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Review(TimeStampedModel):
    """One reviewer's scores for one application."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="reviews"
    )
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


def aggregate(values: list[Decimal], how: str) -> Decimal | None:
    if not values:
        return None
    if how == Call.Aggregation.MEDIAN:
        return Decimal(statistics.median(values)).quantize(Decimal("0.001"))
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.001"))


class Outcome(TimeStampedModel):
    """The allocation's outcome for one application, with its reason (code + parameters)."""

    class Result(models.TextChoices):
        AWARDED = "awarded", _("Awarded")
        WAITLISTED = "waitlisted", _("Waitlisted")
        NOT_SELECTED = "not_selected", _("Not selected")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        NOT_REVIEWED = "not_reviewed", _("Not reviewed")

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="outcome"
    )
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    offering = models.ForeignKey(
        "courses.Offering",
        verbose_name=_("offering"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    waitlist_position = models.PositiveIntegerField(_("waitlist position"), null=True, blank=True)
    reason_code = models.CharField(_("reason"), max_length=40)
    reason_params = models.JSONField(_("reason details"), default=dict, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("allocation outcome")
        verbose_name_plural = _("allocation outcomes")
        ordering = ["application"]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_result_display()}"


class OfferQuerySet(models.QuerySet["Offer"]):
    def for_user(self, user: Viewer) -> "OfferQuerySet":
        return self.filter(application__in=Application.objects.for_user(user))

    def holding(self) -> "OfferQuerySet":
        """Offers that occupy a seat: sent and not answered, or accepted ("awarded" in reports)."""
        return self.filter(status__in=[Offer.Status.AWARDED, Offer.Status.ACCEPTED])

    def accepted(self) -> "OfferQuerySet":
        """Offers the official accepted: the scholarship holders."""
        return self.filter(status=Offer.Status.ACCEPTED)

    def completed(self) -> "OfferQuerySet":
        """Accepted offers whose holder's enrolment in that offering ended in "completed"."""
        done = Enrolment.objects.completed().filter(
            offering=models.OuterRef("offering"), person=models.OuterRef("application__person")
        )
        return self.accepted().filter(models.Exists(done))


class Offer(TimeStampedModel):
    """A scholarship offered to an applicant for one offering, to accept before `accept_by`."""

    class Status(models.TextChoices):
        AWARDED = "awarded", _("Awarded, awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", pgettext_lazy("offer status", "Expired")

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="offers"
    )
    offering = models.ForeignKey(
        "courses.Offering", verbose_name=_("offering"), on_delete=models.PROTECT, related_name="offers"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AWARDED)
    accept_by = models.DateTimeField(_("accept by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    promoted = models.BooleanField(_("from the waitlist"), default=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["offering", "pk"]
        indexes = [models.Index(fields=["status", "accept_by"])]

    def __str__(self) -> str:
        return f"{self.application.person} — {self.offering}"

    @property
    def is_awarded(self) -> bool:
        return self.status == self.Status.AWARDED


class WaitlistEntry(models.Model):
    """A place on an offering's waitlist, in the order the allocation produced."""

    offering = models.ForeignKey(
        "courses.Offering", verbose_name=_("offering"), on_delete=models.CASCADE, related_name="waitlist"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    position = models.PositiveIntegerField(pgettext_lazy("place in a list", "position"))

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["offering", "position"]
        constraints = [models.UniqueConstraint(fields=["offering", "application"], name="waitlist_once")]

    def __str__(self) -> str:
        return f"{self.position}. {self.application}"


class EndorsementNotice(models.Model):
    """That a member state's focal points were told about a call's endorsement: once per kind."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Endorsement opened")
        REMINDER = "reminder", _("Endorsement deadline reminder")

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="endorsement_notices")
    member_state = models.ForeignKey(
        "directory.MemberState", verbose_name=_("member state"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    pending = models.PositiveIntegerField(_("applications awaiting endorsement"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement notice")
        verbose_name_plural = _("endorsement notices")
        constraints = [models.UniqueConstraint(fields=["call", "member_state", "kind"], name="endorsement_notice_once")]

    def __str__(self) -> str:
        return f"{self.call} — {self.member_state} ({self.kind})"
