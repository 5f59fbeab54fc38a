"""The evaluation reports page and its CSV through the real app, on the imported samples."""

from __future__ import annotations

import csv
import io
import re

import pytest

PERIOD = "from=2026-11-01&to=2026-11-30"


@pytest.mark.parametrize("role", ["admin", "operator", "social", "viewer"])
async def test_every_role_reads_reports(console_client, role) -> None:  # type: ignore[no-untyped-def]
    body = await (await console_client(role)).page(f"/reports?{PERIOD}")
    assert 'id="report-table"' in body and "Laporan masuk" in body
    assert 'data-key="twitter"' in body and "<svg" in body


async def test_signed_out_sees_no_report(console_client) -> None:  # type: ignore[no-untyped-def]
    anonymous = await console_client(None)
    for path in ("/reports", "/reports.csv"):
        response = await anonymous.get(path)
        assert response.status == 303 and "twitter" not in await response.text()


@pytest.mark.parametrize("dimension", ["channel", "category", "kota", "agency"])
async def test_csv_matches_the_page_and_adds_up(console_client, dimension) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("viewer")
    response = await client.get(f"/reports.csv?by={dimension}&{PERIOD}")
    assert response.status == 200 and response.content_type == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8-sig"))))
    assert rows[0][0] == dimension and rows[-1][0] == "TOTAL"
    body_rows, total = rows[1:-1], rows[-1]
    assert sum(int(r[1]) for r in body_rows) == int(total[1]) > 100  # reports
    assert sum(int(r[2]) for r in body_rows) == int(total[2]) > 10  # tickets
    assert 0 < float(total[3]) < 1  # the samples do contain duplicates
    page = await client.page(f"/reports?by={dimension}&{PERIOD}")
    assert re.search(rf'<tr class="total"><td>Total</td><td class="num">{total[1]}</td><td class="num">{total[2]}</td>', page)


async def test_empty_and_bad_periods(console_client) -> None:  # type: ignore[no-untyped-def]
    client = await console_client("viewer")
    assert "Tidak ada laporan pada periode ini." in await client.page("/reports?from=2020-01-01&to=2020-01-31")
    body = await client.page("/reports?from=nonsense&to=2026-11-30&by=<script>")
    assert "<script>" not in body and 'aria-current="page">Kanal' in body
    swapped = await client.page("/reports?from=2026-11-30&to=2026-11-01")
    assert 'value="2026-11-01"' in swapped and 'data-key="twitter"' in swapped
