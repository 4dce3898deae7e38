"""knowledge.retrieval: questions find the passage that holds the facts, in either script."""

from __future__ import annotations

import pytest

from bot.simplified import to_simplified
from knowledge.retrieval import KnowledgeIndex, region_applies, tokenize
from knowledge.sections import SIGN_OFF
from knowledge.thesaurus import load_thesaurus

# A question, the asker's region, and what the best passage must be: its notice's region,
# the end of its heading path, and a fact it must state.
QUESTIONS = [
    (
        "湖北创业培训补贴多少钱",
        None,
        "湖北省",
        "(三)开展创业服务支持行动",
        "300元/人、1200元/人、1500元/人",
    ),
    ("创业培训补贴有多少", "湖北", "湖北省", "(三)开展创业服务支持行动", "1500元/人"),
    ("春风行动什么时候", None, "全国", "(一)春风行动暨就业援助月", "1-3月"),
    ("民营企业招聘月是几月", None, "全国", "(三)民营企业招聘月", "4月"),
    ("三支一扶什么时候招募", "湖北", "湖北省", "(二)开展稳岗扩岗助力行动", "7月底前完成招募"),
    ("金秋招聘月", "遂宁", "四川省遂宁市", "(九)金秋招聘月", "2022年10—11月"),
    ("陕西攻坚季行动时间", None, "陕西省", "二、行动时间", "2020年第四季度"),
    ("春季促就业攻坚行动时间", None, "全国", "二、行动时间", "2023年2月—4月"),
    ("失业保险金怎么领", None, "陕西省", "(六)加强困难援助", "失业保险金"),
    (
        "退捕渔民有什么就业服务",
        None,
        "陕西省",
        "(四)为长江禁捕退捕渔民实施全覆盖就业服务",
        "退捕渔民",
    ),
    ("宏志助航", None, "全国", "(五)开展“宏志助航”重点群体帮扶行动", "宏志助航计划"),
    ("教育部春季攻坚行动联系电话", None, "全国", SIGN_OFF, "010-66097835"),
]


@pytest.mark.parametrize(("question", "region", "notice_region", "heading", "fact"), QUESTIONS)
def test_question_finds_the_passage_with_the_facts(
    shipped_index: KnowledgeIndex,
    question: str,
    region: str | None,
    notice_region: str,
    heading: str,
    fact: str,
) -> None:
    best = shipped_index.search(question, region=region, k=3)[0]
    assert best.passage.region == notice_region
    assert to_simplified(best.passage.headings[-1]) == heading
    assert fact in best.passage.text_simplified
    assert best.confidence >= 0.6


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("春風行動什麼時候", "春风行动什么时候"),
        ("湖北創業培訓補貼多少錢", "湖北创业培训补贴多少钱"),
        ("離校未就業高校畢業生有什麼服務", "离校未就业高校毕业生有什么服务"),
        ("萬企進校園招聘活動", "万企进校园招聘活动"),
    ],
)
def test_traditional_question_finds_what_its_simplified_twin_finds(
    shipped_index: KnowledgeIndex, traditional: str, simplified: str
) -> None:
    def found(question: str) -> list[tuple[str, float]]:
        return [(hit.passage.id, hit.score) for hit in shipped_index.search(question, k=5)]

    assert tokenize(traditional) == tokenize(simplified)
    assert found(traditional) == found(simplified)
    assert found(simplified)


@pytest.mark.parametrize(
    ("region", "allowed"),
    [
        ("湖北", {"湖北省", "全国"}),
        ("湖北省", {"湖北省", "全国"}),
        ("陝西", {"陕西省", "全国"}),
        ("遂宁", {"四川省遂宁市", "全国"}),
        ("四川", {"全国"}),
        ("广东", {"全国"}),
    ],
)
def test_region_keeps_to_that_region_and_national_notices(
    shipped_index: KnowledgeIndex, region: str, allowed: set[str]
) -> None:
    hits = shipped_index.search("就业服务招聘活动", region=region, k=100)
    assert {hit.passage.region for hit in hits} == allowed


