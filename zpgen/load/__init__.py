"""Load: the workspace's files as plain data, read without trusting them.

``reading`` reads a file as a bounded regular file inside the workspace; ``yaml_file`` turns YAML
text into plain data with the position of every value; ``sources`` finds the workspace and the
unit folders and project files a command names.
"""
