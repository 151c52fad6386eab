"""What `zpgen build` prints: a line per file, and the summary; and `zpgen templates copy`."""

from __future__ import annotations

from pathlib import Path

from .conftest import SEED_UNIT, UNIT_NAME, invoke_zpgen

P2 = "企业离休人员第十三月基本离休费专项资金"
P3_FILE = "03-事业单位工作人员招聘考试经费.yaml"


def test_build_prints_each_file_and_a_summary(seed_workspace: Path) -> None:
    assert invoke_zpgen("build", "-f", "txt", cwd=seed_workspace).returncode == 0
    project = (
        seed_workspace / "data" / "2023" / SEED_UNIT / "02-企业离休人员第十三月基本离休费.yaml"
    )
    project.write_text(
        project.read_text(encoding="utf-8").replace("不再发放", "不再继续发放"), encoding="utf-8"
    )
    (seed_workspace / "data" / "2023" / SEED_UNIT / P3_FILE).unlink()
    result = invoke_zpgen("build", "-f", "txt", cwd=seed_workspace)
    assert result.returncode == 0, result.stderr
    # the seed's unit.yaml asks for each 自评表 as a file of its own (自评表: 单独文件); the
    # edited sentence is not in P2's 自评表, and the unit's 自评表 loses the deleted project
    assert result.stdout.splitlines() == [
        f"未变  output/2023/{UNIT_NAME}/数据系统维护费专项资金.txt",
        f"未变  output/2023/{UNIT_NAME}/数据系统维护费专项资金_自评表.txt",
        f"更新  output/2023/{UNIT_NAME}/{P2}.txt",
        f"未变  output/2023/{UNIT_NAME}/{P2}_自评表.txt",
        f"更新  output/2023/{UNIT_NAME}.txt",
        f"更新  output/2023/{UNIT_NAME}_自评表.txt",
        f"过期  output/2023/{UNIT_NAME}/事业单位工作人员招聘考试经费专项资金.txt",
        f"过期  output/2023/{UNIT_NAME}/事业单位工作人员招聘考试经费专项资金_自评表.txt",
        "完成：新建 0，更新 3，未变 3，失败 0，过期 2（不再生成的旧报告：项目已删除或改名，或设置不再要求生成；用 --prune 删除）。",
    ]
    dry = invoke_zpgen("build", "-f", "txt", "--prune", "--dry-run", cwd=seed_workspace)
    assert dry.stdout.splitlines()[-3:] == [
        f"删除  output/2023/{UNIT_NAME}/事业单位工作人员招聘考试经费专项资金.txt",
        f"删除  output/2023/{UNIT_NAME}/事业单位工作人员招聘考试经费专项资金_自评表.txt",
        "试运行，未写入任何文件：新建 0，更新 0，未变 6，失败 0，删除 2。",
    ]
    pruned = invoke_zpgen("build", "-f", "txt", "--prune", cwd=seed_workspace)
    assert pruned.stdout.splitlines()[-1] == "完成：新建 0，更新 0，未变 6，失败 0，删除 2。"
    # numbered third-level headings change the reports, not the 自评表
    forced = invoke_zpgen(
        "build", "-f", "txt", "--force", "--set", "三级标题编号=是", cwd=seed_workspace
    )
    assert forced.stdout.splitlines()[-1] == "完成：新建 0，更新 3，未变 3，失败 0。"


def test_a_failed_project_is_a_line_of_its_own(seed_workspace: Path) -> None:
    project = seed_workspace / "data" / "2023" / SEED_UNIT / P3_FILE
    project.write_text(
        project.read_text(encoding="utf-8").replace("全年执行数: 36.49", "全年执行数: 待填"),
        encoding="utf-8",
    )
    result = invoke_zpgen("build", "-f", "txt", cwd=seed_workspace)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-3:] == [
        f"失败  data/2023/{SEED_UNIT}/{P3_FILE}",
        f"失败  data/2023/{SEED_UNIT}",
        "完成：新建 4，更新 0，未变 0，失败 2。",  # two good projects' reports and 自评表
    ]
    assert "[全年执行数]: 尚未填写：请填写这一项" in result.stderr


def test_an_unknown_setting_on_the_command_line_is_a_usage_error(seed_workspace: Path) -> None:
    result = invoke_zpgen("build", "--set", "三级编号=是", cwd=seed_workspace)
    assert result.returncode == 2
    assert "命令行 --set [三级编号]: 未知的键“三级编号”" in result.stderr


def test_templates_copy_command(seed_workspace: Path) -> None:
    result = invoke_zpgen("templates", "copy", "base.docx", cwd=seed_workspace)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "新建  templates/base.docx\n"
    again = invoke_zpgen("templates", "copy", "base.docx", cwd=seed_workspace)
    assert again.returncode == 1 and "文件已存在" in again.stderr
    listed = invoke_zpgen("templates", "list", cwd=seed_workspace).stdout.splitlines()
    assert listed[-1] == "base.docx             工作区，替换内置的  templates/base.docx"


def test_a_path_that_does_not_exist_is_named_as_such(seed_workspace: Path) -> None:
    done = invoke_zpgen("build", "data/2023/没有这个单位", cwd=seed_workspace)
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "错误：data/2023/没有这个单位: 文件或文件夹不存在。\n",
    )
    english = invoke_zpgen("check", "nowhere", "--lang", "en", cwd=seed_workspace)
    assert (english.returncode, english.stdout, english.stderr) == (
        2,
        "",
        "error: nowhere: There is no such file or folder.\n",
    )


def test_files_a_unit_folder_does_not_take_are_named(seed_workspace: Path) -> None:
    unit = seed_workspace / "data" / "2023" / SEED_UNIT
    (unit / "04-新项目.yaml.txt").write_text("项目名称: 新项目\n", encoding="utf-8")
    (unit / "05-大写.YAML").write_text("项目名称: 大写\n", encoding="utf-8")
    (unit / "~$锁定.docx").write_text("Word 的锁文件\n", encoding="utf-8")
    result = invoke_zpgen("check", cwd=seed_workspace)
    assert result.returncode == 0
    lines = [line for line in result.stdout.splitlines() if "没有读取" in line]
    assert lines == [
        f"警告：data/2023/{SEED_UNIT}/04-新项目.yaml.txt: 没有读取：文件名在“.yaml”之后还有“.txt”"
        "（记事本保存时会在文件名后加上 .txt）。如果它是项目文件，请把文件名改为以“.yaml”结尾；"
        "如果是备份，请移出数据文件夹。",
        f"警告：data/2023/{SEED_UNIT}/05-大写.YAML: 没有读取：zpgen 只读取文件名以小写的 .yaml 或 .yml "
        "结尾的文件。请把文件名改为以“.yaml”结尾。",
    ]


def test_init_refuses_a_year_of_two_digits(tmp_path: Path) -> None:
    result = invoke_zpgen("init", "ws", "--year", "23", cwd=tmp_path)
    assert result.returncode == 2
    assert "--year 23 不是预算年度：请用四位数字写年份，如 2023。" in result.stderr
    assert not (tmp_path / "ws").exists()
