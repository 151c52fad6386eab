"""The schema of the unit and project files.

Every key has an English snake_case name and the official Chinese term as an alias; a file may use
either. Amounts are Decimal 万元 read from the YAML source text, never through float.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

from zpgen.i18n import _
from zpgen.limits import Limits
from zpgen.model.values import Amount, Flag, Paragraphs, Points, Text, TextItems

__all__ = [
    "LEVEL2_BY_LEVEL1",
    "AmountUnit",
    "DisabledCheck",
    "EvaluationDate",
    "FundAmounts",
    "FundSources",
    "Goal",
    "GradeBands",
    "GrantLabel",
    "Indicator",
    "NegativeFormula",
    "Outline",
    "Phrases",
    "PlaceholderRows",
    "Project",
    "SelfTable",
    "Settings",
    "Tier",
    "Unit",
    "Weights",
    "WorkspaceConfig",
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_name=True,
        validate_by_alias=True,
        str_strip_whitespace=False,
    )


class Phrases(_Model):
    """Wording a unit repeats in every report; a project may override any of it."""

    evaluation_method: Text | None = Field(
        None,
        alias="自评方式",
        description="“本单位……开展了绩效自评”中的组织方式，不带句号的分句",
    )
    overall_assessment: Paragraphs | None = Field(
        None, alias="总体评价", description="第一部分末尾的总体评价句"
    )
    fund_management: Paragraphs | None = Field(
        None, alias="资金管理情况", description="“项目资金管理情况分析”一段"
    )
    result_use: Text | None = Field(
        None,
        alias="结果应用",
        description="“应用到下一年度项目绩效评价中”之后的用途，不带句号的分句",
    )


DEFAULT_PHRASES = Phrases(
    evaluation_method="组织了相关业务股室通过查询财政一体化系统和实际支付资料等方式",
    overall_assessment="有关项目立项程序完整、规范，预算执行及时、有效，绩效目标得到较好实现。",
    fund_management=(
        "本单位财务管理严格按照政府会计制度以及相关的法律法规执行，对本单位的项目资金实行绩效管理，"
        "严格按照专项资金管理办法审批、拨付资金。"
    ),
    result_use="更好的管理和使用项目资金",
)


FULL_MARKS = Decimal(100)


class Weights(_Model):
    """The weight of 预算执行率 and of each 一级指标; they add up to 100.

    A 一级指标 left out (or 0) is not scored: 10 + 90 with 产出 60 and 效益 30 has no 满意度.
    A layer that sets 权重 replaces the whole mapping, so the weights written are the weights used.
    """

    budget: Points | None = Field(
        None, alias="预算执行率", description="预算执行率的分值（默认10）"
    )
    output: Points | None = Field(None, alias="产出指标", description="产出指标的分值（默认50）")
    effect: Points | None = Field(None, alias="效益指标", description="效益指标的分值（默认30）")
    satisfaction: Points | None = Field(
        None, alias="满意度指标", description="满意度指标的分值（默认10）"
    )

    @model_validator(mode="after")
    def _sum_to_full_marks(self) -> Weights:
        values = (self.budget, self.output, self.effect, self.satisfaction)
        total = sum((v for v in values if v is not None), Decimal(0))
        if total != FULL_MARKS:
            message = _(
                "add up to {total} points; they should add up to {full} "
                "(预算执行率 + 产出指标 + 效益指标 + 满意度指标)"
            )
            raise ValueError(message.format(total=f"{total.normalize():f}", full=FULL_MARKS))
        return self

    def of_level1(self, level1: str) -> Decimal:
        """The weight of one 一级指标 (0 when it is not scored)."""
        value = {"产出指标": self.output, "效益指标": self.effect, "满意度指标": self.satisfaction}[
            level1
        ]
        return value if value is not None else Decimal(0)


class GradeBands(_Model):
    """The lowest total of each grade; below 中 is 差."""

    excellent: Points = Field(alias="优", description="评为“优”的最低总分（默认90）")
    good: Points = Field(alias="良", description="评为“良”的最低总分（默认80）")
    fair: Points = Field(alias="中", description="评为“中”的最低总分，低于它为“差”（默认60）")

    @model_validator(mode="after")
    def _descending(self) -> GradeBands:
        if not FULL_MARKS >= self.excellent > self.good > self.fair:
            raise ValueError(_("should satisfy {full} ≥ 优 > 良 > 中").format(full=FULL_MARKS))
        return self


class NegativeFormula(str, Enum):
    """How a negative (≤) indicator that overshoots its target is scored."""

    OVERSHOOT = "按超出比例"  # w × (1 − (a − t)/t), 0 from a = 2t
    RATIO = "按比值"  # w × t/a


class SelfTable(str, Enum):
    """Whether and where the 项目支出绩效自评表 is written."""

    NONE = "不生成"
    AFTER = "附在报告后"
    SEPARATE = "单独文件"
    ONLY = "仅自评表"


class Outline(str, Enum):
    """The outline of the narrative report: a built-in template set (``templates/outlines/``)."""

    SEED = "默认"  # the seed's: templates/*.j2
    TRANSFER = "转移支付"
    EIGHT = "八部分"
    SEVEN = "七部分"
    CONCLUSION = "结论先行"
    UNIT = "多项目"

    @property
    def folder(self) -> str | None:
        """The folder of its templates under ``templates/outlines/`` (None: the built-ins)."""
        return _OUTLINE_FOLDERS[self]


_OUTLINE_FOLDERS = {
    Outline.SEED: None,
    Outline.TRANSFER: "transfer",
    Outline.EIGHT: "eight-sections",
    Outline.SEVEN: "seven-sections",
    Outline.CONCLUSION: "conclusion-first",
    Outline.UNIT: "unit-report",
}


class AmountUnit(str, Enum):
    """The unit the 自评表 prints amounts in (the data are always in 万元)."""

    WAN = "万元"
    YUAN = "元"


class PlaceholderRows(str, Enum):
    """Whether the 自评表 prints the blank form's rows (指标1：, 指标2：, ……)."""

    NONE = "否"
    EMPTY_GROUPS = "空组"  # every official 二级指标; one without indicators gets the blank rows
    EVERY_GROUP = "每组"  # and the blank rows after the indicators of every 二级指标 too


