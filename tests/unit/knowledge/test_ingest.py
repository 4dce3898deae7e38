"""knowledge.ingest: manifest + notices in, passages file out; a new notice needs no code."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

from knowledge.ingest import build_passages, main, write_passages
from knowledge.manifest import MANIFEST_NAME, NOTICES_DIR, ManifestError, load_manifest
from knowledge.retrieval import KnowledgeIndex
from knowledge.sections import Passage

SIXTH_FILE = "005_guangdong_nanyue.txt"
# A notice in Traditional characters, with page furniture, from a region none of the others has.
SIXTH_NOTICE = """廣東省人力資源和社會保障廳關于開展2024年南粵春暖行動的通知-南方網
南方網 > 政務 > 正文
2024 01/05 10:20:00
來源:廣東省人力資源和社會保障廳
各地級以上市人力資源社會保障局:
為做好春節前後就業服務,現就有關事項通知如下:
一、活動時間
2024年1月至3月
二、主要內容
(一)南粵春暖專場招聘。各地要在春節後組織專場招聘會,每場提供崗位不少于500個。
(二)返崗包車服務。對集中返崗的務工人員,提供“點對點”包車服務,費用由當地財政承擔。
廣東省人力資源和社會保障廳
2024年1月5日
【糾錯】 【責任編輯:張三】
"""
SIXTH_ENTRY = {
    "file": SIXTH_FILE,
    "title": "广东省人力资源和社会保障厅关于开展2024年南粤春暖行动的通知",
    "issuer": "广东省人力资源和社会保障厅",
    "date": "2024-01-05",
    "region": "广东省",
    "script": "traditional",
}


@pytest.fixture
def notices_with_a_sixth(tmp_path: Path) -> Path:
    """A copy of the shipped notices plus a sixth notice and its manifest entry."""
    notices = tmp_path / "notices"
    shutil.copytree(NOTICES_DIR, notices)
    (notices / SIXTH_FILE).write_text(SIXTH_NOTICE, encoding="utf-8")
    manifest = json.loads((notices / MANIFEST_NAME).read_text(encoding="utf-8"))
    (notices / MANIFEST_NAME).write_text(
        json.dumps([*manifest, SIXTH_ENTRY], ensure_ascii=False), encoding="utf-8"
    )
    return notices


def test_every_notice_in_the_manifest_gives_passages(shipped_passages: list[Passage]) -> None:
    files = [entry.file for entry in load_manifest()]
    assert list(dict.fromkeys(passage.notice for passage in shipped_passages)) == files
    assert len({passage.id for passage in shipped_passages}) == len(shipped_passages)


def test_passages_file_round_trips_into_the_same_index(
    tmp_path: Path, shipped_passages: list[Passage], shipped_index: KnowledgeIndex
) -> None:
    out = tmp_path / "knowledge" / "passages.json"
    write_passages(shipped_passages, out)
    loaded = KnowledgeIndex.load(out)
    assert loaded.passages == tuple(shipped_passages)
    question = "春风行动什么时候"
    assert loaded.search(question) == shipped_index.search(question)


def test_a_passages_file_of_another_version_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "passages.json"
    out.write_text(json.dumps({"version": 0, "passages": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="make knowledge"):
        KnowledgeIndex.load(out)


def test_a_sixth_notice_is_picked_up_with_no_code_change(
    notices_with_a_sixth: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "passages.json"
    main(["--notices", str(notices_with_a_sixth), "--out", str(out)])

    index = KnowledgeIndex.load(out)
    sixth = [p for p in index.passages if p.notice == SIXTH_FILE]
    assert {p.region for p in sixth} == {"广东省"}
    assert {p.title for p in sixth} == {SIXTH_ENTRY["title"]}
    assert [p.headings for p in sixth] == [
        (),
        ("一、活動時間",),
        ("二、主要內容", "(一)南粵春暖專場招聘"),
        ("二、主要內容", "(二)返崗包車服務"),
        ("落款",),
    ]
    assert not any("南方網" in p.text or "責任編輯" in p.text for p in sixth)

    best = index.search("广东返岗包车费用谁出", region="广东")[0]
    assert best.passage.notice == SIXTH_FILE
    assert "由當地財政承擔" in best.passage.text
    assert all(hit.passage.notice != SIXTH_FILE for hit in index.search("南粤春暖", region="湖北"))
    assert index.search("南粤春暖")[0].passage.notice == SIXTH_FILE


def test_a_notice_missing_from_the_manifest_is_left_out_with_a_warning(
    notices_with_a_sixth: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (notices_with_a_sixth / MANIFEST_NAME).write_text(
        (NOTICES_DIR / MANIFEST_NAME).read_text(encoding="utf-8"), encoding="utf-8"
    )
    with caplog.at_level(logging.WARNING, logger="knowledge.ingest"):
        passages = build_passages(notices_with_a_sixth)
    assert SIXTH_FILE not in {passage.notice for passage in passages}
    assert SIXTH_FILE in caplog.text


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ({**SIXTH_ENTRY, "file": "006_absent.txt"}, "006_absent.txt"),
        ({key: value for key, value in SIXTH_ENTRY.items() if key != "region"}, "region"),
    ],
)
def test_a_bad_manifest_entry_stops_the_ingest(
    notices_with_a_sixth: Path, entry: dict[str, str], complaint: str
) -> None:
    manifest = json.loads((NOTICES_DIR / MANIFEST_NAME).read_text(encoding="utf-8"))
    (notices_with_a_sixth / MANIFEST_NAME).write_text(
        json.dumps([*manifest, entry], ensure_ascii=False), encoding="utf-8"
    )
    with pytest.raises(ManifestError, match=complaint):
        build_passages(notices_with_a_sixth)
