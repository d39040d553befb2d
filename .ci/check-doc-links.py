#!/usr/bin/env python3
"""Checks every relative link of every Markdown file in the repository: the file (or directory)
must exist, and a #fragment must name a heading of the target, slugged as GitHub does.

    python3 .ci/check-doc-links.py        # from anywhere; exit status 1 when a link is broken
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINK = re.compile(r'(?<!!)\[[^\]]*\]\(([^)\s]+)\)')
FENCE = re.compile(r'^\s*(```|~~~)')


def markdown_files():
    listed = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [os.path.join(ROOT, f) for f in listed if os.path.exists(os.path.join(ROOT, f))]


def prose_lines(path):
    """The lines outside fenced code blocks."""
    inside = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if FENCE.match(line):
                inside = not inside
                continue
            if not inside:
                yield number, line


def slug(heading):
    text = re.sub(r'`|\*\*|\[|\]\([^)]*\)', '', heading.strip()).lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(path):
    seen = {}
    found = set()
    for _, line in prose_lines(path):
        m = re.match(r'#{1,6}\s+(.*?)\s*#*\s*$', line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            found.add(base if n == 0 else f'{base}-{n}')
    return found


def main():
    broken = 0
    checked = 0
    for path in markdown_files():
        for number, line in prose_lines(path):
            for target in LINK.findall(line):
                if re.match(r'[a-z][a-z0-9+.-]*:', target):   # http:, https:, mailto:
                    continue
                checked += 1
                file_part, _, fragment = target.partition('#')
                resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                where = f'{os.path.relpath(path, ROOT)}:{number}: {target}'
                if not os.path.exists(resolved):
                    print(f'{where}: no such file {os.path.relpath(resolved, ROOT)}')
                    broken += 1
                elif fragment and resolved.endswith('.md') and fragment not in anchors(resolved):
                    print(f'{where}: no heading #{fragment} in {os.path.relpath(resolved, ROOT)}')
                    broken += 1
    print(f'{checked} relative links checked, {broken} broken')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())
