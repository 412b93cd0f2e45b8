import os, sys, hashlib, re, numpy as np
from sklearn.linear_model import LogisticRegression
gold = [l.rstrip('\n').split('\t') for l in open(os.environ.get('XP', '/tmp/xp') + '/gold.tsv')]
ids = {}
for i, p in gold:
    ids.setdefault(p, len(ids))
name_of = {v: re.sub(r' \d{4}$', '', k) for k, v in ids.items()}
def half(name): return int(hashlib.md5(name.encode()).hexdigest(), 16) % 2
rows = [l.split('\t') for l in open(sys.argv[1])]
X = np.array([[float(v) for v in r[8:]] for r in rows])
y = np.array([r[1] == r[4] for r in rows])
w = np.array([float(r[3]) * float(r[6]) for r in rows]) ** float(sys.argv[3] if len(sys.argv) > 3 else 0.5)
h = np.array([half(name_of[int(r[1])]) for r in rows])
cols = [int(c) for c in sys.argv[2].split(',')] if len(sys.argv) > 2 else list(range(11))
C = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
for part in ['all', 0, 1]:
    m = np.ones(len(y), bool) if part == 'all' else (h == part)
    lr = LogisticRegression(C=C, max_iter=5000).fit(X[m][:, cols], y[m], sample_weight=w[m])
    coef = np.zeros(12); coef[cols] = lr.coef_[0]; coef[11] += lr.intercept_[0]
    print(part, 'train-on', m.sum(), ','.join(f'{c:.4f}' for c in coef))
