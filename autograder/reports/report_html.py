"""The feedback report's HTML: nbconvert's page with offline math, whose verdict lines wrap.

nbconvert keeps JupyterLab's `white-space: pre` for text outputs, so a ✘ verdict (one long line: what
differs, the case, the hint) runs off the right edge of its box behind a scrollbar, hint first out of
sight. The report wraps every text output between words instead, as JupyterLab's ✘ box does, breaking a
word only when it alone is wider than the box.
"""
from .offline_math import OfflineMathHTMLExporter

WRAPPED_OUTPUTS = """<style>
/* backprop-lab: verdict lines wrap instead of scrolling sideways */
div.output_area pre, div.output_subarea pre, .jp-OutputArea-output pre, .jp-RenderedText pre {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
</style>
"""


class FeedbackHTMLExporter(OfflineMathHTMLExporter):
    """The offline-math exporter, with text outputs that wrap."""

    def from_notebook_node(self, nb, resources=None, **kwargs):
        output, resources = super().from_notebook_node(nb, resources, **kwargs)
        return output.replace("</head>", WRAPPED_OUTPUTS + "</head>", 1), resources
