"""Model: what the data means: the schema of the files, their value types, the settings.

``schema`` holds the pydantic models (every key in Chinese and English); ``values`` the value
types (text, amounts, flags); ``validate`` loads a file and validates it, reporting every problem
at once (``explain`` words them, ``placeholders`` finds the values still to fill in); ``keys``
says how a file spelled a key; ``names`` makes file names from names in the data;
``workspace`` reads zpgen.yaml and resolves the layers of settings.
"""
