"""The portal as a person uses it: one journey per test, at one width and in one language.

    from tests.browser.portal import PEOPLE, Visit

    @pytest.mark.parametrize("person", PEOPLE, ids=str)
    def test_a_cooperative_books_a_shipment(person, live_server, browser, screenshot_dir):
        visit = Visit.start(browser, live_server.url, person)
        visit.sign_in(user.email, PASSWORD)
        visit.go("/portal/shipments/new/")
        ...
        visit.check()                     # axe-core: no serious or critical violation here
        visit.screenshot(screenshot_dir, "shipment-booking")
        visit.finish()                    # no console error on any page of the journey

`PEOPLE` is the two the issue names: a Chinese reader on a 390 px phone and an English reader at
a 1280 px desk. Text to look for comes from `visit.text(chinese, english)`.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class Person:
    language: str  # "zh-hans" or "en"
    width: int
    locale: str  # the browser's own language (Accept-Language)

    @property
    def short(self) -> str:
        return "zh" if self.language == "zh-hans" else "en"

    @property
    def is_chinese(self) -> bool:
        return self.language == "zh-hans"

    def __str__(self) -> str:
        return f"{self.short}-{self.width}"


CHINESE_PHONE = Person("zh-hans", 390, "zh-CN")
ENGLISH_DESK = Person("en", 1280, "en-GB")
PEOPLE = [CHINESE_PHONE, ENGLISH_DESK]


@dataclass
class Visit:
    context: object
    page: object
    base_url: str
    person: Person
    problems: list = field(default_factory=list)
    checked: list = field(default_factory=list)

    @classmethod
    def start(cls, browser, base_url: str, person: Person) -> "Visit":
        context = browser.new_context(
            viewport={"width": person.width, "height": 844 if person.width < 600 else 900},
            locale=person.locale,
            timezone_id="Asia/Shanghai" if person.is_chinese else "Europe/London",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        visit = cls(context=context, page=page, base_url=base_url, person=person)
        page.on("console", visit._console)
        page.on("pageerror", lambda error: visit.problems.append(f"{page.url}: {error}"))
        return visit

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"{self.page.url}: {message.text}")

    def text(self, chinese: str, english: str) -> str:
        return chinese if self.person.is_chinese else english

    def go(self, path: str, *, status: int = 200):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, (
            f"{path}: {response and response.status}\n{self.page.content()[:1500]}"
        )
        return response

    def sign_in(self, email: str, password: str) -> None:
        """Sign in on the portal's login page; the account's language is set to the person's."""
        self.go("/portal/login/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", password)
        self.page.get_by_role("button", name=self.text("登录", "Sign in")).click()
        self.page.wait_for_load_state()
        assert "/portal/login/" not in self.page.url, self.page.content()[:2000]

    def check(self) -> None:
        """axe-core on the page as it is now: no violation of serious or critical impact; and the
        page is no wider than the screen."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        blocking = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"][:5]],
            }
            for violation in result["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"{self.page.url}\n{json.dumps(blocking, indent=1)}"
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= self.person.width, f"{self.page.url}: {scroll_width}px wide"
        self.checked.append(self.page.url)

    def screenshot(self, directory: Path, name: str) -> Path:
        """docs/screenshots/portal-<name>-<zh|en>.png when QUALITY_SCREENSHOT_DIR=docs/screenshots."""
        path = Path(directory) / f"portal-{name}-{self.person.short}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def finish(self) -> None:
        """End the journey: nothing went wrong in the console on any page."""
        try:
            assert not self.problems, "\n".join(self.problems)
        finally:
            self.context.close()
