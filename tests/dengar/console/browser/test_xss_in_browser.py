"""Hostile text rendered in a real browser: feedparser's 745 sanitizer cases and hostile tweets and e-mails,
imported with the real CLI, then every page that shows them is opened. Asserted in the page itself:
no script ran, no handler fired on the events we dispatch, no remote request was made."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page


# Each payload reports itself to window.__xss if any of it ever runs.
PAYLOADS = [
    "<script>window.__xss.push('script')</script>",
    "<img src=x onerror=\"window.__xss.push('img-onerror')\">",
    "<svg onload=\"window.__xss.push('svg-onload')\"></svg>",
    "<a href=\"javascript:window.__xss.push('js-href')\">klik</a>",
    "\"><script>window.__xss.push('attr-break')</script>",
    "'><img src=x onerror=window.__xss.push('single-quote')>",
    "</textarea></script><script>window.__xss.push('close-tags')</script>",
    "<iframe srcdoc=\"<script>parent.__xss.push('srcdoc')</script>\"></iframe>",
    "<details open ontoggle=\"window.__xss.push('ontoggle')\">x</details>",
    "<input autofocus onfocus=\"window.__xss.push('autofocus')\">",
    "<div onmouseover=\"window.__xss.push('mouseover')\">arahkan</div>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss.push('mxss')></style></mglyph></table></mtext></math>",
    "<object data=\"javascript:window.__xss.push('object')\"></object>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss.push('meta')\">",
    "<img src=\"http://tracker.example/pixel.gif\">",
    "{{ 7*7 }} {% raw %}x{% endraw %}",
]
COMPLAINT = "Banjir setinggi 50 cm di Kel. Kampung Melayu, Jatinegara, tolong segera ditangani"

INIT_SCRIPT = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => window.__xss.push(name + ":" + args.join(","));
}
document.addEventListener("securitypolicyviolation", (e) => window.__xss.push("csp:" + e.violatedDirective + ":" + e.blockedURI));
"""

# Dispatch the events a hostile handler would wait for, then report what is in the page.
PROBE = """
() => {
  const events = ["mouseover", "mouseenter", "focus", "click", "toggle", "load", "error", "animationstart"];
  for (const element of document.querySelectorAll("main *")) {
    for (const name of events) {
      if (name === "click" && element.closest("a, button, form, summary, label, select, input")) continue;
      element.dispatchEvent(new Event(name, { bubbles: false }));
    }
  }
  const handlers = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) handlers.push(element.tagName + "[" + attribute.name + "]");
      if (/^\\s*(javascript|data|vbscript):/i.test(attribute.value) && ["href", "src", "action", "formaction", "data", "xlink:href"].includes(attribute.name))
        handlers.push(element.tagName + "[" + attribute.name + "=" + attribute.value.slice(0, 40) + "]");
    }
  }
  const foreign = [...document.querySelectorAll("main script, main iframe, main object, main embed, main base, main meta, main frame, main img")]
    .map((e) => e.tagName);
  const scripts = [...document.scripts].filter((s) => !s.src || !s.src.startsWith(location.origin + "/static/")).length;
  const external = [...document.querySelectorAll("main a[href^='http']")]
    .filter((a) => !a.href.startsWith(location.origin))
    .filter((a) => a.rel !== "noopener noreferrer nofollow").map((a) => a.href);
  return { fired: window.__xss, handlers, foreign, scripts, external };
}
"""


