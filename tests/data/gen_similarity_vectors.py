#!/usr/bin/env python3
"""Generates tests/data/similarity_vectors.json with CPython's difflib.

Each vector: {"a", "b", "ratio", "normalized_ratio", "duplicate"} where
  ratio            = SequenceMatcher(None, a, b).ratio()
  normalized_ratio = the same on a.strip().lower(), b.strip().lower()
  duplicate        = the PRODUCT §4 duplicate-title rule (reference implementation below).

Deterministic: re-running reproduces the same file (fixed seed, sorted keys).
Usage: python3 tests/data/gen_similarity_vectors.py > tests/data/similarity_vectors.json
"""
import json
import random
import re
import sys
from difflib import SequenceMatcher

DIGITS = re.compile(r"[0-9]+")


def normalize(title):
    return title.strip().lower()


def titles_are_duplicates(a, b):
    a, b = normalize(a), normalize(b)
    if not a or not b:
        return False
    if DIGITS.sub("", a) == DIGITS.sub("", b) and DIGITS.findall(a) != DIGITS.findall(b):
        return False
    strict = ("test" in a or "bulk" in a) and ("test" in b or "bulk" in b)
    threshold = 0.95 if strict else 0.85
    return SequenceMatcher(None, a, b).ratio() >= threshold


FIXED = [
    ("Team Standup Meeting", "team stand-up meeting"),
    ("Quarterly Budget Review", "Quarterly Budget Analysis"),
    ("Bulk test task 1", "Bulk test task 2"),
    ("Task 1", "Task 2"),
    ("Task 1", "Task 10"),
    ("Task 1", "Task 01"),
    ("Task", "Task 1"),
    ("Review sales report", "Review the sales report"),
    ("Review sales report", "review sales report"),
    ("Review sales report", "  Review sales report  "),
    ("Dentist appointment", "Dentist appt"),
    ("Dentist appointment", "Dentist appointment tomorrow"),
    ("1:1 with Sarah", "1:1 with Sara"),
    ("1:1 with Sarah", "1:1 with John"),
    ("Prepare Q3 presentation", "Prepare Q4 presentation"),
    ("Prepare Q3 presentation", "Prepare presentation for Q3"),
    ("Write blog post", "Write a blog post"),
    ("Call mom", "Call dad"),
    ("Lunch", "Lunch with Alex"),
    ("Deep work", "Deep Work"),
    ("Focus time", "Focus Time Block"),
    ("Test event", "Test event 2"),
    ("Test event", "Test evnt"),
    ("Bulk import", "Bulk imports"),
    ("Bulk test", "bulk tests"),
    ("Testing the API", "Test the API"),
    ("Project kickoff", "Project kick-off"),
    ("Project kickoff", "Project kick off"),
    ("Sprint planning", "Sprint Planning!"),
    ("Sprint planning", "Sprint retro"),
    ("Doctor's appointment", "Doctors appointment"),
    ("Pay rent", "Pay rent."),
    ("Submit expense report", "Submit expenses report"),
    ("Submit expense report", "File expense report"),
    ("Quarterly business review", "Quarterly busines review"),
    ("Onboarding: new hire", "Onboarding - new hire"),
    ("Café meeting", "Cafe meeting"),
    ("Réunion d'équipe", "réunion d’équipe"),
    ("Ünïcödé title", "unicode title"),
    ("会议", "会议记录"),
    ("项目评审会议", "项目评审"),
    ("Встреча с командой", "встреча с командой"),
    ("ΟΔΟΣ", "οδος"),
    ("Straße planen", "STRASSE planen"),
    ("🎉 Party planning", "Party planning"),
    ("🎉 Party planning", "🎉 party planning"),
    ("", ""),
    ("", "a"),
    ("a", ""),
    ("   ", "x"),
    ("a", "a"),
    ("a", "b"),
    ("ab", "ba"),
    ("abc", "cba"),
    ("abcd", "bcda"),
    ("private Thread currentThread;", "private volatile Thread currentThread;"),
    ("qabxcd", "abycdf"),
    ("abxcd", "abcd"),
    ("Budget", "Budget review meeting"),
    ("Budget review meeting", "Budget review"),
    ("Weekly sync", "Weekly sync (moved)"),
    ("Interview: backend candidate", "Interview - backend candidate"),
    ("Bulk test task 10", "Bulk test task 11"),
    ("Bulk test task", "Bulk test task."),
    ("Bulk test task", "Bulk test tasks"),
    ("test", "text"),
    ("bulk", "bulky"),
    ("Meeting with John at 3pm", "Meeting with John at 4pm"),
    ("Meeting 2024-05-01", "Meeting 2024-05-02"),
    ("Call 555-1234", "Call 555-1235"),
    ("v2 release", "v3 release"),
    ("Release 1.2.3", "Release 1.2.4"),
    ("Read chapter 3", "Read chapter three"),
]

