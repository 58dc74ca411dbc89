"""Page-number pagination: ``page`` and ``page_size`` (default 25; anything above 100 is clamped)."""

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