def _hostile_archives(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "hostile-tweets.jsonl").open("w") as out:
        for number, payload in enumerate(PAYLOADS):
            out.write(json.dumps({
                "id": str(1_990_000_000_000_000_000 + number), "author_id": f"66{number}", "lang": "in",
                "created_at": f"2026-11-2{number % 3}T0{number % 9}:15:00.000Z",
                "text": f"{COMPLAINT} {payload}",
                "author": {"id": f"66{number}", "username": f"warga{number}", "name": f"Warga {payload}"},
            }) + "\n")
    for number, payload in enumerate(PAYLOADS):
        message = EmailMessage()
        message["From"] = f"\"Warga {payload}\" <warga{number}@example.org>"
        message["To"] = "pengaduan@example.go.id"
        message["Subject"] = f"Sampah menumpuk {payload}"
        message["Date"] = "Fri, 20 Nov 2026 08:00:00 +0700"
        message["Message-ID"] = f"<hostile-{number}@example.org>"
        message.set_content(f"Sampah menumpuk di Jl. Lontar, Kel. Lebak Bulus {payload}")
        message.add_alternative(f"<p>Sampah menumpuk di Jl. Lontar, Kel. Lebak Bulus</p>{payload}", subtype="html")
        (folder / f"hostile-{number}.eml").write_bytes(bytes(message))
    return folder


@pytest.fixture(scope="session")
def hostile_console(tmp_path_factory: pytest.TempPathFactory, shared_dir: Path, chromium_executable: str,
                    console_factory) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    sanitize = shared_dir / "corpora" / "feedparser-tests" / "wellformed" / "sanitize"
    if not sanitize.is_dir():
        pytest.skip("feedparser's sanitizer corpus is not in the shared corpora")
    folder = tmp_path_factory.mktemp("hostile-console")
    hostile = _hostile_archives(folder / "archives")
    console = console_factory(folder, [[str(sanitize), "--channel", "rss"], [str(hostile)]])
    try:
        yield console
    finally:
        console.stop()


def _pages(page: Page, console: Any) -> list[str]:
    """Every page that shows outside text: all monitor pages, the queue, each hostile ticket, sources, reports."""
    paths = ["/", "/?q=Banjir", "/?q=Sampah", "/sources", "/reports?from=2026-11-01&to=2026-11-30&by=agency"]
    monitor = "/mentions"
    for _ in range(20):
        paths.append(monitor)
        page.goto(console.base_url + monitor)
        older = page.locator("a[rel=next]")
        if older.count() == 0:
            break
        monitor = older.get_attribute("href")
    for query in ("/?q=Banjir", "/?q=Sampah"):
        page.goto(console.base_url + query)
        paths += [link.get_attribute("href") for link in page.locator("table a.ticket-link").all()[:8]]
    return paths


def test_no_outside_text_can_act_in_the_browser(page: Page, hostile_console: Any, login) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    outside_requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: outside_requests.append(request.url)
            if not request.url.startswith(hostile_console.base_url) else None)
    page.add_init_script(INIT_SCRIPT)
    login(page, hostile_console, "admin")
    paths = _pages(page, hostile_console)
    assert len([p for p in paths if p.startswith("/tickets/")]) >= 2  # dedup joins the copies
    shown = 0
    for path in paths:
        page.goto(hostile_console.base_url + path)
        page.wait_for_load_state("load")
        report = page.evaluate(PROBE)
        assert report == {"fired": [], "handlers": [], "foreign": [], "scripts": 0, "external": []}, path
        shown += page.locator("main").inner_text().count("window.__xss.push")
    assert shown > len(PAYLOADS)  # the hostile text was on screen, as text
    assert dialogs == [] and outside_requests == []


def test_the_probe_catches_hostile_markup_left_raw(page: Page) -> None:
    """The same probe on the payloads pasted raw (no console, no escaping): it must see them act."""
    page.add_init_script(INIT_SCRIPT)
    page.goto("data:text/html," + quote("<main>" + "".join(PAYLOADS[i] for i in (0, 1, 10)) + "</main>"))
    page.wait_for_timeout(300)  # let the error/load handlers of the raw markup run
    report = page.evaluate(PROBE)
    assert {"script", "img-onerror", "mouseover"} <= set(report["fired"])
    assert report["handlers"] and report["foreign"] and report["scripts"] > 0
