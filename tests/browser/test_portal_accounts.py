"""Journey 1: a new person signs up, confirms the e-mail address from the link, signs in, sets
language and time zone, changes the password, signs out, forgets it and sets a new one."""

from urllib.parse import urlsplit

import pytest

from agri_platform.accounts.models import User
from tests.accounts.mailbox import link_in_last_email

from .portal import PEOPLE, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
]

FIRST_PASSWORD = "Citrus-grove-2026"
SECOND_PASSWORD = "Packhouse-line-77"
THIRD_PASSWORD = "Cold-chain-band-5"


def path_of(url: str) -> str:
    """The link's path: e-mails carry PUBLIC_BASE_URL, the browser visits the live server."""
    return urlsplit(url).path


def submit(visit: Visit, chinese: str, english: str) -> None:
    visit.page.get_by_role("button", name=visit.text(chinese, english), exact=True).click()
    visit.page.wait_for_load_state()


@pytest.mark.parametrize("person", PEOPLE, ids=str)
def test_a_new_exporter_signs_up_confirms_sets_preferences_and_recovers_the_password(
    person, live_server, browser, screenshot_dir, eager_tasks
):
    email = f"grower-{person.short}@example.org"
    visit = Visit.start(browser, live_server.url, person)
    page = visit.page

    # Sign up, from the sign-in page's link.
    visit.go("/portal/login/")
    page.get_by_role("link", name=visit.text("注册账号", "Create an account")).click()
    page.wait_for_url("**/portal/signup/")
    visit.check()
    page.get_by_label(visit.text("电子邮箱", "E-mail address")).fill(email)
    page.get_by_label(visit.text("您的姓名", "Your name")).fill(visit.text("李伟", "Li Wei"))
    page.get_by_label(visit.text("简体中文", "English"), exact=True).check()
    visit.screenshot(screenshot_dir, "signup")
    page.fill("#id_password", "12345678")
    page.fill("#id_password_again", "12345678")
    submit(visit, "注册", "Create the account")
    assert page.locator(".error-summary").is_visible()  # a too-common password
    assert page.locator("#id_password_error").is_visible()
    visit.check()
    page.fill("#id_password", FIRST_PASSWORD)
    page.fill("#id_password_again", FIRST_PASSWORD)
    submit(visit, "注册", "Create the account")
    page.wait_for_url("**/portal/signup/sent/")
    assert email in page.locator("main").inner_text()
    visit.check()

    # The confirmation link from the e-mail.
    link = link_in_last_email(email, "confirm-email")
    visit.go(path_of(link["url"]))
    visit.check()
    submit(visit, "确认", "Confirm")
    assert User.objects.get(email=email).email_confirmed_at is not None
    page.get_by_role("link", name=visit.text("登录", "Sign in"), exact=True).click()
    page.wait_for_url("**/portal/login/**")

    # Signing in: someone without an enterprise is sent to register one (the home page, an
    # enterprise page, does that once journey 10 replaces its placeholder).
    visit.sign_in(email, FIRST_PASSWORD)
    assert urlsplit(page.url).path in ("/portal/enterprise/register/", "/portal/")

    # Settings: the other language and a time zone; the page follows at once.
    visit.go("/portal/settings/")
    assert page.locator("html").get_attribute("lang") == visit.text("zh-Hans", "en")
    visit.check()
    visit.screenshot(screenshot_dir, "settings")
    other_language, zone = visit.text("英语", "Simplified Chinese"), "Asia/Kuala_Lumpur"
    page.get_by_label(other_language, exact=True).check()
    page.get_by_label(visit.text("时区", "Time zone")).select_option(zone)
    submit(visit, "保存", "Save")
    assert page.locator("html").get_attribute("lang") == visit.text("en", "zh-Hans")
    assert page.locator(".message--success").is_visible()
    user = User.objects.get(email=email)
    assert (user.language, user.timezone) == (visit.text("en", "zh-hans"), zone)
    visit.check()
    # Back to the person's own language with the top bar's switch.
    page.get_by_role("button", name=visit.text("中文", "English"), exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == visit.text("zh-Hans", "en")

    # Change the password; this browser stays signed in.
    page.get_by_role("link", name=visit.text("修改密码", "Change your password")).click()
    page.wait_for_url("**/portal/password/change/")
    visit.check()
    page.fill("#id_current_password", FIRST_PASSWORD)
    page.fill("#id_new_password1", SECOND_PASSWORD)
    page.fill("#id_new_password2", SECOND_PASSWORD)
    submit(visit, "确认修改", "Change the password")
    page.wait_for_url("**/portal/settings/")
    assert page.locator(".message--success").is_visible()

    # Sign out, forget the password, set a new one from the e-mailed link.
    page.get_by_role("button", name=visit.text("退出", "Sign out")).click()
    page.wait_for_url("**/portal/login/")
    page.get_by_role("link", name=visit.text("忘记密码？", "Forgot your password?")).click()
    page.wait_for_url("**/portal/password/reset/")
    visit.check()
    page.get_by_label(visit.text("电子邮箱", "E-mail address")).fill(email)
    submit(visit, "给我发送链接", "Send me a link")
    page.wait_for_url("**/portal/password/reset/sent/")
    visit.check()
    link = link_in_last_email(email, "reset")
    visit.go(path_of(link["url"]))
    visit.check()
    page.fill("#id_new_password1", THIRD_PASSWORD)
    page.fill("#id_new_password2", THIRD_PASSWORD)
    submit(visit, "保存新密码", "Save the new password")
    page.wait_for_url("**/account/reset/done/")
    visit.check()
    page.get_by_role("link", name=visit.text("登录", "Sign in"), exact=True).click()
    page.wait_for_url("**/portal/login/**")
    visit.sign_in(email, THIRD_PASSWORD)
    visit.finish()
