"""One way to paginate a list page: the page of objects and the filters to keep in the page links."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, items: Any, *, per_page: int | None = None) -> dict[str, Any]:
    """`page_obj` and `query` (the other GET parameters, ready for `core/_pagination.html`)."""
    params = request.GET.copy()
    params.pop("page", None)
    page_obj = Paginator(items, per_page or PER_PAGE).get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "query": params.urlencode() + "&" if params else ""}
