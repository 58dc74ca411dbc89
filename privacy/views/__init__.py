"""Browser views of the privacy app: the privacy officer's pages (``officer``), the rights of the
person concerned (``rights``) and break-the-glass (``emergency``). Each module has its own
``urlpatterns``; ``privacy.urls`` joins them."""