class GrantLabel(str, Enum):
    """The name the 自评表 gives the fund row of 本年财政拨款."""

    CURRENT = "本年财政拨款"
    THIS_YEAR = "当年财政拨款"


# What 补零 may pad: the decimals of amounts, of the 执行率 and of scores.
PAD_KINDS = ("金额", "执行率", "得分")


def _pad(value: Any) -> Any:
    """补零: 是 (all), 否 (none), or a list of 金额, 执行率, 得分."""
    if value is None or isinstance(value, tuple):
        return value
    if isinstance(value, bool):
        return PAD_KINDS if value else ()
    if isinstance(value, str):
        word = value.strip()
        if word in ("是", "否"):
            return PAD_KINDS if word == "是" else ()
        value = [part.strip() for part in re.split("[,，、]", word) if part.strip()]
    if isinstance(value, list) and value and all(v in PAD_KINDS for v in value):
        return tuple(kind for kind in PAD_KINDS if kind in value)
    choices = "、".join(PAD_KINDS)
    raise ValueError(_("should be 是, 否 or a list of {choices}").format(choices=choices))


def _decimals(value: Any) -> Any:
    if value is None:
        return value
    if isinstance(value, str) and value.strip() in ("0", "1", "2"):
        return int(value)
    if value in (0, 1, 2):
        return value
    raise ValueError(_("should be 0 (a whole number), 1 or 2"))


def _money_decimals(value: Any) -> Any:
    if value is None:
        return value
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text in tuple("0123456"):
        return int(text)
    if isinstance(text, int) and not isinstance(text, bool) and 0 <= text <= 6:
        return text
    raise ValueError(_("should be a whole number from 0 to 6"))


