"""Pages of API lists, counted as the pages of the UI's lists are (lib.pagination: never a
whole table)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from lib.pagination import CappedPaginator


class CappedPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.get_page_size(request))
        # get_page: a page past the end or not a number gives the last or the first page, not an error.
        self.page = paginator.get_page(request.query_params.get(self.page_query_param))
        return list(self.page)

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "more": paginator.more,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["more"] = {
            "type": "boolean",
            "description": "True when more rows match than were counted (count is then a lower bound).",
        }
        described["required"] = ["count", "more", "results"]
        return described
