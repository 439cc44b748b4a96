"""Staff pages: news posts, mailings (compose, segment, preview, send), bounces and erasure."""

from typing import cast

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faro.accounts.decorators import staff_required
from faro.accounts.models import User
from faro.core.fetch import get_for_user_or_404
from faro.core.fields import Translated
from faro.core.models import AuditEntry
from faro.directory.models import Person
from faro.portal.forms import BounceForm, MailingForm, NewsPostForm
from faro.portal.models import DeliveryEvent, Mailing, NewsPost
from faro.portal.services import save_news_post, send_test_mailing
from faro.portal.services.delivery import NothingToResume, counts, resume_mailing
from faro.portal.services.mailings import MailingError, preview_mailing, record_bounce, save_mailing, send_mailing
from faro.portal.services.privacy import ErasureRefused, erase_person, erasure_blockers, retention_rules


@staff_required
def news_posts(request: HttpRequest) -> HttpResponse:
    posts = NewsPost.objects.for_user(request.user).order_by("-created_at")
    return render(request, "portal/manage/news_list.html", {"posts": posts})


@staff_required
def news_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Write or edit a post in up to four languages; the image is checked by its content."""
    post = get_for_user_or_404(NewsPost, request.user, pk=pk) if pk else NewsPost()
    form = NewsPostForm(request.POST or None, request.FILES or None, instance=post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = request.FILES.get("image")
        save_news_post(
            post,
            acting_user=request.user,
            title=data["title"],
            body=data["body"],
            summary=data["summary"],
            image_alt=data["image_alt"],
            publish_at=data["publish_at"],
            image=upload,
        )
        messages.success(request, _("The post is saved."))
        return redirect("portal:manage_news")
    history = AuditEntry.objects.for_object(post) if post.pk else []
    return render(request, "portal/manage/news_form.html", {"form": form, "post": post, "history": history})


@staff_required
def mailings(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/manage/mailings.html", {"mailings": Mailing.objects.for_user(request.user)})


@staff_required
def mailing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Compose a draft and choose its segment; saving leads to the preview."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk) if pk else Mailing()
    if mailing.status != Mailing.Status.DRAFT:
        return redirect(mailing)
    form = MailingForm(request.POST or None, initial=MailingForm.initial_for(mailing) if pk else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject, body = Translated(data["subject"]), Translated(data["body"])
        save_mailing(
            mailing,
            acting_user=request.user,
            subject=subject,
            body=body,
            category=data["category"],
            segment=form.segment(),
        )
        return redirect(mailing)
    return render(request, "portal/manage/mailing_form.html", {"form": form, "mailing": mailing})


@staff_required
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The count and a sample per language before sending; delivery results after."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk)
    context = {
        "mailing": mailing,
        "preview": preview_mailing(mailing) if mailing.status == Mailing.Status.DRAFT else None,
        "recipients": mailing.recipients.select_related("person")[:200],
        "counts": counts(mailing.pk) if mailing.status != Mailing.Status.DRAFT else None,
        "events": mailing.events.all()[:50],
        "history": AuditEntry.objects.for_object(mailing),
        "bounce_form": BounceForm(),
    }
    return render(request, "portal/manage/mailing_detail.html", context)


@staff_required
def mailing_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Sending, asked first: how many people get it, a test to oneself; the form (confirm=yes) sends."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk)
    if mailing.status != Mailing.Status.DRAFT:
        return redirect(mailing)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        return render(
            request, "portal/manage/mailing_send.html", {"mailing": mailing, "preview": preview_mailing(mailing)}
        )
    try:
        job_id = send_mailing(mailing, acting_user=request.user)
    except MailingError as error:
        messages.error(request, str(error))
        return redirect(mailing)
    return redirect(reverse("core:job", kwargs={"pk": job_id}) + f"?next={mailing.get_absolute_url()}")


@staff_required
@require_POST
def mailing_test(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the mailing to oneself only, as recipients will see it, then back to the send page."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk)
    email = send_test_mailing(mailing, acting_user=cast(User, request.user))  # staff_required: signed in
    messages.success(request, _("A test was sent to %(email)s. Check it, then send.") % {"email": email})
    return redirect("portal:mailing_send", mailing.pk)


@staff_required
@require_POST
def mailing_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Try every waiting recipient now, instead of at their next scheduled attempt."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk)
    try:
        waiting = resume_mailing(mailing, acting_user=request.user)
    except NothingToResume:
        messages.error(request, _("Nobody is waiting for this mailing, so there is nothing to resume."))
        return redirect(mailing)
    messages.success(request, _("Sending resumed for %(count)s waiting recipients.") % {"count": waiting})
    return redirect(mailing)


@staff_required
@require_POST
def mailing_bounce(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record a bounce reported by the mail server."""
    mailing = get_for_user_or_404(Mailing, request.user, pk=pk)
    form = BounceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the email address that bounced."))
    elif record_bounce(
        form.cleaned_data["email"], acting_user=request.user, detail=form.cleaned_data["detail"], mailing=mailing
    ):
        messages.success(request, _("The bounce is recorded; that address gets no more mailings."))
    else:
        messages.error(request, _("No one in the directory has that address; nothing was recorded."))
    return redirect(mailing)


@staff_required
def delivery_events(request: HttpRequest) -> HttpResponse:
    events = DeliveryEvent.objects.select_related("mailing")[:300]
    return render(request, "portal/manage/delivery_events.html", {"events": events})


@staff_required
def privacy(request: HttpRequest) -> HttpResponse:
    """Find a person who asked for erasure; see the retention policy and recent erasures."""
    query = request.GET.get("q", "").strip()[:100]
    people = Person.objects.for_user(request.user).none()
    if query:
        matches = Q(email__iexact=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
        people = Person.objects.for_user(request.user).filter(matches).select_related("member_state")[:50]
    context = {
        "q": query,
        "people": people,
        "rules": retention_rules(),
        "erasures": AuditEntry.objects.filter(action="portal.person.erased").order_by("-created_at")[:20],
    }
    return render(request, "portal/manage/privacy.html", context)


@staff_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a person who asked for it (by mail or phone), or see why it cannot be done yet."""
    person = get_for_user_or_404(Person, request.user, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            erase_person(person, acting_user=request.user)
        except ErasureRefused as refused:
            messages.error(request, _("Not erased: %(reasons)s") % {"reasons": "; ".join(refused.reasons)})
        else:
            messages.success(request, _("The person's personal data has been erased."))
        return redirect("portal:person_erase", pk=person.pk)
    context = {"person": person, "blockers": erasure_blockers(person), "history": AuditEntry.objects.for_object(person)}
    return render(request, "portal/manage/person_erase.html", context)
