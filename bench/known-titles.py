#!/usr/bin/env python3
# Pasted-title known-item search: for N random works of CORPUS, the rank of the work when its whole title (or,
# with a fourth argument, the title with one letter dropped from its longest word) is the query.
#   arrow --data-dir D serve --addr 127.0.0.1:PORT &   (D holding CORPUS)
#   bench/known-titles.py CORPUS N PORT [typo]
import json, lzma, random, sys, urllib.request, urllib.parse
corpus, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
works = [json.loads(l) for l in (lzma.open(corpus, 'rt') if corpus.endswith('.xz') else open(corpus))]
random.seed(7)
sample = random.sample([w for w in works if w.get('title')], n)
typo = len(sys.argv) > 4
rr = top1 = top10 = 0
misses = []
for w in sample:
    t = w['title']
    if typo:
        words = t.split(); i = max(range(len(words)), key=lambda j: len(words[j])); wd = words[i]
        words[i] = wd[:len(wd)//2] + wd[len(wd)//2+1:]; t = ' '.join(words)
    q = urllib.parse.quote(t)
    r = json.load(urllib.request.urlopen(f'http://127.0.0.1:{port}/api/v1/works?search={q}&per_page=10'))
    ids = [x['id'] for x in r['results']]
    # A work of the same title counts as found (the corpus has true duplicates).
    same = [i for i, x in enumerate(r['results']) if x['id'] == w['id'] or x['title'].lower() == w['title'].lower()]
    if same:
        k = same[0] + 1; rr += 1 / k; top1 += k == 1; top10 += 1
    else:
        misses.append((w['id'], w['title'], r['meta'].get('lenient')))
print(f'MRR@10 {rr/n:.3f}  at 1 {top1/n:.3f}  in 10 {top10/n:.3f}  (n={n})')
for m in misses[:15]: print('  miss', m)
