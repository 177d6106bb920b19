"""Task instructions (the BPMN documentation): Markdown with ``{{ variables }}`` from the task's data.

Process owners write these texts, so they are untrusted: the template runs in Jinja2's sandbox with autoescaping
off only for Markdown input (the Markdown renderer escapes every HTML tag and refuses unsafe link schemes), and a
template that fails shows the raw text instead of breaking the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _environment() -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(autoescape=False)


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def render(text: str | None, data: dict[str, Any]) -> Markup:
    if not text:
        return Markup("")
    try:
        filled = _environment().from_string(text).render(**{k: v for k, v in data.items() if k.isidentifier()})
    except TemplateError:
        filled = text
    return Markup(_markdown().render(filled))  # markdown-it escapes all HTML (html=False)
