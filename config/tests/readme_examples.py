"""The README's and docs' examples, executed: every ```console block is a shell session to run and compare with what
it shows. The documents are read in the order of ``DOCUMENTS`` (the README's quick start first, then the guides).

A block holds commands (``$ `` lines, continued by a trailing ``\\``) each followed by the output the README shows
for it. All blocks run in order in ONE bash session (so ``export TOKEN=…`` carries on), in the project folder,
against a server that ``make run`` started. An output matches when:

- an HTTP answer (``curl -i``): the status line is the one shown, every header shown is there with that value
  (others may be too: the README shows only ``Content-Type``), and the body has the shape shown;
- any other output: the whole text has the shape shown;
- shape: the text as written, where ``…`` stands for anything and an ISO 8601 timestamp for any timestamp (ids
  and everything else must be equal: the demo data is the same on every fresh ``make run``);
- a command shown without output may print anything; every command must succeed (exit 0) unless its shown
  output is a ``CommandError``.

``python -m config.tests.readme_examples --base-url URL [--blocks N]`` runs the first N blocks against a running
server and exits non-zero on a mismatch (CI's newcomer smoke); ``test_readme_examples.py`` runs them all.
"""

import argparse
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDES = ("api", "commands", "integrations", "oneroster", "errors")  # in the order their examples run
DOCUMENTS = [README, *(ROOT / "docs" / f"{name}.md" for name in GUIDES)]
README_BASE_URL = "http://127.0.0.1:8000"
TIMESTAMP = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"
_SHAPE_TOKENS = re.compile(f"(…|{TIMESTAMP})")
_MARK = "@@readme-example {index} exit "  # followed by the status and "@@"


@dataclass
class Example:
    """One command of the README, the output it shows, and where it stands."""

    line: int
    command: str
    shown: list[str] = field(default_factory=list)
    source: str = "README.md"

    @property
    def title(self) -> str:
        return f"{self.source}:{self.line}: {self.command.splitlines()[0][:90]}"

    @property
    def expects_failure(self) -> bool:
        return any(line.startswith("CommandError:") for line in self.shown)


def console_blocks(text: str, source: str = "README.md") -> list[list[Example]]:
    """The examples of each ```console block, in the document's order."""
    blocks, current, command_open = [], None, False
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None:
            if line.strip() == "```console":
                current = []
            continue
        if line.strip() == "```":
            blocks.append(current)
            current, command_open = None, False
        elif command_open:
            current[-1].command += "\n" + line
            command_open = line.endswith("\\")
        elif line.startswith("$ "):
            current.append(Example(line=number, command=line[2:], source=source))
            command_open = line.endswith("\\")
        elif current:
            current[-1].shown.append(line)
        elif line.strip():
            raise ValueError(f"{source}:{number}: a ```console block must start with a '$ ' command")
    return blocks


def examples(text: str | None = None) -> list[Example]:
    """The examples of ``text``, or of every document in order."""
    if text is not None:
        return [example for block in console_blocks(text) for example in block]
    return [
        example
        for document in DOCUMENTS
        for block in console_blocks(document.read_text(), str(document.relative_to(ROOT)))
        for example in block
    ]


def shape(expected: str) -> re.Pattern:
    """A pattern for text of the shape shown: ``…`` stands for anything, a timestamp for any timestamp."""
    parts = []
    for token in _SHAPE_TOKENS.split(expected):
        if token == "…":
            parts.append(".*?")
        elif re.fullmatch(TIMESTAMP, token):
            parts.append(TIMESTAMP)
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts), re.DOTALL)


def mismatch(example: Example, output: str, status: int, base_url: str = README_BASE_URL) -> str | None:
    """Why the output differs from what the README shows, or None when it matches."""
    if status != 0 and not example.expects_failure:
        return f"exit status {status}, output:\n{output}"
    if example.expects_failure and status == 0:
        return f"succeeded, but the README shows a failure; output:\n{output}"
    if not example.shown:
        return None
    shown = "\n".join(example.shown).replace(README_BASE_URL, base_url).rstrip()
    output = output.replace("\r\n", "\n").rstrip()
    if shown.startswith("HTTP/"):
        return _http_mismatch(shown, output)
    if not shape(shown).fullmatch(output):
        return f"the output differs.\n--- shown:\n{shown}\n--- printed:\n{output}"
    return None


def _http_mismatch(shown: str, output: str) -> str | None:
    shown_head, _, shown_body = shown.partition("\n\n")
    head, _, body = output.partition("\n\n")
    shown_status, *shown_headers = shown_head.splitlines()
    status_line, *header_lines = head.splitlines() or [""]
    if status_line.strip() != shown_status.strip():
        return f"status {status_line!r}, the README shows {shown_status!r}; body:\n{body[:2000]}"
    headers = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in header_lines)}
    for line in shown_headers:
        name, _, value = line.partition(":")
        if not shape(value.strip()).fullmatch(headers.get(name.strip().lower(), "")):
            return f"header {name.strip()}: {headers.get(name.strip().lower())!r}, the README shows {value.strip()!r}"
    if not shape(shown_body.strip()).fullmatch(body.strip()):
        return f"the body differs.\n--- shown:\n{shown_body.strip()}\n--- answered:\n{body.strip()}"
    return None


def run(examples: list[Example], *, cwd: Path, env: dict[str, str], base_url: str) -> list[tuple[str, int]]:
    """Runs the examples in one bash session, in order; returns each one's output (stdout and stderr) and status."""
    # curl shows a progress meter only when its output is not a terminal; silence it, as a terminal would.
    script = ["set +e", 'curl() { command curl --silent --show-error "$@"; }']
    for index, example in enumerate(examples):
        command = example.command.replace(README_BASE_URL, base_url)
        script += ["{", command, "} </dev/null 2>&1", f"printf '\\n{_MARK.format(index=index)}%s@@\\n' \"$?\""]
    completed = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    results, rest = [], completed.stdout
    for index in range(len(examples)):
        before, found, after = rest.partition("\n" + _MARK.format(index=index))
        if not found:
            raise RuntimeError(f"the session stopped before example {index}:\n{rest}\n{completed.stderr}")
        status, _, rest = after.partition("@@\n")
        results.append((before, int(status)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-url", default=README_BASE_URL, help="Where the server started by make run answers.")
    parser.add_argument("--blocks", type=int, help="Run only the first N ```console blocks.")
    arguments = parser.parse_args()
    blocks = console_blocks(README.read_text())[: arguments.blocks]
    chosen = [example for block in blocks for example in block]
    failures = 0
    for example, (output, status) in zip(
        chosen, run(chosen, cwd=ROOT, env=dict(os.environ), base_url=arguments.base_url), strict=True
    ):
        problem = mismatch(example, output, status, arguments.base_url)
        print(f"{'FAIL' if problem else 'ok  '} {example.title}")
        if problem:
            failures += 1
            print(problem)
    print(f"{len(chosen) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
