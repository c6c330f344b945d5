"""`cohortwise report` on the sample build: the charts' pixels read back and compared with the report
tables (queried here with DuckDB directly), the HTML page in a real headless Chromium, and the
command's one-line errors.

The charts use a fixed palette and fills drawn without antialiasing (cohortwise.report.charts), so a
bar, a heatmap cell or a line is a run of pixels of one exact colour."""

from __future__ import annotations

import base64
import itertools
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.colors import to_hex, to_rgb
from numpy.typing import NDArray
from PIL import Image

from cohortwise.report.charts import (
    AXES_FACE,
    DROP_TINTS,
    INCOMPLETE_FACE,
    INCOMPLETE_HATCH,
    JOINERS,
    LEAVERS,
    MAX_COHORT_ROWS,
    MAX_HEATMAPS,
    MAX_SERIES,
    PALETTE,
    RETENTION_COLORMAP,
    SIZE_MARKER,
)
from tests.python.conftest import ROOT, Build, write_profiles

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TREND_COHORT = "cohort_paying_users"  # gets three earlier computations, for joiners and leavers

Pixels = NDArray[np.uint8]


# --- running the command ---------------------------------------------------------------------------------


def cli(*args: object) -> subprocess.CompletedProcess[str]:
    """The command as users run it; `-m` from the project so that this checkout's code runs."""
    return subprocess.run(
        [sys.executable, "-m", "cohortwise.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def _options(profiles: Path) -> list[str]:
    return ["--project-dir", str(ROOT), "--profiles-dir", str(profiles), "--target", "duckdb"]


@dataclass
class Report:
    database: Path
    profiles: Path
    out: Path
    stdout: str
    charts: list[dict[str, Any]]
    memberships: list[tuple[str, set[str]]]  # the trend cohort's computed days, oldest first

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def files(self, kind: str) -> list[dict[str, Any]]:
        return [chart for chart in self.charts if chart["kind"] == kind]


def _add_computations(database: Path) -> list[tuple[str, set[str]]]:
    """Three computations of TREND_COHORT on the three days before its recorded one, with members
    chosen to join and leave; the cohort's memberships per day, oldest first."""
    with duckdb.connect(str(database)) as con:
        users = [str(row[0]) for row in con.execute("select user_id from dim_users order by user_id").fetchall()]
        (row,) = con.execute("select * from cohort_computations where cohort_name = ?", [TREND_COHORT]).fetchall()
        name, cohort_type, entity, zone, computed_at, computed_on, _, recorded_at, checksum = row
        current = {
            str(r[0])
            for r in con.execute(
                "select entity_id from cohort_membership_history where cohort_name = ? and computed_at = ?",
                [TREND_COHORT, computed_at],
            ).fetchall()
        }
        earlier = [users[0:2], users[0:6], users[3:7]]
        days = []
        for back, members in zip((3, 2, 1), earlier, strict=True):
            at = computed_at - timedelta(days=back)
            con.execute(
                "insert into cohort_computations values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    name,
                    cohort_type,
                    entity,
                    zone,
                    at,
                    computed_on - timedelta(days=back),
                    len(members),
                    recorded_at,
                    checksum,
                ],
            )
            con.executemany(
                "insert into cohort_membership_history values (?, ?, ?)", [[name, user, at] for user in members]
            )
            days.append((str(computed_on - timedelta(days=back)), set(members)))
    return [*days, (str(computed_on), current)]


@pytest.fixture(scope="module")
def report(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """`cohortwise report` over a copy of the sample build (DuckDB locks its file) with a richer cohort trend."""
    tmp = tmp_path_factory.mktemp("report")
    database = tmp / "report.duckdb"
    shutil.copy(sample_build.database, database)
    memberships = _add_computations(database)
    profiles = write_profiles(tmp / "profiles", database)
    out = tmp / "out"
    result = cli("report", *_options(profiles), "--out", out)
    assert result.returncode == 0, result.stderr
    return Report(database, profiles, out, result.stdout, json.loads((out / "charts.json").read_text()), memberships)


# --- reading pixels --------------------------------------------------------------------------------------


def pixels(path: Path) -> Pixels:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def rgb(colour: str) -> tuple[int, int, int]:
    red, green, blue = (round(channel * 255) for channel in to_rgb(colour))
    return red, green, blue


def colour_mask(image: Pixels, colour: str) -> NDArray[np.bool_]:
    mask: NDArray[np.bool_] = np.all(image == np.array(rgb(colour), dtype=np.uint8), axis=-1)
    return mask


def runs(flags: Any) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(start), int(end)) for start, end in zip(edges[::2], edges[1::2], strict=True)]


