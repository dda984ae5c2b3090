"""The docs-examples runner itself: what it runs, and that a request answering other than the docs
say fails the script."""

import subprocess

import pytest

from tests.docs.examples import script_for

DOC = """# Page

```bash
curl -s $BASE/me/
{expectation}
```

```console
$ curl -s https://agri-trade.example/health/ \\
    -H 'Accept: application/json'
{{"status": "ok"}}
```

```json
{{"not": "a request"}}
```
"""


def run(tmp_path, text: str, server: str) -> subprocess.CompletedProcess:
    page = tmp_path / "page.md"
    page.write_text(text)
    script = tmp_path / "script.sh"
    script.write_text(script_for(page, server, {"TOKEN": "none"}))
    return subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)


def test_script_keeps_commands_and_expectations_and_drops_output(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(DOC.format(expectation="# → 401 {...}"))
    script = script_for(page, "http://testserver:1", {"TOKEN": "t"})
    assert "EXPECT=401 curl -s $BASE/me/" in script
    assert "curl -s http://testserver:1/health/ \\\n    -H 'Accept: application/json'" in script
    assert '{"status": "ok"}' not in script and "not" not in script.split("TOKEN=t")[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("expectation", "passes"), [("", False), ("# → 401 {...}", True)])
def test_a_request_answering_otherwise_fails_the_script(live_server, tmp_path, expectation, passes):
    result = run(tmp_path, DOC.format(expectation=expectation), live_server.url)
    assert (result.returncode == 0) is passes, result.stderr
    if not passes:
        assert "EXAMPLE FAILED: answered 401, expected 2xx" in result.stderr
