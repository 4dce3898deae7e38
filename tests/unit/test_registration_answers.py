"""registration.answers: what the unemployment-registration form takes from a job seeker."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from registration.answers import (
    GROUPS,
    LEAVE_REASONS,
    PLACE_KINDS,
    InvalidAnswer,
    looks_like_question,
    mask_name,
    mask_phone,
    normalise,
    parse_free_text,
    parse_group,
    parse_leave_reason,
    parse_name,
    parse_phone,
    parse_place_kind,
    parse_wants_training,
    surnames,
)

LONG_TEXT = "保安" * 5_000  # 10,000 characters
SQL_AND_SCRIPT = [
    "'; DROP TABLE registrations; --",
    "1 OR 1=1",
    "' or 'a'='a",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "select * from registrations",
    "SELECT name FROM users",
    "x UNION all",
    "删除drop表",
    "insert into jobs",
    "delete from t",
    "{{7*7}}",
    "`rm -rf /`",
    "保安--",
    "保安;",
]


def code_of(parse: Callable[[str], object], text: str) -> str:
    with pytest.raises(InvalidAnswer) as raised:
        parse(text)
    return raised.value.code


# ---- normalise and questions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  张三  ", "张三"),
        ("前台   接待", "前台 接待"),
        ("前台\t\n接待", "前台 接待"),
        ("前台\u3000接待", "前台 接待"),
        ("１３８００１３８０００", "13800138000"),
        ("ＡＢＣ", "ABC"),
        ("戶口所在地", "户口所在地"),
        ("畢業生", "毕业生"),
        ("張\u200b三", "张三"),
        ("\ufeff张三\u200d", "张三"),
        ("张\x00三\x07", "张三"),
        ("\u200b \u200b", ""),
        ("", ""),
        ("前台 \u200b 接待", "前台 接待"),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "怎么办理",
        "需要带什么材料",
        "要钱吗",
        "在哪里办",
        "哪个",
        "多少钱",
        "如何登记",
        "能不能线上办",
        "可不可以不填",
        "是否需要户口本",
        "为什么要填这个",
        "为啥",
        "咋填",
        "填啥",
        "这是干什么的",
        "户籍地呢",
        "户籍地？",
        "户籍地?",
        "戶籍地是甚麼意思？",
        "為什麼",
    ],
)
def test_looks_like_question(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize("text", ["", "张三", "户籍地", "13800138000", "好的", "不需要", "保安"])
def test_does_not_look_like_question(text: str) -> None:
    assert not looks_like_question(text)


# ---- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("张三", "张三"),
        ("王小明", "王小明"),
        ("我叫张三", "张三"),
        ("我是李四。", "李四"),
        ("姓名是王五", "王五"),
        ("姓名：赵六", "赵六"),
        ("姓名:赵六!", "赵六"),
        ("名字是孙七", "孙七"),
        ("名字叫周八", "周八"),
        ("名字 吴九", "吴九"),
        ("叫郑十", "郑十"),
        ("我的名字叫上官婉儿", "上官婉儿"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("尉迟恭", "尉迟恭"),  # 尉 alone is not a surname here: the compound one counts
        ("澹台明月", "澹台明月"),
        ("司马光", "司马光"),
        ("诸葛亮", "诸葛亮"),
        ("张 三", "张三"),
        ("  张三  ", "张三"),
        ("張三豐", "张三丰"),
        ("覃小燕", "覃小燕"),
        ("肖战", "肖战"),
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提･艾力", "买买提·艾力"),
        ("我叫迪丽热巴·迪力木拉提", "迪丽热巴·迪力木拉提"),
        ("阿·木", "阿·木"),
        ("阿依古丽·买买提·吐尔逊", "阿依古丽·买买提·吐尔逊"),
        ("艾" * 10 + "·" + "力" * 9, "艾" * 10 + "·" + "力" * 9),
    ],
)
def test_parse_name(text: str, name: str) -> None:
    assert parse_name(text) == name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "张",
        "李。",
        "张三丰李四",  # five characters
        "我想办失业登记",
        "失业登记",
        "Zhang San",
        "张3",
        "张三3",
        "张san",
        "张三😀",
        "😀",
        "张三,李四",
        "张-三",
        "张三？",
        "你叫什么",
        "叫啥",
        "哪位",
        "张三吗",
        "12345",
        "·艾力",
        "买买提·",
        "买买提··艾力",
        "·",
        "阿·",
        "a·b",
        "买买提·Ali",
        "艾" * 11 + "·" + "力" * 9,  # 21 characters
        "我叫",
        "姓名",
        "<script>",
        "'; DROP TABLE registrations; --",
        LONG_TEXT,
    ],
)
def test_parse_name_rejects(text: str) -> None:
    assert code_of(parse_name, text) == "name_invalid"


@pytest.mark.parametrize(
    "text",
    [
        *"算了 取消 不办了 退出 转人工 人工 不要 不用 好的 是的 没有 知道".split(),
        *"我叫算了 不知道 还是算了吧 取消吧 王人工".split(),
    ],
)
def test_parse_name_rejects_leaving_words(text: str) -> None:
    assert code_of(parse_name, text) == "name_invalid"


def test_surname_list() -> None:
    names = surnames()
    assert 450 <= len(names) <= 650
    assert all(1 <= len(surname) <= 2 for surname in names)
    for surname in ("张", "王", "李", "赵", "欧阳", "司马", "上官", "诸葛", "东方", "皇甫"):
        assert surname in names
    for compound in ("尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐"):
        assert compound in names
    assert {"钟离", "端木"} <= names
    assert not {"算", "取", "不", "退", "转", "人", "好", "是", "没", "知", "我"} & names


def test_surname_file_has_no_duplicates() -> None:
    from registration import answers

    lines = answers._SURNAMES_FILE.read_text(encoding="utf-8").split()
    assert len(lines) == len(set(lines)) == len(surnames())


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("王小明", "王*明"),
        ("欧阳娜娜", "欧**娜"),
        ("司马光", "司*光"),
        ("买买提·艾力", "买*****"),
        ("阿·木", "阿**"),
        ("张", "*"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


# ---- phone numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("13800138000", "13800138000"),
        ("19912345678", "19912345678"),
        ("15012345678", "15012345678"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("+86-138-0013-8000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("86 138 0013 8000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("0086-13800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("＋８６　１３８００１３８０００", "13800138000"),
        ("手机号：13800138000", "13800138000"),
        ("我的电话是13800138000。", "13800138000"),
        (" 13800138000 ", "13800138000"),
        ("138\u200b0013\u200b8000", "13800138000"),
    ],
)
def test_parse_phone(text: str, number: str) -> None:
    assert parse_phone(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "12345678901",
        "10012345678",
        "11012345678",
        "23800138000",
        "+86 12345678901",
        "027-87654321",
        "027 87654321",
        "010-12345678",
        "0755-1234567",
        "0755-12345678",
    ],
)
def test_parse_phone_not_mobile(text: str) -> None:
    assert code_of(parse_phone, text) == "phone_not_mobile"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "电话",
        "abc",
        "1380013800",  # ten digits
        "138001380001",  # twelve
        "138 0013 800",
        "1380013800a",
        "13800138000转1",
        "138.0013.8000",
        "+86 1380013800",
        "+1 415 555 0100",
        "86138001380001",
        "+86",
        "4001234567",
        "12345",
        "😀",
        "'; DROP TABLE registrations; --",
        "1 OR 1=1",
        LONG_TEXT,
    ],
)
def test_parse_phone_invalid(text: str) -> None:
    assert code_of(parse_phone, text) == "phone_invalid"


@pytest.mark.parametrize(
    ("number", "masked"), [("13812345678", "138****5678"), ("19900001111", "199****1111")]
)
def test_mask_phone(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


@pytest.mark.parametrize("number", ["", "1381234567", "138123456789"])
def test_mask_phone_needs_11_digits(number: str) -> None:
    with pytest.raises(ValueError, match="11"):
        mask_phone(number)


# ---- place kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("户籍地", "户籍地"),
        ("户籍", "户籍地"),
        ("户口", "户籍地"),
        ("户口所在地", "户籍地"),
        ("老家", "户籍地"),
        ("户籍所在地", "户籍地"),
        ("戶口所在地", "户籍地"),
        ("在老家办。", "户籍地"),
        ("常住地", "常住地"),
        ("常住", "常住地"),
        ("居住地", "常住地"),
        ("现居住地", "常住地"),
        ("住的地方", "常住地"),
        ("现在住的地方", "常住地"),
        ("居住证", "常住地"),
        ("就业地", "就业地"),
        ("就业", "就业地"),
        ("工作地", "就业地"),
        ("上班的地方", "就业地"),
        ("原来上班的地方", "就业地"),
        ("单位所在地", "就业地"),
        ("參保地", "参保地"),
        ("参保地", "参保地"),
        ("参保", "参保地"),
        ("社保", "参保地"),
        ("交社保的地方", "参保地"),
        ("缴社保的地方", "参保地"),
        ("参保所在地", "参保地"),
        ("1", "户籍地"),
        ("2", "常住地"),
        ("3", "就业地"),
        ("4", "参保地"),
        ("４", "参保地"),
        ("选2", "常住地"),
        ("第3个", "就业地"),
        (" 1。", "户籍地"),
    ],
)
def test_parse_place_kind(text: str, kind: str) -> None:
    assert parse_place_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "随便",
        "北京",
        "0",
        "5",
        "12",
        "户籍地和常住地",
        "户口在老家，社保在深圳",
        "户籍地是什么意思？",
        "社保吗",
        "😀",
        LONG_TEXT,
    ],
)
def test_parse_place_kind_unknown(text: str) -> None:
    assert code_of(parse_place_kind, text) == "place_kind_unknown"


def test_place_kind_numbers_follow_the_order_of_place_kinds() -> None:
    assert [parse_place_kind(str(n)) for n in range(1, 5)] == list(PLACE_KINDS)


# ---- groups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("高校毕业生", "高校毕业生"),
        ("毕业生", "高校毕业生"),
        ("應屆生", "高校毕业生"),
        ("应届毕业生", "高校毕业生"),
        ("大学生", "高校毕业生"),
        ("高校毕业", "高校毕业生"),
        ("大学毕业", "高校毕业生"),
        ("研究生", "高校毕业生"),
        ("本科", "高校毕业生"),
        ("大专", "高校毕业生"),
        ("畢業生", "高校毕业生"),
        ("农民工", "农民工"),
        ("打工的", "农民工"),
        ("外出务工", "农民工"),
        ("务工人员", "农民工"),
        ("进城务工", "农民工"),
        ("城镇失业人员", "城镇失业人员"),
        ("城镇", "城镇失业人员"),
        ("下岗", "城镇失业人员"),
        ("失业人员", "城镇失业人员"),
        ("城镇户口", "城镇失业人员"),
        ("脱贫劳动力", "脱贫劳动力"),
        ("脱贫户", "脱贫劳动力"),
        ("建档立卡", "脱贫劳动力"),
        ("脱贫人口", "脱贫劳动力"),
        ("退捕渔民", "退捕渔民"),
        ("渔民", "退捕渔民"),
        ("退捕", "退捕渔民"),
        ("残疾人", "残疾人"),
        ("残疾", "残疾人"),
        ("残障", "残疾人"),
        ("有残疾证", "残疾人"),
        ("其他", "其他"),
        ("其它", "其他"),
        ("都不是", "其他"),
        ("以上都不是", "其他"),
        ("我是农民工。", "农民工"),
        ("1", "高校毕业生"),
        ("7", "其他"),
        ("７", "其他"),
    ],
)
def test_parse_group(text: str, group: str) -> None:
    assert parse_group(text) == group


@pytest.mark.parametrize(
    "text",
    [
        "",
        "工人",
        "随便",
        "0",
        "8",
        "农民工和残疾人",
        "大学生，也是脱贫户",
        "其他，渔民",
        "农民工是什么",
        "😀",
        LONG_TEXT,
    ],
)
def test_parse_group_unknown(text: str) -> None:
    assert code_of(parse_group, text) == "group_unknown"


def test_group_numbers_follow_the_order_of_groups() -> None:
    assert [parse_group(str(n)) for n in range(1, 8)] == list(GROUPS)


# ---- training ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        *"要 想 需要 愿意 好 好的 是 是的 参加 可以 行 嗯 1".split(),
        *"我想参加 需要的 願意 好的！ 嗯嗯 １".split(),
    ],
)
def test_wants_training(text: str) -> None:
    assert parse_wants_training(text) is True


@pytest.mark.parametrize(
    "text",
    [
        *"不要 不想 不需要 不用 不参加 不了 否 没兴趣 暫時不 2".split(),
        *"不需要，谢谢 不參加 不 不好 不行 不可以 不是 不愿意 ２".split(),
    ],
)
def test_does_not_want_training(text: str) -> None:
    assert parse_wants_training(text) is False


@pytest.mark.parametrize(
    "text", ["", "再说", "随便", "3", "12", "培训是什么？", "要钱吗", "有哪些培训", "😀", LONG_TEXT]
)
def test_training_unclear(text: str) -> None:
    assert code_of(parse_wants_training, text) == "training_unclear"


# ---- free text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("保安", "保安"),
        ("  前台   接待 ", "前台 接待"),
        ("Java开发", "Java开发"),
        ("司機", "司机"),
        ("厨师👨‍🍳", "厨师"),
        ("👍🏻 销售 ❤️", "销售"),
        ("保安😀😀保洁", "保安保洁"),
        ("1️⃣号线司机", "1号线司机"),
        ("电商dropshipping运营", "电商dropshipping运营"),
        ("description写手", "description写手"),
        ("Java or Python", "Java or Python"),
        ("月薪5000+", "月薪5000+"),
        ("5000", "5000"),
        ("😀 3", "3"),
        ("快递员/外卖员", "快递员/外卖员"),
        ("ＵＩ设计", "UI设计"),
        ("保" * 50, "保" * 50),
        ("收银\u200b员", "收银员"),
    ],
)
def test_parse_free_text(text: str, cleaned: str) -> None:
    assert parse_free_text(text) == cleaned


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "\t\n", "\u3000"])
def test_parse_free_text_empty(text: str) -> None:
    assert code_of(parse_free_text, text) == "text_empty"


@pytest.mark.parametrize("text", ["保" * 51, LONG_TEXT, "a" * 51, "<script>" * 10])
def test_parse_free_text_too_long(text: str) -> None:
    assert code_of(parse_free_text, text) == "text_too_long"


def test_parse_free_text_max_chars() -> None:
    assert parse_free_text("保" * 10, max_chars=10) == "保" * 10
    with pytest.raises(InvalidAnswer) as raised:
        parse_free_text("保" * 11, max_chars=10)
    assert raised.value.code == "text_too_long"
    assert parse_free_text(LONG_TEXT, max_chars=10_000) == LONG_TEXT


@pytest.mark.parametrize(
    "text",
    [*SQL_AND_SCRIPT, "😀", "😀😀😀", "👍🏻", "❤️", "！！！", "……", "@#$%", "。", "?", "🇨🇳", "© ®"],
)
def test_parse_free_text_invalid(text: str) -> None:
    assert code_of(parse_free_text, text) == "text_invalid"


# ---- leave reasons -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("合同到期", "合同到期"),
        ("到期了", "合同到期"),
        ("单位没续签", "合同到期"),
        ("公司不续签", "合同到期"),
        ("合同期满", "合同到期"),
        ("被裁员了", "单位裁员或解除合同"),
        ("被辞退", "单位裁员或解除合同"),
        ("被开除了", "单位裁员或解除合同"),
        ("解除劳动合同", "单位裁员或解除合同"),
        ("解聘", "单位裁员或解除合同"),
        ("被裁", "单位裁员或解除合同"),
        ("被优化了", "单位裁员或解除合同"),
        ("辞职", "个人辞职"),
        ("离职了", "个人辞职"),
        ("自己走的", "个人辞职"),
        ("不干了", "个人辞职"),
        ("主动离开", "个人辞职"),
        ("公司倒闭", "单位关闭或破产"),
        ("公司倒閉", "单位关闭或破产"),
        ("破产了", "单位关闭或破产"),
        ("厂子关门了", "单位关闭或破产"),
        ("门店关闭", "单位关闭或破产"),
        ("停产", "单位关闭或破产"),
        ("工厂搬迁", "单位关闭或破产"),
        ("毕业了", "毕业未就业"),
        ("刚毕业", "毕业未就业"),
        ("没工作过", "毕业未就业"),
        ("家里有事", "其他"),
        ("身体原因😷", "其他"),
        ("合同到期后被辞退", "合同到期"),  # the first category in LEAVE_REASONS wins
        ("合同到期", LEAVE_REASONS[0]),
    ],
)
def test_parse_leave_reason(text: str, reason: str) -> None:
    assert parse_leave_reason(text) == reason


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "text_empty"),
        ("  ", "text_empty"),
        ("倒闭" * 26, "text_too_long"),
        (LONG_TEXT, "text_too_long"),
        ("😀", "text_invalid"),
        ("！！", "text_invalid"),
    ]
    + [(text, "text_invalid") for text in SQL_AND_SCRIPT],
)
def test_parse_leave_reason_rejects(text: str, code: str) -> None:
    assert code_of(parse_leave_reason, text) == code


def test_every_leave_reason_can_be_reached() -> None:
    samples = ["合同到期", "裁员", "辞职", "倒闭", "毕业", "家里有事"]
    assert [parse_leave_reason(sample) for sample in samples] == list(LEAVE_REASONS)


# ---- every parser normalises and says why ------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "code"),
    [
        (parse_name, "name_invalid"),
        (parse_phone, "phone_invalid"),
        (parse_place_kind, "place_kind_unknown"),
        (parse_group, "group_unknown"),
        (parse_wants_training, "training_unclear"),
        (parse_free_text, "text_empty"),
        (parse_leave_reason, "text_empty"),
    ],
)
def test_blank_answers(parse: Callable[[str], object], code: str) -> None:
    assert code_of(parse, "\u200b \u3000 ") == code
