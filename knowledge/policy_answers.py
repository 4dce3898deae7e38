"""Answers a policy question from the notices, in one WeChat message that ends with its source.

The question is put into the notices' words (``thesaurus.py``) and its place found
(``places.py``). A curated answer for the topic (``curated.py``) is given unless the best passage
BM25 finds (``retrieval.py``) has clearly more of the question's words; a passage is quoted, cut
to the sentences that fit the question best. A regional rule says whose it is ("湖北省：…").
With no confident match the reply says so and offers the 12333 hotline and a person: it never
makes up a figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from bot.simplified import to_simplified
from knowledge.curated import CuratedAnswer, CuratedAnswers, CuratedPart, load_curated
from knowledge.ingest import PASSAGES_FILE
from knowledge.issuers import issuer_named
from knowledge.manifest import NoticeEntry
from knowledge.markers import HEADING_LEVELS
from knowledge.places import Place, PlaceBook, load_places
from knowledge.retrieval import (
    NATIONAL,
    Hit,
    KnowledgeIndex,
    region_applies,
    segmenter,
    tokenize,
)
from knowledge.sections import SIGN_OFF, Passage, in_section, names_items
from knowledge.spelling import SpellingFixer
from knowledge.thesaurus import Thesaurus, load_thesaurus

# WeChat shows about this much in one message without folding it.
MAX_REPLY_CHARS = 600
# The quoted part of a passage; the rest of the message is labels, notes and the source.
EXCERPT_CHARS = 240
# Below this share of the question's (idf-weighted) words, a passage is not an answer.
MIN_CONFIDENCE = 0.35
# A line whose words an earlier line of the same notice has this share of says nothing new.
REPEAT_SHARE = 0.8
# How much more of the question a passage must cover to be quoted instead of a curated answer.
PASSAGE_LEAD = 0.15

NOT_FOUND = (
    "抱歉，这个问题我在现有的政策文件里没有找到确切的说法，不敢乱答。"
    "建议拨打12333人社服务热线咨询，或回复“转人工”请工作人员为您解答。"
)
NOT_FOUND_IN_REGION = (
    "抱歉，我手上的政策文件里没有找到{region}关于这个问题的规定，不敢乱答。"
    "建议拨打12333人社服务热线咨询当地政策，或回复“转人工”请工作人员为您解答。"
)
OTHER_REGIONS = "以上是{regions}的规定，其他地方请以当地人社部门的规定为准。"
# What a question may ask that a quoted passage may not say; the note says so instead of guessing.
ASPECTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("材料", "证明", "手续", "带什么"), "所需材料"),
    (("多少钱", "多少元", "标准", "金额", "给多少"), "具体标准"),
    (("补贴", "补助", "津贴"), "相关补贴"),
)
NOT_STATED = "通知里没有写明{aspect}，请以当地人社部门的要求为准，可拨打12333咨询。"
# Asking for materials or procedures: "需要什么材料", "要带哪些证明", "手续".
_ASKED_PAPERWORK = re.compile(
    r"(?:需要|要|得)?(?:准备|带|交|提交|提供)?(?:什么|哪些|啥)?(?:材料|证明|手续|证件)"
)

# What is quoted about a campaign must have this share of what the question asks that the
# calendar's own lines do not say.
QUOTE_MIN_SHARE = 0.3
# How many of a notice's best passages a campaign that is the whole notice may quote from.
QUOTED_PASSAGES = 2
# How many passages BM25 offers before the answerer picks one, and how close to the best one's
# score another must be to be picked instead.
CANDIDATES = 5
CLOSE_SCORE = 0.6
# A passage quoted after the best one needs a word of the question at least this rare (idf)
# that the best one lacks, and this share of its score; a national section after a region's
# rule, when no region was asked, need only be as close as CLOSE_SCORE, with this confidence.
RARE_WEIGHT = 2.0
PAIRED_SCORE = 0.8
NATIONAL_MIN_CONFIDENCE = 0.25
# Each of the two quoted then, so that both fit in one message with their sources.
PAIRED_EXCERPT_CHARS = 200
# A question that asks how many, and the counts that answer it ("40万人以上", "600个", "90%").
FIGURE_WORDS = ("多少", "几个", "几次", "几家", "几万", "多少人", "比例", "人数", "数量", "目标")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|个|人|家|次|名|场|%|％|元|所)")
# A question that asks how often ("招聘会多久办一场"), and the words that answer it ("每周至少举办
# 一次", "月月有招聘").
_ASKS_HOW_OFTEN = re.compile(
    r"多久(?:.{0,3}[一1][次场回]|[办有搞开举])|多长时间.{0,3}[一1][次场回]|频率|频次"
    r"|几[天周个]?月?一[次场回]|每[周月年天]几"
)
_HOW_OFTEN = re.compile(r"每(?:周|月|季度|年|天|日)|周周|月月|天天|定期")
CONTACT_WORDS = ("电话", "联系", "邮箱", "咨询", "找谁", "联络")

_CLAUSE = re.compile(r"[^。；;！？!?]*[。；;！？!?]?")
_COMMA_CLAUSE = re.compile(r"[^，,]*[，,]?")
LONG_SENTENCE_CHARS = EXCERPT_CHARS // 2
_HEADING_MARK = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[.、])"
)
_ASCII_PUNCTUATION = str.maketrans({",": "，", ";": "；", "(": "（", ")": "）"})
_COLON = re.compile(r"(?<!\d):|:(?!\d)")


def _beats(hit: Hit, curated_coverage: float) -> bool:
    """Whether a passage answers more of the question than the curated answer, with confidence."""
    return hit.confidence >= MIN_CONFIDENCE and hit.confidence >= curated_coverage + PASSAGE_LEAD


@dataclass(frozen=True)
class _Draft:
    """Part of a reply: quoted lines, notes on them, and the notices they come from."""

    lines: tuple[tuple[str, NoticeEntry], ...]
    notes: tuple[str, ...]


def _repeats(line: str, said: str) -> bool:
    """Whether ``said`` has nearly all the words of ``line`` (a curated overview of the passage
    just quoted)."""
    words = set(tokenize(line))
    return bool(words) and len(words & set(tokenize(said))) >= len(words) * REPEAT_SHARE


@dataclass(frozen=True)
class PolicyReply:
    text: str
    found: bool


def notice_date(entry: NoticeEntry) -> str:
    """ "2023-04-17" → "2023年4月17日"; a bare year stays a year."""
    parts = entry.date.split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return f"{entry.date}年" if entry.date.isdigit() else entry.date


def source_line(entries: Sequence[NoticeEntry]) -> str:
    unique = list(dict.fromkeys(entries))
    return "来源：" + "；".join(
        f"{entry.issuer}《{entry.title}》（{notice_date(entry)}）" for entry in unique
    )


def display(text: str) -> str:
    """Notice text as a message shows it: full-width punctuation, no line breaks inside."""
    text = _COLON.sub("：", text.translate(_ASCII_PUNCTUATION))
    return re.sub(r"\s*\n\s*", "", text).strip()


def without_mark(text: str) -> str:
    """``text`` without the heading mark it may start with ("(九)", "二、")."""
    for pattern in HEADING_LEVELS:
        text = pattern.sub("", text, count=1) if pattern.match(text) else text
    return text


def _title_and_body(passage: Passage) -> tuple[str, str]:
    """A passage's own heading (without its mark), and its text as a message shows it without
    that heading, which the text starts with."""
    body = display(without_mark(passage.text_simplified))
    heading = passage.headings[-1] if passage.headings else ""
    title = display(without_mark(to_simplified(heading))).split("。")[0]
    if title and title != SIGN_OFF and body.startswith(title):
        body = body[len(title) :].lstrip("。：\n ")
    return title, body


_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _quotable_sentences(passage: Passage) -> list[str]:
    """A passage's sentences; a sign-off's lines, but for its issuer and date, as one sentence
    ("联系人及电话：…；电子信箱：…")."""
    if not passage.is_sign_off:
        return _sentences(_title_and_body(passage)[1])
    lines = [display(line) for line in passage.text_simplified.splitlines()]
    kept = [
        line for line in lines if line and line != passage.issuer and not _DATE_LINE.match(line)
    ]
    return ["；".join(kept) + "。"] if kept else []


def says_any(text: str, words: Iterable[str]) -> bool:
    """Whether ``text``, in Simplified characters, has any of ``words``; converted once."""
    simplified = to_simplified(text)
    return any(word in simplified for word in words)


def _wanted(question: str) -> re.Pattern[str] | None:
    """What kind of fact answers ``question``: a frequency when it asks how often, a count when
    it asks how many, else nothing in particular."""
    text = to_simplified(question)
    if _ASKS_HOW_OFTEN.search(text):
        return _HOW_OFTEN
    if any(word in text for word in FIGURE_WORDS):
        return _FIGURE
    return None


def _score(
    sentence: str,
    weights: dict[str, float],
    wanted: re.Pattern[str] | None,
    bonus: float,
    heading: str = "",
) -> float:
    """How much of a question ``sentence`` says: the weights of its words (with those of the
    ``heading`` it is under), and ``bonus`` when it has what is ``wanted`` (a count, a
    frequency)."""
    # fsum: the same total in whatever order the set gives its words, so ties break alike.
    said = math.fsum(weights.get(word, 0.0) for word in set(tokenize(f"{heading} {sentence}")))
    return said + (bonus if wanted is not None and wanted.search(sentence) else 0.0)


def _best_within(
    sentences: Sequence[str], scores: Sequence[float], room: int, above: float
) -> set[int]:
    """Where the best ``sentences`` (scoring more than ``above``) are, best first and, among
    equals, the earlier one (it usually sets the scene), as many as fit in ``room``."""
    chosen: set[int] = set()
    for at in sorted(range(len(sentences)), key=lambda at: (-scores[at], at)):
        if scores[at] > above and len(sentences[at]) <= room:
            chosen.add(at)
            room -= len(sentences[at])
    return chosen


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``; one too long to quote whole is cut at its commas."""
    pieces: list[str] = []
    for sentence in _CLAUSE.findall(text):
        if len(sentence) > LONG_SENTENCE_CHARS:
            pieces.extend(clause for clause in _COMMA_CLAUSE.findall(sentence) if clause)
        elif sentence.strip():
            pieces.append(sentence)
    return pieces


