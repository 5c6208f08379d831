#!/usr/bin/env python3
"""Converts the English single-expression cases of two public date-parser test suites into
tests/data/public_corpus/time_corpus_public.jsonl (our development corpus, issue #12 item 4).

Sources (both permissively licensed; their licence texts are next to this script):
- Duckling (BSD-3-Clause, github.com/facebook/duckling), Duckling/Time/EN/Corpus.hs:
  `examples (datetime (Y, M, D, h, m, s) Grain) ["phrase", ...]` and `datetimeHoliday`,
  reference time Tue 2013-02-12 04:30:00 at UTC-2 (Duckling's testContext).
- chrono-node (MIT, github.com/wanasit/chrono), test/en/*.test.ts: `testSingleCase(chrono…,
  "text", new Date(…), (result) => {...})` with `result.text` and `result.start.get(...)`.

In scope (what `parse_phrase` reads): one English expression naming a date, a date-time or a
time relative to a reference time. Left out: intervals and open intervals, weeks / months /
quarters / years as grains, results with an end, phrases with a time zone (our design uses the
user's zone and refuses foreign ones), and cases whose reference is not a literal date.

- dateparser (BSD-3-Clause, github.com/scrapinghub/dateparser), the English blocks of
  tests/test_date_parser.py (`test_dates_parsing`, reference 2012-11-13 00:00;
  `test_preferably_future_dates`, 2015-02-15 15:30) and tests/test_freshness_date_parser.py
  (`test_relative_past_dates`, `test_relative_future_dates`, `test_freshness_date_with_time`,
  fixed now 2014-09-01 10:30 UTC; `ago` / `in_future` applied like dateutil's relativedelta).
  Left out there too: bare durations ("2 hours", read as that long ago), decades and spans over
  100 years, computed phrases, a month alone, bracketed text and non-English phrases.

Usage: convert.py <duckling mirror git dir> <chrono mirror git dir> <dateparser mirror git dir>
(e.g. the `fetch` tool's /work/.mirror/facebook+duckling/repo); reads HEAD of each.
"""

import json
import re
import subprocess
import sys

OUT = "tests/data/public_corpus/time_corpus_public.jsonl"
# The holidays in scope (issue #12: US federal holidays, Christmas, New Year, Easter,
# Thanksgiving, Halloween, Valentine's Day, and the others docs/TIME.md lists), by Duckling's
# names; Duckling's other religious and national holidays are left out.
COMMON_HOLIDAYS = {
    "Black Friday", "Christmas", "Easter Monday", "Easter Sunday", "Halloween",
    "Martin Luther King's Day", "New Year's Day", "New Year's Eve", "St Patrick's Day",
    "Thanksgiving Day", "Valentine's Day",
}
# Eras ("345 BC", "2555 BE") are out of scope.
ERA_WORDS = re.compile(r"\b(bc|bce|ad|ce|be)\b", re.I)
ZONE_WORDS = re.compile(
    r"\b(gmt|utc|[a-z]st|[a-z]dt|cet|cest|ist|jst|z|pst|pdt|est|edt|bst|hkt|sgt|"
    r"wita|wib|wit|[+-]\d{2}:?\d{2}|tz)\b",
    re.I,
)


# A phrase that names a clock time (then chrono's `toBeDate` minute is compared too).
TIME_WORDS = re.compile(r"\d:\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b|o'clock|\bat \d", re.I)


