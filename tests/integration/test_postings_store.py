"""Postings in PostgreSQL, as the running system stores them: a sample file imported by the staff
command into the stack's migrated database, reviewed, then what job seekers may see."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from devstack.stack import LocalStack
from jobs.__main__ import main
from jobs.postings import visible_postings
from jobs.sample import sample_csv
from storage.db import session_scope
from storage.models import Employer, Posting


def test_a_sample_import_is_all_or_nothing_and_shows_only_what_staff_approved(
    stack: LocalStack,
    stack_db: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = stack.settings
    assert settings is not None
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DATA_KEY", settings.data_key)
    with stack_db.begin() as connection:
        connection.execute(text("DELETE FROM job_pushes"))
        connection.execute(text("DELETE FROM postings"))
        connection.execute(text("DELETE FROM employers"))
    sample = tmp_path / "sample.csv"
    sample.write_text(sample_csv(1000, date.today()), encoding="utf-8")
    broken = tmp_path / "broken.csv"
    mars = "会计,某单位,火星,,1,2,,不限,,全职,x,y,2099-01-01\n"
    broken.write_text(sample.read_text("utf-8") + mars, encoding="utf-8")

    assert main(["import", str(broken)]) == 1
    assert "第1002行“城市”" in capsys.readouterr().out
    with stack_db.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM postings")).scalar_one() == 0

    assert main(["import", str(sample)]) == 0
    with session_scope(settings.database_url) as session:
        assert session.execute(select(func.count()).select_from(Posting)).scalar_one() == 1000
        wuhan = session.execute(
            select(Posting.id, Posting.employer_id).where(Posting.city == "武汉")
        ).all()
        assert not session.execute(visible_postings(date.today())).scalars().all()
        employer_ids = sorted({employer_id for _, employer_id in wuhan})
    assert main(["approve-employer", *map(str, employer_ids)]) == 0
    assert main(["approve", *(str(posting_id) for posting_id, _ in wuhan)]) == 0

    with session_scope(settings.database_url) as session:
        seen = session.execute(visible_postings(date.today())).scalars().all()
        assert {posting.city for posting in seen} == {"武汉"}
        assert len(seen) == len(wuhan)
        later = date.today() + timedelta(days=91)  # every sample posting has expired by then
        assert not session.execute(visible_postings(later)).scalars().all()
        names = session.execute(select(Employer.name)).scalars().all()
        assert all(name.endswith("（示例）") for name in names)
