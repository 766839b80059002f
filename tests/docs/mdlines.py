"""mdlines.py - the lines of a Markdown file, each marked prose or code.

Shared by check-names.py (names in backticks in the prose) and
check-samples.py (output lines in the code): a line is code inside a
``` fence or when indented by four spaces; the fence lines themselves are
neither and are left out.
"""


def md_lines(md):
    """(line number, line, in_code) for each line of md but the fences."""
    fence = False
    with open(md, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.lstrip().startswith("```"):
                fence = not fence
                continue
            yield n, line, fence or line.startswith("    ")
