"""Demo data for the embedded demo (``load_demo``) and the test factories. Never used in production."""
