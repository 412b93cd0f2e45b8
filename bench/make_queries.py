#!/usr/bin/env python3
"""Builds the benchmark query files from the DBLP corpus, deterministically (fixed seed).

    python3 bench/make_queries.py ../shared/data/dblp-2016/works-00.jsonl.xz ../shared/data/dblp-2016/works-01.jsonl.xz

Writes bench/queries-shapes.txt (700 queries, 100 of each shape the comparison reports apart, broad ones
included: one word, two words, three or more, phrases, `a OR b` and `a OR b c`, `+a -b` and `+a b -c`, and names),
bench/queries.txt (realistic scholarly queries in the syntax Arrow and Lucene share: words, "phrases",
OR, +required, -excluded) and bench/known-items.tsv (a query made of some title words, tab, the work's id),
plus bench/known-item-queries.txt (the queries alone, for the peers' topk runs).
"""
import json, lzma, random, re, sys

STOP = set("""a an and are as at be by for from has have in into is it its of on or over than that the their this to
under using via was we what when which while with without towards toward based new approach study case""".split())
rng = random.Random(20261128)

def words(title):
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", title) if w.lower() not in STOP and len(w) > 2]

works = []
for path in sys.argv[1:]:
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 50 == 0:
                works.append(json.loads(line))
rng.shuffle(works)

queries = []
def add(q):
    q = q.strip()
    if q and q not in queries:
        queries.append(q)

pool = iter(works)
while len(queries) < 500:
    w = next(pool)
    ws = words(w["title"])
    authors = w.get("authors") or []
    kind = len(queries) % 10
    if len(ws) < 3:
        continue
    if kind in (0, 1, 2):  # topic words
        add(" ".join(rng.sample(ws, 2)).lower())
    elif kind == 3:  # three topic words
        add(" ".join(rng.sample(ws, 3)).lower())
    elif kind == 4:  # a title fragment as a phrase
        i = rng.randrange(0, len(ws) - 1)
        add('"%s"' % " ".join(ws[i:i + 2]).lower())
    elif kind == 5 and authors:  # an author's name
        name = re.sub(r" \d{4}$", "", rng.choice(authors))
        add('"%s"' % name if rng.random() < 0.5 else name)
    elif kind == 6:  # alternatives
        a, b, c = rng.sample(ws, 3)
        add(f"{a.lower()} OR {b.lower()} {c.lower()}")
    elif kind == 7:  # required and excluded
        a, b = rng.sample(ws, 2)
        other = words(next(pool)["title"]) or ["survey"]
        add(f"+{a.lower()} {b.lower()} -{rng.choice(other).lower()}")
    elif kind == 8 and authors:  # author and topic
        name = re.sub(r" \d{4}$", "", rng.choice(authors))
        add(f'"{name}" {rng.choice(ws).lower()}')
    elif kind == 9:  # phrase and word
        i = rng.randrange(0, len(ws) - 1)
        add('"%s" %s' % (" ".join(ws[i:i + 2]).lower(), rng.choice(ws).lower()))

known = []
for w in works[2000:]:
    ws = words(w["title"])
    if len(ws) < 4:
        continue
    n = rng.choice([3, 4])
    picked = sorted(rng.sample(range(len(ws)), n))
    known.append((" ".join(ws[i].lower() for i in picked), w["id"]))
    if len(known) == 300:
        break

# Every shape alike, from a generator of its own so the files above stay as they were.
srng = random.Random(20261205)
shapes = {k: [] for k in ("one", "two", "three", "phrase", "or", "plusminus", "name")}
def put(kind, q):
    q = q.strip()
    if q and all(q not in v for v in shapes.values()) and len(shapes[kind]) < 100:
        shapes[kind].append(q)
pool = iter(works[4000:])
while any(len(v) < 100 for v in shapes.values()):
    w = next(pool)
    ws = [x.lower() for x in words(w["title"])]
    authors = w.get("authors") or []
    if len(ws) < 3:
        continue
    a, b, c = srng.sample(ws, 3)
    kind = srng.choice(list(shapes))
    if kind == "one":
        put(kind, a)
    elif kind == "two":
        put(kind, f"{a} {b}")
    elif kind == "three":
        put(kind, " ".join(srng.sample(ws, srng.choice([3, 3, 4]) if len(ws) > 3 else 3)))
    elif kind == "phrase":
        i = srng.randrange(0, len(ws) - 1)
        put(kind, '"%s"' % " ".join(ws[i:i + 2]))
    elif kind == "or":
        other = [x.lower() for x in words(next(pool)["title"])] or ["survey"]
        put(kind, f"{a} OR {srng.choice(other)}" if srng.random() < 0.5 else f"{a} OR {b} {c}")
    elif kind == "plusminus":
        other = [x.lower() for x in words(next(pool)["title"])] or ["survey"]
        put(kind, f"+{a} -{srng.choice(other)}" if srng.random() < 0.5 else f"+{a} {b} -{srng.choice(other)}")
    elif kind == "name" and authors:
        put(kind, re.sub(r" \d{4}$", "", srng.choice(authors)))
shaped = [q for v in shapes.values() for q in v]
srng.shuffle(shaped)
with open("bench/queries-shapes.txt", "w") as f:
    f.write("\n".join(shaped) + "\n")

with open("bench/queries.txt", "w") as f:
    f.write("\n".join(queries) + "\n")
with open("bench/known-items.tsv", "w") as f:
    f.writelines(f"{q}\t{i}\n" for q, i in known)
with open("bench/known-item-queries.txt", "w") as f:
    f.writelines(f"{q}\n" for q, _ in known)
print(f"{len(queries)} queries, {len(shaped)} queries of every shape, {len(known)} known items")
