"""Page-number pagination that refuses nonsense page sizes instead of silently fixing them."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_page_message = "{message}"  # Django's own, translated: "That page contains no results", …

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        """A page that is not a number or beyond the last is a 400 naming `page`, like `page_size`."""
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.isdigit():  # DRF would read "" as page 1 and "last" as the last
            raise ValidationError({"page": [_("Must be a whole number from 1.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            raise ValidationError({"page": [str(error.detail)]}) from error

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("Must be a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: object) -> list[dict[str, Any]]:
        return [
            {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
