"""The outlines an import recognises, described as data: sections and the paragraphs they hold.

An ``Outline`` lists its sections by heading (the text without its number: "一、", "（一）",
"1." and "（1）" are taken off, and a final "。"). Each section lists the forms (``Rule``) its
paragraphs take: a regular expression over the whole paragraph whose named groups are the
values, and the key each group fills (``zpgen.importer.draft``: the YAML keys). A rule may
start an indicator (``item="new"``), find one by its 三级指标 (``item="named"``), and name the key
that the paragraphs after it continue (a text of several paragraphs). ``rest`` takes a
paragraph that no rule of its section matches. Adding an outline is adding an ``Outline`` to
``OUTLINES``: the reader (``narrative.py``) has no code of its own for any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from zpgen.i18n import N_

__all__ = ["AMOUNT", "FIGURES", "OUTLINES", "Outline", "Rule", "Section"]

AMOUNT = r"\d+(?:\.\d+)?"
PERCENT = r"\d+(?:\.\d+)?%"
DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"
YEAR = r"\d{4}"


@dataclass(frozen=True)
class Rule:
    """A form a paragraph takes: ``pattern`` matches the whole paragraph, ``keys`` maps its
    named groups to keys; ``notes`` marks a key 待核对 (group → (key, note)) when the group
    matched. ``item``: "" (the project's keys), "new" (a new indicator) or "named" (the
    indicator whose 三级指标 is the group ``name``). ``continues``: the key the following
    paragraphs add to, until a rule matches."""

    pattern: str
    keys: Mapping[str, str] = field(default_factory=dict)
    item: str = ""
    continues: str = ""
    notes: Mapping[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """One heading of an outline and the forms of its paragraphs. ``sets``: the keys every
    indicator started in the section takes (its 一级指标). ``starts_project``: the section
    that begins each project of a unit's report."""

    title: str
    level: int
    rules: tuple[Rule, ...] = ()
    rest: Rule | None = None
    sets: Mapping[str, str] = field(default_factory=dict)
    starts_project: bool = False


@dataclass(frozen=True)
class Outline:
    """A report's outline: its name (as the import reports it), title and sections.
    ``between``: lines outside the sections that belong to the next project (its name under
    the title)."""

    name: str
    sections: tuple[Section, ...]
    title: str = "项目支出绩效自评报告"
    between: tuple[Rule, ...] = (Rule(r"（(?P<name>[^（）]+)）", {"name": "项目名称"}),)


def _indicators(level1: str, level2: tuple[str, ...]) -> Section:
    """A level-3 section of the seed's outline: "数量指标：……" paragraphs, one indicator each."""
    return Section(
        f"{level1}完成情况分析",
        3,
        (
            Rule(
                rf"(?P<level2>{'|'.join(level2)})：(?P<narrative>.+)",
                {"level2": "二级指标", "narrative": "完成情况"},
                item="new",
                continues="完成情况",
            ),
        ),
        sets={"一级指标": level1},
    )


_NOTE_EXECUTED = (
    "全年预算数",
    N_("the report writes “全年预算执行数” here; read as 全年预算数 (the adjusted budget)"),
)

