"""The report page: one self-contained HTML file (charts as data: URIs, inline CSS, no scripts)."""

from __future__ import annotations

import base64
from html import escape

from cohortwise.report.charts import Chart

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.1rem; margin-top: 2.5rem; border-top: 1px solid #ddd; padding-top: 1rem; }
.meta { color: #666; font-size: 0.9rem; }
nav ol { columns: 2; font-size: 0.9rem; }
figure { margin: 0; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.table-view { max-height: 24rem; overflow: auto; margin-top: 0.5rem; }
table { border-collapse: collapse; font-size: 0.8rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; position: sticky; top: 0; }
td:first-child, th:first-child { text-align: left; }
"""


def render(charts: list[Chart], heading: str, meta: str) -> str:
    """The page: a contents list, then per chart its image and its table view (every value escaped)."""
    sections = []
    for chart in charts:
        picture = base64.b64encode(chart.png).decode("ascii")
        head = "".join(f"<th>{escape(column)}</th>" for column in chart.columns)
        body = "\n".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in chart.rows)
        sections.append(
            f"""<section class="chart" id="{escape(chart.slug)}" data-kind="{escape(chart.kind)}">
<h2>{escape(chart.title)}</h2>
<figure><img class="chart-image" src="data:image/png;base64,{picture}" alt="{escape(chart.title)}"></figure>
<div class="table-view"><table class="chart-table">
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table></div>
</section>"""
        )
    contents = "\n".join(f'<li><a href="#{escape(chart.slug)}">{escape(chart.title)}</a></li>' for chart in charts)
    empty = "" if charts else "<p>No report model or cohort trend to chart.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(heading)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{escape(heading)}</h1>
<p class="meta">{escape(meta)}</p>
<nav><ol>
{contents}
</ol></nav>
{empty}
{chr(10).join(sections)}
</body>
</html>
"""
