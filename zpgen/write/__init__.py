"""Write: a document as .txt and .docx files, byte for byte the same for the same data.

``txt`` and ``texttable`` write the text twin; ``docx``, ``docx_table`` and ``zip`` the Word file
inside a base document (``base``); ``ooxml`` holds the .docx package's names and reads a .docx
made elsewhere safely; ``atomic`` writes a file through a temporary one and a rename.
"""