def _choice(enum: type[Enum]) -> Any:
    def check(value: Any) -> Any:
        if value is None or isinstance(value, enum):
            return value
        for member in enum:
            if value == member.value:
                return member
        choices = "、".join(f"“{m.value}”" for m in enum)
        raise ValueError(_("should be one of {choices}").format(choices=choices))

    return BeforeValidator(check)


Decimals = Annotated[int, BeforeValidator(_decimals)]
MoneyDecimals = Annotated[int, BeforeValidator(_money_decimals)]
PadKinds = Annotated[
    tuple[str, ...],
    BeforeValidator(_pad),
    WithJsonSchema(
        {"anyOf": [{"enum": ["是", "否"]}, {"type": "array", "items": {"enum": list(PAD_KINDS)}}]}
    ),
]


class Settings(_Model):
    """Options that a unit sets for its projects and a project may override.

    Layers are applied with ``overlay``: built-in defaults, then the unit, then the project (a
    workspace-wide layer can slot in before the unit).
    """

    number_level3: Flag | None = Field(
        None, alias="三级标题编号", description="三级标题是否编号“1.”：是或否（默认：否）"
    )
    weights: Weights | None = Field(
        None, alias="权重", description="预算执行率与各一级指标的分值，合计100（默认10/50/30/10）"
    )
    rate_decimals: Decimals | None = Field(
        None, alias="执行率小数位", description="执行率百分数保留的小数位：0、1 或 2（默认2）"
    )
    score_decimals: Decimals | None = Field(
        None, alias="得分小数位", description="得分保留的小数位：0（整数）、1 或 2（默认2）"
    )
    negative_formula: Annotated[NegativeFormula | None, _choice(NegativeFormula)] = Field(
        None, alias="反向指标计分", description="“按超出比例”（默认）或“按比值”"
    )
    grade_bands: GradeBands | None = Field(
        None, alias="等级标准", description="各等级的最低分：优90、良80、中60（默认）"
    )
    self_table: Annotated[SelfTable | None, _choice(SelfTable)] = Field(
        None, alias="自评表", description="不生成（默认）、附在报告后、单独文件或仅自评表"
    )
    layout: Text | None = Field(
        None,
        alias="自评表格式",
        description="自评表的表式：财预〔2020〕10号附件1（默认）、10+90、20+80，"
        "或模板文件夹 layouts/ 中自己的表式",
    )
    outline: Annotated[Outline | None, _choice(Outline)] = Field(
        None,
        alias="提纲",
        description="报告的提纲：默认、转移支付、八部分、七部分、结论先行或多项目",
    )
    money_decimals: MoneyDecimals | None = Field(
        None,
        alias="金额小数位",
        description="金额保留的小数位：0～6，四舍五入（默认照数据所写，去掉末尾的0）",
    )
    pad_zeros: PadKinds | None = Field(
        None,
        alias="补零",
        description="小数位补足0（“2.00”“100.00%”）：是、否（默认，写作“2”“100%”），"
        "或列出金额、执行率、得分中的几项",
    )
    amount_unit: Annotated[AmountUnit | None, _choice(AmountUnit)] = Field(
        None, alias="金额单位", description="自评表中金额的单位：万元（默认）或元"
    )
    level1_weight: Flag | None = Field(
        None, alias="一级指标分值", description="自评表的一级指标写出分值，如“产出指标（50分）”"
    )
    grant_label: Annotated[GrantLabel | None, _choice(GrantLabel)] = Field(
        None, alias="财政拨款称谓", description="自评表中资金来源的称谓：本年财政拨款或当年财政拨款"
    )
    placeholder_rows: Annotated[PlaceholderRows | None, _choice(PlaceholderRows)] = Field(
        None,
        alias="空白指标行",
        description="自评表印出空白表的指标行（指标1：、指标2：、……）：否（默认）、"
        "空组（没有指标的二级指标）或每组",
    )
    fund_rows: tuple[Text, ...] | None = Field(
        None,
        alias="资金来源行",
        min_length=1,
        description="自评表资金来源的各行，依次列出（默认按表式，如本年财政拨款、上年结转资金、"
        "其他资金）",
    )
    allow_blank: Flag | None = Field(
        None,
        alias="允许留空",
        description="实际完成值留空是有意的：自评表照样空着，不再警告（默认：否）",
    )
    combined_project_names: Flag | None = Field(
        None,
        alias="合并报告项目名称",
        description="合并报告中每个项目另起一页处印出项目名称：是或否（默认按提纲）",
    )


