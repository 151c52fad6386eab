"""The seed report, rebuilt from data/ (once, by conftest's ``built_seed``, without a problem):
equal to the original but where the original is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import UNIT_NAME, assert_golden

SEED = Path(__file__).parent / "fixtures" / "seed-report.txt"

# Each intended difference: the seed's line, ours, and why ours is right.
P2_FUNDS_ARRIVED = "{}企业离休人员第十三月基本离休费专项资金全年{}为0.32万元，实际完成项目支出0.32万元，已全部拨付到位。"
P3_FUNDS_ARRIVED = "{}事业单位工作人员招聘考试经费{}专项资金全年{}为36.49万元，实际完成项目支出36.49万元，已全部拨付到位。"
P3_EXECUTION = (
    "本单位的{}专项资金严格按照年初预算安排，用于全区2023年事业单位工作人员招聘考试，制定实施方案、"
    "发布公告、组织考试等招考中的一系列工作。2023年年初预算安排专项资金40万元，2023年度实际支出36.49万元，"
    "{}截止2023年12月份，该专项资金执行率为100%。"
)
P3_REDUCTION = (
    "由于在实际招考工作中，本着节约的原则，重复使用以前招考中留存的旧物资，节省了部分费用；"
    "因此年终调减预算3.51万元；"
)
INTENDED: list[tuple[str, str, str]] = [
    *(
        (
            f"{n}.{heading}",
            heading,
            "level-3 headings are unnumbered in every project (the seed numbers project 2 only)",
        )
        for n, heading in [
            (1, "项目资金到位情况分析。"),
            (2, "项目资金执行情况分析。"),
            (3, "项目资金管理情况分析。"),
            (1, "产出指标完成情况分析。"),
            (2, "效益指标完成情况分析。"),
            (3, "满意度指标完成情况分析。"),
        ]
    ),
    (
        P2_FUNDS_ARRIVED.format("本单位2023年", "预算执行数"),
        P2_FUNDS_ARRIVED.format("本单位2023年", "预算数"),
        "one wording for 全年预算数 in every project (the seed says 预算执行数 in projects 2 and 3)",
    ),
    (
        "本单位的企业离休人员第十三月基本离休费专项资金严格按照年初预算安排，用于支付企业离休人员离休待遇。"
        "2023年年初预算安排专项资金1.76万元，2023年度实际支出0.32万元，由于5位离休人员已经离世，"
        "不在发放第十三月基本离休待遇；因此年终调减预算1.44万元；截止2023年12月份，该专项资金执行率为100%。",
        "本单位的企业离休人员第十三月基本离休费专项资金严格按照年初预算安排，用于支付企业离休人员离休待遇。"
        "2023年年初预算安排专项资金1.76万元，2023年度实际支出0.32万元，由于5位离休人员已经离世，"
        "不再发放第十三月基本离休待遇；因此年终调减预算1.44万元；截止2023年12月份，该专项资金执行率为100%。",
        "typo in the seed: 不在发放 for 不再发放",
    ),
    (
        P3_FUNDS_ARRIVED.format("本单位2023年", "费", "预算执行数"),
        P3_FUNDS_ARRIVED.format("本单位2023年", "", "预算数"),
        "doubled character 经费费 in the seed, and the one wording for 全年预算数",
    ),
    (
        P3_EXECUTION.format("数据系统维护费", ""),
        P3_EXECUTION.format("事业单位工作人员招聘考试经费", P3_REDUCTION),
        "the seed pasted project 1's name here, and left the 3.51万元 reduction unexplained",
    ),
]


def normalise(text: str) -> list[str]:
    """Strip each line, drop blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_combined_report_equals_the_seed_but_for_its_mistakes(built_seed: Path) -> None:
    built = (built_seed / "output" / "2023" / f"{UNIT_NAME}.txt").read_text(encoding="utf-8")

    expected = normalise(SEED.read_text(encoding="utf-8"))
    for seed_line, ours, reason in INTENDED:
        assert seed_line in expected, f"intended difference not in the seed: {reason}"
        expected[expected.index(seed_line)] = ours
    assert normalise(built) == expected


@pytest.mark.parametrize(
    "name",
    [
        "数据系统维护费专项资金",
        "企业离休人员第十三月基本离休费专项资金",
        "事业单位工作人员招聘考试经费专项资金",
    ],
)
def test_project_report_matches_its_golden_file(
    built_seed: Path, name: str, update_golden: bool
) -> None:
    text = (built_seed / "output" / "2023" / UNIT_NAME / f"{name}.txt").read_text("utf-8")
    assert_golden(text, f"seed/{name}.txt", update_golden)


def test_combined_report_matches_its_golden_file(built_seed: Path, update_golden: bool) -> None:
    text = (built_seed / "output" / "2023" / f"{UNIT_NAME}.txt").read_text("utf-8")
    assert_golden(text, f"seed/{UNIT_NAME}.txt", update_golden)


def test_combined_docx_holds_the_txt_text_in_gbt_9704_layout(built_seed: Path) -> None:
    import docx

    out = built_seed / "output" / "2023"
    opened = docx.Document(str(out / f"{UNIT_NAME}.docx"))
    paragraphs = [p.text for p in opened.paragraphs if p.text.strip()]
    assert paragraphs == normalise((out / f"{UNIT_NAME}.txt").read_text("utf-8"))

    section = opened.sections[0]
    assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]

    fonts = {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading1": "黑体",
        "Heading2": "楷体_GB2312",
        "Heading3": "仿宋_GB2312",
        "Centered": "仿宋_GB2312",
    }
    used = {p.style.style_id for p in opened.paragraphs}
    assert used == set(fonts)
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style_id, font in fonts.items():
        rfonts = opened.styles[opened.styles.get_by_id(style_id, 1).name].element.find(
            f"{qn}rPr/{qn}rFonts"
        )
        assert rfonts.get(f"{qn}eastAsia") == font, style_id
        assert rfonts.get(f"{qn}ascii") == "Times New Roman", style_id
    styles_xml = opened.styles.element.xml
    assert "Theme" not in styles_xml and "Theme" not in opened.element.xml