class PolicyAnswerer:
    def __init__(
        self,
        index: KnowledgeIndex,
        curated: CuratedAnswers,
        places: PlaceBook,
        thesaurus: Thesaurus,
    ) -> None:
        self.index = index
        self.curated = curated
        self.places = places
        self.thesaurus = thesaurus
        self._issuers = frozenset(passage.issuer for passage in index.passages)
        self._spelling = SpellingFixer(index.words | thesaurus.words, index.texts, segmenter())

    def answer(self, question: str) -> PolicyReply:
        """The reply to ``question``. One the notices do not answer is asked again with its
        slips of typing fixed ("毕业档按怎么转"); one that asks for materials or procedures
        ("遂宁残疾人帮扶需要什么材料") on the rest of what it asks, with the note that the notice
        does not state them."""
        first = self._answer_reading(question)
        if first.found:
            return first
        fixed = self._spelling.fix(question)
        if fixed != question:
            again = self._answer_reading(fixed)
            if again.found:
                return again
        return first

    def _answer_reading(self, asked: str) -> PolicyReply:
        """The reply to ``asked``; when nothing is found and it asks for materials, the reply
        on the rest of what it asks, if that is found."""
        reply = self._answer(asked, asked)
        if reply.found:
            return reply
        simplified = to_simplified(asked)
        topic = _ASKED_PAPERWORK.sub(" ", simplified)
        if topic == simplified or not tokenize(topic):
            return reply
        on_the_topic = self._answer(topic, asked)
        return on_the_topic if on_the_topic.found else reply

    def _answer(self, question: str, asked: str) -> PolicyReply:
        """The reply to ``question``, its notes on what ``asked`` asks that it does not say."""
        named = self.places.find_all(question)
        place = named[0][1] if named else None
        region = place.region if place else None
        query = self.thesaurus.rewrite(self._places_as_notices_say(question, named))
        issuer = None if place else issuer_named(question, self._issuers)
        hits = self._search(query, question, region, issuer)
        curated = self.curated.find(query)
        parts = [
            part
            for part in (curated.parts if curated else ())
            if region is None or region_applies(part.notice.region, region)
        ]
        parts = [part for part in parts if part.notice.issuer == issuer] or parts
        if curated is not None and parts:
            overview = self._curated_draft(curated, parts)
            # A passage that says more of what was asked beats the curated overview, which is
            # about the words it was chosen by as well as those it says.
            topic = " ".join(word for group in curated.asks for word in group)
            texts = " ".join(
                f"{part.notice.title} {part.notice.region} {part.text}" for part in parts
            )
            said = self.index.coverage(query, f"{topic} {texts}")
            if not (hits and _beats(hits[0], said)):
                # The overview leads; the passage adds what of the question it leaves out.
                more = self._what_the_overview_leaves_out(hits, query, question, texts)
                return PolicyReply(self._compose(asked, region, overview, *more), True)
            # The passage says what was asked; the overview follows where there is room.
            passage = self._passage_draft(hits[0], query, question)
            return PolicyReply(self._compose(asked, region, passage, overview), True)
        if not hits or hits[0].confidence < MIN_CONFIDENCE:
            if place is None:
                return PolicyReply(NOT_FOUND, False)
            return PolicyReply(NOT_FOUND_IN_REGION.format(region=place.region), False)
        second = self._second_passage(hits, query, region)
        if second is None:
            passage = self._passage_draft(hits[0], query, question)
            return PolicyReply(self._compose(asked, region, passage), True)
        # Both passages, each cut to half the message, each with its region when they differ.
        labelled = hits[0].passage.region != second.passage.region
        first, also = (
            self._passage_draft(hit, query, question, labelled=labelled, room=PAIRED_EXCERPT_CHARS)
            for hit in (hits[0], second)
        )
        return PolicyReply(self._compose(asked, region, first, also), True)

    def _second_passage(self, hits: Sequence[Hit], query: str, region: str | None) -> Hit | None:
        """A passage behind the best one that says a rare word asked that the best one lacks, to
        quote after it; else nothing. When no region was asked and the best one is a region's
        rule, a national section close behind will do (a Shaanxi rule on 个人信息, the national
        one on 信息泄露). Else it must be of the same notice, closer still, answer with
        confidence itself, and say a rare word of two characters or more ("网上能参加吗":
        做好安全保障 on 线上线下, then 拓宽活动渠道 on 网络直播)."""
        best = hits[0]
        rare = {
            word
            for word, weight in self._asked_besides(
                query, self.index.passage_words(best.passage)
            ).items()
            if weight >= RARE_WEIGHT
        }
        national_after_regional = region is None and best.passage.region != NATIONAL
        for hit in hits[1:]:
            says = rare & self.index.passage_words(hit.passage)
            if not (says and hit.passage.headings):
                continue
            if (
                national_after_regional
                and hit.passage.region == NATIONAL
                and hit.score >= best.score * CLOSE_SCORE
                and hit.confidence >= NATIONAL_MIN_CONFIDENCE
            ):
                return hit
            if (
                hit.passage.notice == best.passage.notice
                and hit.score >= best.score * PAIRED_SCORE
                and hit.confidence >= MIN_CONFIDENCE
                and any(len(word) > 1 for word in says)
            ):
                return hit
        return None

    def _what_the_overview_leaves_out(
        self, hits: Sequence[Hit], query: str, question: str, overview: str
    ) -> list[_Draft]:
        """The best passage's sentences on the words of ``query`` that ``overview`` lacks, when
        it answers with confidence and has some of them; else nothing."""
        if not hits or hits[0].confidence < MIN_CONFIDENCE:
            return []
        left_out = self._asked_besides(query, set(tokenize(overview)))
        passage = hits[0].passage
        if not set(left_out) & self.index.passage_words(passage):
            return []
        return [self._passage_draft(hits[0], " ".join(left_out), question, overview)]

    def _asked_besides(self, query: str, known: AbstractSet[str]) -> dict[str, float]:
        """The words of ``query`` that the notices have and the words ``known`` lack, with their
        weights."""
        return {
            word: weight
            for word, weight in self.index.query_weights(query).items()
            if weight > 0 and word not in known and self.index.knows(word)
        }

    def _places_as_notices_say(self, question: str, named: Sequence[tuple[str, Place]]) -> str:
        """``question`` with each place ``named`` in it named as the notices name it: a city they
        do not name becomes its province ("西安" → "陕西"), which they do."""
        text = to_simplified(question)
        for name, place in named:
            if not self.index.knows(name):
                known = place.city if place.city and self.index.knows(place.city) else None
                text = text.replace(name, known or place.province_name)
        return text

    def _search(
        self, query: str, question: str, region: str | None, issuer: str | None = None
    ) -> list[Hit]:
        """The best passage first: of those BM25 scores close to its best, the region's own
        rule when the question names a region and one answers with confidence, else the one with
        most of the question's words (and a count or a frequency, when it asks how many or how
        often);
        the sign-off only when it asks whom to contact. When the question names an issuer
        ("人社部"), that issuer's passages, if one of them answers with confidence."""
        # Every passage is a candidate when one issuer's are wanted, else only the best few.
        k = len(self.index.passages) if issuer else CANDIDATES
        hits = [
            hit
            for hit in self.index.search(query, region, k=k)
            if not hit.passage.is_sign_off or says_any(question, CONTACT_WORDS)
        ]
        issuers = [hit for hit in hits if hit.passage.issuer == issuer]
        if issuers and max(hit.confidence for hit in issuers) >= MIN_CONFIDENCE:
            hits = issuers
        hits = hits[:CANDIDATES]
        if not hits:
            return []
        close = [hit for hit in hits if hit.score >= hits[0].score * CLOSE_SCORE]
        wanted = _wanted(question)
        if wanted is not None:
            close = [hit for hit in close if wanted.search(hit.passage.text_simplified)] or close
        # A region asked about has its own rule given when one answers with confidence.
        best = max(close, key=lambda hit: (self._own_rule(hit, region), hit.confidence, hit.score))
        return [best, *(hit for hit in hits if hit is not best)]

    @staticmethod
    def _own_rule(hit: Hit, region: str | None) -> bool:
        """Whether ``hit`` is a rule of the ``region`` asked about that answers with confidence."""
        return (
            region is not None
            and hit.passage.region != NATIONAL
            and hit.confidence >= MIN_CONFIDENCE
        )

    # ------------------------------------------------------------------ composing replies

    def _curated_draft(
        self,
        curated: CuratedAnswer,
        parts: Sequence[CuratedPart],
    ) -> _Draft:
        label = len({part.notice.region for part in parts}) > 1 or any(
            part.notice.region != NATIONAL for part in parts
        )
        lines = tuple(
            ((f"{part.notice.region}：" if label else "") + display(part.text), part.notice)
            for part in parts
        )
        return _Draft(lines, (curated.note,))

    def _passage_draft(
        self,
        hit: Hit,
        query: str,
        question: str,
        said: str = "",
        labelled: bool = False,
        room: int = EXCERPT_CHARS,
    ) -> _Draft:
        """The passage of ``hit`` cut to the sentences on ``query`` (those on it only, and none
        that repeats it, when something was ``said`` before), with its heading and its region
        (a national one's only when ``labelled``: after a region's rule)."""
        passage = hit.passage
        title, body = _title_and_body(passage)
        excerpt = self._excerpt(body, query, _wanted(question), said, room)
        if title and title != SIGN_OFF:
            excerpt = f"【{title}】{excerpt}"
        if passage.region != NATIONAL or labelled:
            excerpt = f"{passage.region}：{excerpt}"
        return _Draft(((excerpt, passage.source),), ())

    def _compose(self, question: str, region: str | None, *drafts: _Draft) -> str:
        """One message from the drafts, in order: their lines (a line that an earlier one from
        the same notice already says is left out), the notes (with, when every line is some
        region's rule and no region was asked, that other places have their own), and the
        sources."""
        lines: list[tuple[str, NoticeEntry]] = []
        for line, source in (line for draft in drafts for line in draft.lines):
            said = " ".join(other for other, other_source in lines if other_source == source)
            if not _repeats(line, said):
                lines.append((line, source))
        notes = [note for draft in drafts for note in draft.notes]
        notes.append(self._other_regions([source.region for _, source in lines], region))
        notes.append(self._missing_aspect(question, [*(line for line, _ in lines), *notes]))
        return self._fit(lines, list(dict.fromkeys(notes)))

    def _excerpt(
        self,
        body: str,
        query: str,
        wanted: re.Pattern[str] | None = None,
        said: str = "",
        room: int = EXCERPT_CHARS,
    ) -> str:
        """The sentences of ``body`` that share most with ``query``, in their order, within
        ``room`` characters, and those that have what is ``wanted`` (a count, a frequency) first;
        "…" marks what is left out. After something ``said``, only sentences on ``query`` that
        do not repeat it."""
        if len(body) <= room and not said:
            return body
        sentences = _sentences(body)
        weights = self.index.query_weights(query)
        bonus = max(weights.values(), default=0.0)
        scores = [_score(sentence, weights, wanted, bonus) for sentence in sentences]
        if said:
            scores = [
                score if score > 0 and not _repeats(sentence, said) else -1.0
                for score, sentence in zip(scores, sentences, strict=True)
            ]
        # A sentence that repeats what was said scores -1 and is never chosen.
        chosen = _best_within(sentences, scores, room, above=-1.0)
        if not chosen:
            best = max(range(len(sentences)), key=lambda at: (scores[at], -at))
            return sentences[best][:room] + "…"
        pieces = []
        for at in range(len(sentences)):
            if at in chosen:
                pieces.append(sentences[at])
            elif not pieces or pieces[-1] != "…":
                pieces.append("…")
        return "".join(pieces)

    def quote_about(
        self,
        question: str,
        notice: str,
        section: str,
        topic: str,
        said: str,
        limit: int,
        parts_named: Sequence[str] = (),
    ) -> str:
        """What ``section`` of ``notice`` ("二、(五)"; for one of whole parts, the notice's passages
        that answer the question best), or its sign-off when the question asks whom to contact,
        says about ``topic`` (a campaign's names) that ``question`` asks and ``said`` does not
        already say: its best sentences, in order, within ``limit`` characters; "" when they
        say too little of what was asked. A sentence that names one of ``parts_named`` (an
        activity of the campaign the question asked by, "百校万岗助就业公益行动", or the name
        of a family of campaigns, "职引未来") comes first; for a section of whole parts, it is
        looked for in every passage of the notice."""

        def names_a_part(text: str) -> bool:
            return any(part in text for part in parts_named)

        # The topic and places say which campaign it is, not what is asked about it.
        places = " ".join(name for name, _ in self.places.find_all(question))
        weights = self._asked_besides(
            self.thesaurus.rewrite(question), set(tokenize(f"{topic} {places}"))
        )
        asks_contact = says_any(question, CONTACT_WORDS)
        of_notice = [passage for passage in self.index.passages if passage.notice == notice]
        if names_items(section):
            passages = [passage for passage in of_notice if in_section(passage, section)]
        elif asks_contact:
            passages = []
        else:
            # A section of whole parts ("一、二、四") is the whole notice: its best passages for
            # what is asked about the campaign.
            best = self.index.search(" ".join(weights), None, k=len(self.index.passages))
            passages = [
                hit.passage
                for hit in best
                if hit.passage.notice == notice and not hit.passage.is_sign_off
            ][:QUOTED_PASSAGES]
            # And those that name what it was asked by, wherever they are.
            passages += [
                passage
                for passage in of_notice
                if passage not in passages and names_a_part(passage.text_simplified)
            ]
        if asks_contact:
            passages += [passage for passage in of_notice if passage.is_sign_off]
        # Each sentence with the heading it is under, which says what it is about ("行动目标").
        under = [
            (sentence, passage.headings[-1] if passage.headings else "")
            for passage in passages
            for sentence in _quotable_sentences(passage)
            if not _repeats(sentence, said)
        ]
        sentences = [sentence for sentence, _ in under]
        wanted = _wanted(question)
        bonus = max(weights.values(), default=1.0)
        scores = [
            _score(sentence, weights, wanted, bonus, heading)
            + (bonus if names_a_part(sentence) else 0.0)
            for sentence, heading in under
        ]
        chosen = _best_within(sentences, scores, limit, above=0.0)
        quoted = set(tokenize(" ".join(" ".join(under[at]) for at in chosen)))
        covered = sum(weight for word, weight in weights.items() if word in quoted)
        if covered < sum(weights.values()) * QUOTE_MIN_SHARE:
            # Too little of what was asked: only what the notice says of the name it was asked
            # by ("职引未来这到底是个啥").
            chosen = {at for at in chosen if names_a_part(sentences[at])}
        if not chosen:
            return ""
        return "…".join(sentences[at].rstrip("，,；;") for at in sorted(chosen))

    @staticmethod
    def _missing_aspect(question: str, lines: Sequence[str]) -> str:
        said = "".join(lines)
        question = to_simplified(question)
        for words, aspect in ASPECTS:
            if any(word in question for word in words) and not any(word in said for word in words):
                if aspect == "具体标准" and "元" in said:
                    continue
                return NOT_STATED.format(aspect=aspect)
        return ""

    @staticmethod
    def _other_regions(regions: Sequence[str], asked: str | None) -> str:
        if asked is not None or NATIONAL in regions:
            return ""
        return OTHER_REGIONS.format(regions="、".join(dict.fromkeys(regions)))

    @staticmethod
    def _fit(lines: Sequence[tuple[str, NoticeEntry]], notes: Sequence[str]) -> str:
        """The lines that fit in one message, in order, with the notes and the line naming
        their sources after them."""
        notes = [note for note in notes if note]
        sources = [source for _, source in lines]
        room = MAX_REPLY_CHARS - sum(len(note) + 1 for note in notes) - len(source_line(sources))
        body: list[tuple[str, NoticeEntry]] = []
        for line, source in lines:
            if len(line) + 1 <= room:
                body.append((line, source))
                room -= len(line) + 1
        return "\n".join(
            [*(line for line, _ in body), *notes, source_line([source for _, source in body])]
        )


@lru_cache(maxsize=1)
def load_answerer() -> PolicyAnswerer:
    """The answerer over the ingested passages (``make knowledge``) and the shipped data files."""
    return PolicyAnswerer(
        KnowledgeIndex.load(PASSAGES_FILE), load_curated(), load_places(), load_thesaurus()
    )