class DisabledCheck(_Model):
    """A consistency check switched off for a unit or a project, and why."""

    rule: Text = Field(
        alias="规则",
        description="检查规则的编号，如 doubled-char（zpgen check --list-rules 列出全部）",
    )
    reason: Text = Field(alias="原因", description="关闭的理由，留在数据中供复核")


_DATE = re.compile(r"^([0-9]{4})年([0-9]{1,2})月(?:([0-9]{1,2})日)?$")
_ISO_DATE = re.compile(r"^([0-9]{4})[-/.]([0-9]{1,2})(?:[-/.]([0-9]{1,2}))?$")


class EvaluationDate(str):
    """An evaluation date written as 2024年4月 or 2024年4月15日."""

    year: int
    month: int
    day: int | None

    def __new__(cls, text: str) -> EvaluationDate:
        match = _DATE.match(text)
        if not match:
            iso = _ISO_DATE.match(text)
            if iso:
                year, month, day = iso.groups()
                written = f"{int(year)}年{int(month)}月" + (f"{int(day)}日" if day else "")
                raise ValueError(
                    _("should be written “{written}”, not “{text}”").format(
                        text=text, written=written
                    )
                )
            raise ValueError(
                _("should be written like “2024年4月” or “2024年4月15日”, not “{text}”").format(
                    text=text
                )
            )
        year, month = int(match.group(1)), int(match.group(2))
        day = int(match.group(3)) if match.group(3) else None
        try:
            datetime.date(year, month, day or 1)  # 2月30日 and 4月31日 too
        except ValueError:
            raise ValueError(_("has no such month or day: “{text}”").format(text=text)) from None
        # GB/T 9704: months and days without leading zeros.
        canonical = f"{year}年{month}月" + (f"{day}日" if day else "")
        instance = super().__new__(cls, canonical)
        instance.year, instance.month, instance.day = year, month, day
        return instance

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(cls, core_schema.str_schema())


class Unit(_Model):
    """``unit.yaml``: what all the reports of one budget unit share."""

    name: Text = Field(alias="单位名称", description="预算单位全称，印在报告抬头")
    department: Text | None = Field(None, alias="主管部门", description="默认与单位名称相同")
    evaluation_date: EvaluationDate = Field(
        alias="评价时间", description="开展自评的时间，如“2024年4月”或“2024年4月15日”"
    )
    finance_authority: Text = Field(alias="财政部门", description="公开要求的提出者，如“区财政”")
    portal: Text = Field(alias="公开网站", description="自评结果公开的网站")
    phrases: Phrases = Field(
        default_factory=Phrases, alias="措辞", description="各报告反复出现的措辞，可逐项改写"
    )
    settings: Settings = Field(
        default_factory=Settings, alias="设置", description="本单位各报告的选项"
    )
    disabled_checks: tuple[DisabledCheck, ...] = Field(
        (), alias="关闭检查", description="对本单位所有项目关闭的检查规则，每条写明原因"
    )


OUTPUT_FORMATS = ("txt", "docx", "pdf")
# What a workspace builds unless zpgen.yaml or --format says otherwise: PDF (which needs
# LibreOffice) is asked for.
DEFAULT_FORMATS = ("txt", "docx")


