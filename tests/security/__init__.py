"""Security hardening (issue #7): headers, error pages, logs, deployment checks."""
