"""Turn the example requests of a docs/*.md file into one bash script that a test runs.

The conventions the docs follow (docs/README.md, "Running the examples"):
- fenced blocks marked `bash`, `sh` or `console` that call `curl` are examples and run, in the
  order of the file, as one script (a variable set in one block is there in the next); `$ ` starts
  a command in a `console` block, the lines that follow it are its output;
- the server is `http://127.0.0.1:8000` (or `https://agri-trade.example`), rewritten to the test's
  live server; credentials come from the variables of CREDENTIALS below, set beforehand;
- ids come from earlier answers (`ID=$(curl … | jq -r .id)`), dates from `date` relative to today
  (`$(date -u -d '+7 days' +%F)`), never written out;
- every request must answer 2xx, unless the comment line right under it starts with `# → NNN` or
  `# HTTP/1.1 NNN`: then it must answer NNN.
"""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
SERVERS = ("http://127.0.0.1:8000", "https://agri-trade.example")
FENCE = re.compile(r"^```(?P<info>[\w-]*)\n(?P<body>.*?)^```", re.M | re.S)
RUNNABLE = {"bash", "sh", "console", ""}
EXPECTED = re.compile(r"^#\s*(?:→|HTTP/1\.1)\s*(?P<status>[1-5]\d\d)\b")

# Set before the examples run; docs/README.md lists them for readers.
CREDENTIALS = (
    "TOKEN",  # the demo exporter (owner of a verified enterprise)
    "STAFF",  # a platform admin
    "REVIEWER",
    "OFFICER",
    "PARTNER_PERSON",  # a person of the demo carrier
    "CARRIER_KEY",  # API keys of the demo partners, every scope of their kind
    "BANK_KEY",
    "LAW_FIRM_KEY",
    "CERT_BODY_KEY",
    "BUYER_PERSON",  # a person of the demo buyer in Malaysia (Kedai Buah Segar Sdn Bhd)
    "BUYER_KEY",  # an API key of that buyer: trade:write, events:read, webhooks:manage
)

PRELUDE = r"""
set -euo pipefail
command -v uuidgen >/dev/null || uuidgen() { cat /proc/sys/kernel/random/uuid; }
# The newest link to /account/<kind>/... in the e-mails sent so far (a reader opens the e-mail).
email_link() { cat "$MAIL_DIR"/* | grep -oE "https?://[^[:space:]\"<>]*/account/$1/[^[:space:]\"<>]*" | tail -1; }
# Every request answers 2xx unless EXPECT names its status; the body goes to stdout as usual.
curl() {
  local out status
  out=$(command curl -sS -w '\n%{http_code}' "$@") || return 1
  status=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  if [[ $status != ${EXPECT:-2}* ]]; then
    echo "EXAMPLE FAILED: answered $status, expected ${EXPECT:-2xx}: curl $*" >&2
    printf '%s\n' "${out%$'\n'*}" >&2
    return 1
  fi
}
"""


def example_files() -> list[Path]:
    return sorted(path for path in DOCS.glob("*.md") if _blocks(path.read_text()))


def _blocks(text: str) -> list[tuple[str, str]]:
    return [
        (m["info"], m["body"])
        for m in FENCE.finditer(text)
        if m["info"] in RUNNABLE and re.search(r"(^|[\s$(])curl\s", m["body"], re.M)
    ]


def _console_commands(body: str) -> str:
    """Keep the `$ ` commands of a console block (and their continuation lines), drop output."""
    kept, continuing = [], False
    for line in body.splitlines():
        if line.startswith("$ ") or continuing:
            kept.append(line.removeprefix("$ "))
            continuing = line.rstrip().endswith("\\")
    return "\n".join(kept)


def _logical_lines(body: str) -> list[list[str]]:
    """Group physical lines into commands: backslash continuations and heredocs stay together."""
    commands: list[list[str]] = []
    current: list[str] = []
    heredoc_end = None
    for line in body.splitlines():
        current.append(line)
        if heredoc_end is not None:
            if line.strip() == heredoc_end:
                heredoc_end = None
                commands.append(current)
                current = []
            continue
        match = re.search(r"<<-?\s*'?(\w+)'?", line)
        if match:
            heredoc_end = match.group(1)
            continue
        if line.rstrip().endswith("\\") or _open_quote(current):
            continue
        commands.append(current)
        current = []
    if current:
        commands.append(current)
    return commands


def _open_quote(lines: list[str]) -> bool:
    """A single-quoted JSON body spread over lines (`-d '{ … }'`) is one command."""
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    return text.count("'") % 2 == 1


def _with_expectations(body: str) -> str:
    commands = _logical_lines(body)
    out = []
    for index, command in enumerate(commands):
        following = commands[index + 1][0].strip() if index + 1 < len(commands) else ""
        expected = EXPECTED.match(following)
        first = command[0]
        if expected and first.lstrip().startswith("curl "):
            indent = first[: len(first) - len(first.lstrip())]
            command = [f"{indent}EXPECT={expected['status']} {first.lstrip()}", *command[1:]]
        out.extend(command)
    return "\n".join(out)


def script_for(path: Path, server: str, credentials: dict[str, str]) -> str:
    parts = [PRELUDE]
    parts += [f"{name}={value}" for name, value in credentials.items()]
    parts.append(f"BASE={server}/api/v1")
    for info, body in _blocks(path.read_text()):
        if info == "console":
            body = _console_commands(body)
        parts.append(_with_expectations(body))
    script = "\n".join(parts) + "\n"
    for placeholder in SERVERS:
        script = script.replace(placeholder, server)
    return script