SEED = Outline(
    N_("the seed's outline (一、绩效自评工作开展情况 … 四、绩效自评结果拟应用和公开情况)"),
    (
        Section(
            "绩效自评工作开展情况",
            1,
            (
                Rule(
                    rf"根据预算绩效管理要求，(?P<date>{DATE})，本单位(?P<method>.+?)，"
                    rf"对(?P<year>{YEAR})年(?P<category>[^，。]{{0,12}}?类项目)?(?P<name>.+?)"
                    rf"开展了绩效自评，共涉及资金(?P<adjusted>{AMOUNT})万元；"
                    r"该专项资金严格按照项目支出方向绩效目标，(?P<achieved>.+?)。(?P<overall>.*)",
                    {
                        "date": "评价时间",
                        "method": "措辞.自评方式",
                        "year": "年度",
                        "category": "项目类别",
                        "name": "项目名称",
                        "adjusted": "全年预算数",
                        "achieved": "年度总体目标.实际完成情况",
                        "overall": "措辞.总体评价",
                    },
                    continues="措辞.总体评价",
                ),
            ),
            starts_project=True,
        ),
        Section("绩效目标自评完成情况分析", 1),
        Section("资金投入情况分析", 2),
        Section(
            "项目资金到位情况分析",
            3,
            (
                Rule(
                    rf"本单位(?P<year>{YEAR})年(?P<name>.+?)全年预算(?P<executed>执行)?数为"
                    rf"(?P<adjusted>{AMOUNT})万元，实际完成项目支出(?P<spent>{AMOUNT})万元，"
                    rf"(?:已全部拨付到位|预算执行率为(?P<rate>{PERCENT}))。",
                    {
                        "year": "提及.年度",
                        "name": "提及.项目名称",
                        "adjusted": "全年预算数",
                        "spent": "全年执行数",
                        "rate": "印.执行率",
                    },
                    notes={"executed": _NOTE_EXECUTED},
                ),
            ),
        ),
        Section(
            "项目资金执行情况分析",
            3,
            (
                Rule(
                    rf"本单位的(?P<name>.+?)严格按照年初预算安排，(?P<purpose>.+?)。"
                    rf"(?P<year>{YEAR})年年初预算安排专项资金(?P<initial>{AMOUNT})万元，"
                    rf"(?P<year2>{YEAR})年度实际支出(?P<spent>{AMOUNT})万元，"
                    r"(?:(?:由于(?P<reason>.+?)；因此)?"
                    rf"(?:年终调减预算(?P<reduction>{AMOUNT})万元|年中追加预算(?P<increase>{AMOUNT})万元)；)?"
                    rf"截止(?P<year3>{YEAR})年12月份，该专项资金执行率为(?P<rate>{PERCENT})。",
                    {
                        "name": "提及.项目名称",
                        "purpose": "资金用途",
                        "year": "提及.年度",
                        "year2": "提及.年度",
                        "year3": "提及.年度",
                        "initial": "年初预算数",
                        "spent": "全年执行数",
                        "reason": "预算调整原因",
                        "reduction": "印.调减",
                        "increase": "印.追加",
                        "rate": "印.执行率",
                    },
                ),
            ),
        ),
        Section(
            "项目资金管理情况分析",
            3,
            rest=Rule(
                r"(?P<text>.+)", {"text": "措辞.资金管理情况"}, continues="措辞.资金管理情况"
            ),
        ),
        Section("绩效目标完成情况分析", 2),
        _indicators("产出指标", ("数量指标", "质量指标", "时效指标", "成本指标")),
        _indicators("效益指标", ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")),
        Section(
            "满意度指标完成情况分析",
            3,
            rest=Rule(r"(?P<narrative>.+)", {"narrative": "完成情况"}, item="new"),
            sets={"一级指标": "满意度指标", "二级指标": "服务对象满意度指标"},
        ),
        Section(
            "偏离绩效目标的原因和下一步改进措施",
            1,
            (
                Rule(r"偏离绩效目标的原因：无，项目绩效目标均已完成。"),
                Rule(
                    r"偏离绩效目标的原因：(?P<text>.+)", {"text": "偏离原因"}, continues="偏离原因"
                ),
                Rule(r"下一步改进措施：(?P<text>.+)", {"text": "改进措施"}, continues="改进措施"),
            ),
        ),
        Section(
            "绩效自评结果拟应用和公开情况",
            1,
            (
                Rule(
                    rf"本单位(?P<year>{YEAR})年项目绩效评价结果会应用到(?P<next>{YEAR})年项目绩效"
                    r"评价中，(?P<use>.+?)；"
                    rf"(?P<year2>{YEAR})年项目绩效自评情况会在规定的时间内，按照(?P<authority>.+?)"
                    r"要求，在(?P<portal>.+?)公开。",
                    {
                        "year": "提及.年度",
                        "next": "印.下一年度",
                        "use": "措辞.结果应用",
                        "year2": "提及.年度",
                        "authority": "财政部门",
                        "portal": "公开网站",
                    },
                ),
            ),
        ),
    ),
)


def _named_indicators(level1: str) -> Section:
    """A level-3 section of the 8-section outline: "三级指标：年度指标值…，实际完成值…。……"."""
    return Section(
        level1,
        3,
        (
            Rule(
                r"(?P<name>[^：]+)：年度指标值(?P<target>.+?)，实际完成值(?P<actual>.+?)。"
                r"(?P<narrative>.*)",
                {
                    "name": "三级指标",
                    "target": "年度指标值",
                    "actual": "实际完成值",
                    "narrative": "完成情况",
                },
                item="new",
                continues="完成情况",
            ),
        ),
        sets={"一级指标": level1},
    )


EIGHT_SECTIONS = Outline(
    N_("the 8-section outline (一、项目基本情况 … 八、其他需说明的问题)"),
    (
        Section(
            "项目基本情况",
            1,
            (
                Rule(
                    rf"(?P<name>.+?)为本单位(?P<year>{YEAR})年度(?P<category>[^，。]*?)，"
                    rf"(?P<purpose>.+?)。(?P<year2>{YEAR})年年初预算(?P<initial>{AMOUNT})万元，"
                    rf"全年预算数(?P<adjusted>{AMOUNT})万元"
                    rf"(?:（年中调减(?P<reduction>{AMOUNT})万元(?:，原因是(?P<reason>.+?))?）"
                    rf"|（年中追加(?P<increase>{AMOUNT})万元(?:，原因是(?P<reason2>.+?))?）)?"
                    rf"，全年执行数(?P<spent>{AMOUNT})万元。",
                    {
                        "name": "项目名称",
                        "year": "年度",
                        "category": "项目类别",
                        "purpose": "资金用途",
                        "year2": "提及.年度",
                        "initial": "年初预算数",
                        "adjusted": "全年预算数",
                        "reduction": "印.调减",
                        "reason": "预算调整原因",
                        "increase": "印.追加",
                        "reason2": "预算调整原因",
                        "spent": "全年执行数",
                    },
                ),
                Rule(r"年度绩效目标：(?P<text>.+?)。?", {"text": "年度总体目标.预期目标"}),
            ),
            starts_project=True,
        ),
        Section(
            "项目绩效自评工作开展情况",
            1,
            (
                Rule(
                    rf"(?P<date>{DATE})，本单位(?P<method>.+?)，对照年初设定的绩效目标和指标，"
                    rf"对该项目(?P<year>{YEAR})年度的资金使用和目标完成情况开展了自评。",
                    {"date": "评价时间", "method": "措辞.自评方式", "year": "提及.年度"},
                ),
            ),
        ),
        Section("项目绩效实现情况", 1),
        Section(
            "预算执行情况",
            2,
            (
                Rule(
                    rf"全年预算数(?P<adjusted>{AMOUNT})万元，全年执行数(?P<spent>{AMOUNT})万元，"
                    rf"预算执行率为(?P<rate>{PERCENT})。(?P<management>.*)",
                    {
                        "adjusted": "全年预算数",
                        "spent": "全年执行数",
                        "rate": "印.执行率",
                        "management": "措辞.资金管理情况",
                    },
                    continues="措辞.资金管理情况",
                ),
            ),
        ),
        Section(
            "总体目标完成情况",
            2,
            rest=Rule(r"(?P<text>.+?)。?", {"text": "年度总体目标.实际完成情况"}),
        ),
        Section("绩效指标完成情况", 2),
        _named_indicators("产出指标"),
        _named_indicators("效益指标"),
        _named_indicators("满意度指标"),
        Section(
            "绩效目标未完成原因和下一步改进措施",
            1,
            (
                Rule(r"未完成原因：无，项目年度绩效目标均已完成。"),
                Rule(r"未完成原因：(?P<text>.+)", {"text": "偏离原因"}, continues="偏离原因"),
                Rule(r"改进措施：(?P<text>.+)", {"text": "改进措施"}, continues="改进措施"),
                Rule(
                    r"(?P<name>[^：]+)：(?P<text>.+)",
                    {"text": "偏差原因"},
                    item="named",
                    continues="偏差原因",
                ),
            ),
        ),
        Section(
            "绩效自评结果",
            1,
            (
                Rule(
                    rf"项目全年预算执行率为(?P<rate>{PERCENT})，(?P<achieved>.+?)。(?P<overall>.*)",
                    {
                        "rate": "印.执行率",
                        "achieved": "年度总体目标.实际完成情况",
                        "overall": "措辞.总体评价",
                    },
                    continues="措辞.总体评价",
                ),
            ),
        ),
        Section(
            "结果公开情况和应用打算",
            1,
            (
                Rule(
                    r"本单位将按照(?P<authority>.+?)要求，在规定的时间内将"
                    rf"(?P<year>{YEAR})年项目绩效自评情况在(?P<portal>.+?)公开；"
                    rf"自评结果将应用到(?P<next>{YEAR})年项目预算编制和绩效管理中，(?P<use>.+?)。",
                    {
                        "authority": "财政部门",
                        "year": "提及.年度",
                        "portal": "公开网站",
                        "next": "印.下一年度",
                        "use": "措辞.结果应用",
                    },
                ),
            ),
        ),
        Section(
            "绩效自评工作的经验、问题和建议",
            1,
            (
                Rule(
                    r"通过绩效自评，本单位进一步强化了“花钱必问效、无效必问责”的意识。"
                    r"存在的问题是部分绩效指标设置不够细化、量化；建议在编制下一年度绩效目标时，"
                    r"结合上年实际完成情况科学设置指标值。"
                ),
            ),
        ),
        Section("其他需说明的问题", 1, (Rule(r"无。"),)),
    ),
)

OUTLINES: tuple[Outline, ...] = (SEED, EIGHT_SECTIONS)

# Values stated in sentences of any wording, read from a paragraph that none of the outline's
# own forms matched. Each is (pattern, group → key, note): a note "" means the words state the
# value outright ("年初预算安排专项资金24.24万元"), else the value is marked 待核对 with the note
# (an English msgid, translated where it is shown).
_OTHER_WORDING = N_("read from a sentence worded otherwise than the outline's: check it")
FIGURES: tuple[tuple[str, dict[str, str], str], ...] = (
    (rf"年初预算安排(?:专项)?资金(?P<v>{AMOUNT})万元", {"v": "年初预算数"}, ""),
    (rf"年初预算(?:数|金额)?(?:为|是)?(?P<v>{AMOUNT})万元", {"v": "年初预算数"}, ""),
    (rf"全年预算数(?:为|是)?(?P<v>{AMOUNT})万元", {"v": "全年预算数"}, ""),
    (rf"调整后(?:的)?预算(?:数)?(?:为|是)?(?P<v>{AMOUNT})万元", {"v": "全年预算数"}, ""),
    (rf"(?:共)?涉及资金(?P<v>{AMOUNT})万元", {"v": "全年预算数"}, _OTHER_WORDING),
    (rf"实际支出(?:专项资金)?(?P<v>{AMOUNT})万元", {"v": "全年执行数"}, ""),
    (rf"全年执行数(?:为|是)?(?P<v>{AMOUNT})万元", {"v": "全年执行数"}, ""),
    (
        rf"(?:实际完成项目支出|支出|执行|使用)(?:资金)?(?P<v>{AMOUNT})万元",
        {"v": "全年执行数"},
        N_("read from words such as “支出……万元”: check that it is the 全年执行数"),
    ),
    (rf"执行率(?:为|是|达到)?(?P<v>{PERCENT})", {"v": "印.执行率"}, ""),
    (rf"调减(?:预算|资金)?(?P<v>{AMOUNT})万元", {"v": "印.调减"}, ""),
    (rf"追加(?:预算|资金)?(?P<v>{AMOUNT})万元", {"v": "印.追加"}, ""),
    (
        rf"(?P<date>{DATE})，(?:本单位|我单位|我局|我委|我院|我校|我中心|我办|我所)",
        {"date": "评价时间"},
        _OTHER_WORDING,
    ),
    (
        rf"对(?P<year>{YEAR})年度?(?:的)?(?:特定类项目)?"
        r"(?P<name>[^，。；、“”]{2,40}?(?:专项资金|专项经费|资金|经费|项目))开展了(?:绩效)?自评",
        {"year": "年度", "name": "项目名称"},
        _OTHER_WORDING,
    ),
    (
        r"按(?:照)?(?P<authority>[^，。；]{2,16}?)(?:的)?要求，?在(?P<portal>[^，。；]{2,30}?)公开",
        {"authority": "财政部门", "portal": "公开网站"},
        _OTHER_WORDING,
    ),
)
