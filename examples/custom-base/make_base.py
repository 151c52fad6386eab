"""Make templates/base.docx: the built-in base document as an office might edit it in Word.

The changes an office typically makes: 仿宋 and 楷体 (the fonts Windows ships) in place of the
_GB2312 ones, lines of exactly 28 pt, a header marking the report as a draft for review
(送审稿). The style ids are renamed the way a Chinese Word renames them on saving ("heading 1"
becomes id "1", "Title" id "a3"…), which zpgen puts right by the styles' names.

Run from this folder with zpgen installed: python make_base.py. The output is reproducible.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from zpgen.commands.templates import builtin_base_sample

HEADER = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr>\
<w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/>\
<w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" \
w:eastAsia="宋体"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr><w:t>绩效自评报告（送审稿）</w:t>\
</w:r></w:p></w:hdr>"""

# How a Chinese Word renames the built-in styles' ids when it saves.
WORD_IDS = {
    "Title": "a3",
    "Heading1": "1",
    "Heading2": "2",
    "Heading3": "3",
    "Heading4": "4",
    "Signature": "a5",
    "Footer": "a7",
    "TableGrid": "a9",
}


def edit(name: str, text: str) -> str:
    if name.startswith("word/") and name.endswith(".xml"):
        text = text.replace("仿宋_GB2312", "仿宋").replace("楷体_GB2312", "楷体")
        text = text.replace('w:line="579"', 'w:line="560"').replace(
            'w:linePitch="579"', 'w:linePitch="560"'
        )
        for old, new in WORD_IDS.items():
            text = re.sub(
                rf'(w:styleId=|<w:(?:pStyle|rStyle|tblStyle|basedOn|next|link) w:val=)"{old}"',
                lambda m, new=new: f'{m.group(1)}"{new}"',
                text,
            )
    if name == "word/document.xml":
        text = text.replace(
            "<w:sectPr>",
            '<w:sectPr><w:headerReference w:type="default" r:id="rId7"/>'
            '<w:headerReference w:type="even" r:id="rId7"/>',
        )
    if name == "word/_rels/document.xml.rels":
        text = text.replace(
            "</Relationships>",
            '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/header" Target="header1.xml"/></Relationships>',
        )
    if name == "[Content_Types].xml":
        text = text.replace(
            "</Types>",
            '<Override PartName="/word/header1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>',
        )
    return text


def main() -> None:
    with zipfile.ZipFile(io.BytesIO(builtin_base_sample())) as archive:
        parts = {i.filename: archive.read(i).decode("utf-8") for i in archive.infolist()}
    parts = {name: edit(name, text) for name, text in parts.items()}
    parts["word/header1.xml"] = HEADER
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        first = "[Content_Types].xml"
        for name in [first, *sorted(n for n in parts if n != first)]:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name].encode("utf-8"))
    target = Path(__file__).parent / "templates" / "base.docx"
    target.write_bytes(buffer.getvalue())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