def plot_area(image: Pixels) -> Pixels:
    """The inside of the (one) plot area: the bounding box of the axes face colour. Legends lie outside."""
    rows, columns = np.nonzero(colour_mask(image, AXES_FACE))
    return image[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]


@dataclass(frozen=True)
class Bar:
    left: int
    right: int
    top: int
    bottom: int  # inclusive

    @property
    def height(self) -> int:
        return self.bottom - self.top + 1

    @property
    def centre(self) -> float:
        return (self.left + self.right - 1) / 2


def bars(image: Pixels, colour: str) -> list[Bar]:
    """Each run of columns holding `colour`, left to right, with the rows that colour spans there."""
    mask = colour_mask(image, colour)
    found = []
    for left, right in runs(mask.any(axis=0)):
        rows = np.flatnonzero(mask[:, left:right].any(axis=1))
        found.append(Bar(left, right, int(rows.min()), int(rows.max())))
    return found


def assert_proportional(heights: list[int], values: list[int], tolerance: float = 2.5) -> float:
    """Pixel heights proportional to values (one scale for all); returns the scale in px per unit."""
    assert len(heights) == len(values), (heights, values)
    scale = sum(heights) / sum(values)
    for height, value in zip(heights, values, strict=True):
        assert abs(height - value * scale) <= tolerance, f"heights {heights} are not proportional to {values}"
    return scale


# --- funnels ---------------------------------------------------------------------------------------------


def _funnel_models(report: Report) -> list[str]:
    return [chart["model"] for chart in report.files("funnel")]


@pytest.mark.slow
def test_every_declared_report_and_cohort_gets_a_chart(report: Report) -> None:
    declared = {
        name
        for path in (ROOT / "models").rglob("*.sql")
        for name in [path.stem]
        if re.search(r"cohortwise\.(funnel_report|retention_report|event_segmentation_report)\(", path.read_text())
    }
    charted = {chart["model"] for chart in report.charts if chart["kind"] != "cohort_trend"}
    assert charted == declared
    cohorts = {str(row[0]) for row in report.query("select distinct cohort_name from cohort_computations")}
    assert {chart["model"] for chart in report.files("cohort_trend")} == cohorts
    pngs = sorted(path.name for path in report.out.glob("*.png"))
    assert pngs == sorted(chart["file"] for chart in report.charts)
    assert report.stdout.strip().splitlines()[-1] == str(report.out / "index.html")


