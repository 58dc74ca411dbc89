"""What the browser tests share: Debian's chromium (Playwright never downloads a browser here), its flags, and where
screenshots for a human to judge the design go (``PGA_SCREENSHOT_DIR``, default the temp directory)."""

import os
import tempfile
from pathlib import Path

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with
# a running loop unless told it is safe (it is: the test and the live server use separate threads).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("PGA_SCREENSHOT_DIR", tempfile.gettempdir()))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