def _formats(value: Any) -> Any:
    """``[txt, docx]`` or ``txt, docx`` (as on the command line), in any letter case."""
    if isinstance(value, str):
        value = [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
    if isinstance(value, list):
        value = [part.strip().lower() if isinstance(part, str) else part for part in value]
    return value


def _known_formats(value: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [f for f in value if f not in OUTPUT_FORMATS]
    if unknown:
        message = _("should name only {formats}, not {unknown}")
        raise ValueError(
            message.format(formats="、".join(OUTPUT_FORMATS), unknown="、".join(unknown))
        )
    if not value:
        raise ValueError(_("needs at least one output format"))
    return tuple(dict.fromkeys(value))


class WorkspaceConfig(_Model):
    """``zpgen.yaml``: what the whole workspace shares. Paths are relative to its folder."""

    data: Text = Field("data", alias="数据文件夹", description="项目数据所在的文件夹")
    output: Text = Field("output", alias="输出文件夹", description="报告写到这里")
    formats: Annotated[
        tuple[str, ...], BeforeValidator(_formats), AfterValidator(_known_formats)
    ] = Field(DEFAULT_FORMATS, alias="输出格式", description="txt、docx、pdf 中的一种或几种")
    templates: Text = Field(
        "templates", alias="模板文件夹", description="自己的模板，优先于内置模板"
    )
    base_document: Text | None = Field(
        None,
        alias="参考文档",
        description="提供样式与页面设置的 .docx；默认为模板文件夹中的 base.docx，没有则用内置的",
    )
    libreoffice: Text | None = Field(
        None,
        alias="LibreOffice路径",
        description="生成 PDF 所用的 LibreOffice 程序（soffice）的绝对路径；默认在 PATH 中查找",
    )
    font_substitutes: dict[str, Text] = Field(
        default_factory=dict,
        alias="替代字体",
        description="生成 PDF 时，未安装的字体用哪种已安装的字体代替，如“仿宋_GB2312: 仿宋”",
    )
    phrases: Phrases = Field(default_factory=Phrases, alias="措辞")
    settings: Settings = Field(default_factory=Settings, alias="设置")
    limits: Limits = Field(
        default_factory=Limits,
        alias="限制",
        description="模板与数据文件的上限：模板用时、模板输出、循环次数、调用深度、数据文件、"
        "嵌套层数、参考文档、转换用时",
    )


class FundAmounts(_Model):
    """One fund source's three columns, in 万元."""

    initial: Amount | None = Field(None, alias="年初预算数", description="这一来源的年初预算，万元")
    adjusted: Amount | None = Field(
        None, alias="全年预算数", description="这一来源调整后的预算，万元"
    )
    spent: Amount | None = Field(None, alias="全年执行数", description="这一来源的支出，万元")


# A source the tables also call by another name; the data may use either.
FUND_SYNONYMS = {"当年财政拨款": "本年财政拨款"}


class FundSources(_Model):
    """The sources inside the total; each part's columns must sum to the total's.

    The three of 财预〔2020〕10号 附件1 are fields (with English names); any other source is a
    row of its own under its name (财政专户管理资金, 单位资金, 上级补助…), in the order written.
    """

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, FundAmounts] = Field(init=False)

    current_year: FundAmounts | None = Field(
        None, alias="本年财政拨款", description="本年（当年）财政拨款"
    )
    carried_over: FundAmounts | None = Field(
        None, alias="上年结转资金", description="上年结转的资金"
    )
    other: FundAmounts | None = Field(None, alias="其他资金", description="财政拨款以外的资金")

    def entries(self) -> list[tuple[str, FundAmounts]]:
        """Every source the data give, by its name in the tables (当年财政拨款 is 本年财政拨款):
        the three of 附件1 first, then the others in the order written."""
        found: list[tuple[str, FundAmounts]] = []
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if value is not None:
                found.append((info.alias or name, value))
        for name, value in (self.model_extra or {}).items():
            found.append((FUND_SYNONYMS.get(name, name), value))
        return found


class Goal(_Model):
    """年度总体目标: what the project set out to do and what it did."""

    expected: TextItems = Field(
        alias="预期目标", description="年度总体目标：一段文字，或逐条列出（由 zpgen 编号）"
    )
    achieved: TextItems = Field(
        alias="实际完成情况",
        description="总体目标的完成情况：一个不带句号的分句，或逐条列出（由 zpgen 编号）",
    )


LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}


