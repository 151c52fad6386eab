"""`zpgen check` and `zpgen schema` through the command: output, JSON, exit codes (the exit
codes, and stdout against stderr, also from the real command, a process of its own)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import SEED_UNIT, invoke_zpgen, run_zpgen


def make_warning(workspace: Path) -> Path:
    project = workspace / "data" / "2023" / SEED_UNIT / "01-数据系统维护费.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("实际维护了18个", "实际维护了XX个", 1), encoding="utf-8")
    return project


def test_clean_data_exit_0_and_say_so(seed_workspace: Path) -> None:
    result = run_zpgen("check", cwd=seed_workspace)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "检查了 3 个项目文件：错误 0，警告 0。\n",
        "",
    )
    assert not (seed_workspace / "output").exists(), "check writes nothing"


def test_json_for_ci_and_editors(seed_workspace: Path) -> None:
    make_warning(seed_workspace)
    result = invoke_zpgen("check", "--format", "json", "--lang", "en", cwd=seed_workspace)
    assert result.returncode == 0, "a warning alone does not fail"
    assert json.loads(result.stdout) == {
        "problems": [
            {
                "file": f"data/2023/{SEED_UNIT}/01-数据系统维护费.yaml",
                "line": 26,
                "column": 130,
                "key": "绩效指标[0].完成情况",
                "severity": "warning",
                "rule": "placeholder",
                "message": "“XX” looks like a placeholder left in: write the real text.",
            }
        ],
        "errors": 0,
        "warnings": 1,
        "projects": 3,
    }


def test_strict_turns_warnings_into_errors(seed_workspace: Path) -> None:
    make_warning(seed_workspace)
    result = invoke_zpgen("check", "--strict", cwd=seed_workspace)
    assert result.returncode == 1
    assert result.stdout.startswith(f"错误：data/2023/{SEED_UNIT}/01-数据系统维护费.yaml:26:130")
    build = invoke_zpgen("build", "--strict", "-f", "txt", cwd=seed_workspace)
    assert build.returncode == 1
    written = sorted(p.name for p in (seed_workspace / "output").rglob("*.txt"))
    assert written == [
        "事业单位工作人员招聘考试经费专项资金.txt",
        "事业单位工作人员招聘考试经费专项资金_自评表.txt",
        "企业离休人员第十三月基本离休费专项资金.txt",
        "企业离休人员第十三月基本离休费专项资金_自评表.txt",
    ], "neither the project with the warning (nor its 自评表) nor the unit's combined report"


def test_usage_errors_exit_2(seed_workspace: Path, tmp_path: Path) -> None:
    missing = run_zpgen("check", "data/2099", cwd=seed_workspace)
    assert (missing.returncode, missing.stdout, missing.stderr) == (
        2,
        "",
        "错误：data/2099: 文件或文件夹不存在。\n",
    )
    unknown = invoke_zpgen("check", "--format", "xml", cwd=seed_workspace)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr.startswith("错误：--format 的值不对：“xml”不在 text，json 之中。")
    outside = invoke_zpgen("check", cwd=tmp_path)
    assert (outside.returncode, outside.stdout) == (2, ""), "not in a workspace"
    assert outside.stderr.startswith("错误：.: 这里没有工作区")
    odt = invoke_zpgen("build", "--format", "odt", cwd=seed_workspace)
    assert (odt.returncode, odt.stdout) == (2, "")
    assert odt.stderr == (
        "错误：命令行 --format [输出格式]: “输出格式”应为 txt、docx、pdf，不认识 odt。\n"
    )


def test_one_project_file_is_checked_with_its_unit(seed_workspace: Path) -> None:
    project = make_warning(seed_workspace)
    result = invoke_zpgen("check", str(project), cwd=seed_workspace / "data")
    assert result.returncode == 0
    assert result.stdout.endswith("检查了 1 个项目文件：错误 0，警告 1。\n")


RULES_LISTED = """\
fund-sources-sum             error    The fund sources (资金来源) do not add up to the totals.
fund-source-row              error    A fund source (资金来源) has no row in the 自评表's layout (资金来源行).
spent-over-budget            error    全年执行数 is above 全年预算数.
adjustment-unexplained       warning  年初预算数 and 全年预算数 differ, and no 预算调整原因 says why.
low-execution-unexplained    warning  执行率 is below 90%, and 偏离原因 does not explain it.
narrative-amount             warning  An amount in the text disagrees with the project's figures.
target-missed-unexplained    warning  An indicator misses its target, and 偏差原因 does not say why.
target-exceeded-unexplained  warning  An indicator overshoots its target by more than 20%, and 偏差原因 says nothing on it.
explanation-denies           warning  An explanation says there is nothing to explain (暂无问题) beside a shortfall.
itemised-sum                 warning  Items listed in the text do not add up to the total they break down.
cost-not-money               warning  A 成本指标's target is not an amount of money (个, 人, %…).
timeliness-without-time      warning  A 时效指标's target gives no time, date or rate (及时).
actual-as-target             warning  An 实际完成值 is written as a target (≥80%) instead of the value reached.
doubled-year                 warning  A year is written twice in a row (2023年2023年度).
stale-year                   warning  A sentence on the budget year's budget or spending names another year (last year's?).
evaluation-before-year-end   warning  评价时间 is before the end of the budget year it evaluates.
unknown-category             warning  项目类别 is none of the known categories.
narrative-rate               warning  A percentage in the text (执行率, the share unpaid) disagrees with the figures.
narrative-actual             warning  An indicator's 完成情况 gives another number than its 实际完成值.
scores                       error    The indicators cannot be scored as they stand (分值, 得分, 评价档次, 实际完成值).
table-incomplete             warning  An indicator's 实际完成值 is left blank: the 自评表 prints its row blank and no 总分.
same-sentence                warning  A sentence is word for word the one of another project of the unit (copied?).
other-project-figure         warning  The text gives an amount that is another project's figure, not this one's (copied?).
other-project-name           warning  The text names another project of the unit (copied from its report?).
doubled-char                 warning  A character is typed twice (经费费).
placeholder                  warning  A placeholder or a prompt of the form is left in (XX, ××, ……, 待填, （100字以内）).
fullwidth-digits             warning  A number is written with full-width digits (８.５６ for 8.56).
file-name                    warning  A name has characters that a file name cannot hold; the file is named otherwise.
"""


def test_list_rules(tmp_path: Path) -> None:
    listed = invoke_zpgen("check", "--list-rules", "--lang", "en", cwd=tmp_path)
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, RULES_LISTED, "")
    chinese = invoke_zpgen("check", "--list-rules", cwd=tmp_path).stdout.splitlines()
    assert [line.split()[:2] for line in chinese] == [
        [rule, {"error": "错误", "warning": "警告"}[severity]]
        for rule, severity, *_ in (line.split() for line in RULES_LISTED.splitlines())
    ]
    assert chinese[0] == "fund-sources-sum             错误       资金来源各项之和与总额不符。"


def test_schema_writes_every_schema(tmp_path: Path) -> None:
    names = ("project", "unit", "layout")
    first = invoke_zpgen("schema", "--out", "schemas", cwd=tmp_path)
    assert first.stdout == "".join(f"新建  schemas/{name}.schema.json\n" for name in names)
    again = invoke_zpgen("schema", "--out", "schemas", cwd=tmp_path)
    assert again.stdout == "".join(f"未变  schemas/{name}.schema.json\n" for name in names)
