"""Every word a person reads on a page is marked for translation, so that a Welsh partnership can add Welsh.

The page templates (``web``, ``accounts`` and the allauth templates Resolve overrides) are read with
their template tags, variables, comments and markup taken out: whatever words are left were typed
straight into the page, outside ``{% translate %}`` or ``{% blocktranslate %}``. Attributes people
read too (``alt``, ``aria-label``, ``title``, ``placeholder``) must hold a variable or a translation.
E-mail bodies are text templates and are checked the same way.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "resolve"
TEMPLATES = sorted(
    path
    for app in ("web", "accounts", "administration")
    for path in (SRC / app / "templates").rglob("*")
    if path.suffix in (".html", ".txt") and path.is_file()
)

BLOCKS = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL),
    re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.DOTALL),
    re.compile(r"{%\s*blocktrans\b.*?{%\s*endblocktrans\s*%}", re.DOTALL),
    re.compile(r"{#.*?#}", re.DOTALL),
    re.compile(r"<script\b.*?</script>", re.DOTALL),
    re.compile(r"<style\b.*?</style>", re.DOTALL),
    re.compile(r"<code\b.*?</code>", re.DOTALL),  # names typed as they are: cookies, commands
    re.compile(r"{%.*?%}", re.DOTALL),
    re.compile(r"{{.*?}}", re.DOTALL),
]
READ_ATTRIBUTES = re.compile(r"""\b(alt|aria-label|title|placeholder)="([^"]*)\"""")
TAG = re.compile(r"<[^>]*>", re.DOTALL)
ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated(source: str) -> list[str]:
    text = source
    for block in BLOCKS[:7]:
        text = block.sub(" ", text)
    found = []
    for name, value in READ_ATTRIBUTES.findall(text):
        left = BLOCKS[7].sub(" ", BLOCKS[8].sub(" ", value))
        if WORD.search(left):
            found.append(f'{name}="{value}"')
    for block in BLOCKS[7:]:
        text = block.sub(" ", text)
    text = ENTITY.sub(" ", TAG.sub(" ", text))
    found += [line.strip() for line in text.splitlines() if WORD.search(line)]
    return found


def test_there_are_templates_to_check() -> None:
    assert len(TEMPLATES) > 10


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_word_in_the_template_is_marked_for_translation(template: Path) -> None:
    assert untranslated(template.read_text(encoding="utf-8")) == []


def test_the_check_finds_words_typed_straight_into_a_page() -> None:
    page = '{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Not marked</p><img alt="A chart">{# ok #}'
    assert untranslated(page) == ['alt="A chart"', "Not marked"]