class Tier(str, Enum):
    """The tier of a qualitative indicator; its score must fall in the tier's band of 分值."""

    ACHIEVED = "达成年度指标"
    PARTLY = "部分达成年度指标并具有一定效果"
    MISSED = "未达成年度指标且效果较差"

    @property
    def band(self) -> tuple[Decimal, Decimal]:
        """The share of 分值 a score in this tier may take, both ends included."""
        return {
            Tier.ACHIEVED: (Decimal("0.8"), Decimal(1)),
            Tier.PARTLY: (Decimal("0.6"), Decimal("0.8")),
            Tier.MISSED: (Decimal(0), Decimal("0.6")),
        }[self]


_TIER_SHORT = {"达成": Tier.ACHIEVED, "部分达成": Tier.PARTLY, "未达成": Tier.MISSED}


def _tier(value: Any) -> Any:
    if value is None or isinstance(value, Tier):
        return value
    text = str(value).strip()
    for tier in Tier:
        if text == tier.value:
            return tier
    if text in _TIER_SHORT:
        return _TIER_SHORT[text]
    names = "、".join(f"“{t.value}”" for t in Tier)
    message = _("should be one of {names} (or, for short, 达成, 部分达成 or 未达成)")
    raise ValueError(message.format(names=names))


class Indicator(_Model):
    """One 三级指标 of the 绩效指标 table."""

    level1: Text = Field(alias="一级指标", description="产出指标、效益指标或满意度指标")
    level2: Text = Field(alias="二级指标", description="如数量指标、社会效益指标")
    name: Text = Field(alias="三级指标", description="项目自定的具体指标")
    target: Text = Field(alias="年度指标值", description="如“≥33个”“100%”“合规”")
    actual: Text | None = Field(
        None,
        alias="实际完成值",
        description="如“18个”；留空（不写这一项）时，自评表中这一行的完成值和得分空着，不计分",
    )
    weight: Points | None = Field(None, alias="分值", description="这一指标的分值")
    tier: Annotated[Tier | None, BeforeValidator(_tier)] = Field(
        None, alias="评价档次", description="定性指标的档次：达成、部分达成或未达成年度指标"
    )
    score: Points | None = Field(
        None, alias="得分", description="定性指标的得分；定量指标手工设定得分时须写明得分说明"
    )
    score_reason: Text | None = Field(
        None, alias="得分说明", description="手工设定或扣减得分的理由"
    )
    narrative: Paragraphs | None = Field(
        None, alias="完成情况", description="报告中这一指标的完成情况分析，完整的句子"
    )
    deviation: Paragraphs | None = Field(
        None, alias="偏差原因", description="偏差原因分析及改进措施"
    )

    @field_validator("level1")
    @classmethod
    def _known_level1(cls, value: str) -> str:
        if value not in LEVEL2_BY_LEVEL1:
            raise ValueError(
                _("should be one of {choices}, not “{value}”").format(
                    choices="、".join(LEVEL2_BY_LEVEL1), value=value
                )
            )
        return value

    @field_validator("level2")
    @classmethod
    def _level2_belongs(cls, value: str, info: ValidationInfo) -> str:
        level1 = info.data.get("level1")
        allowed = LEVEL2_BY_LEVEL1.get(level1 or "")
        if level1 == "满意度指标" and value == "满意度指标":
            return "服务对象满意度指标"
        if allowed is not None and value not in allowed:
            raise ValueError(
                _("under {level1} should be one of {choices}, not “{value}”").format(
                    level1=level1, choices="、".join(allowed), value=value
                )
            )
        return value


