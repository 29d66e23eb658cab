"""Feedback HTML whose math renders offline: LaTeX becomes MathML when the report is written.

nbconvert's HTML leaves `$...$` in the page for MathJax, which it loads from a CDN when the page is
opened; offline every formula shows as its source. Browsers draw MathML themselves, so this exporter
converts each formula (latex2mathml) and leaves the MathJax script out: the report needs no network.
"""
import html

from jinja2 import DictLoader, pass_context
from latex2mathml.converter import convert
from nbconvert.exporters import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

NO_MATHJAX = DictLoader({"mathjax.html.j2": "{%- macro mathjax(url='') -%}{%- endmacro %}"})


def mathml(latex, display="inline"):
    """MathML for a LaTeX formula, or the escaped source in a <code> when latex2mathml cannot read it."""
    try:
        return convert(latex.strip(), display=display)
    except Exception:  # an unsupported command: show the formula as written rather than lose the page
        return f"<code>{html.escape(latex)}</code>"


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with formulas rendered as MathML instead of kept for MathJax."""

    def block_math(self, body):
        return mathml(body, display="block")

    def inline_math(self, body):
        return mathml(body)

    def latex_environment(self, name, body):
        return mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")


class OfflineMathHTMLExporter(HTMLExporter):
    """HTMLExporter (with every HTMLExporter setting) that writes MathML and loads no MathJax."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_loaders = [NO_MATHJAX, *self.extra_loaders]  # the template's mathjax() macro outputs nothing

    @pass_context
    def markdown2html(self, context, source):
        cell = context.get("cell", {})
        renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                                  embed_images=self.embed_images,
                                  path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                                  anchor_link_text=self.anchor_link_text,
                                  exclude_anchor_links=self.exclude_anchor_links)
        return MarkdownWithMath(renderer=renderer).render(source)
