from __future__ import annotations

import pytest

from knowledge.issuers import issuer_named, names_of

ISSUERS = ["人力资源社会保障部", "教育部办公厅", "湖北省人力资源和社会保障厅"]


def test_an_issuer_is_named_in_full_and_as_people_shorten_it() -> None:
    assert set(names_of("人力资源社会保障部")) == {"人力资源社会保障部", "人社部"}
    assert "教育部" in names_of("教育部办公厅")


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("人社部搞的招聘活动靠谱吗", "人力资源社会保障部"),
        ("人力資源社會保障部的通知怎么说", "人力资源社会保障部"),
        ("教育部对困难毕业生有啥帮扶", "教育部办公厅"),
        # Any department of the kind, not a particular issuer.
        ("人社部门能帮我找工作吗", None),
        ("教育部门管不管实习", None),
        # A provincial department is named by its place, which places.py finds.
        ("湖北人社厅的补贴", None),
        # Two issuers: no one of them is the asker's.
        ("人社部和教育部都管吗", None),
        ("失业金怎么领", None),
    ],
)
def test_the_national_issuer_a_question_names(text: str, issuer: str | None) -> None:
    assert issuer_named(text, ISSUERS) == issuer