class Project(_Model):
    """One project file: the data of one special fund's self-evaluation."""

    name: Text = Field(alias="项目名称", description="如“数据系统维护费专项资金”")
    category: Text = Field("特定类项目", alias="项目类别", description="默认为“特定类项目”")
    implementing_unit: Text | None = Field(None, alias="实施单位", description="默认为本单位")
    initial_budget: Amount = Field(alias="年初预算数", description="年初批复的预算，万元")
    adjusted_budget: Amount = Field(
        alias="全年预算数", description="调整后的预算，万元；执行率 = 全年执行数 ÷ 全年预算数"
    )
    spent: Amount = Field(alias="全年执行数", description="全年实际支出，万元")
    fund_sources: FundSources | None = Field(
        None, alias="资金来源", description="各来源的金额，每一列之和应等于总额"
    )
    adjustment_reason: Text | None = Field(
        None, alias="预算调整原因", description="年初预算数与全年预算数不同的原因，不带句号的分句"
    )
    purpose: Text = Field(alias="资金用途", description="如“用于……工作”，不带句号的分句")
    goal: Goal = Field(alias="年度总体目标", description="预期目标与实际完成情况")
    indicators: list[Indicator] = Field(
        default_factory=list,
        alias="绩效指标",
        min_length=1,
        description="三级指标的列表，每项以“- ”开头；没有绩效指标的项目不写这一项",
    )
    deviation_reasons: Paragraphs | None = Field(
        None, alias="偏离原因", description="偏离绩效目标的原因；执行率低于 90% 时在此说明"
    )
    improvements: Paragraphs | None = Field(None, alias="改进措施", description="下一步改进措施")
    report_number: Text | None = Field(
        None, alias="报表编号", description="自评表上方的报表编号（四川等地的表式）"
    )
    fund_document: Text | None = Field(
        None, alias="资金文号", description="下达资金的文件文号，如“株财预〔2023〕12号”"
    )
    overview: Paragraphs | None = Field(
        None, alias="项目概况", description="项目基本概况：立项依据、主要内容等"
    )
    implementation: Paragraphs | None = Field(
        None, alias="项目实施内容", description="项目实施内容及过程概述：组织实施的情况"
    )
    conclusion: Paragraphs | None = Field(
        None, alias="评价结论", description="自评的结论（自评表的“评价结论”一栏，结论先行的提纲）"
    )
    problems: Paragraphs | None = Field(None, alias="存在问题", description="存在的问题及原因分析")
    lessons: Paragraphs | None = Field(
        None, alias="经验与建议", description="绩效自评工作的经验、问题和建议"
    )
    other_matters: Paragraphs | None = Field(
        None, alias="其他需要说明的问题", description="其他需要说明的问题；没有则不写"
    )
    evidence: TextItems | None = Field(
        None, alias="佐证材料", description="佐证材料的清单，逐条列出（由 zpgen 编号）"
    )
    extra: dict[Text, Paragraphs] = Field(
        default_factory=dict,
        alias="附加",
        description="模板可以印出的其他内容：名称 → 文字，如“项目负责人: 张三”",
    )
    phrases: Phrases = Field(
        default_factory=Phrases, alias="措辞", description="改写本单位措辞中的某几项"
    )
    settings: Settings = Field(
        default_factory=Settings, alias="设置", description="改写本单位设置中的某几项"
    )
    disabled_checks: tuple[DisabledCheck, ...] = Field(
        (), alias="关闭检查", description="对本项目关闭的检查规则，每条写明原因"
    )

    @field_validator("adjusted_budget")
    @classmethod
    def _budget_positive(cls, value: Decimal) -> Decimal:
        if value == 0:
            raise ValueError(_("is 0: the execution rate (全年执行数 ÷ 全年预算数) needs a budget"))
        return value


ModelT = TypeVar("ModelT", bound=BaseModel)


DEFAULT_SETTINGS = Settings(
    number_level3=False,
    weights=Weights(
        budget=Decimal(10), output=Decimal(50), effect=Decimal(30), satisfaction=Decimal(10)
    ),
    rate_decimals=2,
    score_decimals=2,
    negative_formula=NegativeFormula.OVERSHOOT,
    grade_bands=GradeBands(excellent=Decimal(90), good=Decimal(80), fair=Decimal(60)),
    self_table=SelfTable.NONE,
    layout="财预〔2020〕10号附件1",
    outline=Outline.SEED,
    allow_blank=False,
)


def overlay(base: ModelT, *layers: ModelT) -> ModelT:
    """``base`` with every value that a later layer sets (not None) put over it, field by field."""
    values = base.model_dump()
    for layer in layers:
        values.update(layer.model_dump(exclude_none=True))
    return type(base).model_validate(values)
