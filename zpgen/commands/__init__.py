"""The commands beside build and check: ``init``, ``newyear``, ``schema``, ``templates`` (copy a
built-in one to edit) and ``totext`` (a .docx as text, for git diff). ``zpgen import`` has a
room of its own, ``zpgen.importer``."""
