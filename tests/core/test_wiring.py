"""The registries that read the manifests: scheduler jobs, one Jinja environment, one PDF."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht import domains, scheduler
from ketenzicht.auth import service as auth_service
from ketenzicht.auth.enums import OrgType
from ketenzicht.auth.models import Organisation
from ketenzicht.auth.schemas import OrganisationCreate
from ketenzicht.config import Settings
from ketenzicht.core import pdf
from ketenzicht.db.engine import make_engine
from ketenzicht.db.session import make_session_factory
from ketenzicht.web.templating import catalogue, templates


def test_each_scheduled_job_commits_on_its_own(scratch_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def writes(session: Session, settings: Settings) -> Mapping[str, int]:
        auth_service.create_organisation(session, data=OrganisationCreate(
            code="job-a", name="Job A", org_type=OrgType.ZORG), actor=None)
        return {"written": 1}

    def fails(session: Session, settings: Settings) -> Mapping[str, int]:
        raise RuntimeError("the second job fails")

    monkeypatch.setattr(domains, "jobs", lambda: [("a", writes), ("b", fails)])
    factory = make_session_factory(make_engine(scratch_url))
    with pytest.raises(RuntimeError):
        scheduler.tick(factory, Settings(database_url=scratch_url))
    with factory() as session:
        # The first job's transaction stands although the run failed after it.
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_the_scheduler_runs_the_jobs_the_manifests_declare() -> None:
    assert [name for name, _ in domains.jobs()] == [
        "signals", "cases", "notify", "online", "operations"]


def test_one_environment_translates_with_the_catalogue_of_the_render() -> None:
    template = templates.env.from_string('{{ _("Hello") }}')
    assert template.render() == "Hello"
    with catalogue(lambda message: f"[{message}]", lambda s, p, n: s if n == 1 else p):
        assert template.render() == "[Hello]"
    assert template.render() == "Hello"


def test_a_pdf_loads_nothing(tmp_path: Path) -> None:
    png = tmp_path / "secret.png"
    # A 1x1 PNG: embedded, it would add an image object to the PDF.
    png.write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e5274de40000000049454e44ae426082"))
    html = (f'<p>text</p><img src="{png.as_uri()}">'
            f'<link rel="stylesheet" href="{(tmp_path / "x.css").as_uri()}">')
    (tmp_path / "x.css").write_text("p { color: red }")
    body = pdf.render(html)
    assert body.startswith(b"%PDF")
    assert b"/Image" not in body