def git_show(repo, path):
    return subprocess.run(
        ["git", "-C", repo, "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
    ).stdout


def git_head(repo):
    return subprocess.run(
        ["git", "-C", repo, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def git_ls(repo, prefix):
    out = subprocess.run(
        ["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", prefix],
        check=True, capture_output=True, text=True,
    ).stdout
    return [p for p in out.splitlines() if p.endswith(".test.ts")]


def haskell_strings(text):
    """The string literals of a Haskell list body."""
    return [bytes(s, "utf-8").decode("unicode_escape") for s in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]


def list_after(text, start):
    """The text of the `[ ... ]` list that starts at or after `start`."""
    open_at = text.index("[", start)
    depth, i = 0, open_at
    in_string = False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return text[open_at + 1 : i]
        i += 1
    raise ValueError("unclosed list")


def kind_of(grain, h, mi):
    if grain == "Day":
        return "date"
    if grain in ("Hour", "Minute", "Second"):
        return "datetime"
    return None


def duckling_cases(repo):
    source = git_show(repo, "Duckling/Time/EN/Corpus.hs")
    # Only the main corpus (`allExamples` and the default corpus' extras), not the
    # negative or latent ones.
    start = source.index("allExamples ::")
    extras = source[source.index("defaultCorpus ::") : source.index("negativeCorpus ::")]
    cases = []
    pattern = re.compile(
        r"examples \((datetime|datetimeHoliday) \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\) (\w+)"
        r"(?: \"([^\"]*)\")?"
    )
    for body in (extras, source[start:]):
        for m in pattern.finditer(body):
            _, y, mo, d, h, mi, _s, grain, holiday = m.groups()
            kind = kind_of(grain, h, mi)
            if kind is None or (holiday and holiday not in COMMON_HOLIDAYS):
                continue
            y, mo, d, h, mi = int(y), int(mo), int(d), int(h), int(mi)
            expected = f"{y:04}-{mo:02}-{d:02}"
            if kind == "datetime":
                expected += f"T{h:02}:{mi:02}"
            for phrase in haskell_strings(list_after(body, m.end())):
                cases.append(
                    {
                        "phrase": phrase,
                        "ref": "2013-02-12T04:30:00",
                        "zone": "Etc/GMT+2",
                        "expected": expected,
                        "kind": kind,
                        "source": "duckling:Duckling/Time/EN/Corpus.hs",
                    }
                )
    return cases


CHRONO_CASE = re.compile(
    r"testSingleCase\(\s*chrono((?:\.[A-Za-z]+)*)\s*,\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*,\s*"
    r"new Date\(([^()]*)\)\s*,\s*(?:\([^)]*\)|\w+)\s*=>\s*\{",
)


def js_string(literal):
    body = literal[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def block_after(text, open_brace):
    depth, i = 0, open_brace
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1 : i]
        i += 1
    return ""


def chrono_cases(repo):
    cases = []
    for path in git_ls(repo, "test/en/"):
        text = git_show(repo, path)
        for m in CHRONO_CASE.finditer(text):
            flavour, _literal, ref_args = m.groups()
            body = block_after(text, m.end() - 1)
            case = chrono_case(flavour, ref_args, body, path)
            if case:
                cases.append(case)
    return cases


def small_sum(text):
    """ "8 - 1" → 7: the month arithmetic chrono's tests write."""
    terms = re.findall(r"([+-]?)\s*(\d+)", text)
    return sum(int(n) * (-1 if sign == "-" else 1) for sign, n in terms)


def chrono_case(flavour, ref_args, body, path):
    if "result.end" in body and "result.end).toBeNull()" not in body:
        return None
    phrase = re.search(r"result\.text\)\.toBe\((\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\)", body)
    if not phrase:
        return None
    phrase = js_string(phrase.group(1))
    nums = [p.strip() for p in ref_args.split(",")]
    if not 3 <= len(nums) <= 7 or not all(re.fullmatch(r"\d+", n) for n in nums):
        return None
    ref = [int(n) for n in nums] + [0] * (7 - len(nums))
    got = {
        k: int(v)
        for k, v in re.findall(r"result\.start\.get\(\"(\w+)\"\)\)\.toBe\((\d+)\)", body)
    }
    if not {"year", "month", "day"} <= got.keys():
        date = re.search(r"result\.start\)\.toBeDate\(new Date\(([\d,\s+-]+)\)\)", body)
        if not date:
            return None
        parts = [small_sum(n) for n in date.group(1).split(",") if n.strip()] + [0] * 5
        got = {"year": parts[0], "month": parts[1] + 1, "day": parts[2]}
        if TIME_WORDS.search(phrase):
            got.update(hour=parts[3], minute=parts[4])
    expected = f"{got['year']:04}-{got['month']:02}-{got['day']:02}"
    kind = "date"
    if "hour" in got:
        kind = "datetime"
        expected += f"T{got['hour']:02}:{got.get('minute', 0):02}"
    case = {
        "phrase": phrase,
        "ref": f"{ref[0]:04}-{ref[1] + 1:02}-{ref[2]:02}T{ref[3]:02}:{ref[4]:02}:{ref[5]:02}",
        "zone": "UTC",
        "expected": expected,
        "kind": kind,
        "source": f"chrono:{path}",
    }
    if ".GB" in flavour or ".en.GB" in flavour:
        case["date_order"] = "dmy"
    return case


def in_scope(case):
    phrase = case["phrase"].strip()
    return phrase and not ZONE_WORDS.search(phrase) and not ERA_WORDS.search(phrase)


# dateparser (BSD-3-Clause, github.com/scrapinghub/dateparser): which parameterized tests are
# converted, with their reference time (RELATIVE_BASE / the freshness tests' fixed now, UTC).
DATEPARSER_TESTS = {
    "tests/test_date_parser.py": {
        "test_dates_parsing": "2012-11-13T00:00:00",
        "test_preferably_future_dates": "2015-02-15T15:30:00",
    },
    "tests/test_freshness_date_parser.py": {
        "test_relative_past_dates": "2014-09-01T10:30:00",
        "test_relative_future_dates": "2014-09-01T10:30:00",
        "test_freshness_date_with_time": "2014-09-01T10:30:00",
    },
}
# A month alone is a month grain (left out, as for the other suites).
MONTH_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
}
# Non-English phrases inside dateparser's English-marked blocks ("2 Tage 18:50", "Dnes v 12:40").
NON_ENGLISH = {"tage", "dnes"}
# A language comment inside a parameter list ("# English dates", "# French dates", "# af").
LANGUAGE_COMMENT = re.compile(r"^\s*#\s*([A-Za-z][\w-]*)(\s+dates)?\s*$")
# Words of a bare duration ("2 hours", "1 year, 09 months"): dateparser reads it as that long
# ago (a convention for scraped "posted 2 hours" stamps); it names no moment, so it is left out.
DURATION_WORD = re.compile(
    r"^(\d+(\.\d+)?|an?|one|and|about|decades?|years?|months?|weeks?|days?|hours?|hrs?|"
    r"min(ute)?s?|sec(ond)?s?|d|h|m|s|,)$",
    re.I,
)


def english_params(source, test_name):
    """The `param(...)` calls in the English block of the list decorating `test_name`."""
    import ast

    tree = ast.parse(source)
    lines = source.splitlines()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.FunctionDef) and node.name == test_name):
            continue
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and deco.args and isinstance(deco.args[0], ast.List)):
                continue
            for call in deco.args[0].elts:
                language = None
                for line in reversed(lines[deco.lineno - 1 : call.lineno - 1]):
                    m = LANGUAGE_COMMENT.match(line)
                    if m:
                        language = m.group(1).lower()
                        break
                if language in (None, "english", "en"):
                    yield call


