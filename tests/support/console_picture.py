"""`make console-picture`: the README's picture of the console (docs/console.png), taken with the
console test's browser from a running `make run` (best after `make demo`), as an operator sees it."""

from __future__ import annotations

import sys
from pathlib import Path

from deploy.services import CONSOLE_PORT
from schakel.api import Rol
from tests.support.browser import Browser
from tests.support.stack import token


def main(target: Path) -> None:
    browser = Browser(width=1280, height=800)
    try:
        browser.open(f"http://127.0.0.1:{CONSOLE_PORT}/")
        browser.js(f"document.getElementById('token').value = '{token(Rol.operator)}'")
        browser.js("document.getElementById('tokenformulier').requestSubmit()")
        browser.wait("document.body.dataset.ververst")
        print(f"wrote {browser.screenshot(target.resolve(), whole_page=True)}")
    finally:
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/console.png"))
