"""Reading the analysts' sentences: numbers in running Chinese text (``numbers``), and the text
cut into clauses once for every rule that checks what it says (``clauses``)."""
