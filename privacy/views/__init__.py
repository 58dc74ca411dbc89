"""Browser views of the privacy app: the privacy officer's pages (``officer``), the rights of the
person concerned (``rights``), break-the-glass (``emergency``) and the destruction list
(``retention``). Each module has its own ``urlpatterns``; ``privacy.urls`` joins them."""
