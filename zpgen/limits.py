"""How much work a workspace's files may ask of zpgen, and how far ``zpgen.yaml`` may raise it.

A workspace comes from a colleague: its templates and data may be broken or hostile. Every read
and every render is bounded, so that no file can hang zpgen or eat the machine's memory. The
defaults are far above what any real report needs (a report renders in a millisecond, a project
file is a few KB); ``限制:`` in ``zpgen.yaml`` raises them, up to a ceiling that still keeps the
machine usable.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from zpgen.i18n import _

__all__ = ["CEILINGS", "DEFAULT_LIMITS", "Limits"]

# field → the highest value zpgen.yaml may set
CEILINGS = {
    "template_seconds": 60,
    "template_output": 100_000_000,
    "range_length": 1_000_000,
    "call_depth": 200,
    "data_file_kb": 20_480,
    "nesting_depth": 100,
    "document_mb": 500,
    "conversion_seconds": 600,
}


def _bounded(field: str) -> Any:
    """A whole number from 1 up to the field's ceiling, read from its text."""
    ceiling = CEILINGS[field]

    def check(value: Any) -> int:
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if isinstance(value, bool) or text is None or not text.isdigit():
            raise ValueError(_("should be a whole number such as 10"))
        number = int(text)
        if not 1 <= number <= ceiling:
            raise ValueError(
                _("should be from 1 to {ceiling}, not {value}").format(ceiling=ceiling, value=text)
            )
        return number

    return BeforeValidator(check)


class Limits(BaseModel):
    """The bounds on rendering a template and on reading a file."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True)

    template_seconds: Annotated[int, _bounded("template_seconds")] = Field(
        5, alias="模板用时", description="一个模板渲染一次最多用时，秒（默认5，最多60）"
    )
    template_output: Annotated[int, _bounded("template_output")] = Field(
        10_000_000,
        alias="模板输出",
        description="一个模板渲染一次最多输出的字符数（默认1000万，最多1亿）",
    )
    range_length: Annotated[int, _bounded("range_length")] = Field(
        10_000, alias="循环次数", description="模板中 range() 最多的次数（默认1万，最多100万）"
    )
    call_depth: Annotated[int, _bounded("call_depth")] = Field(
        50, alias="调用深度", description="模板中宏调用宏最多的层数（默认50，最多200）"
    )
    data_file_kb: Annotated[int, _bounded("data_file_kb")] = Field(
        1024,
        alias="数据文件",
        description="一个 YAML 数据文件最大的大小，KB（默认1024，最多20480）",
    )
    nesting_depth: Annotated[int, _bounded("nesting_depth")] = Field(
        20, alias="嵌套层数", description="YAML 数据最多的嵌套层数（默认20，最多100）"
    )
    document_mb: Annotated[int, _bounded("document_mb")] = Field(
        50,
        alias="参考文档",
        description="一个 .docx（参考文档等）解压后最大的大小，MB（默认50，最多500）",
    )

    conversion_seconds: Annotated[int, _bounded("conversion_seconds")] = Field(
        60,
        alias="转换用时",
        description="LibreOffice 把一份报告转换为 PDF 最多用时，秒（默认60，最多600）",
    )

    @property
    def data_file_bytes(self) -> int:
        return self.data_file_kb * 1024

    @property
    def document_bytes(self) -> int:
        return self.document_mb * 1024 * 1024


DEFAULT_LIMITS = Limits()
