"""Render: the templates, run in a bounded sandbox over inert data, give the report's markup.

``environment`` is the one Jinja environment; ``context`` documents every variable a template
sees and the allow-list of what it may read; ``markup`` turns the markup into a document's
blocks; ``templates`` lists the templates a workspace renders with.
"""
