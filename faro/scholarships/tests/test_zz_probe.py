from typing import Any
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from faro.scholarships.models import Application
from faro.scholarships.tests.factories import pdf

pytestmark = pytest.mark.django_db


def show(label, captured):
    print(f"\n=== {label}: {len(captured.captured_queries)}")
    for q in captured.captured_queries:
        print("  ", q["sql"][:230])


def test_probe_submit(client: Client, call, offering, participant) -> None:
    ContentType.objects.get_for_model(Application)
    client.force_login(participant)
    client.post(reverse("scholarships:application_create", args=[call.pk]))
    application = Application.objects.get()
    for kind in ("cv", "employer_letter", "id", "language_certificate"):
        client.post(reverse("scholarships:document_upload", args=[application.pk]), {"kind": kind, "file": pdf()})
    data: dict[str, Any] = {"motivation": "I run the port.", "choice_1": offering.pk, "spoken_languages": ["en"], "submit": "1"}
    with CaptureQueriesContext(connection) as captured:
        r = client.post(application.get_absolute_url(), data)
    show("submit", captured)
    print(r.status_code, r.get("Location"))


def test_probe_signup(client: Client) -> None:
    Client().post("/accounts/signup/", {"email": "warm@puerto.example.py"})
    client.get("/accounts/signup/")
    with CaptureQueriesContext(connection) as captured:
        r = client.post("/accounts/signup/", {"email": "nuevo@puerto.example.py"})
    show("signup", captured)
    print(r.status_code, r.get("Location"))


def test_probe_signup_stacks(client: Client) -> None:
    import traceback
    Client().post("/accounts/signup/", {"email": "warm@puerto.example.py"})
    client.get("/accounts/signup/")

    def wrapper(execute, sql, params, many, context):
        if sql.startswith("SELECT") and ("account_emailaddress" in sql or "accounts_user" in sql):
            frames = [f for f in traceback.extract_stack() if "site-packages/django/" not in f.filename and "pytest" not in f.filename and "pluggy" not in f.filename][-7:]
            print("\n###", sql[:120])
            for f in frames:
                print("     ", f.filename.split("site-packages/")[-1], f.lineno, f.name)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.post("/accounts/signup/", {"email": "nuevo@puerto.example.py"})
