"""The IMAP stand-in's reading of client commands (RFC 3501 section 9): arguments, sets, dates.

A command arrives as text pieces with literals between them (``{n}`` ends a piece, n bytes follow);
:func:`tokenize` turns them into atoms, strings and parenthesized lists so the commands never look
at raw bytes. Anything malformed raises :class:`SyntaxProblem`, which the server answers with BAD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$")
_TAG = re.compile(r"^[!#$&'*,./0-9:;<=>?@A-Z^_`a-z|}~-]+$")  # astring chars without "+" (RFC 3501 tag)
_SET = re.compile(r"(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*")
LITERAL_AT_END = re.compile(rb"\{(\d+)(\+?)\}\r?\n?$")


class SyntaxProblem(ValueError):
    """The client sent something this server cannot parse; the text goes into a BAD response."""


class Text(str):
    """A quoted string or a literal (unlike an atom, never a keyword)."""


Token = str | Text | list["Token"]


@dataclass(frozen=True, slots=True)
class Command:
    tag: str
    name: str  # upper case; "UID FETCH" and "UID SEARCH" keep both words
    arguments: list[Token]


def _quoted(text: str, start: int) -> tuple[Text, int]:
    chars: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text) or text[index + 1] not in "\\\"":
                raise SyntaxProblem("a backslash in a quoted string must escape \\ or \"")
            chars.append(text[index + 1])
            index += 2
        elif char == '"':
            return Text("".join(chars)), index + 1
        else:
            chars.append(char)
            index += 1
    raise SyntaxProblem("a quoted string is not closed")


def _atom(text: str, start: int) -> tuple[str, int]:
    """An atom; a ``[...]`` section (which may hold spaces and parentheses) belongs to it."""
    index = start
    while index < len(text) and text[index] not in " ()":
        if text[index] == "[":
            end = text.find("]", index)
            if end < 0:
                raise SyntaxProblem("a [ is not closed")
            index = end + 1
        elif text[index] in "\"{":
            raise SyntaxProblem(f"unexpected {text[index]!r} inside an atom")
        else:
            index += 1
    return text[start:index], index


def tokenize(pieces: list[str], literals: list[bytes]) -> list[Token]:
    """The tokens of a command: ``pieces[i]`` is followed by ``literals[i]`` when there is one."""
    stack: list[list[Token]] = [[]]
    for number, piece in enumerate(pieces):
        index = 0
        while index < len(piece):
            char = piece[index]
            if char == " ":
                index += 1
            elif char == "(":
                stack.append([])
                index += 1
            elif char == ")":
                if len(stack) == 1:
                    raise SyntaxProblem("a ) without its (")
                closed = stack.pop()
                stack[-1].append(closed)
                index += 1
            elif char == '"':
                token, index = _quoted(piece, index)
                stack[-1].append(token)
            else:
                token, index = _atom(piece, index)
                stack[-1].append(token)
        if number < len(literals):
            stack[-1].append(Text(literals[number].decode("utf-8", "replace")))
    if len(stack) != 1:
        raise SyntaxProblem("a ( is not closed")
    return stack[0]


def command_tag(line: str) -> str | None:
    """The tag a command line starts with, when it has a valid one (to answer even a malformed command)."""
    tag = line.split(" ", 1)[0]
    return tag if _TAG.match(tag) else None


def parse_command(pieces: list[str], literals: list[bytes]) -> Command:
    """Tag, command name and arguments; the tag must be a plain atom."""
    first = pieces[0].split(" ", 2) if pieces else [""]
    tag = first[0]
    if not tag or not _TAG.match(tag):
        raise SyntaxProblem("a command starts with a tag")
    if len(first) < 2 or not first[1]:
        raise SyntaxProblem("missing command name")
    name = first[1].upper()
    rest = [first[2] if len(first) > 2 else "", *pieces[1:]]
    arguments = tokenize(rest, literals)
    if name == "UID":
        if not arguments or isinstance(arguments[0], (Text, list)):
            raise SyntaxProblem("UID needs a command (FETCH or SEARCH)")
        name = f"UID {str(arguments[0]).upper()}"
        arguments = arguments[1:]
    return Command(tag, name, arguments)


def astring(token: Token) -> str:
    """An atom or string argument (a mailbox name, a user name, a password)."""
    if isinstance(token, list):
        raise SyntaxProblem("expected a name or a string, not a list")
    return str(token)


@dataclass(frozen=True, slots=True)
class NumberSet:
    """A sequence set (``1,4:7,9:*``) with ``*`` already replaced by the largest number in use."""

    ranges: tuple[tuple[int, int], ...]

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and any(low <= number <= high for low, high in self.ranges)


def parse_set(token: Token, largest: int) -> NumberSet | None:
    """A sequence set against ``largest`` (the value of ``*``); None when the token is not a set.

    As RFC 3501 says, ``n:*`` holds ``largest`` even when n is past it, and a range's ends may come
    in either order.
    """
    if isinstance(token, (Text, list)) or not _SET.fullmatch(token):
        return None
    ranges: list[tuple[int, int]] = []
    for part in token.split(","):
        raw = part.split(":")
        if any(end != "*" and int(end) == 0 for end in raw):
            raise SyntaxProblem("0 is not a message number or UID")
        ends = [largest if end == "*" else int(end) for end in raw]
        ranges.append((min(ends), max(ends)))
    return NumberSet(tuple(ranges))


def parse_date(token: Token) -> date:
    """An IMAP date such as ``1-Feb-2025`` (quoted or not)."""
    match = _DATE.match(token) if isinstance(token, str) else None
    if not match or match.group(2).capitalize() not in MONTHS:
        raise SyntaxProblem(f"not an IMAP date (d-Mon-yyyy): {token!r}")
    try:
        return date(int(match.group(3)), MONTHS.index(match.group(2).capitalize()) + 1, int(match.group(1)))
    except ValueError as exc:
        raise SyntaxProblem(f"not a date: {token!r}") from exc


def quote(text: str) -> str:
    """A quoted string for a response."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


__all__ = ["MONTHS", "Command", "LITERAL_AT_END", "command_tag", "NumberSet", "SyntaxProblem", "Text", "Token", "astring", "parse_command",
           "parse_date", "parse_set", "quote", "tokenize"]