WORDS = (
    "review budget team meeting standup sync planning report sales quarterly project "
    "kickoff design interview candidate call client lunch focus deep work write draft "
    "blog post presentation prepare slides update roadmap onboarding retro sprint demo "
    "invoice pay taxes dentist doctor gym workout groceries email follow up proposal "
    "contract legal hiring marketing launch product customer feedback analysis test bulk"
).split()

PUNCT = ["-", ":", ",", ".", "!", "?", "/", "&", "(", ")", "'", "\u2019", "\u2013"]
UNICODE_BITS = ["é", "ü", "ñ", "ø", "ß", "ç", "日本", "会议", "🎉", "✅", "Ω", "ı", "İ"]


def title(rng, lo=2, hi=6):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    t = " ".join(words)
    if rng.random() < 0.5:
        t = t.capitalize()
    if rng.random() < 0.2:
        t = t.title()
    return t


def typo(rng, s):
    if not s:
        return s
    kind = rng.randrange(4)
    i = rng.randrange(len(s))
    if kind == 0:  # delete
        return s[:i] + s[i + 1:]
    if kind == 1:  # insert
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz ") + s[i:]
    if kind == 2:  # replace
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if i + 1 < len(s):  # swap
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s + "x"


def punctuate(rng, s):
    words = s.split(" ")
    if len(words) > 1:
        i = rng.randrange(1, len(words))
        words[i - 1] = words[i - 1] + rng.choice(PUNCT)
    return " ".join(words) + (rng.choice(PUNCT) if rng.random() < 0.3 else "")


def casing(rng, s):
    return rng.choice([s.lower(), s.upper(), s.title(), s.swapcase()])


def spaced(rng, s):
    return rng.choice(["  ", " ", "\t", ""]) + s + rng.choice(["  ", " ", "\n", ""])


def with_unicode(rng, s):
    i = rng.randrange(len(s) + 1)
    return s[:i] + rng.choice(UNICODE_BITS) + s[i:]


def renumber(rng, s):
    return s + " " + str(rng.randint(1, 30))


def long_text(rng, n, alphabet):
    return "".join(rng.choice(alphabet) for _ in range(n))


def main():
    rng = random.Random(20261201)
    pairs = list(FIXED)

    mutators = [typo, punctuate, casing, spaced, with_unicode, renumber]
    for _ in range(160):
        a = title(rng)
        b = a
        for _ in range(rng.randint(1, 3)):
            b = rng.choice(mutators)(rng, b)
        pairs.append((a, b))
    for _ in range(40):
        pairs.append((title(rng), title(rng)))
    for _ in range(20):
        base = title(rng, 2, 4)
        pairs.append((f"{base} {rng.randint(1, 9)}", f"{base} {rng.randint(1, 9)}"))

    # Long strings (>= 200 chars) exercise the autojunk "popular element" heuristic, which only
    # applies to the second sequence; include both orders and both lengths.
    for n in (199, 200, 201, 250, 300, 450, 800):
        for alphabet in ("ab", "abc ", "abcdefghij", "abcdefghijklmnopqrstuvwxyz     "):
            a = long_text(rng, n, alphabet)
            b = a
            for _ in range(rng.randint(1, 12)):
                b = typo(rng, b)
            pairs.append((a, b))
            pairs.append((b[: n // 3], a))
    for _ in range(12):
        a = " ".join(title(rng, 8, 12) for _ in range(5))
        b = " ".join(title(rng, 8, 12) for _ in range(5))
        pairs.append((a, b))
        pairs.append((a, typo(rng, typo(rng, a))))
    pairs.append(("x" * 250, "x" * 250))
    pairs.append(("x" * 250, "y" + "x" * 249))
    pairs.append(("short", "a" * 100 + "short" + "b" * 150))
    pairs.append(("a" * 100 + "short" + "b" * 150, "short"))

    vectors = []
    seen = set()
    for a, b in pairs:
        if (a, b) in seen:
            continue
        seen.add((a, b))
        vectors.append(
            {
                "a": a,
                "b": b,
                "ratio": SequenceMatcher(None, a, b).ratio(),
                "normalized_ratio": SequenceMatcher(None, normalize(a), normalize(b)).ratio(),
                "duplicate": titles_are_duplicates(a, b),
            }
        )
    json.dump(vectors, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    print(f"{len(vectors)} vectors", file=sys.stderr)


if __name__ == "__main__":
    main()