@pytest.mark.slow
def test_funnel_bars_are_the_entities_per_step_of_each_breakdown_value(report: Report) -> None:
    assert len(_funnel_models(report)) == 5
    for chart in report.files("funnel"):
        model = chart["model"]
        rows = report.query(f"select breakdown_value, step_number, entities from {model} order by step_number")
        per_value: dict[Any, list[int]] = {}
        for value, _, entities in rows:
            per_value.setdefault(value, []).append(int(entities))
        # the series: most step-1 entities first, then by value (null last), at most MAX_SERIES
        order = sorted(per_value, key=lambda v: (-per_value[v][0], v is None, "" if v is None else str(v)))
        order = order[:MAX_SERIES]
        area = plot_area(pixels(report.out / chart["file"]))
        baseline = None
        for index, value in enumerate(order):
            steps = per_value[value]
            drawn = bars(area, PALETTE[index])
            nonzero = [entities for entities in steps if entities > 0]
            assert len(drawn) == len(nonzero), f"{model} {value}: {len(drawn)} bars for steps {steps}"
            scale = assert_proportional([bar.height for bar in drawn], nonzero)
            bottoms = {bar.bottom for bar in drawn}
            assert max(bottoms) - min(bottoms) <= 1, f"{model} {value}: bars do not start at one baseline"
            baseline = baseline if baseline is not None else max(bottoms)
            assert abs(max(bottoms) - baseline) <= 1
            # the lighter part above a bar reaches the previous step: one per step that lost entities
            drops = [prev - cur for prev, cur in itertools.pairwise(steps) if prev > cur]
            drop_bars = bars(area, DROP_TINTS[index])
            assert len(drop_bars) == len(drops), f"{model} {value}: drop-offs {drops}"
            for bar, drop in zip(drop_bars, drops, strict=True):
                assert abs(bar.height - drop * scale) <= 2.5
        for index in range(len(order), len(PALETTE)):
            assert not colour_mask(area, PALETTE[index]).any(), f"{model}: a series too many"


# --- retention -------------------------------------------------------------------------------------------

COLORMAP_INDEX: dict[tuple[int, int, int], list[int]] = {}
for _i in range(256):
    COLORMAP_INDEX.setdefault(rgb(to_hex(colormaps[RETENTION_COLORMAP](_i))), []).append(_i)


@pytest.mark.slow
def test_retention_heatmap_cells_decode_to_the_retention_rates(report: Report) -> None:
    incomplete = {rgb(INCOMPLETE_FACE), rgb(INCOMPLETE_HATCH)}
    assert not incomplete & COLORMAP_INDEX.keys()
    models = sorted({chart["model"] for chart in report.files("retention")})
    assert len(models) == 4
    for model in models:
        rows = report.query(
            f"select breakdown_value, cohort_period, period_number, retention_rate, is_complete from {model}"
        )
        values = {row[0] for row in rows}
        files = [chart for chart in report.files("retention") if chart["model"] == model]
        assert len(files) == min(len(values), MAX_HEATMAPS)
        for chart in files:
            mine = [row for row in rows if row[0] == chart["breakdown_value"]]
            cohorts = sorted({row[1] for row in mine})[-MAX_COHORT_ROWS:]
            periods = sorted({row[2] for row in mine})
            image = pixels(report.out / chart["file"])
            keys = (image[..., 0].astype(np.int64) << 16) | (image[..., 1].astype(np.int64) << 8) | image[..., 2]
            cell_keys = [(r << 16) | (g << 8) | b for r, g, b in set(COLORMAP_INDEX) | incomplete]
            mask = np.isin(keys, cell_keys)
            row_runs, column_runs = runs(mask.any(axis=1)), runs(mask.any(axis=0))
            assert (len(row_runs), len(column_runs)) == (len(cohorts), len(periods)), chart["file"]
            cells = {(row[1], row[2]): row for row in mine}
            for (top, bottom), cohort in zip(row_runs, cohorts, strict=True):
                for (left, right), period in zip(column_runs, periods, strict=True):
                    block = image[top:bottom, left:right].reshape(-1, 3)
                    counted = Counter((int(r), int(g), int(b)) for r, g, b in block.tolist())
                    colour = counted.most_common(1)[0][0]
                    _, _, _, rate, complete = cells[(cohort, period)]
                    where = f"{chart['file']} {cohort} period {period}"
                    if complete:
                        assert colour in COLORMAP_INDEX, f"{where}: {colour} is not a colormap colour"
                        indices = COLORMAP_INDEX[colour]
                        low, high = min(indices) / 256, (max(indices) + 1) / 256
                        assert low - 1e-9 <= rate <= high + 1e-9 or (rate == 1.0 and 255 in indices), (
                            f"{where}: colour decodes to {low:.3f}..{high:.3f}, rate is {rate}"
                        )
                    else:
                        assert colour == rgb(INCOMPLETE_FACE), f"{where}: an incomplete cell looks complete"


