import os, sys, json, re, math, hashlib, collections, numpy as np, pickle
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, average_precision_score
ms = [json.loads(l) for l in open(os.environ.get('XP', '/tmp/xp') + '/gold-blocks.jsonl')]
tok = lambda t: [w for w in re.findall(r'[a-z0-9]+', (t or '').lower()) if len(w) > 2]
df = collections.Counter()
toks = []
for m in ms:
    ws = set(tok(m.get('title')))
    toks.append(ws); df.update(ws)
N = len(ms)
idf = {w: math.log(N / c) for w, c in df.items()}
def vec(members, key):
    c = collections.Counter()
    for i in members:
        if key == 'title':
            for w in toks[i]: c[w] += idf[w]
        elif key == 'venue':
            if ms[i].get('venue'): c[ms[i]['venue']] += 1
        elif key == 'co':
            for a in ms[i].get('coauthors') or []: c[a] += 1
    return c
def cos(a, b):
    if not a or not b: return 0.0
    d = sum(v * b.get(k, 0) for k, v in a.items())
    return d / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
def years(members): return sorted(ms[i]['year'] for i in members if ms[i].get('year'))
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
F = []
for r in rows:
    f = [int(x) for x in r[20].split(',')]; c = [int(x) for x in r[21].split(',')]
    tf, tc = vec(f, 'title'), vec(c, 'title')
    yf, yc = years(f), years(c)
    mf = yf[len(yf)//2] if yf else 0; mc = yc[len(yc)//2] if yc else 0
    inside = sum(1 for y in yf if yc and yc[0] <= y <= yc[-1]) / max(1, len(yf))
    cf, cc = vec(f, 'co'), vec(c, 'co')
    F.append([cos(tf, tc), cos(vec(f, 'venue'), vec(c, 'venue')), cos(cf, cc), len(set(cf) & set(cc)), abs(mf - mc), inside])
pickle.dump(np.array(F), open(sys.argv[1] + '.feat', 'wb'))
