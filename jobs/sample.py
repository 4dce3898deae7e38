"""A realistic sample postings file for the cities of the notices, for trying the system out.

The employers, contacts and phone numbers are invented: employer names end in "（示例）", phones
are 1380000xxxx or landlines 0xx-8000xxxx, and contacts are titles ("人事部王经理"), no one's
real name. The same seed gives the same file.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from jobs.layout import FULL_TIME, HEADERS, PART_TIME

# City, its districts, its landline area code.
CITIES = (
    ("武汉", ("江夏区", "洪山区", "东西湖区", "汉阳区", "江岸区"), "027"),
    ("宜昌", ("西陵区", "伍家岗区", "夷陵区"), "0717"),
    ("襄阳", ("樊城区", "襄城区", "襄州区"), "0710"),
    ("西安", ("雁塔区", "未央区", "长安区", "高新区"), "029"),
    ("延安", ("宝塔区", "安塞区"), "0911"),
    ("遂宁", ("船山区", "安居区", "射洪市", "蓬溪县"), "0825"),
    ("成都", ("武侯区", "高新区", "双流区"), "028"),
)
# Title, monthly pay range in yuan, requirements, the education it usually asks, groups it suits.
JOBS = (
    ("会计", (4500, 7000), "持初级会计证，熟悉财务软件", "大专", ("应届毕业生",)),
    ("出纳", (3800, 5000), "细心，会用办公软件", "中专", ("应届毕业生", "青年")),
    ("货车司机", (6000, 9000), "持B2驾照，两年以上驾龄", "初中", ("农民工", "退役军人")),
    ("网约车司机", (5000, 8000), "持C1驾照三年以上", "初中", ("农民工", "失业人员")),
    ("普工", (4000, 6000), "身体健康，能适应两班倒，包吃住", "不限", ("农民工", "脱贫人口")),
    ("操作工", (4500, 6500), "能适应倒班，有制造业经验优先", "初中", ("农民工", "退捕渔民")),
    ("电工", (5500, 8000), "持低压电工证", "中专", ("退役军人", "农民工")),
    ("焊工", (6000, 9000), "持焊工证，能看懂图纸", "初中", ("农民工",)),
    ("客服专员", (3500, 5000), "普通话标准，会打字", "高中", ("残疾人", "应届毕业生")),
    (
        "电话客服（居家）",
        (3000, 4500),
        "普通话标准，可居家办公",
        "高中",
        ("残疾人", "就业困难人员"),
    ),
    ("仓库管理员", (4000, 5500), "会用电脑，有仓储经验优先", "高中", ("退役军人", "失业人员")),
    ("快递分拣员", (4000, 6000), "能适应夜班", "不限", ("农民工", "青年")),
    ("销售代表", (4000, 10000), "底薪加提成，沟通能力好", "大专", ("应届毕业生", "青年")),
    ("行政助理", (3800, 5000), "会用办公软件，做事细致", "大专", ("应届毕业生",)),
    ("机械设计助理工程师", (6000, 9000), "机械类专业，会CAD", "本科", ("高校毕业生", "应届毕业生")),
    ("数控车床操作员", (5500, 8500), "机械类专业或有数控经验", "中专", ("青年", "农民工")),
    ("厨师", (5000, 7500), "持健康证，会川菜或湘菜", "不限", ("农民工", "失业人员")),
    ("保洁员", (2800, 3500), "身体健康，能吃苦", "不限", ("就业困难人员", "脱贫人口")),
    ("保安", (3500, 4500), "身高170以上，退伍军人优先", "初中", ("退役军人", "失业人员")),
    ("幼儿园保育员", (3200, 4200), "持保育员证优先，有爱心", "中专", ("青年",)),
    ("护理员", (4000, 5500), "持护理员证优先，能上夜班", "初中", ("就业困难人员", "失业人员")),
    ("软件测试工程师", (7000, 12000), "计算机相关专业，了解测试流程", "本科", ("高校毕业生",)),
    ("新媒体运营", (4500, 7000), "会写推文，会剪视频", "大专", ("应届毕业生", "青年")),
    ("外卖骑手（兼职）", (2000, 5000), "有电动车，熟悉本地道路", "不限", ("青年", "失业人员")),
    ("超市理货员（兼职）", (1800, 2800), "周末可上班", "不限", ("就业困难人员", "残疾人")),
)
EMPLOYER_KINDS = (
    "科技有限公司",
    "物流有限公司",
    "机械制造有限公司",
    "食品有限公司",
    "商贸有限公司",
    "电子有限公司",
    "养老服务中心",
    "餐饮管理有限公司",
    "人力资源服务有限公司",
)
EMPLOYER_WORDS = ("楚天", "江城", "长江", "秦川", "古城", "涪江", "观音湖", "锦江", "汉水", "三峡")
CONTACTS = ("人事部王经理", "人事部李女士", "招聘专员刘先生", "行政部陈主管", "人力资源部张经理")
SOURCES = ("单位直接提供", "公共就业服务机构收集", "招聘会现场登记")


def sample_rows(count: int, today: date, seed: int = 2023) -> list[dict[str, str]]:
    """``count`` postings of invented employers in the cities of the notices, valid for 1–90
    more days from ``today``."""
    chooser = random.Random(seed)  # noqa: S311 - invented sample data, not a secret
    rows = []
    for number in range(count):
        city, districts, area_code = chooser.choice(CITIES)
        title, (low, high), requirements, education, suits = chooser.choice(JOBS)
        step = 100 * chooser.randint(-5, 5)
        employer = f"{city}{chooser.choice(EMPLOYER_WORDS)}{chooser.choice(EMPLOYER_KINDS)}（示例）"
        phone = (
            f"1380000{number % 10000:04d}"
            if chooser.random() < 0.6
            else f"{area_code}-8000{number % 10000:04d}"
        )
        rows.append(
            {
                "岗位名称": title,
                "用人单位": employer,
                "城市": city,
                "区县": chooser.choice(districts),
                "月薪下限": str(low + step),
                "月薪上限": str(high + step),
                "岗位要求": requirements,
                "学历要求": education,
                "适合人群": "、".join(suits),
                "用工形式": PART_TIME if "兼职" in title else FULL_TIME,
                "联系方式": f"{chooser.choice(CONTACTS)} {phone}",
                "信息来源": chooser.choice(SOURCES),
                "有效期至": (today + timedelta(days=chooser.randint(1, 90))).isoformat(),
            }
        )
    return rows


def sample_csv(count: int, today: date, seed: int = 2023) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(sample_rows(count, today, seed))
    return out.getvalue()
