/*
 * PGA browser enhancements. Everything works without this file; it only manages focus:
 * - a page that arrives with form errors moves the focus to the error summary (WCAG 3.3.1);
 * - after htmx swaps in a fragment (the journal form and timeline), the focus goes to the error
 *   summary, or else to the status message, so keyboard and screen-reader users know what happened.
 * No inline scripts anywhere: a strict Content-Security-Policy can forbid them.
 */
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      return true;
    }
    return false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    var root = target && target.isConnected ? target : document;
    if (focusSummary(root)) {
      return;
    }
    var status = root.querySelector("[data-status-message]");
    if (status && status.textContent.trim() !== "") {
      status.focus();
    }
  });
})();
