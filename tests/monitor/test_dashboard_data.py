"""The monitor's data: figures import, funnel, registrations, suppression, dark number."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from ketenzicht.core.errors import Forbidden
from ketenzicht.monitor import display, service
from ketenzicht.monitor.darknumber import estimate_all
from ketenzicht.monitor.enums import WITHHELD, FunnelStage
from ketenzicht.monitor.figures import FigureFileInvalid, parse_figures
from ketenzicht.monitor.schemas import FunnelRow, is_suppressed, protect, shown
from tests.factories.auth import actor
from tests.factories.monitor import FIGURES_CSV, analyst, registration_rows
from tests.factories.signals import make_signal


@pytest.mark.parametrize(("count", "text"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"),
                                              (None, "—")])
def test_small_counts_are_suppressed(count: int | None, text: str) -> None:
    assert shown(count) == text


def test_dropout_hides_what_would_reveal_a_small_count() -> None:
    assert display.dropout(200, 50) == "75%"
    assert display.dropout(200, 3) == "—"
    assert display.dropout(4, 0) == "—"
    assert display.dropout(None, 10) == "—"


def test_figures_csv_is_read() -> None:
    rows = parse_figures(FIGURES_CSV)
    assert len(rows) == 6
    assert rows[0].stage is FunnelStage.SIGNALS and rows[0].count == 1200


def test_missing_form_means_all_forms() -> None:
    assert parse_figures("year,stage,form,count\n2024,cases,,10\n")[0].form == "all"


@pytest.mark.parametrize(("text", "expected"), [
    ("year,stage,count\n2024,cases,10\n", "Row 1: the header lacks the columns form"),
    ("year,stage,form,count\n2024,cases,all,10\nnineteen,cases,all,3\n",
     "Row 3: year 'nineteen' is not valid"),
    ("year,stage,form,count\n2024,arrests,all,10\n", "Row 2: stage 'arrests' is not valid"),
    ("year,stage,form,count\n2024,cases,all,-1\n", "Row 2: count '-1' is not valid"),
    ("year,stage,form,count\n2024,cases,all,2.5\n", "Row 2: count '2.5' is not valid"),
    ("year,stage,form,count\n2024,cases,fraud,1\n", "Row 2: unknown form of exploitation 'fraud'"),
    ("year,stage,form,count\n2024,cases,all,1\n2024,cases,all,2\n",
     "Row 3: the same year, stage and form as row 2"),
    ("year,stage,form,count\n", "the file has no figures"),
])
def test_bad_figures_name_the_row(text: str, expected: str) -> None:
    with pytest.raises(FigureFileInvalid) as info:
        parse_figures(text)
    assert any(expected in p.message for p in info.value.problems), \
        [p.message for p in info.value.problems]


def test_every_bad_row_is_reported_at_once() -> None:
    with pytest.raises(FigureFileInvalid) as info:
        parse_figures("year,stage,form,count\nx,cases,all,1\n2024,cases,all,1\n2024,y,all,1\n")
    assert [p.params["row"] for p in info.value.problems] == [2, 4]


def test_import_replaces_figures_of_the_same_source(db: Session) -> None:
    user = analyst(db)
    rows = parse_figures(FIGURES_CSV)
    service.import_figures(db, actor=actor(user), rows=rows, source="CBS 2025")
    again = parse_figures("year,stage,form,count\n2024,cases,all,650\n")
    service.import_figures(db, actor=actor(user), rows=again, source="CBS 2025")
    official = [r for r in service.funnel(db, actor=actor(user)) if r.source == "CBS 2025"]
    assert len(official) == 6
    assert next(r.count for r in official if r.stage is FunnelStage.CASES) == 650
    [src] = service.sources(db, actor=actor(user))
    assert (src.source, src.rows, src.years, src.uploaded_by) == (
        "CBS 2025", 6, "2024", user.display_name)


def test_import_needs_the_rapporteur_or_comensha(db: Session) -> None:
    coordinator = analyst(db, OrgType.GEMEENTE, Role.COORDINATOR)
    with pytest.raises(Forbidden):
        service.import_figures(db, actor=actor(coordinator), rows=parse_figures(FIGURES_CSV),
                               source="x")


def test_police_medewerker_sees_no_dashboard(db: Session) -> None:
    with pytest.raises(Forbidden):
        service.funnel(db, actor=actor(analyst(db, OrgType.POLITIE)))


def test_platform_funnel_counts_signals_per_form(db: Session) -> None:
    reporter = analyst(db, OrgType.POLITIE)
    before = {(r.form, r.stage): r.count for r in service.platform_funnel(db)}
    make_signal(db, reporter)
    make_signal(db, reporter, form="sexual")
    after = {(r.form, r.stage): r.count for r in service.platform_funnel(db)}
    sig = FunnelStage.SIGNALS
    assert after[("labour", sig)] == before.get(("labour", sig), 0) + 1
    assert after[("all", sig)] == before.get(("all", sig), 0) + 2


def test_registrations_count_by_reporting_organisation_type(db: Session) -> None:
    reporter = analyst(db, OrgType.KMAR)
    viewer = analyst(db)
    before = service.registrations(db, actor=actor(viewer), year=None)
    make_signal(db, reporter)
    after = service.registrations(db, actor=actor(viewer), year=None)

    def kmar(rows: list) -> int:  # type: ignore[type-arg]
        return sum(r.count for r in rows if r.dimension == "reporting_org_type"
                   and r.value == "kmar")

    assert kmar(after) == kmar(before) + 1


def test_funnel_table_shows_dropout_per_step() -> None:
    rows = [FunnelRow(source="A", year=2024, form="all", stage=s, count=c) for s, c in
            zip(FunnelStage, (1000, 500, 200, 100, 3), strict=True)]
    headers, [line] = display.funnel_table(rows, "all")
    assert line == ["2024", "A", "1000", "500", "50%", "200", "60%", "100", "50%", "<5", "—"]
    assert len(headers) == len(line)


def test_dark_number_per_year_and_stratum() -> None:
    rows = registration_rows(400) + registration_rows(300, seed=8, year=2024)
    results = {(r.year, r.stratum): r for r in estimate_all(rows)}
    assert {(2024, "all"), (2025, "all"), (2025, "minors"), (2025, "adults")} <= set(results)
    everyone = results[(2025, "all")]
    assert everyone.estimate is not None and everyone.estimate >= everyone.observed
    assert everyone.low is not None and everyone.low <= everyone.estimate <= everyone.high
    # Three lists that each see 45%: about 1 - 0.55**3 = 83% are seen at all.
    assert 300 < everyone.observed < 400
    assert everyone.estimate == pytest.approx(400, rel=0.15)
    minors = results[(2025, "minors")]
    assert minors.observed < everyone.observed


def test_sparse_strata_are_flagged_not_estimated() -> None:
    rows = registration_rows(400, minor_share=0.01)
    minors = next(r for r in estimate_all(rows) if r.stratum == "minors")
    assert minors.estimate is None and "too sparse" in minors.flagged


def test_one_list_is_flagged() -> None:
    [everyone, *_] = estimate_all(registration_rows(50, lists=("politie",)))
    assert everyone.estimate is None and "two" in everyone.flagged


def test_refresh_stores_estimates(db: Session) -> None:
    user = analyst(db)
    for org_type in (OrgType.POLITIE, OrgType.KMAR):
        reporter = analyst(db, org_type)
        for _ in range(5):
            make_signal(db, reporter)
    made = service.refresh_estimates(db, actor=actor(user))
    stored = service.estimates(db, actor=actor(user))
    assert made > 0 and len(stored) == made
    assert "all" in {e.stratum for e in stored}
    assert all(e.estimate is None or e.estimate >= e.observed for e in stored)


def test_notes_never_show_a_small_count() -> None:
    text = display.note("", ["list 'kmar' has only 2 case(s); 464 of 511 cells; level 0.95"])
    assert "only <5 case(s)" in text and "464 of 511" in text and "0.95" in text


@pytest.mark.parametrize(("counts", "expected"), [
    ([40, 12, 3, 25], [40, WITHHELD, 3, 25]),  # 3 = total - others, unless 12 is withheld too
    ([40, 12, 3, 2], [40, 12, 3, 2]),  # two small cells: neither follows from the total
    ([40, 12, 25], [40, 12, 25]),  # nothing small
    ([3], [3]),  # no other cell to withhold
])
def test_a_lone_small_cell_gets_a_withheld_complement(counts: list[int],
                                                       expected: list[int]) -> None:
    assert protect(counts) == expected
    assert shown(WITHHELD) == "x" and is_suppressed(WITHHELD)


def test_published_funnel_and_registrations_never_let_a_small_count_be_subtracted(
        db: Session) -> None:
    reporter, viewer = analyst(db, OrgType.KMAR), analyst(db)
    for _ in range(6):
        make_signal(db, reporter)
    make_signal(db, reporter, form="sexual")
    regs = service.registrations(db, actor=actor(viewer), year=None)
    forms = {r.value: r.count for r in regs if r.dimension == "form"}
    assert forms["sexual"] == 1 and forms["labour"] == WITHHELD
    funnel = [r for r in service.funnel(db, actor=actor(viewer))
              if r.stage is FunnelStage.SIGNALS and r.source == service.PLATFORM]
    by_form = {r.form: r.count for r in funnel}
    assert by_form["sexual"] == 1 and WITHHELD in (by_form["labour"], by_form["all"])
    exact = {r.form: r.count for r in service.platform_funnel(db)
             if r.stage is FunnelStage.SIGNALS}
    assert exact["all"] == 7  # the internal counts stay exact


def test_imported_figures_get_complementary_suppression(db: Session) -> None:
    user = analyst(db)
    rows = parse_figures("year,stage,form,count\n2024,signals,all,40\n"
                         "2024,signals,sexual,3\n2024,signals,labour,12\n"
                         "2024,signals,criminal,25\n2024,cases,all,9\n")
    service.import_figures(db, actor=actor(user), rows=rows, source="CBS 2025")
    official = {(r.stage, r.form): r.count for r in service.funnel(db, actor=actor(user))
                if r.source == "CBS 2025"}
    # 3 would be 40 - 12 - 25: the smallest other cell is withheld with it.
    assert official[(FunnelStage.SIGNALS, "sexual")] == 3
    assert shown(official[(FunnelStage.SIGNALS, "sexual")]) == "<5"
    assert official[(FunnelStage.SIGNALS, "labour")] == WITHHELD
    assert official[(FunnelStage.SIGNALS, "criminal")] == 25
    assert official[(FunnelStage.CASES, "all")] == 9  # a lone total gives nothing away
    shown_rows = [r for r in service.funnel(db, actor=actor(user)) if r.source == "CBS 2025"]
    assert display.funnel_table(shown_rows, "sexual")[1][0][2] == "<5"
    assert display.funnel_table(shown_rows, "labour")[1][0][2] == "x"
