from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """What Faro is and what is coming up."""
    return render(request, "portal/home.html", {"upcoming": []})
