"""The report: one self-contained HTML page (inline CSS, no script, no font or file from elsewhere) and a CSV.

Pairs come ranked by evidence; each shows, per matching object, both sides' code with the matching parts
marked. The CSV has one row per reported pair, most suspicious first.
"""
import csv
import html
from dataclasses import dataclass

import numpy as np
from copydetect.utils import highlight_overlap

SHOWN = 100       # pairs shown with their code in the page (all of them are in the CSV)
CONTEXT_LINES = 6  # lines kept around the matches of a whole known file

STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1b1b1b; background: #fff;
       margin: 0 auto; max-width: 1400px; padding: 1.5rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2.5rem; border-top: 2px solid #ccc; padding-top: 1rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
table.ranking { border-collapse: collapse; width: 100%; }
.ranking th, .ranking td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
.known { background: #e8eefc; color: #17306e; border-radius: 3px; padding: 0 .3rem; font-size: .85em;
         white-space: nowrap; }
.sides { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .8rem; }
.side h4 { margin: 0 0 .2rem; font-size: .9rem; color: #444; }
pre.code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f6f6f4;
           border: 1px solid #ddd; padding: .6rem; margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #ffd166; color: #111; border-radius: 2px; }
.note { color: #555; }
"""


@dataclass
class Side:
    label: str  # "alice", or "past/layers.py"
    code: tuple  # (source, the release's spans in it)


def marked(code, slices, context=-1):
    """Code as escaped HTML with the [start, end) slices wrapped in <mark>."""
    slices = np.asarray(slices)
    if slices.ndim != 2 or slices.shape[1] == 0:
        return html.escape(code)
    text, _ = highlight_overlap(code, slices.astype(int), "<mark>", "</mark>", truncate=context, escape_html=True)
    return text


def percent(share):
    return f"{100 * share:.0f}%"


def ranking_rows(pairs):
    rows = []
    for rank, pair in enumerate(pairs, 1):
        other = html.escape(pair.b) + (' <span class="known">known source</span>' if pair.known else "")
        objects = ", ".join(f"{html.escape(m.name)} ({percent(m.share_a)}"
                            + ("" if pair.known else f" / {percent(m.share_b)}") + ")" for m in pair.objects)
        link = f'<a href="#pair-{rank}">{rank}</a>' if rank <= SHOWN else str(rank)
        rows.append(f"<tr><td>{link}</td><td>{html.escape(pair.a)}</td><td>{other}</td>"
                    f"<td>{pair.evidence:.2f}</td><td>{objects}</td></tr>")
    return "\n".join(rows)


def pair_section(rank, pair, details):
    """details = [(ObjectMatch, Side a, Side b, slices, whole_file)] for this pair's objects."""
    parts = [f'<section id="pair-{rank}"><h2>{rank}. {html.escape(pair.a)} and {html.escape(pair.b)}'
             f' — evidence {pair.evidence:.2f}</h2>']
    for match, side_a, side_b, (slices_a, slices_b), whole_file in details:
        whose = (f"{percent(match.share_a)} of {html.escape(pair.a)}'s code" if pair.known else
                 f"{percent(match.share_a)} of {html.escape(pair.a)}'s code, {percent(match.share_b)} of "
                 f"{html.escape(pair.b)}'s")
        parts.append(f"<h3>{html.escape(match.name)}: {whose} matches, weighted by rarity</h3>")
        parts.append('<div class="sides">')
        for side, slices, context in ((side_a, slices_a, -1), (side_b, slices_b, CONTEXT_LINES if whole_file else -1)):
            parts.append(f'<div class="side"><h4>{html.escape(side.label)}</h4>'
                         f'<pre class="code">{marked(side.code[0], slices, context)}</pre></div>')
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)


def write_html(path, title, summary, pairs, details_of):
    """details_of(pair) -> the details pair_section shows; called for the first SHOWN pairs only."""
    sections = "\n".join(pair_section(rank, pair, details_of(pair)) for rank, pair in enumerate(pairs[:SHOWN], 1))
    more = (f'<p class="note">The first {SHOWN} pairs are shown with their code; all {len(pairs)} are in '
            f'similarity.csv.</p>' if len(pairs) > SHOWN else "")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{STYLE}</style></head>
<body><h1>{html.escape(title)}</h1>
<p class="note">{summary}</p>
<table class="ranking"><thead><tr><th>#</th><th>student</th><th>matches</th><th>evidence</th>
<th>objects (share of code matching)</th></tr></thead><tbody>
{ranking_rows(pairs) or '<tr><td colspan="5">No pair reaches the reporting threshold.</td></tr>'}
</tbody></table>
{more}
{sections}
</body></html>
"""
    path.write_text(page, encoding="utf-8")


def write_csv(path, pairs):
    """One row per pair; objects: "name share_a/share_b; ..." (for a known source, the student's share only)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["rank", "student", "other", "other_kind", "evidence", "objects"])
        for rank, pair in enumerate(pairs, 1):
            objects = "; ".join(f"{m.name} {m.share_a:.2f}" + ("" if pair.known else f"/{m.share_b:.2f}")
                                for m in pair.objects)
            out.writerow([rank, pair.a, pair.b, "known" if pair.known else "student", f"{pair.evidence:.3f}", objects])