def literal(node):
    import ast

    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("datetime", "date", "time"):
        return tuple(ast.literal_eval(a) for a in node.args)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # "{} months ago".format(...): computed phrases are left out.
        return None
    return ast.literal_eval(node)


def shifted(ref, amounts, sign):
    """`ref` moved by a relativedelta-like dict (dateparser's expectation), or None."""
    from datetime import datetime, timedelta

    years = amounts.get("years", 0)
    months = amounts.get("months", 0)
    if any(isinstance(v, float) and v != int(v) for v in (years, months)):
        return None
    total = ref.year * 12 + ref.month - 1 + sign * int(years * 12 + months)
    y, m = divmod(total, 12)
    if not 1 <= y <= 9999:
        return None
    day = min(ref.day, [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31,
                        30, 31, 31, 30, 31, 30, 31][m])
    moved = ref.replace(year=y, month=m + 1, day=day)
    delta = timedelta(**{k: v for k, v in amounts.items() if k in ("weeks", "days", "hours", "minutes", "seconds")})
    return moved + sign * delta


def dateparser_case(phrase, expected, ref, path):
    """One case, or None when out of scope."""
    from datetime import datetime

    words = re.findall(r"[\w.]+|,", phrase)
    if not words or all(DURATION_WORD.match(w) for w in words) or re.search(r"decade", phrase, re.I):
        return None
    if re.search(r"[^\x00-\x7f]", phrase) or "[" in phrase:
        return None
    base = datetime.fromisoformat(ref)
    if re.fullmatch(r"[a-z]+", phrase.lower()) and phrase.lower() in MONTH_NAMES:
        return None
    if set(w.lower() for w in words) & NON_ENGLISH:
        return None
    if isinstance(expected, tuple):
        when = datetime(*expected[:5]) if len(expected) >= 3 else None
        timed = tuple(expected[3:5]) not in ((), (0,), (0, 0)) or TIME_WORDS.search(phrase) is not None
    else:
        amounts, sign = expected["shift"]
        if any(k in amounts for k in ("years",)) and amounts["years"] > 100:
            return None
        when = shifted(base, amounts, sign)
        timed = any(k in amounts for k in ("hours", "minutes", "seconds")) or TIME_WORDS.search(phrase) is not None
    if when is None:
        return None
    kind = "datetime" if timed else "date"
    value = when.strftime("%Y-%m-%dT%H:%M") if timed else when.strftime("%Y-%m-%d")
    return {"phrase": phrase, "ref": ref, "zone": "UTC", "expected": value, "kind": kind,
            "source": f"dateparser:{path}"}


