"""zpgen: 项目支出绩效自评报告 from YAML project data."""

__version__ = "0.1.0"