# --- event segmentation ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_segmentation_draws_one_line_per_event_segment_and_group(report: Report) -> None:
    assert len(report.files("segmentation")) == 3
    for chart in report.files("segmentation"):
        model = chart["model"]
        rows = report.query(f"select event_label, segment_label, group_value, people from {model}")
        series: dict[tuple[Any, ...], list[int]] = {}
        for event, segment, group, people in rows:
            series.setdefault((event, segment, group), []).append(int(people))
        area = plot_area(pixels(report.out / chart["file"]))
        drawn = [colour for colour in PALETTE if colour_mask(area, colour).sum() >= 3]
        assert drawn == list(PALETTE[: min(len(series), MAX_SERIES)]), f"{model}: {len(series)} series"
        # the line reaching highest is the series with the largest value
        order = sorted(series, key=lambda key: (-sum(series[key]), *(str(part) for part in key)))[:MAX_SERIES]
        tops = {
            key: int(np.flatnonzero(colour_mask(area, PALETTE[i]).any(axis=1)).min()) for i, key in enumerate(order)
        }
        highest = max(max(values) for values in series.values())
        for key in order:
            if max(series[key]) <= highest * 0.6:
                assert tops[key] > min(tops.values()) + 10, f"{model}: {key} reaches too high"


# --- cohort trend ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_cohort_trend_shows_members_joiners_and_leavers(report: Report) -> None:
    days = report.memberships
    members = [len(ids) for _, ids in days]
    joined = [len(now - before) for (_, before), (_, now) in itertools.pairwise(days)]
    left = [len(before - now) for (_, before), (_, now) in itertools.pairwise(days)]
    assert joined == [4, 1, len(days[3][1] - days[2][1])] and left[:2] == [0, 3]
    image = pixels(report.out / f"cohort_trend__{TREND_COHORT}.png")
    markers = bars(image, SIZE_MARKER)
    assert len(markers) == len(days)
    centres = [(marker.top + marker.bottom) / 2 for marker in markers]
    # rows are linear in members, higher members higher up
    slope = (centres[-1] - centres[0]) / (members[-1] - members[0]) if members[-1] != members[0] else None
    ordered = sorted(range(len(days)), key=lambda i: members[i])
    assert all(centres[a] >= centres[b] for a, b in itertools.pairwise(ordered))
    if slope is not None:
        for centre, count in zip(centres, members, strict=True):
            assert abs(centre - (centres[0] + slope * (count - members[0]))) <= 2
    joiner_bars, leaver_bars = bars(image, JOINERS), bars(image, LEAVERS)
    joined_days = [i + 1 for i, count in enumerate(joined) if count > 0]
    left_days = [i + 1 for i, count in enumerate(left) if count > 0]
    assert len(joiner_bars) == len(joined_days) and len(leaver_bars) == len(left_days)
    heights = [bar.height for bar in joiner_bars + leaver_bars]
    assert_proportional(heights, [joined[i - 1] for i in joined_days] + [left[i - 1] for i in left_days])
    for bar, day in zip(joiner_bars, joined_days, strict=True):
        assert abs(bar.centre - (markers[day].left + markers[day].right - 1) / 2) <= 3
    for bar, day in zip(leaver_bars, left_days, strict=True):
        assert abs(bar.centre - (markers[day].left + markers[day].right - 1) / 2) <= 3
    if joiner_bars and leaver_bars:  # joiners stand on the zero line, leavers hang from it
        assert min(bar.top for bar in leaver_bars) > max(bar.bottom for bar in joiner_bars)
    for chart in report.files("cohort_trend"):
        (computed,) = report.query("select count(*) from cohort_sizes_daily where cohort_name = ?", [chart["model"]])
        assert len(bars(pixels(report.out / chart["file"]), SIZE_MARKER)) == computed[0], chart["model"]