def dateparser_cases(repo):
    from datetime import datetime

    cases = []
    for path, tests in DATEPARSER_TESTS.items():
        source = git_show(repo, path)
        for test_name, ref in tests.items():
            for call in english_params(source, test_name):
                try:
                    args = [literal(a) for a in call.args]
                    kwargs = {k.arg: literal(k.value) for k in call.keywords}
                except (ValueError, TypeError):
                    continue
                if not args or not isinstance(args[0], str):
                    continue
                phrase = args[0]
                if "ago" in kwargs:
                    expected = {"shift": (kwargs["ago"], -1)}
                elif "in_future" in kwargs:
                    expected = {"shift": (kwargs["in_future"], 1)}
                elif len(args) == 3 and isinstance(args[1], tuple) and isinstance(args[2], tuple):
                    expected = args[1] + args[2]
                elif len(args) >= 2 and isinstance(args[1], tuple):
                    expected = args[1]
                else:
                    continue
                case = dateparser_case(phrase, expected, ref, path)
                if case:
                    cases.append(case)
    return cases


def main():
    duckling, chrono, dateparser = sys.argv[1], sys.argv[2], sys.argv[3]
    header = {
        "_header": (
            "Development corpus converted from public, permissively licensed date-parser test "
            "suites by tests/data/public_corpus/convert.py (issue #12 item 4). Cases: English "
            "single expressions naming a date, a date-time or a time relative to a reference "
            "time; intervals, week/month/year grains, results with an end, eras, holidays outside "
            "the common (US and Western) ones, and phrases with a time zone are left out. Expected values are the suites' own (their conventions, "
            "e.g. past-vs-future, may differ from our role rules in docs/TIME.md). Fields as in "
            "tests/data/time_phrases.jsonl; `source` names the suite and file."
        ),
        "sources": [
            {
                "name": "Duckling",
                "url": "https://github.com/facebook/duckling",
                "commit": git_head(duckling),
                "file": "Duckling/Time/EN/Corpus.hs",
                "licence": "BSD-3-Clause (Copyright (c) 2016-present, Facebook, Inc.), see LICENSE-duckling",
            },
            {
                "name": "chrono-node",
                "url": "https://github.com/wanasit/chrono",
                "commit": git_head(chrono),
                "files": "test/en/*.test.ts",
                "licence": "MIT (Copyright (c) 2014, Wanasit Tanakitrungruang), see LICENSE-chrono",
            },
            {
                "name": "dateparser",
                "url": "https://github.com/scrapinghub/dateparser",
                "commit": git_head(dateparser),
                "files": "tests/test_date_parser.py, tests/test_freshness_date_parser.py",
                "licence": "BSD-3-Clause (Copyright (c) 2014, Scrapinghub), see LICENSE-dateparser",
            },
        ],
    }
    seen = set()
    rows = []
    for case in duckling_cases(duckling) + chrono_cases(chrono) + dateparser_cases(dateparser):
        key = (case["phrase"].lower(), case["ref"], case["zone"], case.get("date_order"))
        if in_scope(case) and key not in seen:
            seen.add(key)
            rows.append(case)
    with open(OUT, "w") as f:
        f.write(json.dumps(header, ensure_ascii=False) + "\n")
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    kinds = {}
    for row in rows:
        kinds[row["source"].split(":")[0], row["kind"]] = kinds.get((row["source"].split(":")[0], row["kind"]), 0) + 1
    print(len(rows), kinds)


if __name__ == "__main__":
    main()