def test_without_a_region_every_notice_can_answer(shipped_index: KnowledgeIndex) -> None:
    hits = shipped_index.search("就业服务招聘活动", k=100)
    assert {hit.passage.region for hit in hits} == {
        "全国",
        "湖北省",
        "四川省遂宁市",
        "陕西省",
    }


@pytest.mark.parametrize(
    ("region", "first_region"), [(None, "全国"), ("遂宁", "四川省遂宁市"), ("湖北", "全国")]
)
def test_where_notices_agree_the_one_fitting_the_asker_comes_first(
    shipped_index: KnowledgeIndex, region: str | None, first_region: str
) -> None:
    hits = shipped_index.search("高校毕业生就业服务周", region=region, k=2)
    assert hits[0].passage.region == first_region
    assert "就业服务周" in hits[0].passage.headings[-1]


@pytest.mark.parametrize(
    ("notice_region", "user_region", "applies"),
    [
        ("全国", "陕西", True),
        ("湖北省", "湖北", True),
        ("湖北省", "湖北省武汉市", True),
        ("湖北省", "陕西", False),
        ("四川省遂宁市", "遂宁", True),
        ("四川省遂宁市", "四川省遂宁市", True),
        ("四川省遂宁市", "四川", False),
        ("陕西省", "陝西省", True),
    ],
)
def test_region_applies(notice_region: str, user_region: str, applies: bool) -> None:
    assert region_applies(notice_region, user_region) is applies


@pytest.mark.parametrize("question", ["今天天气怎么样", "附近有什么好吃的", "我想找工作", "你好"])
def test_unrelated_question_gets_low_confidence(
    shipped_index: KnowledgeIndex, question: str
) -> None:
    assert all(hit.confidence < 0.2 for hit in shipped_index.search(question))


@pytest.mark.parametrize("question", ["什么时候", "有没有", "，。？", ""])
def test_question_without_content_words_finds_nothing(
    shipped_index: KnowledgeIndex, question: str
) -> None:
    assert shipped_index.search(question) == []


@pytest.mark.parametrize("k", [1, 3, 7])
def test_hits_are_best_first_with_confidence_in_range(
    shipped_index: KnowledgeIndex, k: int
) -> None:
    hits = shipped_index.search("高校毕业生就业创业补贴", k=k)
    assert len(hits) == k
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0.0 <= hit.confidence <= 1.0 for hit in hits)


def test_stop_words_go_whole() -> None:
    assert tokenize("各地要做好创业培训和就业见习等工作，多少钱？") == tokenize(
        "创业培训 就业见习 工作"
    )


def test_parts_of_a_dictionary_word_match_the_same_words_asked_alone() -> None:
    # "就业服务周" is part of one user-dictionary word in the notices; asked alone, 周 is a word.
    indexed = set(tokenize("人力资源市场高校毕业生就业服务周"))
    assert set(tokenize("就业服务周")) <= indexed


def test_pronouns_and_particles_do_not_count() -> None:
    assert tokenize("我自己想创业 啥补贴呢") == tokenize("创业 补贴")


def test_a_stop_word_is_cut_whole() -> None:
    # "人社能" would otherwise be 人/社能, and 社能 would count as a word the notices lack.
    assert tokenize("人社能提供创业服务吗") == tokenize("提供创业服务")


def test_a_word_the_notices_lack_is_found_in_their_longer_words(
    shipped_index: KnowledgeIndex,
) -> None:
    [term] = [term for term in shipped_index.query_terms("退捕") if "退捕渔民" in term.words]
    assert all("退捕" in word for word in term.words)
    best = shipped_index.search("退捕的有培训吗")[0]
    assert "退捕渔民" in best.passage.text_simplified


def test_a_compound_the_notices_lack_is_left_to_its_parts(shipped_index: KnowledgeIndex) -> None:
    words = [word for term in shipped_index.query_terms("培训班") for word in term.words]
    assert "培训" in words and "培训班" not in words


