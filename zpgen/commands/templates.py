"""``zpgen templates copy``: a built-in template, or the base document, copied into the workspace
to edit."""

from __future__ import annotations

from pathlib import Path

from zpgen.errors import ZpgenError
from zpgen.i18n import _
from zpgen.model.workspace import BASE_DOCUMENT_FILE, Workspace
from zpgen.render.markup import DocumentMeta, Numbering, parse_markup
from zpgen.render.templates import builtin_sources
from zpgen.write.atomic import confinement_problem, write_output

__all__ = ["builtin_base_sample", "copy_template"]


def copy_template(space: Workspace, name: str, *, force: bool = False) -> Path:
    """Copy a built-in template (or the base document, ``base.docx``) into the workspace's
    template folder to edit; an existing file is kept unless ``force``. Never through a link."""
    sources = builtin_sources(space)  # the outline's templates, where zpgen.yaml chooses one
    if name != BASE_DOCUMENT_FILE and name not in sources:
        known = "、".join([*sorted(sources), BASE_DOCUMENT_FILE])
        message = _("There is no built-in template named “{name}” (the choices: {known}).")
        raise ZpgenError.single(None, message.format(name=name, known=known))
    target = space.templates / name
    confined = confinement_problem(target, space.root)
    if confined is not None:
        raise ZpgenError([confined])
    if target.exists() and not force:
        message = _(
            "The file already exists and was not overwritten (add --force to overwrite it)."
        )
        raise ZpgenError.single(target, message)
    if name == BASE_DOCUMENT_FILE:
        write_output(target, builtin_base_sample())
    else:
        write_output(target, sources[name].read_bytes())
    return target


# Shows each style the reports use, under the name Word gives it, so that it can be edited there.
_SAMPLE = """\
^单位名称（样式：Centered，居中的行）
= 项目支出绩效自评报告（样式：标题）
^（项目名称，样式：Centered）
# 一级标题（样式：标题 1，黑体）
## 二级标题（样式：标题 2，楷体）
### 三级标题（样式：标题 3）
#### 四级标题（样式：标题 4）
正文（样式：正文）。zpgen 生成报告时保留本文件的样式、页面设置、页眉和页脚，换掉正文。\
在 Word 中修改样式（开始 → 样式 → 修改），不要删除样式或改样式名。
@标签：（“标签：”用字符样式 Label）其后为正文。
> 落款（样式：签名）
"""


def builtin_base_sample() -> bytes:
    """The built-in base document as a .docx showing every style, to edit in Word."""
    from zpgen.write.docx import load_base, render_docx

    meta_data = DocumentMeta(title="zpgen 参考文档", author="zpgen", date=(2024, 1, 1))
    document = parse_markup(_SAMPLE, meta_data, Numbering())
    return render_docx(document, load_base())