# --- the page in a browser -------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_page_is_self_contained(report: Report) -> None:
    page = (report.out / "index.html").read_text()
    sources = re.findall(r"""\bsrc\s*=\s*["']([^"']*)""", page)
    assert len(sources) == len(report.charts)
    assert all(source.startswith("data:image/png;base64,") for source in sources)
    assert all(href.startswith("#") for href in re.findall(r"""\bhref\s*=\s*["']([^"']*)""", page))
    assert not re.search(r"<script|<link|@import|url\(|https?://", page, re.IGNORECASE)
    for source, chart in zip(sources, report.charts, strict=True):
        assert base64.b64decode(source.split(",", 1)[1]) == (report.out / chart["file"]).read_bytes()


@pytest.mark.slow
def test_the_report_in_headless_chromium(report: Report, tmp_path: Path) -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install them with `apt-get install chromium chromium-driver`")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get((report.out / "index.html").as_uri())
        sections = driver.find_elements(By.CSS_SELECTOR, "section.chart")
        assert len(sections) == len(report.charts) == len(list(report.out.glob("*.png")))
        for section, chart in zip(sections, report.charts, strict=True):
            image = section.find_element(By.CSS_SELECTOR, "img.chart-image")
            loaded = driver.execute_script(
                "return [arguments[0].complete, arguments[0].naturalWidth, arguments[0].naturalHeight]", image
            )
            with Image.open(report.out / chart["file"]) as png:
                assert loaded == [True, png.width, png.height], chart["file"]
            table_rows = section.find_elements(By.CSS_SELECTOR, "table.chart-table tbody tr")
            assert table_rows, f"{chart['file']} has no table view"
            if chart["kind"] == "funnel":
                ((steps,),) = report.query(f"select count(distinct step_number) from {chart['model']}")
                assert len(table_rows) == steps * len(chart["breakdown_values"])
        logs = driver.get_log("browser")  # type: ignore[no-untyped-call]
        severe = [entry for entry in logs if entry["level"] == "SEVERE"]
        assert not severe, severe
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            },
        )
    finally:
        driver.quit()
    screenshot = tmp_path / "report.png"
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(screenshot) as full:
        assert full.width >= 800 and full.height >= 200 * len(report.charts), full.size
        assert abs(full.height - size["height"]) <= 2  # the whole page, not the window
        assert len(full.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 100  # charts, not a blank page


# --- selection and errors --------------------------------------------------------------------------------


@pytest.mark.slow
def test_select_charts_only_the_named_analysis_and_cohort(report: Report, tmp_path: Path) -> None:
    out = tmp_path / "selected"
    result = cli(
        "report",
        *_options(report.profiles),
        "--out",
        out,
        "--select",
        "funnel_purchase",
        "-s",
        TREND_COHORT,
        "--metric",
        "events",
    )
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.glob("*.png")) == [
        f"cohort_trend__{TREND_COHORT}.png",
        "funnel__rpt_funnel_purchase.png",
    ]
    assert result.stdout.strip().splitlines()[-1] == str(out / "index.html")


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and not result.stdout.strip().endswith(".html")
    return lines[0]


@pytest.mark.slow
def test_bad_input_is_one_line(report: Report, tmp_path: Path) -> None:
    options = [*_options(report.profiles), "--out", tmp_path / "never"]
    line = _one_line_error(cli("report", *options, "--select", "rpt_no_such_model"))
    assert "'rpt_no_such_model'" in line and "rpt_funnel_purchase" in line
    line = _one_line_error(cli("report", *options, "--metric", "revenue"))
    assert "--metric" in line and "'revenue'" in line
    # a report model whose table has not been built
    copy = tmp_path / "unbuilt.duckdb"
    shutil.copy(report.database, copy)
    with duckdb.connect(str(copy)) as con:
        con.execute("drop table rpt_funnel_purchase")
    profiles = write_profiles(tmp_path / "profiles", copy)
    line = _one_line_error(cli("report", *_options(profiles), "--out", tmp_path / "never", "-s", "rpt_funnel_purchase"))
    assert "not built yet: rpt_funnel_purchase" in line
    assert not (tmp_path / "never").exists()
