"""``zpgen import``: last year's reports and 自评表 (.docx, .txt, .xlsx) become a unit's YAML.

The package reads each format (``sources``, ``package``, ``docx_source``, ``text_source``,
``xlsx_source``), recognises outlines and 自评表 layouts described as data (``outlines``,
``layouts``, read by ``narrative`` and ``selftable``), puts the projects of every file
together (``merge``, ``reconcile``, ``scores``) and writes YAML (``assemble``, ``yamlwrite``);
``run`` holds the one entry point.
"""

from zpgen.importer.run import ImportedFile, ImportReport, import_files

__all__ = ["ImportReport", "ImportedFile", "import_files"]