def test_a_question_about_what_the_notices_never_mention_stays_unanswered(
    shipped_index: KnowledgeIndex,
) -> None:
    assert all(hit.confidence < 0.35 for hit in shipped_index.search("护照弄丢了怎么补办"))


def test_latin_letters_and_digits_are_not_cut_into_characters() -> None:
    assert tokenize("asdfgh 12345") == ["asdfgh", "12345"]


def test_a_lone_character_the_notices_lack_counts_less_than_a_word(
    shipped_index: KnowledgeIndex,
) -> None:
    assert shipped_index.word_weight("谱") < shipped_index.word_weight("护照")


@pytest.mark.parametrize("phrasing", ["到底", "究竟", "几个", "多久", "一场"])
def test_an_adverb_or_count_the_notices_lack_only_phrases_the_question(
    shipped_index: KnowledgeIndex, phrasing: str
) -> None:
    plain = shipped_index.search("陕西推荐岗位", "陕西省")[0]
    phrased = shipped_index.search(f"陕西{phrasing}推荐岗位", "陕西省")[0]
    assert phrased.passage == plain.passage
    assert phrased.confidence == pytest.approx(plain.confidence)


def test_a_number_the_notices_use_inside_a_name_still_counts(
    shipped_index: KnowledgeIndex,
) -> None:
    best = shipped_index.search("24365平台")[0]
    assert "24365" in best.passage.text_simplified


def test_a_final_particle_jieba_glues_to_a_word_is_not_part_of_it() -> None:
    assert tokenize("信息有人审吗") == tokenize("信息 审")


def test_a_word_the_thesaurus_puts_in_is_cut_whole_and_found_inside_longer_words() -> None:
    # The thesaurus turns 网上 into 线上 and 失业很久 into 长期失业.
    assert "线上" in tokenize(load_thesaurus().rewrite("能在网上参加吗"))
    assert "长期失业" in tokenize("聚焦长期失业青年")


def test_a_word_with_a_part_the_notices_lack_is_not_left_to_its_other_parts(
    shipped_index: KnowledgeIndex,
) -> None:
    # 机器人 is not 人: a question about robots is no question about people.
    assert all(hit.confidence < 0.35 for hit in shipped_index.search("你是机器人吗"))


@pytest.mark.parametrize("question", ["居住证怎么办", "最低工资是多少"])
def test_the_parts_of_a_word_the_notices_lack_do_not_stand_for_it(
    shipped_index: KnowledgeIndex, question: str
) -> None:
    # 居住证 is no 证 the notices speak of (报到证), nor 最低工资 their 工资.
    assert all(hit.confidence < 0.35 for hit in shipped_index.search(question))


@pytest.mark.parametrize("question", ["个税怎么退", "哪里可以打疫苗"])
def test_lone_characters_in_common_are_no_answer(
    shipped_index: KnowledgeIndex, question: str
) -> None:
    # 退 is in 退捕 and 打 in 打击; neither makes a passage about tax refunds or vaccines.
    hits = shipped_index.search(question)
    assert hits and all(hit.confidence == 0 for hit in hits)


def test_asking_what_a_word_means_is_no_word_of_the_question() -> None:
    assert tokenize("10+N是啥意思") == tokenize("10+N什么意思") == ["10", "n"]


def test_a_person_in_general_is_no_word() -> None:
    # "想创业的人" asks about starting a business, not about people.
    assert tokenize("想创业的人有啥服务") == tokenize("创业 服务")


def test_a_word_jieba_makes_of_stop_words_the_notices_lack_is_no_word_of_the_question(
    shipped_index: KnowledgeIndex,
) -> None:
    # "还给" (还 + 给) and "不了" (不 + 了) say nothing the question is about.
    asked = shipped_index.query_weights("人社部还给求职的人提供什么服务 我去不了现场")
    assert "还给" not in asked and "不了" not in asked
    assert {"求职", "提供", "服务", "现场"} <= set(asked)
    # A word of the notices made of such characters stays: 人才 is theirs.
    assert "人才" in shipped_index.query_weights("需要人才")
